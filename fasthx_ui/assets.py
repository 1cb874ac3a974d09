"""Serving the toolkit's static files at a versioned URL.

The version is a hash of the files' contents, so a URL never changes meaning and
can be cached for a year (`immutable`). Text assets are gzipped once and kept in
memory; fonts and images are sent as they are.
"""

from __future__ import annotations

import gzip
import hashlib
import mimetypes
from functools import lru_cache
from pathlib import Path

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

STATIC_DIR = Path(__file__).parent / "static"
CACHE_FOREVER = "public, max-age=31536000, immutable"
COMPRESSIBLE = {".js", ".css", ".svg", ".json", ".txt", ".map", ".html"}
mimetypes.add_type("font/woff2", ".woff2")
mimetypes.add_type("font/woff", ".woff")


def content_version(directory: Path = STATIC_DIR) -> str:
    """A short hash of every file's path and bytes below `directory`."""
    digest = hashlib.sha256()
    for path in sorted(p for p in directory.rglob("*") if p.is_file()):
        digest.update(path.relative_to(directory).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


@lru_cache(maxsize=256)
def _load(path: Path) -> tuple[bytes, bytes | None]:
    """The file's bytes and, for text assets, their gzipped form."""
    data = path.read_bytes()
    packed = gzip.compress(data, compresslevel=9, mtime=0) if path.suffix in COMPRESSIBLE else None
    return data, packed


class StaticAssets:
    """Endpoint for `/<prefix>/{version}/{path}`: files below one folder, cached forever."""

    def __init__(self, directory: Path = STATIC_DIR):
        self.directory = directory.resolve()

    def resolve(self, relative: str) -> Path | None:
        path = (self.directory / relative).resolve()
        if not path.is_relative_to(self.directory) or not path.is_file():
            return None
        return path

    async def serve(self, request: Request) -> Response:
        path = self.resolve(request.path_params["path"])
        if path is None:
            return PlainTextResponse("Not found", status_code=404)
        data, packed = _load(path)
        media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        headers = {"Cache-Control": CACHE_FOREVER, "Vary": "Accept-Encoding"}
        if packed is not None and "gzip" in request.headers.get("accept-encoding", ""):
            headers["Content-Encoding"] = "gzip"
            data = packed
        return Response(data, media_type=media_type, headers=headers)

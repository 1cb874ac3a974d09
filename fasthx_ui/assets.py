"""Serving the toolkit's static files at a versioned URL.

The version is a hash of the files' contents, so a URL never changes meaning and
can be cached for a year (`immutable`). Text assets are gzipped once and kept in
memory; fonts and images are sent as they are. Bundles are several files joined into
one (`bundle/<name>`), so a page loads one stylesheet and one script instead of a
request per file; the files stay available one by one. `StaticAssets.warm` joins and
gzips what a page links before the first request, which would otherwise wait for it.
"""

from __future__ import annotations

import gzip
import hashlib
import mimetypes
import re
from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

STATIC_DIR = Path(__file__).parent / "static"
CACHE_FOREVER = "public, max-age=31536000, immutable"
COMPRESSIBLE = {".js", ".css", ".svg", ".json", ".txt", ".map", ".html"}
BUNDLE_DIR = "bundle"
# A source map comment points next to its own file; inside a bundle it would point nowhere.
SOURCE_MAP_RE = re.compile(rb"^\s*(?://# sourceMappingURL=.*|/\*# sourceMappingURL=.*?\*/)\s*$", re.M)
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
    return _packed(path.read_bytes(), path.suffix)


def icon_font(css: str) -> str:
    """The woff2 font an icon stylesheet (a path below STATIC_DIR) loads, as the same
    path with the same query string, so a preload of it is the request the CSS makes."""
    found = re.search(r'url\("?([^")]+\.woff2[^")]*)"?\)', (STATIC_DIR / css).read_text())
    if found is None:
        raise ValueError(f"{css} names no woff2 font")
    return f"{css.rsplit('/', 1)[0]}/{found.group(1)}"


def _packed(data: bytes, suffix: str) -> tuple[bytes, bytes | None]:
    return data, gzip.compress(data, compresslevel=9, mtime=0) if suffix in COMPRESSIBLE else None


@lru_cache(maxsize=32)
def _bundled(directory: Path, files: tuple[str, ...], suffix: str) -> tuple[bytes, bytes | None]:
    """A bundle's bytes and gzipped bytes, built once per process (every UI shares them)."""
    return _packed(join_files(directory, files), suffix)


def join_files(directory: Path, files: Sequence[str]) -> bytes:
    """The files (paths below `directory`) in order, as one file: each headed by its
    name in a comment, without source map comments; scripts are kept apart by `;`."""
    parts = []
    for name in files:
        data = SOURCE_MAP_RE.sub(b"", (directory / name).read_bytes()).rstrip()
        end = b"\n;\n" if name.endswith(".js") else b"\n"
        parts.append(b"/* " + name.encode() + b" */\n" + data + end)
    return b"".join(parts)


class StaticAssets:
    """Endpoint for `/<prefix>/{version}/{path}`: files below one folder, cached forever,
    and `bundle/<name>` for each of `bundles` ({name: [file, ...]})."""

    def __init__(self, directory: Path = STATIC_DIR, bundles: Mapping[str, Sequence[str]] | None = None):
        self.directory = directory.resolve()
        self.bundles = {name: tuple(files) for name, files in (bundles or {}).items()}

    def bundle(self, name: str) -> tuple[bytes, bytes | None] | None:
        """A bundle's bytes and gzipped bytes, joined once; None for an unknown name."""
        if name not in self.bundles:
            return None
        return _bundled(self.directory, self.bundles[name], Path(name).suffix)

    def load(self, relative: str) -> tuple[bytes, bytes | None] | None:
        """The bytes and gzipped bytes of a file or `bundle/<name>`; None when there is none."""
        folder, _, name = relative.partition("/")
        if folder == BUNDLE_DIR:
            return self.bundle(name)
        path = self.resolve(relative)
        return _load(path) if path is not None else None

    def warm(self, paths: Sequence[str]) -> None:
        """Load `paths` (files or bundles, as for `load`) now, so the first page's requests
        for them are answered from memory at once."""
        for relative in paths:
            if self.load(relative) is None:
                raise ValueError(f"{relative} is neither a file below {self.directory} nor a bundle")

    def resolve(self, relative: str) -> Path | None:
        path = (self.directory / relative).resolve()
        if not path.is_relative_to(self.directory) or not path.is_file():
            return None
        return path

    async def serve(self, request: Request) -> Response:
        relative = request.path_params["path"]
        loaded = self.load(relative)
        if loaded is None:
            return PlainTextResponse("Not found", status_code=404)
        data, packed = loaded
        media_type = mimetypes.guess_type(relative)[0] or "application/octet-stream"
        headers = {"Cache-Control": CACHE_FOREVER, "Vary": "Accept-Encoding"}
        if packed is not None and "gzip" in request.headers.get("accept-encoding", ""):
            headers["Content-Encoding"] = "gzip"
            data = packed
        return Response(data, media_type=media_type, headers=headers)

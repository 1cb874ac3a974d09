"""Browser A/B of fasthx_ui trees: the row-20 figures of this checkout, of older trees
(each put first on the server's PYTHONPATH, `git archive <commit> fasthx_ui | tar -x -C
<tree>`) and of peers, all served at once and measured interleaved round by round
(`harness.browser.measure`), medians and ratios to fasthx-admin.

    .venvs/driver/bin/python browser_ab.py --old /tmp/main-tree --rounds 9 [--peers fasthx_admin,floor]
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
from pathlib import Path

from harness import browser
from harness.servers import FRAMEWORKS, Server

BY_NAME = {f.name: f for f in FRAMEWORKS}


def start(name: str, framework, tree: str | None, workdir: Path) -> Server:
    """A server of `framework` with `tree` first on its PYTHONPATH, in a workdir of its own."""
    here = workdir / name
    here.mkdir()
    saved = os.environ.get("BENCH_PYTHONPATH")
    os.environ["BENCH_PYTHONPATH"] = tree or ""
    try:
        return Server(framework, "sqlite", here)
    finally:
        if saved is None:
            del os.environ["BENCH_PYTHONPATH"]
        else:
            os.environ["BENCH_PYTHONPATH"] = saved


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--old", action="append", default=[], help="an older fasthx_ui tree (repeatable)")
    parser.add_argument("--peers", default="fasthx_admin,floor")
    parser.add_argument("--scenarios", default="a,c")
    parser.add_argument("--rounds", type=int, default=9)
    args = parser.parse_args()
    search = json.loads((Path(__file__).parent / "data" / "meta.json").read_text())["search"]
    apps = {"new": (BY_NAME["fasthx_ui"], None)}
    apps |= {f"old{i}" if len(args.old) > 1 else "old": (BY_NAME["fasthx_ui"], tree) for i, tree in enumerate(args.old)}
    apps |= {name: (BY_NAME[name], None) for name in filter(None, args.peers.split(","))}
    with tempfile.TemporaryDirectory(prefix="bench-ab-") as tmp:
        servers = {name: start(name, f, tree, Path(tmp)) for name, (f, tree) in apps.items()}
        try:
            for server in servers.values():
                server.wait_ready()
            urls = {name: {sc: s.base + s.framework.url(sc, search) for sc in args.scenarios.split(",")}
                    for name, s in servers.items()}
            found = browser.measure(urls, rounds=args.rounds)
        finally:
            for server in servers.values():
                server.stop()
    print(json.dumps(found, indent=1))
    for sc in args.scenarios.split(","):
        for visit in ("first", "repeat"):
            peer = found.get("fasthx_admin", {}).get(sc, {}).get(visit, {}).get("row20_ms")
            for name in apps:
                f = found[name][sc][visit]
                if "error" in f:
                    print(f"({sc}) {visit:6} {name:12} failed: {f['error']}")
                    continue
                ratio = f" {peer / f['row20_ms']:.2f}× fasthx-admin" if peer else ""
                print(f"({sc}) {visit:6} {name:12} {f['row20_ms']:6.0f} ms  {f['requests']:.0f} req "
                      f"{f['bytes'] / 1024:5.1f} KB{ratio}  {f['row20_samples']}")


if __name__ == "__main__":
    main()

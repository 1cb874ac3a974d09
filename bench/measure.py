"""CPU (and wall-clock) time per request of one framework's pages, in-process: the app is called as an
ASGI application (no server, no socket), after warm-up requests, and `time.process_time`
(every thread of the process, so the thread pool's work counts) is divided by the
number of requests. Steadier than wrk on a loaded machine; what fixes.md reports.

    bench/.venvs/fasthx_ui/bin/python bench/measure.py [--framework fasthx_ui] [--db sqlite|pg]
        [--scenarios a,b,c,d] [-n 30] [--concurrency 1]
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
from harness.servers import DATA, FRAMEWORKS, PG_URL  # noqa: E402


async def get(app, path: str) -> tuple[int, int]:
    """One GET of `path` through the ASGI app: (status, body bytes)."""
    target, _, query = path.partition("?")
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET", "scheme": "http",
             "path": target, "raw_path": target.encode(), "query_string": query.encode(), "root_path": "",
             "headers": [(b"host", b"127.0.0.1")], "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 80)}
    status, size = [0], [0]

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        if message["type"] == "http.response.start":
            status[0] = message["status"]
        elif message["type"] == "http.response.body":
            size[0] += len(message.get("body", b""))

    await app(scope, receive, send)
    return status[0], size[0]


async def measure(app, path: str, n: int, concurrency: int = 1, warm: int = 3) -> tuple[float, float]:
    """Milliseconds of CPU and of wall-clock time per request of `path` with
    `concurrency` requests in flight, after `warm` rounds (the wall-clock figure
    includes the hops to the thread pool and back, and any new database connection)."""

    async def loop(count: int) -> None:
        for _ in range(count):
            status, _ = await get(app, path)
            if status != 200:
                raise SystemExit(f"{path}: status {status}")

    await asyncio.gather(*(loop(warm) for _ in range(concurrency)))
    cpu, wall = time.process_time(), time.perf_counter()
    await asyncio.gather(*(loop(n) for _ in range(concurrency)))
    total = n * concurrency
    return 1000 * (time.process_time() - cpu) / total, 1000 * (time.perf_counter() - wall) / total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--framework", default="fasthx_ui")
    parser.add_argument("--db", choices=("sqlite", "pg"), default="sqlite")
    parser.add_argument("--scenarios", default="a,b,c,d")
    parser.add_argument("-n", type=int, default=30, help="requests per concurrent loop")
    parser.add_argument("--concurrency", type=int, default=1, help="requests in flight")
    args = parser.parse_args()
    framework = next(f for f in FRAMEWORKS if f.name == args.framework)
    search = json.loads((DATA / "meta.json").read_text())["search"]
    with tempfile.TemporaryDirectory(prefix="bench-measure-") as tmp:
        if args.db == "sqlite":
            copy = Path(tmp) / "bench.db"
            shutil.copyfile(DATA / "bench.db", copy)
            os.environ["BENCH_DB_URL"] = f"sqlite:///{copy}"
        else:
            os.environ["BENCH_DB_URL"] = PG_URL
        os.environ.setdefault("AUTH_DISABLED", "1")
        os.environ.setdefault("SESSION_SECRET", "bench-secret")
        sys.path.insert(0, str(BENCH / "apps"))
        app = importlib.import_module(framework.module).app
        figures = {s: asyncio.run(measure(app, framework.url(s, search), args.n, args.concurrency)) for s in args.scenarios.split(",")}
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"{framework.name} {args.db} x{args.concurrency} (load {load}): " + "  ".join(f"({s}) {cpu:.2f} ms cpu {wall:.2f} ms wall" for s, (cpu, wall) in figures.items()))


if __name__ == "__main__":
    main()

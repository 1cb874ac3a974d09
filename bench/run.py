"""Run the benchmark: every framework on the same data, taking turns, and write
bench/results/raw.json and bench/RESULTS.md. Use `bench/run` (it sets things up first).

    bench/run [--quick] [--only fasthx_ui,floor] [--skip pg,browser] [--scenarios a,b] [--reps 3]
              [--browser-rounds 5]

--quick: 1 repetition and 3 s of wrk per figure (for development; noisy); --reps changes
the number of repetitions of either mode; --scenarios limits the wrk and SQL figures;
--browser-rounds: first and repeat visits per page in the browser phase (medians).
Phases: verify, wrk (SQLite), sql, export, browser, search (the 1 % search typed into
an open list, in Chromium), pg (wrk and sql on PostgreSQL).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import tempfile
from pathlib import Path

from harness import browser, load, report, search_typed, verify
from harness.servers import BENCH, DATA, FRAMEWORKS, start_all

SCENARIOS = ("a", "b", "c", "d")
CONNECTIONS = (1, 8)
RESULTS = BENCH / "results"


def throughput(servers, search, reps, seconds, scenarios=SCENARIOS) -> dict:
    """Median req/s per framework, scenario and connection count; frameworks take turns
    within each repetition so a noisy moment hits all of them."""
    runs: dict = {}
    for rep in range(reps):
        for scenario in scenarios:
            for connections in CONNECTIONS:
                for server in servers:
                    url = server.base + server.framework.url(scenario, search)
                    load.wrk(url, connections, 1)  # warm up
                    figure = load.wrk(url, connections, seconds)
                    key = (server.framework.name, scenario, connections)
                    runs.setdefault(key, []).append(figure)
                    print(f"  rep {rep + 1} {scenario} c{connections} {server.framework.name}: {figure['rps']:.1f} req/s",
                          flush=True)
    found: dict = {}
    for (name, scenario, connections), figures in runs.items():
        found.setdefault(name, {}).setdefault(scenario, {})[str(connections)] = {
            "median": statistics.median(f["rps"] for f in figures),
            "runs": [f["rps"] for f in figures],
            "errors": sorted({e for f in figures for e in f["errors"]}),
        }
    return found


def sql_counts(servers, search, scenarios=SCENARIOS) -> dict:
    return {s.framework.name: {sc: load.sql_per_request(s, s.framework.url(sc, search)) for sc in scenarios}
            for s in servers}


def exports(servers, reps) -> dict:
    found: dict = {}
    for _ in range(reps):
        for server in servers:
            for fmt, path in server.framework.exports.items():
                figure = load.export(server, path)
                print(f"  export {fmt} {server.framework.name}: {figure}", flush=True)
                found.setdefault(server.framework.name, {}).setdefault(fmt, []).append(figure)
    # medians, but the largest RSS growth: after the first download the allocator keeps
    # what it took, so later ones grow less
    return {name: {fmt: {key: (max if key == "rss_mb" else statistics.median)(f[key] for f in figures) for key in figures[0]}
                   for fmt, figures in by_format.items()} for name, by_format in found.items()}


def save(raw: dict) -> None:
    """Write what is measured so far: an interrupted run still leaves its figures."""
    (RESULTS / "raw.json").write_text(json.dumps(raw, indent=1) + "\n")
    (BENCH / "RESULTS.md").write_text(report.render(raw))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--only", help="comma-separated framework names")
    parser.add_argument("--skip", default="", help="comma-separated phases to skip")
    parser.add_argument("--scenarios", default=",".join(SCENARIOS), help="comma-separated wrk and SQL scenarios (a-d)")
    parser.add_argument("--reps", type=int, help="repetitions (default: 1 with --quick, else 3)")
    parser.add_argument("--browser-rounds", type=int, default=5, help="browser visits per page (medians)")
    args = parser.parse_args()
    reps, seconds = (1, 3) if args.quick else (3, 10)
    reps = args.reps or reps
    scenarios = tuple(s for s in SCENARIOS if s in args.scenarios.split(","))
    skip = set(filter(None, args.skip.split(",")))
    frameworks = [f for f in FRAMEWORKS if not args.only or f.name in args.only.split(",")]
    meta = json.loads((DATA / "meta.json").read_text())
    search = meta["search"]
    raw: dict = {"date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
                 "mode": "quick" if args.quick else "full", "reps": reps, "wrk_seconds": seconds,
                 "data": meta, "machine": report.machine(), "versions": report.versions(frameworks)}
    RESULTS.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        workdir = Path(tmp)
        servers = start_all(frameworks, "sqlite", workdir)
        try:
            problems = [p for s in servers for p in verify.check(s, search)]
            if problems:
                raise SystemExit("pages do not show the right rows:\n  " + "\n  ".join(problems))
            print("verified: every page shows the right rows", flush=True)
            if "wrk" not in skip:
                raw["sqlite"] = throughput(servers, search, reps, seconds, scenarios)
                save(raw)
            if "sql" not in skip:
                raw["sql"] = sql_counts(servers, search, scenarios)
                save(raw)
            if "export" not in skip:
                raw["export"] = exports(servers, reps)
                save(raw)
            if "browser" not in skip:
                raw["browser"] = browser.measure(
                    {s.framework.name: {sc: s.base + s.framework.url(sc, search) for sc in ("a", "c")} for s in servers},
                    rounds=args.browser_rounds)
                save(raw)
            if "search" not in skip:
                raw["search_typed"] = search_typed.measure(
                    {s.framework.name: s.base + s.framework.customers for s in servers}, search, rounds=args.browser_rounds * reps)
                save(raw)
        finally:
            for server in servers:
                server.stop()
        if "pg" not in skip:
            servers = start_all(frameworks, "pg", workdir)
            try:
                raw["pg"] = throughput(servers, search, reps, seconds, scenarios)
                raw["pg_sql"] = sql_counts(servers, search, scenarios)
            finally:
                for server in servers:
                    server.stop()
    save(raw)
    print(f"wrote {RESULTS / 'raw.json'} and {BENCH / 'RESULTS.md'}")


if __name__ == "__main__":
    main()

"""RESULTS.md from the raw figures: machine, versions, date, and one table per measure
with medians and our ratios against each peer and the floor."""

from __future__ import annotations

import os
import platform
import subprocess

from harness.servers import BENCH, FRAMEWORKS, PEERS, VENVS
from harness.targets import targets_table

SCENARIO_NAMES = {"a": "(a) customers page 1", "b": "(b) customers page 4,000",
                  "c": "(c) 1 % search", "d": "(d) orders page 1 + customer name"}
PACKAGES = ("fasthx-ui", "fasthx-admin", "sqladmin", "starlette-admin", "fastapi", "starlette",
            "sqlalchemy", "jinja2", "jinjax", "uvicorn")


def machine() -> dict:
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), "?")
    mem = next((line.split()[1] for line in open("/proc/meminfo") if line.startswith("MemTotal")), "0")
    wrk = subprocess.run(["wrk", "--version"], capture_output=True, text=True).stdout.splitlines()[:1]
    chromium = subprocess.run(["/usr/bin/chromium", "--version"], capture_output=True, text=True).stdout.strip()
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gb": round(int(mem) / 2**20, 1),
            "os": platform.platform(), "python": platform.python_version(),
            "wrk": wrk[0] if wrk else "?", "chromium": chromium, "load_avg": os.getloadavg()}


def versions(frameworks) -> dict:
    found = {}
    for framework in frameworks:
        out = subprocess.run([str(VENVS / framework.name / "bin" / "pip"), "list", "--format=freeze"],
                             capture_output=True, text=True).stdout
        pins = dict(line.lower().split("==", 1) for line in out.splitlines() if "==" in line)
        found[framework.name] = {name: pins[name] for name in PACKAGES if name in pins}
    return found


def _ratio(ours, theirs) -> str:
    return f"{ours / theirs:.1f}×" if ours and theirs else "–"


def _num(value, fmt="{:.0f}") -> str:
    return fmt.format(value) if isinstance(value, (int, float)) else "–"


def throughput_table(figures: dict, names: list[str]) -> list[str]:
    peers = [n for n in PEERS if n in names]
    head = ["scenario", "conns", *names, *(f"ours/{p}" for p in peers), "ours/floor"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for scenario, label in SCENARIO_NAMES.items():
        for conns in ("1", "8"):
            rps = {n: figures.get(n, {}).get(scenario, {}).get(conns, {}).get("median") for n in names}
            ours = rps.get("fasthx_ui")
            row = [label, conns, *(_num(rps[n], "{:.1f}") for n in names),
                   *(_ratio(ours, rps[p]) for p in peers), _ratio(ours, rps.get("floor"))]
            lines.append("| " + " | ".join(row) + " |")
    return lines


def render(raw: dict) -> str:
    names = [f.name for f in FRAMEWORKS if f.name in raw["versions"]]
    m = raw["machine"]
    out = ["# Benchmark results", "",
           f"Run {raw['date']}, mode **{raw['mode']}** ({raw['reps']} repetition(s), wrk {raw['wrk_seconds']} s "
           "per figure, medians). Re-run everything with `bench/run` (`bench/run --quick` for a short run).", "",
           *([raw["note"], ""] if raw.get("note") else []),
           f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory_gb']} GB, {m['os']}, Python {m['python']}, "
           f"{m['wrk']}, {m['chromium']}; load average at start {', '.join(f'{x:.2f}' for x in m['load_avg'])}.", "",
           f"Data: {raw['data']['customers']:,} customers, {raw['data']['orders']:,} orders (seed {raw['data']['seed']}); "
           f"the 1 % search looks for `{raw['data']['search']}` ({raw['data']['search_matches']:,} rows).", "",
           *targets_table(raw), "",
           "## Versions", "", "| app | " + " | ".join(PACKAGES) + " |", "|" + "---|" * (len(PACKAGES) + 1)]
    for name in names:
        pins = raw["versions"][name]
        out.append(f"| {name} | " + " | ".join(pins.get(p, "") for p in PACKAGES) + " |")
    for key, title in (("sqlite", "Requests per second, SQLite"), ("pg", "Requests per second, PostgreSQL")):
        if key in raw:
            out += ["", f"## {title}", "", *throughput_table(raw[key], names)]
            errors = [f"{n} {s} c{c}: {', '.join(v['errors'])}" for n, by in raw[key].items()
                      for s, byc in by.items() for c, v in byc.items() if v["errors"]]
            if errors:
                out += ["", "wrk reported errors: " + "; ".join(errors)]
    for key, title in (("sql", "SQL statements per request, SQLite"), ("pg_sql", "SQL statements per request, PostgreSQL")):
        if key in raw:
            out += ["", f"## {title}", "", "| app | " + " | ".join(SCENARIO_NAMES.values()) + " |", "|---|---|---|---|---|"]
            out += [f"| {n} | " + " | ".join(str(raw[key][n].get(s, "–")) for s in SCENARIO_NAMES) + " |" for n in names if n in raw[key]]
    if "export" in raw:
        out += ["", "## (e) Export of all customers", ""] + export_table(raw["export"], names)
    if "browser" in raw:
        out += ["", "## Headless Chromium: row 20 on screen", "",
                "| app | page | first visit ms | requests | KB | repeat visit ms | requests | KB |", "|---|---|---|---|---|---|---|---|"]
        for name in names:
            for scenario, f in raw["browser"].get(name, {}).items():
                a, b = f["first"], f["repeat"]
                if "error" in a or "error" in b:
                    out.append(f"| {name} | {SCENARIO_NAMES[scenario]} | failed: {a.get('error') or b.get('error')} | | | | | |")
                    continue
                out.append(f"| {name} | {SCENARIO_NAMES[scenario]} | {a['row20_ms']:.0f} | {a['requests']} | "
                           f"{a['bytes'] / 1024:.0f} | {b['row20_ms']:.0f} | {b['requests']} | {b['bytes'] / 1024:.0f} |")
    if "search_typed" in raw:
        out += ["", "## Headless Chromium: the 1 % search typed into an open list", "",
                "Milliseconds from pressing Enter in the list's search box until its first 20 rows all show the "
                "term: the median of the rounds, and every sample.", "",
                "| app | median ms | samples |", "|---|---|---|"]
        for name in names:
            f = raw["search_typed"].get(name)
            if f:
                runs = ", ".join("–" if v is None else f"{v:.0f}" for v in f["runs"])
                out.append(f"| {name} | {_num(f['median_ms'], '{:.0f}')} | {runs} |")
    out += ["", "## How", "", "See `bench/README.md`: one uvicorn worker per app on 127.0.0.1, wrk threads = "
            "min(connections, 2); SQL statements counted by each app's engine (`before_cursor_execute`); "
            "ratios are fasthx_ui's median over the other app's. fasthx_ui's list pages count after the rows "
            "(`count_strategy = \"deferred\"`: the count is a second request the page makes); starlette-admin "
            "exports through a POST action and is not measured for (e). \"–\" means not measured or failed.", ""]
    fixes = BENCH / "fixes.md"
    if fixes.exists():
        out.append(fixes.read_text().rstrip())
    return "\n".join(out) + "\n"


def export_table(found: dict, names) -> list[str]:
    """The export table: per app and format the wall and CPU time of the server and how
    many times less of each it took than the best peer (the peer with the least CPU
    for that format), first byte, RSS growth, size and rows."""
    out = ["| app | format | total s | CPU s | best peer's total / this | best peer's CPU / this | first byte ms | "
           "peak RSS growth MB | MB sent | lines |", "|---|---|---|---|---|---|---|---|---|---|"]
    for name in names:
        for fmt, f in found.get(name, {}).items():
            if f["status"] != 200:
                out.append(f"| {name} | {fmt} | failed: HTTP {f['status']:.0f} | | | | | | | |")
                continue
            peers = [found[p][fmt] for p in PEERS if p in found and fmt in found[p] and found[p][fmt].get("cpu")]
            best = min(peers, key=lambda peer: peer["cpu"]) if peers and name not in PEERS else None
            lines = f"{f['lines']:.0f}" if fmt == "csv" else "–"
            wall = _ratio(best["seconds"], f["seconds"]) if best else "–"
            cpu = _ratio(best["cpu"], f.get("cpu")) if best else "–"
            out.append(f"| {name} | {fmt} | {f['seconds']:.2f} | {_num(f.get('cpu'), '{:.2f}')} | {wall} | {cpu} | "
                       f"{f['ttfb'] * 1000:.0f} | {f['rss_mb']:.1f} | {f['bytes'] / 2**20:.1f} | {lines} |")
    return out

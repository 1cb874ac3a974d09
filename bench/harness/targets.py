"""Issue 11's targets checked against one run's figures: each target, the figures it
rests on, and whether this run meets it. The best peer is the fastest peer for that
figure in the same run. Each target carries the key of its note in `target_notes`, which
says, for a missed one, why and what would close it."""

from __future__ import annotations

from harness.servers import PEERS
from harness.target_notes import NOTES

RPS_TARGETS = {"a": 4.0, "b": 3.0, "d": 6.0}
DB_NAMES = {"sqlite": "SQLite", "pg": "PostgreSQL"}
PAGES = {"a": "(a)", "c": "(c)"}


def _rps(raw: dict, db: str, name: str, scenario: str, conns: str) -> float | None:
    return raw.get(db, {}).get(name, {}).get(scenario, {}).get(conns, {}).get("median")


def _best_peer(values: dict[str, float | None], *, lowest: bool = False) -> tuple[str, float] | None:
    found = [(name, value) for name, value in values.items() if name in PEERS and value]
    if not found:
        return None
    return (min if lowest else max)(found, key=lambda item: item[1])


def _row(target: str, figures: str, met: bool | None, note: str) -> tuple[str, str, bool | None, str]:
    return target, figures, met, note


def _throughput(raw: dict) -> list[str]:
    rows = []
    for db, db_name in DB_NAMES.items():
        if db not in raw:
            continue
        statements = raw.get("sql" if db == "sqlite" else "pg_sql", {}).get("fasthx_ui", {})
        for scenario, wanted in RPS_TARGETS.items():
            for conns in ("1", "8"):
                ours = _rps(raw, db, "fasthx_ui", scenario, conns)
                best = _best_peer({n: _rps(raw, db, n, scenario, conns) for n in PEERS})
                if not ours or not best:
                    continue
                ratio = ours / best[1]
                extra, ok = "", ratio >= wanted
                if scenario == "d" and scenario in statements:
                    extra, ok = f", {statements[scenario]} SQL statement(s)", ok and statements[scenario] <= 3
                note = "peer_c8" if conns == "8" else ("deep_page" if scenario == "b" else "peer_c1")
                rows.append(_row(f"{db_name} ({scenario}) c{conns}: ≥ {wanted:.0f}× the best peer",
                                 f"{ours:.1f} vs {best[0]} {best[1]:.1f} req/s = {ratio:.1f}×{extra}", ok, note))
        for scenario in ("a", "b", "c", "d"):
            for conns in ("1", "8"):
                ours, floor = _rps(raw, db, "fasthx_ui", scenario, conns), _rps(raw, db, "floor", scenario, conns)
                if ours and floor:
                    rows.append(_row(f"{db_name} ({scenario}) c{conns}: within 2× of the floor",
                                     f"{ours:.1f} vs {floor:.1f} req/s", ours * 2 >= floor, "floor"))
            one, eight = _rps(raw, db, "fasthx_ui", scenario, "1"), _rps(raw, db, "fasthx_ui", scenario, "8")
            if one and eight:
                rows.append(_row(f"{db_name} ({scenario}): req/s at 8 connections ≥ at 1",
                                 f"{eight:.1f} vs {one:.1f} req/s", eight >= one, "c8_vs_c1"))
    return rows


def _export(raw: dict) -> list[str]:
    rows = []
    found = raw.get("export", {})
    for fmt, ours in found.get("fasthx_ui", {}).items():
        best = _best_peer({n: found.get(n, {}).get(fmt, {}).get("seconds") for n in PEERS}, lowest=True)
        if best:
            ratio = best[1] / ours["seconds"]
            rows.append(_row(f"(e) {fmt.upper()}: ≥ 4× faster than the best peer",
                             f"{ours['seconds']:.2f} s vs {best[0]} {best[1]:.2f} s = {ratio:.1f}×", ratio >= 4,
                             "export"))
        rows.append(_row(f"(e) {fmt.upper()}: first byte within 100 ms", f"{ours['ttfb'] * 1000:.0f} ms",
                         ours["ttfb"] <= 0.1, "export"))
        rows.append(_row(f"(e) {fmt.upper()}: peak RSS growth ≤ 20 MB", f"{ours['rss_mb']:.1f} MB",
                         ours["rss_mb"] <= 20, "export"))
    return rows


def _browser(raw: dict) -> list[str]:
    rows = []
    found = raw.get("browser", {})
    for scenario, page in PAGES.items():
        ours = found.get("fasthx_ui", {}).get(scenario)
        if not ours or "error" in ours["first"] or "error" in ours["repeat"]:
            continue
        for visit, wanted in (("first", 1.8), ("repeat", 2.0)):
            times = {n: found.get(n, {}).get(scenario, {}).get(visit, {}).get("row20_ms") for n in PEERS}
            best = _best_peer(times, lowest=True)
            if best:
                ratio = best[1] / ours[visit]["row20_ms"]
                rows.append(_row(f"browser {page} {visit} visit: row 20 ≥ {wanted}× sooner than the best peer",
                                 f"{ours[visit]['row20_ms']:.0f} vs {best[0]} {best[1]:.0f} ms = {ratio:.2f}×",
                                 ratio >= wanted, f"browser_{visit}"))
        for visit, limit in (("first", 300), ("repeat", 40)):
            kb = ours[visit]["bytes"] / 1024
            rows.append(_row(f"browser {page} {visit} visit: ≤ {limit} KB transferred",
                             f"{kb:.0f} KB in {ours[visit]['requests']} requests", kb <= limit, "bytes"))
    return rows


def _search(raw: dict) -> list[str]:
    """(c) as a user meets it: the search typed into an open list, rows on screen."""
    found = raw.get("search_typed", {})
    ours = found.get("fasthx_ui", {}).get("median_ms")
    best = _best_peer({n: found.get(n, {}).get("median_ms") for n in PEERS}, lowest=True)
    if not ours or not best:
        return []
    ratio = best[1] / ours
    return [_row("(c) rows of the 1 % search on screen ≥ 4× sooner (typed into an open list)",
                 f"{ours:.0f} vs {best[0]} {best[1]:.0f} ms = {ratio:.2f}×", ratio >= 4, "search")]


def targets_table(raw: dict) -> list[str]:
    """The '## Targets' section: one row per target with its figures and verdict, then,
    for the targets this run missed, why and what would close them."""
    rows = [*_throughput(raw), *_export(raw), *_browser(raw), *_search(raw)]
    if not rows:
        return []
    met = sum(ok is True for _, _, ok, _ in rows)
    out = ["## Targets (issue 11)", "", f"{met} of {len(rows)} met in this run.", "",
           "| target | figures | this run |", "|---|---|---|"]
    out += [f"| {target} | {figures} | {'–' if ok is None else ('met' if ok else '**missed**')} |"
            for target, figures, ok, _ in rows]
    missed: dict[str, list[str]] = {}
    for target, _, ok, note in rows:
        if ok is False:
            missed.setdefault(note, []).append(target)
    if missed:
        out += ["", "### Missed in this run: why, and what would close it", ""]
        for note, targets in missed.items():
            out += [f"- **{'; '.join(targets)}.** {NOTES[note]}"]
    return out

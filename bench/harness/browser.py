"""Headless Chromium figures of a list page, on a first visit (empty cache) and a repeat
visit (same browser context): milliseconds from navigation start until the 20th table row
is laid out, and the requests and bytes that went over the network (Resource Timing:
`transferSize` is 0 for what the cache served). Several rounds, a fresh context each and
the apps taking turns within a round, give medians: one sample swings by 2× on a loaded
machine."""

from __future__ import annotations

import os
import statistics

from playwright.sync_api import TimeoutError as PlaywrightTimeout, sync_playwright

CHROMIUM = os.environ.get("FASTHX_UI_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


def fresh_context(browser):
    """A context with an empty cache, the same window and no motion for every measurement."""
    return browser.new_context(reduced_motion="reduce", viewport={"width": 1280, "height": 900})


# Checks on every animation frame whether a table's 20th body row has a box; records when.
ROW_WATCH = """
(() => {
  const look = () => {
    const row = document.querySelectorAll("table tbody tr")[19];
    if (row && row.getBoundingClientRect().height > 0) { window.__row20 = performance.now(); return; }
    requestAnimationFrame(look);
  };
  requestAnimationFrame(look);
})();
"""

NETWORK = """
() => {
  const entries = [...performance.getEntriesByType("navigation"), ...performance.getEntriesByType("resource")];
  const sent = entries.filter(e => e.transferSize > 0);
  return {requests: sent.length, bytes: sent.reduce((n, e) => n + e.transferSize, 0), resources: entries.length};
}
"""


def visit(page, url: str) -> dict:
    """One visit's figures; `error` instead when the row or the quiet network never came."""
    try:
        page.goto(url, wait_until="load", timeout=120_000)
        page.wait_for_function("window.__row20 !== undefined", timeout=120_000)
        page.wait_for_load_state("networkidle", timeout=120_000)
    except PlaywrightTimeout as error:
        return {"error": str(error).splitlines()[0]}
    return {"row20_ms": page.evaluate("window.__row20"), **page.evaluate(NETWORK)}


def pair(browser, url: str) -> dict:
    """A first and a repeat visit of `url` in a fresh context."""
    context = fresh_context(browser)
    context.add_init_script(ROW_WATCH)
    page = context.new_page()
    try:
        return {"first": visit(page, url), "repeat": visit(page, url)}
    finally:
        context.close()


def median(samples: list[dict]) -> dict:
    """One visit's medians over the rounds (its first error if any round failed), with the
    row-20 samples kept to show the spread."""
    errors = [s["error"] for s in samples if "error" in s]
    if errors:
        return {"error": errors[0]}
    found = {key: statistics.median(s[key] for s in samples) for key in samples[0]}
    return {**found, "row20_samples": [round(s["row20_ms"], 1) for s in samples]}


def measure(urls: dict[str, dict[str, str]], rounds: int = 5) -> dict[str, dict[str, dict]]:
    """For each app -> {scenario: URL}: {scenario: {"first": {...}, "repeat": {...}}}, the
    medians of `rounds` pairs of visits; each round visits every page of every app, the
    apps' order rotated from round to round."""
    names = list(urls)
    samples = {name: {sc: [] for sc in pages} for name, pages in urls.items()}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            for n in range(rounds):
                turn = names[n % len(names):] + names[:n % len(names)]
                for scenario in dict.fromkeys(sc for pages in urls.values() for sc in pages):
                    for name in turn:
                        if scenario in urls[name]:
                            samples[name][scenario].append(pair(browser, urls[name][scenario]))
        finally:
            browser.close()
    return {name: {sc: {visit: median([s[visit] for s in pairs]) for visit in ("first", "repeat")}
                   for sc, pairs in pages.items()} for name, pages in samples.items()}

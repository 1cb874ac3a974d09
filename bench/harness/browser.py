"""Headless Chromium figures of a list page, on a first visit (empty cache) and a repeat
visit (same browser context): milliseconds from navigation start until the 20th table row
is laid out, and the requests and bytes that went over the network (Resource Timing:
`transferSize` is 0 for what the cache served)."""

from __future__ import annotations

import os

from playwright.sync_api import TimeoutError as PlaywrightTimeout, sync_playwright

CHROMIUM = os.environ.get("FASTHX_UI_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]

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


def measure(urls: dict[str, str]) -> dict[str, dict]:
    """For each name -> URL: {"first": {...}, "repeat": {...}} in a fresh context."""
    found = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            for name, url in urls.items():
                context = browser.new_context(reduced_motion="reduce", viewport={"width": 1280, "height": 900})
                context.add_init_script(ROW_WATCH)
                page = context.new_page()
                first = visit(page, url)
                repeat = visit(page, url)
                context.close()
                found[name] = {"first": first, "repeat": repeat}
        finally:
            browser.close()
    return found

"""The 1 % search as a user does it, in headless Chromium: on an open customers list,
type the term into the page's search box and press Enter; milliseconds from the Enter
key until the first 20 rows on screen all show the term. A framework that swaps the
table in (htmx) and one that loads a new page are measured the same way: the start is
kept in sessionStorage, so the watch in the next document still knows it. Each round
opens a fresh context for every framework in turn, so a noisy moment hits all of them."""

from __future__ import annotations

import json
import statistics

from playwright.sync_api import TimeoutError as PlaywrightTimeout, sync_playwright

from harness.browser import ARGS, CHROMIUM, fresh_context

# The search box of each framework's customers list (see each app's page).
SEARCH_BOXES = {
    "fasthx_ui": "input[type=search][name=q]",
    "fasthx_admin": "input[type=search][name=q]",
    "sqladmin": "#search-input",
    "starlette_admin": "input[type=search][name=q]",
    "floor": "input[type=search][name=q]",
}

WATCH = """
(() => {
  const term = %s;
  const now = () => String(performance.timeOrigin + performance.now());
  document.addEventListener("keydown", (event) => {
    if (event.key === "Enter") sessionStorage.setItem("searchStart", now());
  }, true);
  const shown = () => {
    const rows = [...document.querySelectorAll("table tbody tr")].slice(0, 20);
    return rows.length === 20 && rows[19].getBoundingClientRect().height > 0
      && rows.every((row) => row.textContent.toLowerCase().includes(term));
  };
  const look = () => {
    if (sessionStorage.getItem("searchStart") && !sessionStorage.getItem("searchShown") && shown()) {
      sessionStorage.setItem("searchShown", now());
      return;
    }
    requestAnimationFrame(look);
  };
  requestAnimationFrame(look);
})();
"""

ELAPSED = "() => sessionStorage.getItem('searchShown') - sessionStorage.getItem('searchStart')"


def _once(browser, name: str, url: str, term: str) -> float | None:
    """One search on a freshly opened list page; None when its rows never came."""
    context = fresh_context(browser)
    context.add_init_script(WATCH % json.dumps(term.lower()))
    page = context.new_page()
    try:
        page.goto(url, wait_until="load", timeout=120_000)
        page.wait_for_load_state("networkidle", timeout=120_000)
        box = page.locator(SEARCH_BOXES[name]).first
        box.fill(term)
        box.press("Enter")
        page.wait_for_function("sessionStorage.getItem('searchShown') !== null", timeout=120_000)
        return page.evaluate(ELAPSED)
    except PlaywrightTimeout:
        return None
    finally:
        context.close()


def measure(urls: dict[str, str], term: str, rounds: int) -> dict[str, dict]:
    """For each framework name -> customers list URL: the median ms of `rounds` searches
    and every sample; frameworks take turns within each round."""
    samples: dict[str, list[float | None]] = {name: [] for name in urls}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            for _ in range(rounds):
                for name, url in urls.items():
                    samples[name].append(_once(browser, name, url, term))
        finally:
            browser.close()
    found = {}
    for name, values in samples.items():
        done = [v for v in values if v is not None]
        found[name] = {"median_ms": statistics.median(done) if done else None, "runs": values}
    return found

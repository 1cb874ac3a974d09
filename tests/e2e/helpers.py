"""Helpers for browser tests: open a story, check accessibility with axe-core,
count live component instances."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode

from playwright.sync_api import Page

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
BLOCKING_IMPACTS = ("serious", "critical")


def wait_ready(page: Page) -> None:
    """Wait until htmx and the toolkit's scripts have started on the page."""
    page.wait_for_function("() => window.htmx && window.fasthx && document.readyState === 'complete'")


def open_story(page: Page, base: str, module: str, story: str, **args: object) -> Page:
    """Open a story's chrome-less preview (with control values as `args`)."""
    query = f"?{urlencode(args)}" if args else ""
    page.goto(f"{base}/preview/{module}/{story}{query}")
    wait_ready(page)
    return page


def axe_violations(page: Page, selector: str | None = None) -> list[dict]:
    """The serious and critical axe-core violations on the page (or in `selector`)."""
    page.add_script_tag(path=str(AXE))
    context = f"'{selector}'" if selector else "document"
    results = page.evaluate(f"async () => await axe.run({context}, {{resultTypes: ['violations']}})")
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["html"][:200] for n in v["nodes"]]}
        for v in results["violations"]
        if v["impact"] in BLOCKING_IMPACTS
    ]


def assert_accessible(page: Page, selector: str | None = None) -> None:
    violations = axe_violations(page, selector)
    assert not violations, f"axe found serious/critical violations: {violations}"


def live_count(page: Page, component: str) -> int:
    """How many instances of a component are mounted on the page (see core.js)."""
    return page.evaluate("(name) => fasthx.live(name)", component)

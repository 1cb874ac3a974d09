"""Helpers for browser tests: serve an app on a free port, open a story, check
accessibility with axe-core, count live component instances."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

import httpx
from playwright.sync_api import Page, Response, expect

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
BLOCKING_IMPACTS = ("serious", "critical")
# Marks htmx puts on elements while a request, swap or settle is under way.
BUSY = ".htmx-request, .htmx-swapping, .htmx-settling, .htmx-added"
NO_MOTION = """
(() => {
  const css = "*, *::before, *::after { transition: none !important; animation: none !important; }";
  function add() {
    const style = document.createElement("style");
    style.dataset.test = "no-motion";
    style.textContent = css;
    document.documentElement.appendChild(style);
  }
  if (document.documentElement) add();
  else new MutationObserver((_, observer) => {
    if (document.documentElement) { observer.disconnect(); add(); }
  }).observe(document, {childList: true});
})();
"""
"""Init script for every test page: no CSS transitions or animations, so what a test
(or axe's colour-contrast rule) reads is the final state, never a frame in between."""


def wait_ready(page: Page) -> None:
    """Wait until htmx and the toolkit's scripts have started on the page."""
    page.wait_for_function("() => window.htmx && window.fasthx && document.readyState === 'complete'")


@contextmanager
def swapped(page: Page, selector: str) -> Iterator[None]:
    """Expect what the block does to replace the element at `selector` (an htmx swap):
    on leaving the block, wait until that element is gone from the page."""
    page.locator(selector).evaluate("(element) => { element.dataset.stale = '1'; }")
    yield
    expect(page.locator(f"{selector}[data-stale]")).to_have_count(0)


def open_story(page: Page, base: str, module: str, story: str, **args: object) -> Page:
    """Open a story's chrome-less preview (with control values as `args`)."""
    query = f"?{urlencode(args)}" if args else ""
    page.goto(f"{base}/preview/{module}/{story}{query}")
    wait_ready(page)
    return page


def reswap_story(page: Page, module: str, story: str, times: int = 10, **args: object) -> None:
    """Swap the story's fragment into the open preview `times` times over htmx, one after another."""
    url = f"/render/{module}/{story}" + (f"?{urlencode(args)}" if args else "")
    for _ in range(times):
        page.evaluate("(url) => htmx.ajax('GET', url, {target: '#story-root', swap: 'innerHTML'})", url)


def axe_violations(page: Page, selector: str | None = None) -> list[dict]:
    """The serious and critical axe-core violations on the page (or in `selector`),
    once no transition or swap is under way (a half-faded element fails contrast)."""
    page.wait_for_function("() => !document.querySelector('.showing, .hiding, .modal.fade:not(.show)[style*=block], .htmx-swapping, .htmx-settling')")
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


def post_from_another_site(page: Page, base: str, path: str, fields: dict[str, str]) -> Response:
    """Submit a plain form to `base + path` (base on 127.0.0.1) from a page of another
    site (the same server as localhost), as a forging page would; the answer to it."""
    page.goto(base.replace("://127.0.0.1", "://localhost", 1) + "/")
    with page.expect_navigation() as navigation:
        page.evaluate(
            """([url, fields]) => {
                 const form = document.createElement("form");
                 form.method = "post";
                 form.action = url;
                 for (const [name, value] of Object.entries(fields)) {
                   const input = document.createElement("input");
                   input.name = name;
                   input.value = value;
                   form.append(input);
                 }
                 document.body.append(form);
                 form.submit();
               }""",
            [base + path, fields],
        )
    return navigation.value


def live_count(page: Page, component: str) -> int:
    """How many instances of a component are mounted on the page (see core.js), counted once
    no htmx request, swap or settle is under way (new content mounts when it has settled)."""
    page.wait_for_function(f"() => !document.querySelector('{BUSY}')")
    return page.evaluate("(name) => fasthx.live(name)", component)


def json_list_once(url: str, item: str, timeout: float = 10) -> list:
    """The JSON list a test endpoint answers at `url`, polled until it holds `item` (or
    `timeout` seconds pass): for what the server records after the browser's side is done."""
    deadline = time.monotonic() + timeout
    while True:
        found = httpx.get(url).json()
        if item in found or time.monotonic() > deadline:
            return found
        time.sleep(0.1)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve(args: list[str], env: dict[str, str] | None = None, timeout: float = 30) -> tuple[subprocess.Popen, str]:
    """Start `python <args> --port N` and wait (up to `timeout` seconds) until it answers on 127.0.0.1:N."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, *args, "--port", str(port)],
        env={**os.environ, "FASTHX_UI_SECRET_KEY": "e2e-secret", **(env or {})},
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{args} exited with {process.returncode}")
        try:
            httpx.get(url + "/", timeout=1)
            return process, url
        except httpx.TransportError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"{args} did not answer on {url}")

"""Browser-test fixtures: the storybook served by uvicorn on a free 127.0.0.1 port,
Debian's Chromium driven by Playwright, and a fresh page per test that fails the
test on any uncaught JavaScript error."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import Browser, Page, sync_playwright

CHROMIUM = os.environ.get("FASTHX_UI_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve(args: list[str], env: dict[str, str] | None = None) -> tuple[subprocess.Popen, str]:
    """Start `python <args> --port N` and wait until it answers on 127.0.0.1:N."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, *args, "--port", str(port)],
        env={**os.environ, "FASTHX_UI_SECRET_KEY": "e2e-secret", **(env or {})},
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
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


@pytest.fixture(scope="session")
def storybook() -> Iterator[str]:
    """Base URL of a storybook served by uvicorn for this test session."""
    process, url = serve(["-m", "storybook"])
    yield url
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.set_default_timeout(10_000)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"

"""Browser-test fixtures: the storybook and the demo served by uvicorn on free 127.0.0.1 ports,
Debian's Chromium driven by Playwright, and a fresh page per test that fails the
test on any uncaught JavaScript error. Pages run without motion (reduced-motion
preference, no transitions or animations), so no assertion meets a half-faded element."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from helpers import NO_MOTION, serve

from ..redis_keys import REDIS_URL, own_prefix
from .two_processes import storybooks

CHROMIUM = os.environ.get("FASTHX_UI_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def storybook() -> Iterator[str]:
    """Base URL of a storybook served by uvicorn for this test session."""
    process, url = serve(["-m", "storybook"])
    yield url
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory, ai_server_session) -> Iterator[str]:
    """Base URL of the demo app served by uvicorn for this test session, with sign-in off,
    on a SQLite file of its own (seeded on start); a Deploy finishes after half a second;
    the AI assistant talks to the test AI provider."""
    database = tmp_path_factory.mktemp("demo") / "demo.db"
    env = {"AUTH_DISABLED": "1", "DEMO_DATABASE_URL": f"sqlite:///{database}", "DEMO_DEPLOY_SECONDS": "0.5",
           "AI_BASE_URL": ai_server_session.url, "AI_MODEL": "test-model"}
    process, url = serve(["-m", "examples.demo"], env=env, timeout=90)
    yield url
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="module")
def pair() -> Iterator[tuple[str, str]]:
    """Base URLs of two storybook processes sharing the test Redis under a prefix of their own."""
    with own_prefix("e2e") as prefix, storybooks(REDIS_URL, prefix) as urls:
        yield urls


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 800}, reduced_motion="reduce")
    context.add_init_script(NO_MOTION)
    page = context.new_page()
    page.set_default_timeout(10_000)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"

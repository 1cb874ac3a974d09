"""Signing in with local users in Chromium: the page in both themes (axe), a wrong password
announced (an alert the focused field points to), the typed username kept, `next` honoured,
signing out; the same without JavaScript. And the demo signing in with its demo user."""

import re
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from playwright.sync_api import Browser, Page, expect
from sqlalchemy.orm import Session

from fasthx_ui.crud.users import Passwords, create_tables, save_user
from helpers import NO_MOTION, assert_accessible, open_story, serve, wait_ready
from local_sign_in_app import CHEAP

PASSWORD = "correct horse battery staple"
WRONG = "Wrong username or password."


@pytest.fixture(scope="module")
def app_url(tmp_path_factory) -> Iterator[str]:
    db = tmp_path_factory.mktemp("local-sign-in") / "app.db"
    engine = sa.create_engine(f"sqlite:///{db}")
    create_tables(engine)
    with Session(engine) as session:
        save_user(session, Passwords(CHEAP), "ada", PASSWORD, ["/NOC"])
    engine.dispose()
    process, url = serve(["tests/e2e/local_sign_in_app.py", "--db", str(db)], env={"AUTH_DISABLED": "0", "SESSION_SECRET": "e2e-local"})
    yield url
    process.terminate()
    process.wait(timeout=10)


def set_theme(page: Page, theme: str) -> None:
    page.evaluate("(theme) => localStorage.setItem('fasthx-theme', theme)", theme)
    page.reload()
    expect(page.locator("html")).to_have_attribute("data-bs-theme", theme)


@pytest.mark.parametrize("theme", ["dark", "light"])
def test_sign_in_page_wrong_password_then_right_one(page: Page, app_url: str, theme: str):
    page.goto(app_url + "/gadgets?page=1")
    expect(page).to_have_url(app_url + "/login?next=/gadgets%3Fpage%3D1")
    set_theme(page, theme)
    wait_ready(page)
    expect(page.get_by_role("heading", name="Sign in to Local sign-in")).to_be_visible()
    expect(page.get_by_role("navigation")).to_have_count(0)
    username = page.get_by_role("textbox", name="Username")
    expect(username).to_be_focused()
    assert_accessible(page)

    username.fill("ada")
    page.get_by_label("Password").fill("not it")
    page.get_by_role("button", name="Sign in").click()
    alert = page.locator("#fhx-login").get_by_role("alert")
    expect(alert).to_have_text(WRONG)
    expect(username).to_be_focused()
    expect(username).to_have_value("ada")
    expect(username).to_have_attribute("aria-invalid", "true")
    expect(username).to_have_accessible_description(WRONG)
    expect(page.get_by_label("Password")).to_have_value("")
    expect(page.locator(".toast")).to_have_count(0)
    expect(page).to_have_url(app_url + "/login?next=/gadgets%3Fpage%3D1")
    expect(page.locator("html")).to_have_attribute("data-bs-theme", theme)
    assert_accessible(page)

    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(app_url + "/gadgets?page=1")
    expect(page.locator(".fhx-user")).to_have_text(re.compile("ada"))
    page.get_by_role("link", name="Sign out").click()
    expect(page).to_have_url(app_url + "/login")
    page.goto(app_url + "/gadgets")
    expect(page).to_have_url(app_url + "/login?next=/gadgets")


def test_sign_in_works_without_javascript(browser: Browser, app_url: str):
    context = browser.new_context(java_script_enabled=False, reduced_motion="reduce")
    context.add_init_script(NO_MOTION)
    page = context.new_page()
    try:
        page.goto(app_url + "/gadgets")
        page.get_by_role("textbox", name="Username").fill("<b>ada</b>")
        page.get_by_label("Password").fill("nope")
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("alert").filter(has_text=WRONG)).to_be_visible()
        expect(page.get_by_role("textbox", name="Username")).to_have_value("<b>ada</b>")
        expect(page.get_by_role("textbox", name="Username")).to_be_focused()  # autofocus, no script needed
        page.get_by_role("textbox", name="Username").fill("ada")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        expect(page).to_have_url(app_url + "/gadgets")
        expect(page.get_by_role("heading", name="Gadgets")).to_be_visible()
    finally:
        context.close()


def test_a_next_to_another_site_lands_on_the_app(page: Page, app_url: str):
    page.goto(app_url + "/login?next=//example.com/x")
    page.get_by_role("textbox", name="Username").fill("ada")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(app_url + "/gadgets")


def test_the_form_story_of_a_sign_in_error(page: Page, storybook: str):
    open_story(page, storybook, "form", "sign_in_error")
    username = page.get_by_role("textbox", name="Username")
    expect(username).to_be_focused()
    expect(username).to_have_accessible_description(WRONG)
    expect(page.get_by_label("Password")).to_have_accessible_description(WRONG)
    expect(page.locator(".toast")).to_have_count(0)
    assert page.locator("#sign-in-form").get_attribute("hx-post") is None
    assert_accessible(page)
    username.fill("grace")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("textbox", name="Username")).to_have_value("grace")


@pytest.fixture(scope="module")
def signed_in_demo(tmp_path_factory) -> Iterator[str]:
    """The demo with sign-in on (its default), on a database of its own."""
    database = tmp_path_factory.mktemp("demo-sign-in") / "demo.db"
    env = {"AUTH_DISABLED": "0", "DEMO_DATABASE_URL": f"sqlite:///{database}"}
    process, url = serve(["-m", "examples.demo"], env=env, timeout=120)
    yield url
    process.terminate()
    process.wait(timeout=10)


def test_the_demo_signs_in_with_its_demo_user(page: Page, signed_in_demo: str):
    page.goto(signed_in_demo + "/devices")
    expect(page).to_have_url(signed_in_demo + "/login?next=/devices")
    wait_ready(page)
    page.get_by_role("textbox", name="Username").fill("admin")
    page.get_by_label("Password").fill("fasthx-demo")
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(signed_in_demo + "/devices")
    expect(page.locator(".fhx-user")).to_have_text(re.compile("admin"))
    expect(page.get_by_role("navigation", name="Main navigation")).to_be_visible()
    assert_accessible(page)

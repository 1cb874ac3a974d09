"""The CRUD preset's shell in the browser: sign-in with `next`, a user's page on base.html
with a working <ui:Table>, the sidebar of what the user may open, sign-out."""

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from helpers import assert_accessible, serve, wait_ready


@pytest.fixture(scope="module")
def shell() -> Iterator[str]:
    process, url = serve(["tests/e2e/crud_shell_app.py"], env={"AUTH_DISABLED": "0", "SESSION_SECRET": "e2e-secret"})
    yield url
    process.terminate()
    process.wait(timeout=10)


def sign_in(page: Page, shell: str, path: str = "/pets?sort=name") -> None:
    page.goto(shell + path)
    expect(page).to_have_url(re.compile(r"/login\?next="))
    page.get_by_label("Username").fill("ada")
    page.get_by_label("Password").fill("right")
    page.get_by_role("button", name="Sign in").click()


def test_login_page_is_public_accessible_and_keeps_what_was_typed(page: Page, shell: str):
    page.goto(shell + "/pets")
    expect(page).to_have_url(shell + "/login?next=/pets")
    expect(page.get_by_role("heading", name="Sign in to Shell test")).to_be_visible()
    expect(page.get_by_role("navigation", name="Main navigation")).to_have_count(0)
    assert_accessible(page)
    page.get_by_label("Username").fill("<ada>")
    page.get_by_label("Password").fill("wrong")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".fhx-login .alert")).to_have_text("Invalid username or password.")
    expect(page.get_by_label("Username")).to_have_value("<ada>")
    expect(page).to_have_url(shell + "/login?next=/pets")


def test_signed_in_user_returns_to_next_and_sees_the_shell(page: Page, shell: str):
    sign_in(page, shell)
    expect(page).to_have_url(shell + "/pets?sort=name")
    wait_ready(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Pets")
    assert page.title() == "Pets · Shell test"
    nav = page.get_by_role("navigation", name="Main navigation")
    expect(nav.get_by_role("link", name="Pets")).to_have_attribute("aria-current", "page")
    expect(nav.get_by_role("link", name="Vault")).to_have_count(0)
    expect(page.locator(".fhx-user")).to_have_text("ada")
    expect(page.locator("body")).to_have_attribute("data-page-script", "object")
    expect(page.locator("#pets tbody tr").first).to_contain_text("<Tom>")
    assert_accessible(page)


def test_the_reference_palette_names_follow_the_theme(page: Page, shell: str):
    sign_in(page, shell, "/pets")
    wait_ready(page)
    palette = "(name) => getComputedStyle(document.body).getPropertyValue(name).trim()"
    assert page.evaluate(palette, "--accent") == "#10b981"
    assert page.evaluate(palette, "--bg-base") == "#1f1f1f"
    page.evaluate("document.documentElement.setAttribute('data-bs-theme', 'light')")
    assert page.evaluate(palette, "--bg-base") == "#f3f4f6"
    assert page.evaluate(palette, "--text") == "#1f1f1f"


def test_the_table_in_a_users_block_sorts_over_htmx(page: Page, shell: str):
    sign_in(page, shell, "/pets")
    wait_ready(page)
    with page.expect_request(re.compile(r"/pets\?.*sort=name")) as request:
        page.locator("#pets-sort-name").click()
    assert request.value.headers["hx-request"] == "true"
    expect(page.locator("#pets th[aria-sort]")).to_have_attribute("aria-sort", "ascending")
    expect(page.locator("#pets tbody tr").first).to_contain_text("<Tom>")
    expect(page.locator("#pets")).to_have_count(1)
    expect(page.get_by_role("navigation", name="Main navigation")).to_have_count(1)


def test_sign_out_ends_the_session(page: Page, shell: str):
    sign_in(page, shell, "/pets")
    expect(page).to_have_url(shell + "/pets")
    page.goto(shell + "/logout")
    expect(page).to_have_url(shell + "/login")
    page.goto(shell + "/pets")
    expect(page).to_have_url(shell + "/login?next=/pets")

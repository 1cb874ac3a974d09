"""The AI settings pages in Chromium, in both themes: the connection edited, saved with a
toast and still there after a reload (the key never shown), an error kept in place, the
connection tested against the test AI provider; a tool switched off; a context item added,
edited and deleted through the page's Modal, by mouse and by keyboard; axe on each page."""

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from fasthx_ui.crud.ai.settings_pages import KEY_KEPT
from helpers import assert_accessible, serve, wait_ready

KEY = "sk-e2e-0b7d-never-shown"


@pytest.fixture(scope="module")
def app_url(tmp_path_factory) -> Iterator[str]:
    db = tmp_path_factory.mktemp("ai-settings") / "app.db"
    process, url = serve(["tests/e2e/ai_settings_app.py", "--db", str(db)], env={"AUTH_DISABLED": "0"})
    yield url
    process.terminate()
    process.wait(timeout=10)


def open_page(page: Page, url: str, theme: str = "light") -> None:
    """Sign in as the settings administrator and open `url` in `theme`."""
    page.goto(url.split("/ai/")[0] + "/test-login?username=ada")
    page.goto(url)
    page.evaluate("(theme) => localStorage.setItem('fasthx-theme', theme)", theme)
    page.reload()
    expect(page.locator("html")).to_have_attribute("data-bs-theme", theme)
    wait_ready(page)


def toast(page: Page):
    return page.locator(".toast").last


def open_section(page: Page, title: str) -> None:
    button = page.get_by_role("button", name=title, exact=True)
    if button.get_attribute("aria-expanded") != "true":
        button.click()
    expect(button).to_have_attribute("aria-expanded", "true")


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_the_connection_is_saved_kept_and_tested(page: Page, app_url: str, ai_server, theme: str):
    open_page(page, app_url + "/ai/settings", theme)
    nav = page.get_by_role("navigation")
    expect(nav.get_by_role("link", name="AI Settings")).to_be_visible()
    expect(nav.get_by_role("link", name="AI Context & Tools")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("switch", name="Enable the AI assistant").check()
    open_section(page, "Connection")
    page.get_by_label("Base URL", exact=True).fill(ai_server.url)
    page.get_by_label("API key", exact=True).fill(KEY)
    page.get_by_label("Model", exact=True).fill(f"model-{theme}")
    open_section(page, "Generation")
    page.locator("#temperature").fill("9")
    page.get_by_role("button", name="Save").click()
    error = page.locator("#temperature-error")
    expect(error).to_contain_text("Temperature must be a number from 0 to 2")
    expect(page.locator("#temperature")).to_have_value("9")
    open_section(page, "Connection")
    expect(page.get_by_label("Model", exact=True)).to_have_value(f"model-{theme}")
    expect(page.get_by_label("API key", exact=True)).to_have_value("")
    assert_accessible(page)

    page.locator("#temperature").fill("0.4")
    open_section(page, "Connection")  # closed again: only the first section and those with errors open
    page.get_by_label("API key", exact=True).fill(KEY)
    page.get_by_role("button", name="Save").click()
    expect(toast(page)).to_contain_text("AI settings saved.")
    page.reload()
    wait_ready(page)
    assert KEY not in page.content()
    open_section(page, "Connection")
    expect(page.get_by_label("Model", exact=True)).to_have_value(f"model-{theme}")
    expect(page.get_by_label("API key", exact=True)).to_have_value("")
    expect(page.get_by_label("API key", exact=True)).to_have_attribute("placeholder", KEY_KEPT)
    expect(page.get_by_role("switch", name="Enable the AI assistant")).to_be_checked()

    ai_server.script([{"content": "ok"}])
    page.get_by_role("button", name="Test connection").click()
    expect(page.locator("#ai-connection-result")).to_have_text(f"connected: model-{theme}")
    assert ai_server.headers()[-1]["authorization"] == f"Bearer {KEY}"
    assert_accessible(page)


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_a_tool_is_switched_off_and_stays_off(page: Page, app_url: str, theme: str):
    open_page(page, app_url + "/ai/settings/context", theme)
    switch = page.get_by_role("switch", name=re.compile("^aisettings_lookup"))
    reboot = page.get_by_role("switch", name=re.compile("^aisettings_reboot: Reboot a device \\(asks before running\\)"))
    expect(switch).to_be_checked()
    expect(reboot).to_be_visible()
    assert_accessible(page)
    switch.uncheck()
    page.locator("#ai-switches-form").get_by_role("button", name="Save").click()
    expect(toast(page)).to_contain_text("Tools and hooks saved.")
    page.reload()
    wait_ready(page)
    expect(page.get_by_role("switch", name=re.compile("^aisettings_lookup"))).not_to_be_checked()
    expect(reboot).to_be_checked()
    page.get_by_role("switch", name=re.compile("^aisettings_lookup")).check()
    page.locator("#ai-switches-form").get_by_role("button", name="Save").click()
    expect(toast(page)).to_contain_text("Tools and hooks saved.")


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_a_context_item_is_added_edited_and_deleted_in_the_modal(page: Page, app_url: str, theme: str):
    name = f"Rules {theme}"
    open_page(page, app_url + "/ai/settings/context", theme)
    page.get_by_role("button", name="Add a context item").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("heading")).to_have_text("Add a context item")
    dialog.get_by_role("button", name="Save").click()
    expect(dialog.locator("#ctx_name-error")).to_be_visible()
    dialog.get_by_role("textbox", name="Name", exact=True).fill(name)
    dialog.get_by_role("textbox", name="Text", exact=True).fill("Answer <b>briefly</b>.")
    assert_accessible(page)
    dialog.get_by_role("button", name="Save").click()
    expect(toast(page)).to_contain_text(f"Saved the context item {name}.")
    item = page.locator(f"[data-ai-context-item='{name}']")
    expect(item).to_contain_text("Answer <b>briefly</b>.")
    expect(item).to_contain_text("on")

    item.get_by_role("button", name=f"Edit {name}").click()
    expect(dialog.get_by_role("textbox", name="Name", exact=True)).to_have_value(name)
    dialog.get_by_role("switch", name="Enabled").uncheck()
    dialog.get_by_role("button", name="Save").click()
    expect(toast(page)).to_contain_text(f"Saved the context item {name}.")
    expect(page.locator(f"[data-ai-context-item='{name}']")).to_contain_text("off")

    page.locator(f"[data-ai-context-item='{name}']").get_by_role("button", name=f"Delete {name}").click()
    expect(dialog.get_by_role("heading")).to_have_text("Delete the context item")
    expect(dialog).to_contain_text(name)
    assert_accessible(page)
    dialog.get_by_role("button", name="Delete").click()
    expect(toast(page)).to_contain_text(f"Deleted the context item {name}.")
    expect(page.locator(f"[data-ai-context-item='{name}']")).to_have_count(0)


def test_the_context_page_works_from_the_keyboard(page: Page, app_url: str):
    open_page(page, app_url + "/ai/settings/context")
    add = page.get_by_role("button", name="Add a context item")
    add.focus()
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(add).to_be_focused()

    page.keyboard.press("Enter")
    expect(dialog).to_be_visible()
    name = dialog.get_by_role("textbox", name="Name", exact=True)
    name.focus()
    page.keyboard.type("Typed")
    page.keyboard.press("Tab")
    expect(dialog.get_by_role("img", name="More about Text")).to_be_focused()
    page.keyboard.press("Tab")
    expect(dialog.get_by_role("textbox", name="Text", exact=True)).to_be_focused()
    page.keyboard.type("Written with keys only.")
    page.keyboard.press("Tab")
    expect(dialog.get_by_role("switch", name="Enabled")).to_be_focused()
    page.keyboard.press("Tab")
    expect(dialog.get_by_role("button", name="Save")).to_be_focused()
    page.keyboard.press("Enter")
    expect(toast(page)).to_contain_text("Saved the context item Typed.")

    delete = page.locator("[data-ai-context-item='Typed']").get_by_role("button", name="Delete Typed")
    delete.focus()
    page.keyboard.press("Enter")
    confirm = dialog.get_by_role("button", name="Delete")
    expect(confirm).to_be_visible()
    confirm.focus()
    page.keyboard.press("Enter")
    expect(toast(page)).to_contain_text("Deleted the context item Typed.")
    expect(page.locator("[data-ai-context-item='Typed']")).to_have_count(0)

"""RowActions given `Action` objects, in the browser: a GET swapped into its target, a
download link, a POST answered by a toast, a confirm that names the row, the id quoted
in URLs as one path segment; the same in the dropdown menu from the keyboard; axe."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from helpers import assert_accessible, open_story


def test_typed_actions_send_their_requests(page: Page, storybook: str):
    open_story(page, storybook, "row_actions", "typed_actions")
    details = page.get_by_role("button", name="Details row eu/7")
    expect(details).to_have_attribute("hx-get", "/api/row_actions/eu%2F7/details")  # one path segment
    details.click()
    expect(page.locator("#row-action-result")).to_have_text("Device eu/7: online, firmware 7.2.")
    expect(page.get_by_role("link", name="Config row eu/7")).to_have_attribute("download", "")
    with page.expect_download() as download:
        page.get_by_role("link", name="Config row eu/7").click()
    assert download.value.suggested_filename == "device.cfg"
    page.get_by_role("button", name="Deploy row eu/7").click()
    expect(page.locator("#fhx-toasts-status .fhx-toast-message")).to_have_text("Deploy sent to device eu/7.")
    asked: list[str] = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    page.get_by_role("button", name="Delete row eu/7").click()
    expect(page.locator("#fhx-toasts-status .fhx-toast-message").last).to_have_text("Delete sent to device eu/7.")
    assert asked == ["Delete device eu/7?"]
    assert_accessible(page)


def test_typed_actions_in_the_menu_from_the_keyboard(page: Page, storybook: str):
    open_story(page, storybook, "row_actions", "typed_actions", row_id="12", display="dropdown")
    toggle = page.get_by_role("button", name="Actions for row 12")
    toggle.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Details")).to_be_visible()
    page.keyboard.press("ArrowDown")
    expect(page.get_by_role("button", name="Details")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#row-action-result")).to_have_text("Device 12: online, firmware 7.2.")
    assert_accessible(page)


def test_confirmed_download_link_fetches_a_real_file(page: Page, storybook: str):
    open_story(page, storybook, "row_actions", "icons")
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_download() as download:
        page.get_by_role("link", name="Template row 7").click()
    assert download.value.suggested_filename == "device.cfg"

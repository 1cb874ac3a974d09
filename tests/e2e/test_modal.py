"""Modal and ModalContent in the browser: opened by modal_response, focus in/trapped/returned, Esc, sizes, escaping, re-swaps."""

from playwright.sync_api import Page, expect

from helpers import assert_accessible, live_count, open_story


def wait_open(page: Page) -> None:
    """Wait until the dialog has finished opening (focus moved in)."""
    page.wait_for_function("() => document.getElementById('admin-modal').contains(document.activeElement)")


def open_template_modal(page: Page, storybook: str, size: str = "modal-lg"):
    open_story(page, storybook, "modal", "from_server", size=size)
    opener = page.get_by_role("button", name="Preview template")
    opener.focus()
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name="Template — edge-01")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("link", name="Download")).to_be_focused()
    return opener, dialog


def test_modal_response_opens_the_dialog_with_focus_inside(page: Page, storybook: str):
    opener, dialog = open_template_modal(page, storybook)
    expect(dialog).to_have_attribute("aria-modal", "true")
    expect(page.locator("#admin-modal .modal-dialog")).to_have_class("modal-dialog modal-dialog-scrollable modal-lg")
    expect(dialog.get_by_role("link", name="Download")).to_be_focused()
    assert_accessible(page)


def test_round_trip_headers(page: Page, storybook: str):
    open_story(page, storybook, "modal", "from_server")
    with page.expect_response("**/api/modal/template**") as info:
        page.get_by_role("button", name="Preview template").click()
    headers = info.value.all_headers()
    assert headers["hx-retarget"] == "#admin-modal .modal-content"
    assert headers["hx-reswap"] == "innerHTML"
    assert '"showModal"' in headers["hx-trigger"]
    expect(page.get_by_role("button", name="Preview template")).to_be_visible()


def test_focus_is_trapped_and_escape_returns_focus(page: Page, storybook: str):
    opener, dialog = open_template_modal(page, storybook)
    for _ in range(8):
        page.keyboard.press("Tab")
        assert page.evaluate("document.getElementById('admin-modal').contains(document.activeElement)")
    for _ in range(8):
        page.keyboard.press("Shift+Tab")
        assert page.evaluate("document.getElementById('admin-modal').contains(document.activeElement)")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(opener).to_be_focused()


def test_close_button_returns_focus(page: Page, storybook: str):
    opener, dialog = open_template_modal(page, storybook)
    dialog.locator(".modal-footer").get_by_role("button", name="Close").click()
    expect(dialog).to_be_hidden()
    expect(opener).to_be_focused()


def test_new_content_in_the_open_dialog_gets_the_focus_and_esc_still_returns_it(page: Page, storybook: str):
    opener, dialog = open_template_modal(page, storybook)
    dialog.get_by_role("button", name="Check").click()
    checked = page.get_by_role("dialog", name="Checked — edge-01")
    expect(checked).to_contain_text("The template is valid.")
    page.wait_for_function("() => document.getElementById('admin-modal').contains(document.activeElement)")
    page.keyboard.press("Escape")
    expect(checked).to_be_hidden()
    expect(opener).to_be_focused()


def test_action_button_posts_and_toasts(page: Page, storybook: str):
    page.on("dialog", lambda d: d.accept())
    _, dialog = open_template_modal(page, storybook)
    with page.expect_request("**/api/modal/deploy") as info:
        dialog.get_by_role("button", name="Deploy").click()
    assert info.value.headers["x-csrf-token"] == page.get_attribute('meta[name="csrf-token"]', "content")
    expect(page.locator("#fhx-toasts .fhx-toast-message")).to_have_text("Deployment of edge-01 started.")


def test_sizes(page: Page, storybook: str):
    open_story(page, storybook, "modal", "sizes")
    page.get_by_role("button", name="modal-sm").click()
    expect(page.locator("#admin-modal .modal-dialog")).to_have_class("modal-dialog modal-dialog-scrollable modal-sm")
    wait_open(page)
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog")).to_have_count(0)
    page.get_by_role("button", name="standard").click()
    expect(page.locator("#admin-modal .modal-dialog")).to_have_class("modal-dialog modal-dialog-scrollable")


def test_hostile_title_and_link_are_inert(page: Page, storybook: str):
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    open_story(page, storybook, "modal", "from_server")
    page.get_by_role("button", name="Open with a hostile title").click()
    title = page.locator("#admin-modal .modal-title")
    expect(title).to_have_text('<img src=x onerror="alert(1)">Edge "01"')
    assert page.locator("#admin-modal .modal-header img").count() == 0
    expect(page.get_by_role("link", name="Bad link")).to_have_attribute("href", "#")
    assert dialogs == []


def test_show_modal_ten_times_keeps_one_instance(page: Page, storybook: str):
    open_story(page, storybook, "modal", "from_server")
    for _ in range(10):
        page.get_by_role("button", name="Preview template").click()
        wait_open(page)
        page.keyboard.press("Escape")
        expect(page.get_by_role("dialog")).to_have_count(0)
    assert live_count(page, "Modal") == 1
    expect(page.locator(".modal-backdrop")).to_have_count(0)


def test_content_story(page: Page, storybook: str):
    open_story(page, storybook, "modal", "content", title="<b>Delete?</b>")
    expect(page.locator("#story-root .modal-title")).to_have_text("<b>Delete?</b>")
    assert_accessible(page, "#story-root")


def test_show_modal_from_page_script_opens_the_current_content(page: Page, storybook: str):
    opener, dialog = open_template_modal(page, storybook)
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    size = page.locator("#admin-modal .modal-dialog")
    page.evaluate("showModal({size: 'modal-sm'})")
    expect(dialog).to_be_visible()
    expect(size).to_have_class("modal-dialog modal-dialog-scrollable modal-sm")
    wait_open(page)
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    page.evaluate("showModal()")
    expect(dialog).to_be_visible()
    expect(size).to_have_class("modal-dialog modal-dialog-scrollable modal-sm")
    wait_open(page)
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    page.evaluate("showModal({size: ''})")
    expect(size).to_have_class("modal-dialog modal-dialog-scrollable")


def test_a_form_in_the_dialog_is_sent_by_the_footer_button_and_close_modal_closes_it(page: Page, storybook: str):
    open_story(page, storybook, "modal", "form_dialog")
    opener = page.get_by_role("button", name="Rename edge-01")
    opener.click()
    dialog = page.get_by_role("dialog", name="Rename edge-01")
    name = dialog.get_by_label("New name")
    expect(name).to_be_focused()
    submit = dialog.locator(".modal-footer").get_by_role("button", name="Rename")
    expect(submit).to_have_attribute("form", "rename-form")
    name.fill("edge-99")
    page.keyboard.press("Enter")  # implicit submission reaches the footer's submit button
    expect(page.locator("#fhx-toasts-status .fhx-toast-message").last).to_have_text("Renamed to edge-99.")
    expect(dialog).to_be_hidden()
    expect(opener).to_be_focused()

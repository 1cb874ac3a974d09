"""Toast in the browser: server toasts, HX-Trigger round-trips, live regions, flash, escaping, re-swaps."""

from playwright.sync_api import Page, expect

from helpers import assert_accessible, live_count, open_story, reswap_story


def test_rendered_toast_shows_and_is_accessible(page: Page, storybook: str):
    open_story(page, storybook, "toast", "rendered", message="Changes saved.", type="success")
    toast = page.locator("#story-root .fhx-toast")
    expect(toast).to_be_visible()
    expect(toast.locator(".fhx-toast-title")).to_have_text("Success")
    expect(toast).to_have_class("toast fhx-toast fhx-toast-success fade show")
    assert_accessible(page)


def test_server_toast_goes_into_the_polite_live_region_and_hides_after_5s(page: Page, storybook: str):
    page.clock.install()
    open_story(page, storybook, "toast", "from_server")
    page.clock.pause_at(page.evaluate("Date.now()") + 1)
    page.get_by_role("button", name="Show success").click()
    toast = page.locator("#fhx-toasts-status .fhx-toast")
    expect(toast).to_have_count(1)
    expect(toast.locator(".fhx-toast-message")).to_have_text("This is a success toast.")
    expect(page.locator("#story-root button").first).to_be_focused()
    page.clock.run_for(4_900)
    expect(toast).to_have_count(1)
    page.clock.run_for(200)
    expect(toast).to_have_count(0)


def test_danger_toast_uses_the_alert_region(page: Page, storybook: str):
    open_story(page, storybook, "toast", "from_server")
    page.get_by_role("button", name="Show danger").click()
    expect(page.locator("#fhx-toasts-alert .fhx-toast-danger")).to_have_count(1)
    expect(page.locator("#fhx-toasts-status .fhx-toast")).to_have_count(0)
    assert page.get_attribute("#fhx-toasts-alert", "role") == "alert"
    assert page.get_attribute("#fhx-toasts-status", "role") == "status"


def test_hostile_message_is_text(page: Page, storybook: str):
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    open_story(page, storybook, "toast", "from_server")
    with page.expect_response("**/api/toast/notify?type=danger&hostile=1") as info:
        page.get_by_role("button", name="Show a hostile message").click()
    assert not {"<", ">", "&"} & set(info.value.headers["hx-trigger"])
    message = page.locator("#fhx-toasts-alert .fhx-toast-message")
    expect(message).to_have_text('<img src=x onerror="alert(1)"><script>alert(2)</script>')
    assert page.locator("#fhx-toasts img, #fhx-toasts script").count() == 0
    assert dialogs == []


def test_show_toast_from_page_script_draws_text(page: Page, storybook: str):
    open_story(page, storybook, "toast", "from_server")
    page.evaluate("""() => {
        showToast({message: "Saved!", type: "success"});
        showToast({message: "Something went wrong", type: "danger", title: "Error"});
        showToast({message: '<img src=x onerror="window.__ran = true">', type: "warning"});
    }""")
    success = page.locator("#fhx-toasts-status .fhx-toast-success")
    expect(success.locator(".fhx-toast-title")).to_have_text("Success")
    expect(success.locator(".fhx-toast-message")).to_have_text("Saved!")
    danger = page.locator("#fhx-toasts-alert .fhx-toast-danger")
    expect(danger.locator(".fhx-toast-title")).to_have_text("Error")
    expect(danger.locator(".fhx-toast-message")).to_have_text("Something went wrong")
    warning = page.locator("#fhx-toasts-status .fhx-toast-warning .fhx-toast-message")
    expect(warning).to_have_text('<img src=x onerror="window.__ran = true">')
    assert page.locator("#fhx-toasts img").count() == 0
    assert page.evaluate("window.__ran") is None


def test_one_trigger_header_holds_the_event(page: Page, storybook: str):
    open_story(page, storybook, "toast", "from_server")
    with page.expect_response("**/api/toast/notify?type=warning") as info:
        page.get_by_role("button", name="Show warning").click()
    headers = info.value.all_headers()
    assert headers["hx-trigger"].startswith('{"showToast":')
    assert headers["hx-reswap"] == "none"
    expect(page.get_by_role("button", name="Show warning")).to_be_visible()


def test_toast_survives_a_redirect_once(page: Page, storybook: str):
    open_story(page, storybook, "toast", "from_server")
    page.get_by_role("button", name="Toast after a redirect").click()
    page.wait_for_url("**/preview/toast/flash_landing")
    expect(page.locator("#fhx-toasts .fhx-toast-message")).to_have_text("You were redirected here.")
    page.reload()
    page.wait_for_function("() => window.fasthx")
    expect(page.locator("#fhx-toasts .fhx-toast")).to_have_count(0)


def test_plain_redirect_flash(page: Page, storybook: str):
    open_story(page, storybook, "toast", "flash_landing")
    page.get_by_role("link", name="Redirect here with a flash").click()
    expect(page.locator("#fhx-toasts .fhx-toast-message")).to_have_text("Flash after a plain redirect.")


def test_show_toast_from_javascript(page: Page, storybook: str):
    open_story(page, storybook, "toast", "from_javascript", message="<b>bold?</b>", type="warning")
    page.get_by_role("button", name="Call showToast()").click()
    expect(page.locator("#fhx-toasts-status .fhx-toast-warning .fhx-toast-message")).to_have_text("<b>bold?</b>")


def test_keyboard_closes_a_toast_without_stealing_focus(page: Page, storybook: str):
    open_story(page, storybook, "toast", "from_server")
    button = page.get_by_role("button", name="Show info")
    button.focus()
    page.keyboard.press("Enter")
    toast = page.locator("#fhx-toasts-status .fhx-toast")
    expect(toast).to_have_count(1)
    expect(button).to_be_focused()
    toast.get_by_role("button", name="Close").focus()
    page.keyboard.press("Enter")
    expect(toast).to_have_count(0)


def test_reswapping_ten_times_leaves_one_live_toast(page: Page, storybook: str):
    open_story(page, storybook, "toast", "rendered", delay=0)
    reswap_story(page, "toast", "rendered", delay=0)
    page.wait_for_function("() => document.querySelectorAll('#story-root .fhx-toast.show').length === 1")
    assert live_count(page, "Toast") == 1
    assert live_count(page, "ToastRegion") == 1

"""Form in the browser: every field type, the validation round-trip (errors, typed values kept,
danger toast, focus, nothing saved), the in-flight guard against double submits, depends_on,
tooltips, a form-wide error, keyboard use, re-swap idempotency and axe."""

from __future__ import annotations

from playwright.sync_api import Page, Route, expect

from helpers import assert_accessible as check_accessible, live_count, open_story


def assert_accessible(page: Page) -> None:
    """axe, once any toast has finished fading in (half-faded text fails the contrast check)."""
    expect(page.locator(".fhx-toast.showing")).to_have_count(0)
    check_accessible(page)


def open_form(page: Page, storybook: str, story: str = "validation_round_trip", form: str = "#fhx-form") -> Page:
    open_story(page, storybook, "form", story)
    expect(page.locator(f"{form} button[type=submit]")).to_be_visible()
    return page


def saved(page: Page, storybook: str) -> int:
    return page.request.get(f"{storybook}/api/form/devices/count").json()["count"]


def error_of(page: Page, name: str):
    return page.locator(f"#{name}-error")


def test_renders_every_field_type_with_labels_and_marks(page: Page, storybook: str):
    open_form(page, storybook)
    types = page.eval_on_selector_all("[data-fhx-field]", "els => els.map(e => e.dataset.type)")
    assert types == ["text", "number", "number", "email", "textarea", "checkbox", "select", "select", "date",
                     "datetime-local", "select", "ajax_select", "file"]
    expect(page.locator("#hostname")).to_have_attribute("maxlength", "20")
    expect(page.locator("#port")).to_have_attribute("step", "1")
    expect(page.locator("#weight")).to_have_attribute("step", "any")
    expect(page.get_by_role("switch", name="Active")).not_to_be_checked()
    expect(page.locator("#status option")).to_have_text(["Select…", "online", "offline", "deploying"])
    expect(page.locator("[data-fhx-field=hostname] .fhx-required")).to_have_text("*")
    expect(page.locator("[data-fhx-field=weight] .fhx-required")).to_have_count(0)
    expect(page.get_by_role("combobox", name="Server")).to_be_visible()
    expect(page.get_by_role("textbox", name="Hostname", exact=True)).to_have_attribute("id", "hostname")
    expect(page.get_by_role("spinbutton", name="Port", exact=True)).to_have_attribute("id", "port")
    expect(page.get_by_role("combobox", name="Status", exact=True)).to_have_attribute("id", "status")
    assert live_count(page, "AjaxSelect") == 1
    assert_accessible(page)


def test_bad_values_come_back_with_errors_typed_text_and_a_danger_toast(page: Page, storybook: str):
    open_form(page, storybook)
    before = saved(page, storybook)
    page.locator("#hostname").fill("edge-typed")
    page.locator("#port").fill("70000")
    page.locator("#weight").fill("2.75")
    page.locator("#email").fill("ops@nowhere")
    page.locator("#notes").fill("typed notes")
    page.get_by_role("switch", name="Active").check()
    page.locator("#firmware").select_option("7.4")
    page.locator("#installed").fill("2024-03-01")
    page.get_by_role("button", name="Save").click()

    expect(error_of(page, "port")).to_have_text("Enter a number no larger than 65535.")
    expect(error_of(page, "email")).to_have_text("Enter a valid email address, like name@example.com.")
    expect(error_of(page, "status")).to_have_text("This field is required.")
    expect(error_of(page, "site_id")).to_have_text("This field is required.")
    expect(page.locator(".invalid-feedback")).to_have_count(4)
    expect(page.locator("#hostname")).to_have_value("edge-typed")
    expect(page.locator("#port")).to_have_value("70000")
    expect(page.locator("#weight")).to_have_value("2.75")
    expect(page.locator("#email")).to_have_value("ops@nowhere")
    expect(page.locator("#notes")).to_have_value("typed notes")
    expect(page.get_by_role("switch", name="Active")).to_be_checked()
    expect(page.locator("#firmware")).to_have_value("7.4")
    expect(page.locator("#installed")).to_have_value("2024-03-01")
    expect(page.locator("#port")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#fhx-toasts-alert .fhx-toast")).to_contain_text("Please correct the highlighted fields.")
    expect(page.locator("#port")).to_be_focused()
    assert saved(page, storybook) == before
    assert_accessible(page)

    page.locator("#port").fill("8443")
    page.locator("#email").fill("ops@example.com")
    page.locator("#status").select_option("ONLINE")
    page.locator("#site_id").select_option(label="Initech site 3")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#fhx-toasts-status .fhx-toast")).to_contain_text("(edge-typed)")
    expect(page.locator(".invalid-feedback")).to_have_count(0)
    expect(page.locator("#hostname")).to_have_value("")
    assert saved(page, storybook) == before + 1


def test_submit_is_disabled_while_the_request_is_in_flight(page: Page, storybook: str):
    open_form(page, storybook)
    held: list[Route] = []
    page.route("**/api/form/device", lambda route: held.append(route) if route.request.method == "POST" else route.continue_())
    submit = page.get_by_role("button", name="Save")
    spinner = page.locator("#fhx-form .fhx-form-actions .htmx-indicator")
    expect(spinner).to_have_css("display", "none")  # takes no room at rest: the label stays centred
    submit.click()
    expect(submit).to_be_disabled()
    expect(spinner).to_be_visible()
    page.locator("#hostname").press("Enter")
    page.wait_for_function("document.querySelector('#fhx-form').classList.contains('htmx-request')")
    assert len(held) == 1
    held[0].continue_()
    expect(error_of(page, "hostname")).to_have_text("This field is required.")
    expect(page.get_by_role("button", name="Save")).to_be_enabled()
    expect(spinner).to_have_css("display", "none")
    assert len(held) == 1


def test_depends_on_shows_and_hides_fields_without_a_request(page: Page, storybook: str):
    open_form(page, storybook, "depends_on", "#ha-form")
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    switch = page.get_by_role("switch", name="High availability")
    expect(page.locator("#ha_mode")).to_be_hidden()
    expect(page.locator("#ha_switch_mode")).to_be_hidden()
    switch.focus()
    page.keyboard.press("Space")
    expect(page.locator("#ha_mode")).to_be_visible()
    expect(page.locator("#ha_switch_mode")).to_be_visible()
    switch.uncheck()
    expect(page.locator("#ha_mode")).to_be_hidden()
    assert requests == []

    page.locator("#name").fill("pair-1")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#fhx-toasts-status .fhx-toast")).to_contain_text("Saved with ['is_ha', 'name']")
    switch = page.get_by_role("switch", name="High availability")
    switch.check()
    page.get_by_role("button", name="Save").click()
    expect(error_of(page, "ha_mode")).to_have_text("This field is required.")
    expect(page.locator("#ha_mode")).to_be_visible()
    expect(page.get_by_role("switch", name="High availability")).to_be_checked()
    assert_accessible(page)


def test_description_tooltip_on_hover_and_focus(page: Page, storybook: str):
    open_form(page, storybook)
    info = page.get_by_role("img", name="More about Hostname")
    info.hover()
    expect(page.get_by_role("tooltip")).to_have_text("Short DNS name, at most 20 characters")
    page.mouse.move(0, 0)
    expect(page.get_by_role("tooltip")).to_have_count(0)
    page.get_by_role("img", name="More about Weight").focus()
    expect(page.get_by_role("tooltip")).to_have_text("Any decimal number, e.g. 2.5")
    expect(page.locator("#hostname")).to_have_attribute("aria-describedby", "hostname-help")


def test_form_wide_error_keeps_values_and_shows_alert_and_toast(page: Page, storybook: str):
    open_form(page, storybook, "form_error", "#customer-form")
    page.locator("#name").fill("A")
    page.locator("#sid").fill("S-1")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#customer-form .alert-danger")).to_have_text("Customer name must be at least 2 characters.")
    expect(page.locator("#fhx-toasts-alert .fhx-toast")).to_contain_text("Customer name must be at least 2 characters.")
    expect(page.locator("#name")).to_have_value("A")
    expect(page.locator("#sid")).to_have_value("S-1")


def test_keyboard_only_fill_and_submit(page: Page, storybook: str):
    open_form(page, storybook, "form_error", "#customer-form")
    page.locator("#name").focus()
    page.keyboard.type("Umbrella")
    page.keyboard.press("Tab")
    expect(page.locator("#sid")).to_be_focused()
    page.keyboard.type("U-42")
    page.keyboard.press("Enter")
    expect(page.locator("#fhx-toasts-status .fhx-toast")).to_contain_text("Customer saved.")


def test_ten_failed_posts_leave_one_live_form_and_widget(page: Page, storybook: str):
    open_form(page, storybook)
    page.locator("#hostname").fill("again")
    for round_number in range(10):
        page.evaluate("document.querySelector('#fhx-form').dataset.old = '1'")
        page.get_by_role("button", name="Save").click()
        expect(page.locator("#fhx-form[data-old]")).to_have_count(0)
        expect(error_of(page, "port")).to_be_visible()
    assert live_count(page, "Form") == 1
    assert live_count(page, "AjaxSelect") == 1
    assert live_count(page, "FieldTooltip") == page.locator("[data-fhx-tooltip]").count()
    expect(page.locator(".ts-wrapper")).to_have_count(1)
    expect(page.locator("#hostname")).to_have_value("again")


def test_light_theme_errors_are_accessible(page: Page, storybook: str):
    page.add_init_script("localStorage.setItem('fasthx-theme', 'light')")
    open_form(page, storybook)
    expect(page.locator("html")).to_have_attribute("data-bs-theme", "light")
    page.get_by_role("button", name="Save").click()
    expect(error_of(page, "hostname")).to_have_text("This field is required.")
    assert_accessible(page)

"""The Field parts alone in the browser (FieldInput, FieldSelect, FieldCheckbox, FieldTextarea):
labelled controls with the spec's attributes, typed text kept after an error, a searchable
select as Tom Select, switches from the keyboard, axe on each story."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from helpers import assert_accessible, live_count, open_story


def test_field_input_types(page: Page, storybook: str):
    open_story(page, storybook, "field_input", "input_types")
    expect(page.get_by_role("textbox", name="Hostname")).to_have_value("edge-001")
    expect(page.get_by_role("textbox", name="Hostname")).to_have_attribute("maxlength", "20")
    port = page.get_by_role("spinbutton", name="Port")
    expect(port).to_have_attribute("min", "1")
    expect(port).to_have_attribute("max", "65535")
    expect(page.get_by_role("spinbutton", name="Weight")).to_have_attribute("step", "any")
    expect(page.locator("#installed")).to_have_attribute("type", "date")
    expect(page.locator("#config")).to_have_attribute("accept", ".cfg")
    port.fill("8443")
    expect(port).to_have_value("8443")
    assert_accessible(page)


def test_field_input_keeps_the_text_it_rejected(page: Page, storybook: str):
    open_story(page, storybook, "field_input", "kept_text")
    port = page.get_by_role("textbox", name="Port")
    expect(port).to_have_value("eighty")
    expect(port).to_have_attribute("inputmode", "decimal")
    expect(port).to_have_attribute("aria-invalid", "true")
    expect(port).to_have_accessible_description("Enter a number.")
    expect(page.get_by_role("textbox", name="Installed")).to_have_value("31/12/2024")
    assert_accessible(page)


def test_field_select_kinds(page: Page, storybook: str):
    open_story(page, storybook, "field_select", "select_kinds")
    expect(page.get_by_role("combobox", name="Firmware")).to_have_value("7.4")
    expect(page.locator("#site_id-ts-control")).to_be_visible()
    assert live_count(page, "SearchableSelect") == 1
    expect(page.locator("#site_id")).to_have_value("2")
    device = page.get_by_role("combobox", name="Device")
    expect(device.locator("option:checked")).to_have_text("Device #12")
    page.get_by_role("combobox", name="Firmware").select_option("7.2")
    expect(page.get_by_role("combobox", name="Firmware")).to_have_value("7.2")
    assert_accessible(page)


def test_field_checkbox_switches_from_the_keyboard(page: Page, storybook: str):
    open_story(page, storybook, "field_checkbox", "switches")
    ha = page.get_by_role("switch", name="High availability")
    expect(ha).not_to_be_checked()
    expect(page.get_by_role("switch", name="Active")).to_be_checked()
    expect(page.get_by_role("switch", name="Active")).not_to_have_attribute("required", "")
    ha.focus()
    page.keyboard.press("Space")
    expect(ha).to_be_checked()
    assert_accessible(page)


def test_field_textarea(page: Page, storybook: str):
    open_story(page, storybook, "field_textarea", "textareas")
    notes = page.get_by_role("textbox", name="Notes")
    expect(notes).to_have_value("Rack 4, top.\nSpare PSU.")
    expect(notes).to_have_attribute("rows", "4")
    reason = page.get_by_role("textbox", name="Reason")
    expect(reason).to_have_attribute("placeholder", "Why the change?")
    expect(reason).to_have_accessible_description("This field is required.")
    reason.fill("New uplink")
    expect(reason).to_have_value("New uplink")
    assert_accessible(page)

"""Field in the browser: every type rendered and labelled, each type's error state keeping the
typed text, the playground's controls, tooltips, axe."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from helpers import assert_accessible, live_count, open_story


def test_every_type_renders_labelled_and_accessible(page: Page, storybook: str):
    open_story(page, storybook, "field", "all_types")
    expect(page.locator(".fhx-field-gallery")).to_be_visible()
    expect(page.locator("[data-fhx-field]")).to_have_count(13)
    expect(page.get_by_role("textbox", name="Text", exact=True)).to_have_attribute("maxlength", "30")
    expect(page.get_by_role("spinbutton", name="Whole number")).to_have_attribute("max", "100")
    expect(page.get_by_role("spinbutton", name="Decimal number")).to_have_attribute("step", "any")
    expect(page.get_by_role("textbox", name="Email")).to_have_attribute("type", "email")
    expect(page.get_by_role("textbox", name="Text area")).to_have_attribute("rows", "2")
    expect(page.get_by_role("switch", name="Switch")).not_to_be_checked()
    expect(page.get_by_role("combobox", name="Select", exact=True)).to_have_attribute("id", "select_field")
    expect(page.get_by_role("combobox", name="Enum select")).to_have_attribute("id", "enum_field")
    expect(page.get_by_role("combobox", name="Foreign key")).to_have_attribute("id", "fk_field-ts-control")
    expect(page.get_by_role("combobox", name="Ajax select")).to_have_attribute("id", "ajax_field-ts-control")
    expect(page.locator("#date_field")).to_have_attribute("type", "date")
    expect(page.locator("#datetime_field")).to_have_attribute("type", "datetime-local")
    expect(page.locator("#file_field")).to_have_attribute("accept", ".txt")
    assert live_count(page, "AjaxSelect") == 1
    assert live_count(page, "SearchableSelect") == 1
    page.get_by_role("switch", name="Switch").check()
    expect(page.get_by_role("switch", name="Switch")).to_be_checked()
    assert_accessible(page)


def test_trusted_html_tooltip(page: Page, storybook: str):
    open_story(page, storybook, "field", "all_types")
    page.get_by_role("img", name="More about Switch").hover()
    expect(page.get_by_role("tooltip").locator("b")).to_have_text("boolean")


def test_each_type_shows_its_error_and_the_typed_text(page: Page, storybook: str):
    open_story(page, storybook, "field", "with_errors")
    expect(page.locator(".invalid-feedback")).to_have_count(9)
    expect(page.locator("#int_field")).to_have_value("twelve")
    expect(page.locator("#float_field")).to_have_value("1,5")
    expect(page.locator("#date_field")).to_have_value("31/12/2024")
    expect(page.locator("#datetime_field")).to_have_value("noon")
    expect(page.locator("#email_field")).to_have_value("ops@")
    expect(page.locator("#text_field")).to_have_value("x" * 31)
    expect(page.locator("#int_field-error")).to_have_text("Enter a number.")
    expect(page.locator("#int_field")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page)


def test_playground_controls_build_the_field(page: Page, storybook: str):
    open_story(page, storybook, "field", "playground", type="number", label="Port", required="true",
               value="abc", error="Enter a number.", description="TCP port")
    expect(page.locator("#playground")).to_have_value("abc")
    expect(page.locator("#playground-error")).to_have_text("Enter a number.")
    expect(page.locator("label[for=playground]")).to_contain_text("Port")
    open_story(page, storybook, "field", "playground", type="select", label="Pick", required="false", value="b",
               error="", description="")
    expect(page.locator("#playground")).to_have_value("b")
    expect(page.locator(".fhx-field-info")).to_have_count(0)
    open_story(page, storybook, "field", "playground", type="<script>", label="<b>x</b>", value="", error="", description="")
    expect(page.locator("#playground")).to_have_attribute("type", "text")
    expect(page.locator("label[for=playground]")).to_contain_text("<b>x</b>")
    expect(page.locator("label[for=playground] b")).to_have_count(0)

"""FormSections in the browser: accordion groups with the first open, sections toggled by
mouse and keyboard, the section holding an error opened after a failed post, axe."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from helpers import assert_accessible as check_accessible, open_story


def assert_accessible(page: Page) -> None:
    """axe, once any toast has finished fading in (half-faded text fails the contrast check)."""
    expect(page.locator(".fhx-toast.showing")).to_have_count(0)
    check_accessible(page)


def open_sections(page: Page, storybook: str) -> Page:
    open_story(page, storybook, "form_sections", "accordion")
    expect(page.locator("#sections-form")).to_be_visible()
    return page


def header(page: Page, title: str):
    return page.get_by_role("button", name=title, exact=True)


def test_first_section_open_others_collapsed(page: Page, storybook: str):
    open_sections(page, storybook)
    expect(header(page, "Device info")).to_have_attribute("aria-expanded", "true")
    expect(header(page, "Status")).to_have_attribute("aria-expanded", "false")
    expect(header(page, "Relationships")).to_have_attribute("aria-expanded", "false")
    expect(page.locator("#hostname")).to_be_visible()
    expect(page.locator("#status")).to_be_hidden()
    expect(page.locator("#notes")).to_be_visible()
    expect(page.locator("#sections-form-sections .accordion-item")).to_have_count(3)
    assert_accessible(page)


def test_sections_open_by_click_and_keyboard(page: Page, storybook: str):
    open_sections(page, storybook)
    header(page, "Status").click()
    expect(page.locator("#status")).to_be_visible()
    expect(header(page, "Status")).to_have_attribute("aria-expanded", "true")
    header(page, "Relationships").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#site_id")).to_be_visible()


def test_error_in_a_closed_section_opens_it_and_keeps_values(page: Page, storybook: str):
    open_sections(page, storybook)
    page.locator("#hostname").fill("edge-7")
    page.locator("#notes").fill("kept")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#status-error")).to_have_text("This field is required.")
    expect(page.locator("#status")).to_be_visible()
    expect(header(page, "Status")).to_have_attribute("aria-expanded", "true")
    expect(header(page, "Device info")).to_have_attribute("aria-expanded", "true")
    expect(header(page, "Relationships")).to_have_attribute("aria-expanded", "false")
    expect(page.locator("#hostname")).to_have_value("edge-7")
    expect(page.locator("#notes")).to_have_value("kept")
    page.locator("#status").select_option("offline")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#fhx-toasts-status .fhx-toast")).to_contain_text("Device saved.")
    assert_accessible(page)

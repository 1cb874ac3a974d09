"""DetailList in the browser: a record's details with links that work, keyboard order,
hostile text shown as text, and axe in the dark and the light theme."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from helpers import assert_accessible, open_story, wait_ready


def test_record_details_render_and_their_links_lead_to_the_site(page: Page, storybook: str):
    open_story(page, storybook, "detail_list", "record")
    details = page.locator("#device-7")
    expect(details.locator("dt")).to_have_text(["ID", "Hostname", "IP address", "Status", "Site", "Backup site", "Installed", "Notes"])
    expect(details.locator("dd")).to_have_text(["7", "edge-007", "10.0.7.21", "deploying", "Oslo HQ", "Kyoto Lab", "2024-05-31", "—"])
    expect(details.locator("dd code")).to_have_text("10.0.7.21")
    expect(details.locator(".badge")).to_have_attribute("data-status", "deploying")
    details.get_by_role("link", name="Oslo HQ").click()
    expect(page).to_have_url(f"{storybook}/api/detail_list/sites/3")
    expect(page.locator("h1")).to_have_text("Oslo HQ")
    expect(page.locator("dd")).to_have_text(["Oslo HQ", "Europe"])


def test_keyboard_reaches_the_links_in_reading_order_and_enter_follows_one(page: Page, storybook: str):
    open_story(page, storybook, "detail_list", "record")
    expect(page.locator("#device-7")).to_be_visible()
    page.locator("#device-7 dt").first.click()
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Oslo HQ")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Kyoto Lab")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{storybook}/api/detail_list/sites/4")
    wait_ready(page)
    expect(page.locator("h1")).to_have_text("Kyoto Lab")


def test_hostile_labels_and_values_are_text(page: Page, storybook: str):
    open_story(page, storybook, "detail_list", "hostile")
    root = page.locator("#story-root")
    expect(root.locator("dt").first).to_have_text("<script>alert('label')</script>")
    expect(root.locator("dd").nth(1)).to_have_text("<a href='javascript:alert(2)'>click</a>")
    expect(root.locator("dt").nth(2)).to_have_text("{{ 7*7 }}")
    assert root.locator("script, img, a, b").count() == 0


@pytest.mark.parametrize("theme", ["dark", "light"])
@pytest.mark.parametrize("story", ["record", "mapping", "empty"])
def test_stories_are_accessible_in_both_themes(page: Page, storybook: str, story: str, theme: str):
    page.add_init_script(f"localStorage.setItem('fasthx-theme', '{theme}')")
    open_story(page, storybook, "detail_list", story)
    expect(page.locator("html")).to_have_attribute("data-bs-theme", theme)
    expect(page.locator("#story-root .fhx-detail-list")).to_be_visible()
    assert_accessible(page)

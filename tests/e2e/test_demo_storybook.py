"""The storybook inside the demo at /storybook: reached from the sidebar, its story pages and
previews work there, and their htmx round-trips (a table sort, a form post with the demo's
CSRF token, a toast logged by the story page) stay under /storybook."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from helpers import open_story, swapped, wait_ready


def test_the_sidebar_leads_to_the_storybook_index(page: Page, demo: str):
    page.goto(f"{demo}/dashboard")
    page.get_by_role("navigation", name="Main navigation").get_by_role("link", name="Storybook").click()
    expect(page).to_have_url(f"{demo}/storybook/")
    wait_ready(page)
    card = page.locator("a.sb-card").filter(has=page.get_by_role("heading", name="Table", exact=True))
    expect(card).to_have_attribute("href", "/storybook/components/table")
    card.click()
    expect(page).to_have_url(f"{demo}/storybook/components/table/memory")
    frame = page.frame_locator("#sb-preview")
    expect(frame.locator("#people tbody tr")).to_have_count(20)
    expect(page.locator("#sb-html")).to_contain_text("people")


def test_a_table_story_sorts_over_htmx_under_the_prefix(page: Page, demo: str):
    open_story(page, f"{demo}/storybook", "table", "memory")
    expect(page.locator("#people tbody tr")).to_have_count(20)
    with page.expect_request(re.compile(r"/storybook/api/table/people\?.*sort=name")) as sorted_request:
        with swapped(page, "#people"):
            page.locator("#people-sort-name").click()
    assert sorted_request.value.headers["hx-request"] == "true"
    expect(page.locator("#people th[aria-sort]")).to_have_attribute("aria-sort", "ascending")
    assert page.url.startswith(f"{demo}/storybook/api/table/people?")


def test_a_form_story_posts_with_the_demos_token_and_the_story_page_logs_it(page: Page, demo: str):
    page.goto(f"{demo}/storybook/components/form/form_error")
    wait_ready(page)
    frame = page.frame_locator("#sb-preview")
    frame.get_by_label("Name").fill("Ada")
    frame.get_by_role("button", name="Save").click()
    expect(frame.locator("#customer-form")).to_contain_text("SID is required for new customers.")
    entry = page.locator("#sb-log-entries .sb-log-entry").first
    expect(entry.locator(".sb-log-url")).to_have_text(re.compile(r"/storybook/api/form/customer$"))
    expect(entry).to_have_attribute("data-status", "422")

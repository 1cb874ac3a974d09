"""The demo's dashboard and its custom report page in the browser, and axe (serious and
critical) on a list, a form, a detail page and the dashboard in both themes."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from helpers import assert_accessible, swapped, wait_ready

PAGES = ["/devices?sort=hostname", "/devices/create", "/orders/7/edit", "/devices/3", "/dashboard", "/reports/sites"]


def test_the_dashboard_counts_and_leads_to_the_lists(page: Page, demo: str):
    page.goto(demo + "/")
    expect(page).to_have_url(f"{demo}/dashboard")
    wait_ready(page)
    nav = page.get_by_role("navigation", name="Main navigation")
    expect(nav.get_by_role("link", name="Dashboard")).to_have_attribute("aria-current", "page")
    expect(nav.get_by_role("link", name="Storybook")).to_have_attribute("href", "/storybook/")
    online = page.locator(".fhx-dashboard-card", has_text="Online")
    count = int(online.locator(".fhx-card-value").inner_text().replace(",", ""))
    online.click()
    expect(page).to_have_url(f"{demo}/devices?flt_status=online")
    expect(page.locator("#devices-table-summary")).to_have_text(f"{count:,} records")

    page.go_back()
    recent = page.locator(".fhx-record-table tbody tr").first
    order = recent.get_by_role("link").inner_text()
    recent.get_by_role("link").click()
    expect(page).to_have_url(f"{demo}/orders/{order}")
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"#{order}")


def test_the_site_report_is_a_custom_page_with_a_working_table(page: Page, demo: str):
    page.goto(f"{demo}/reports/sites")
    wait_ready(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Site report")
    nav = page.get_by_role("navigation", name="Main navigation")
    expect(nav.get_by_role("link", name="Site report")).to_have_attribute("aria-current", "page")
    with swapped(page, "#site-report"):
        page.locator("#site-report-flt-region").select_option("Asia")
    regions = page.locator("#site-report tbody tr td:nth-child(3)").all_inner_texts()
    assert regions and set(regions) == {"Asia"}
    with swapped(page, "#site-report"):
        page.locator("#site-report-cf-name").fill("Kyoto")
    names = page.locator("#site-report tbody tr td:nth-child(2)").all_inner_texts()
    assert names and all(name.startswith("Kyoto") for name in names)
    expect(page).to_have_url(f"{demo}/reports/sites?flt_region=Asia&cf_name=Kyoto")
    page.reload()
    expect(page.locator("#site-report tbody tr")).to_have_count(len(names))


@pytest.mark.parametrize("theme", ["dark", "light"])
def test_pages_are_accessible_in_both_themes(page: Page, demo: str, theme: str):
    page.add_init_script(f"localStorage.setItem('fasthx-theme', '{theme}')")
    for path in PAGES:
        page.goto(demo + path)
        wait_ready(page)
        expect(page.locator("html")).to_have_attribute("data-bs-theme", theme)
        assert_accessible(page)

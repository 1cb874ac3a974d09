"""The demo's list pages in the browser: search, sort, dropdown and header filters and
paging, each kept in the URL so reload, back and forward show the same view; the bulk
action over every matching row."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import Page, expect

from helpers import swapped, wait_ready


def query(page: Page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def column(page: Page, table: str, number: int) -> list[str]:
    return page.locator(f"#{table} tbody tr td:nth-child({number})").all_inner_texts()


def statuses(page: Page, table: str) -> set[str]:
    return {badge.get_attribute("data-status") for badge in page.locator(f"#{table} tbody .badge").all()}


def test_search_sort_and_filters_go_into_the_url_and_history_restores_them(page: Page, demo: str):
    page.goto(f"{demo}/customers")
    wait_ready(page)
    table = "customers-table"
    with swapped(page, f"#{table}"):
        page.locator(f"#{table}-q").fill("turing")
    assert all("Turing" in name for name in column(page, table, 2))
    with swapped(page, f"#{table}"):
        page.locator(f"#{table}-sort-name").click()
    expect(page.locator(f"#{table} th[aria-sort]")).to_have_attribute("aria-sort", "ascending")
    names = column(page, table, 2)
    assert names == sorted(names)
    with swapped(page, f"#{table}"):
        page.locator(f"#{table}-flt-status").select_option("trial")
    assert statuses(page, table) == {"trial"}
    with swapped(page, f"#{table}"):
        page.locator(f"#{table}-cf-email").fill("contact1")
    assert all("contact1" in email for email in column(page, table, 3))
    filtered = page.locator(f"#{table}-summary").inner_text()
    assert query(page) == {"q": ["turing"], "sort": ["name"], "flt_status": ["trial"], "cf_email": ["contact1"]}

    page.go_back()
    expect(page.locator(f"#{table}-cf-email")).to_have_value("")
    expect(page.locator(f"#{table}-flt-status")).to_have_value("trial")
    page.go_back()
    expect(page.locator(f"#{table}-flt-status")).to_have_value("")
    assert query(page) == {"q": ["turing"], "sort": ["name"]}
    page.go_forward()
    page.go_forward()
    expect(page.locator(f"#{table}-cf-email")).to_have_value("contact1")
    expect(page.locator(f"#{table}-summary")).to_have_text(filtered)
    page.reload()
    wait_ready(page)
    expect(page.locator(f"#{table}-q")).to_have_value("turing")
    expect(page.locator(f"#{table} th[aria-sort]")).to_have_attribute("aria-sort", "ascending")
    expect(page.locator(f"#{table}-summary")).to_have_text(filtered)


def test_paging_and_page_size_go_into_the_url_and_back_restores_them(page: Page, demo: str):
    page.goto(f"{demo}/sites")
    wait_ready(page)
    table = "sites-table"
    expect(page.locator(f"#{table}-summary")).to_have_text("40 records")
    with swapped(page, f"#{table}"):
        page.locator(f"#{table}-page-next").click()
    assert column(page, table, 1)[0] == "21" and query(page) == {"page": ["2"]}
    expect(page.locator(f"#{table} nav [aria-current=page]")).to_have_text("2")
    with swapped(page, f"#{table}"):
        page.locator(f"#{table}-page-size").select_option("10")
    assert len(column(page, table, 1)) == 10
    page.go_back()
    expect(page.locator(f"#{table} tbody tr")).to_have_count(20)
    assert column(page, table, 1)[0] == "21"
    page.go_back()
    expect(page.locator(f"#{table} tbody tr").first).to_have_attribute("data-id", "1")
    assert query(page) == {}


def test_a_header_filter_through_a_foreign_key_and_a_dropdown_filter(page: Page, demo: str):
    page.goto(f"{demo}/devices?flt_region=Asia")
    wait_ready(page)
    table = "devices-table"
    with swapped(page, f"#{table}"):
        page.locator(f"#{table}-cf-site_id-name").fill("Kyoto")
    sites = column(page, table, 6)
    assert sites and all(site.startswith("Kyoto") for site in sites)
    assert query(page) == {"flt_region": ["Asia"], "cf_site_id.name": ["Kyoto"]}


def test_bulk_action_over_every_matching_device(page: Page, demo: str):
    page.goto(f"{demo}/devices?flt_region=Oceania&flt_firmware_version=7.4&flt_status=online")
    wait_ready(page)
    table = "devices-table"
    total = int(page.locator(f"#{table}-summary").inner_text().split()[0])
    assert total > 25
    page.locator(f"#{table}-select-page").check()
    expect(page.locator(f"#{table} [data-fhx-bulk-message]")).to_have_text("25 items on this page selected.")
    page.locator(f"#{table} [data-fhx-select-all]").click()
    expect(page.locator(f"#{table} [data-fhx-bulk-message]")).to_have_text(f"All {total} matching items are selected.")
    messages: list[str] = []
    page.once("dialog", lambda dialog: (messages.append(dialog.message), dialog.accept()))
    with swapped(page, f"#{table}"):
        page.locator(f"#{table}-bulk-menu").click()
        page.get_by_role("button", name="Mark offline").click()
        expect(page.locator("#fhx-toasts-status .fhx-toast-message")).to_have_text(f"{total} devices marked offline")
    assert messages == [f"Mark {total} devices offline?"]
    expect(page.locator(f"#{table}-summary")).to_have_text("0 records")
    page.goto(f"{demo}/devices?flt_region=Oceania&flt_firmware_version=7.4")
    wait_ready(page)
    assert "online" not in statuses(page, table)

"""The SQLAlchemy table stories in the browser: related columns, RowActions, BulkActions
(selection across pages with select-all), and polling status cells."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, expect

from helpers import assert_accessible, live_count, open_story, wait_ready

DEVICES = "/api/table/devices"


@pytest.fixture
def devices(page: Page, storybook: str) -> Page:
    """The devices page, with the story's data reset first."""
    page.goto(f"{storybook}{DEVICES}")
    wait_ready(page)
    status = page.evaluate(
        "async () => (await fetch('/api/table/devices/reset', {method: 'POST', headers: {'X-CSRF-Token': fasthx.csrfToken()}})).status"
    )
    assert status == 204
    page.reload()
    wait_ready(page)
    return page


def swapped(page: Page, table: str):
    page.evaluate("(sel) => document.querySelector(sel).dataset.old = '1'", table)
    return lambda: expect(page.locator(f"{table}[data-old]")).to_have_count(0)


def cells(page: Page, column: int, table: str = "#devices") -> list[str]:
    return page.locator(f"{table} tbody tr td:nth-child({column})").all_inner_texts()


def ids_on_page(page: Page, table: str = "#devices") -> list[str]:
    return page.locator(f"{table} tbody tr").evaluate_all("rows => rows.map(r => r.dataset.id)")


def test_related_column_sorts_filters_and_searches(devices: Page):
    page = devices
    expect(page.locator("#devices-summary")).to_have_text("2,000 records")
    done = swapped(page, "#devices")
    page.locator("#devices-sort-site-name").click()
    done()
    sites = [s for s in cells(page, 6) if s]
    assert sites == sorted(sites) and sites[0] == "Kyoto Lab"
    done = swapped(page, "#devices")
    page.locator("#devices-flt-site-region").select_option("Europe")
    done()
    assert set(cells(page, 7)) == {"Europe"}
    done = swapped(page, "#devices")
    page.locator("#devices-cf-status").fill("err")
    done()
    assert {b.get_attribute("data-status") for b in page.locator("#devices tbody .badge").all()} == {"error"}
    assert parse_qs(urlsplit(page.url).query) == {"sort": ["site.name"], "flt_site.region": ["Europe"], "cf_status": ["err"]}
    assert_accessible(page)


def test_row_actions_link_htmx_post_and_confirm(devices: Page):
    page = devices
    first = page.locator("#devices tbody tr").first
    expect(first.get_by_role("link", name="View row 1")).to_have_attribute("href", "/api/table/devices/1")
    first.get_by_role("button", name="Ping row 1").click()
    expect(page.locator("#fhx-toasts-status .fhx-toast-message")).to_contain_text("answered")
    page.once("dialog", lambda d: d.dismiss())
    first.get_by_role("button", name="Delete row 1").click()
    expect(page.locator("#devices tbody tr[data-id='1']")).to_have_count(1)
    messages: list[str] = []
    page.once("dialog", lambda d: (messages.append(d.message), d.accept()))
    page.locator("#devices tbody tr[data-id='1']").get_by_role("button", name="Delete row 1").click()
    expect(page.locator("#devices tbody tr[data-id='1']")).to_have_count(0)
    assert messages == ["Delete device 1?"]
    expect(page.get_by_role("button", name="Delete row 2", exact=True)).to_be_focused()
    page.reload()
    wait_ready(page)
    expect(page.locator("#devices-summary")).to_have_text("1,999 records")


def test_row_actions_as_dropdown_menu_work_from_the_keyboard(page: Page, storybook: str):
    open_story(page, storybook, "row_actions", "dropdown")
    toggle = page.get_by_role("button", name="Actions for row 7")
    toggle.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Deploy")).to_be_visible()
    expect(page.locator(".dropdown-menu a[download]")).to_have_attribute("href", "/api/row_actions/7/template")
    assert_accessible(page)


def test_selection_survives_paging_and_is_posted(devices: Page):
    page = devices
    menu = page.locator("#devices [data-fhx-bulk-menu]")
    expect(menu).to_be_hidden()
    page.locator("#devices tbody tr[data-id='2'] input[data-fhx-select]").check()
    page.locator("#devices tbody tr[data-id='3'] input[data-fhx-select]").check()
    expect(page.locator("#devices [data-fhx-bulk-count]")).to_have_text("2")
    done = swapped(page, "#devices")
    page.locator("#devices-page-next").click()
    done()
    page.locator("#devices tbody tr[data-id='21'] input[data-fhx-select]").press("Space")
    expect(page.locator("#devices [data-fhx-bulk-count]")).to_have_text("3")
    done = swapped(page, "#devices")
    page.locator("#devices-page-prev").click()
    done()
    expect(page.locator("#devices tbody tr[data-id='2'] input[data-fhx-select]")).to_be_checked()
    expect(page.locator("#devices-select-page")).to_have_js_property("indeterminate", True)
    page.reload()
    wait_ready(page)
    expect(page.locator("#devices tbody tr[data-id='3'] input[data-fhx-select]")).to_be_checked()
    messages: list[str] = []
    page.once("dialog", lambda d: (messages.append(d.message), d.accept()))
    with page.expect_request("**/bulk-offline") as posted:
        page.locator("#devices-bulk-menu").click()
        page.get_by_role("button", name="Mark offline").click()
    assert messages == ["Mark 3 devices offline?"]
    assert sorted(parse_qs(posted.value.post_data)["ids"]) == ["2", "21", "3"]
    expect(page.locator("#fhx-toasts-status .fhx-toast-message")).to_contain_text("Marked 3 devices offline.")
    expect(menu).to_be_hidden()
    expect(page.locator("#devices tbody tr[data-id='2'] .badge")).to_have_attribute("data-status", "offline")


def test_header_checkbox_selects_the_page_and_select_all_matching(devices: Page):
    page = devices
    done = swapped(page, "#devices")
    page.locator("#devices-flt-site-name").select_option("Oslo HQ")
    done()
    total = int(page.locator("#devices-summary").inner_text().split()[0].replace(",", ""))
    page.locator("#devices-select-page").check()
    expect(page.locator("#devices [data-fhx-bulk-count]")).to_have_text("20")
    expect(page.locator("#devices [data-fhx-bulk-message]")).to_have_text("20 items on this page selected.")
    page.locator("#devices [data-fhx-select-all]").click()
    expect(page.locator("#devices [data-fhx-bulk-message]")).to_have_text(f"All {total} matching items are selected.")
    done = swapped(page, "#devices")
    page.locator("#devices-page-3").click()
    done()
    expect(page.locator("#devices input[data-fhx-select]:checked")).to_have_count(20)
    with page.expect_response("**/bulk-delete") as answered:
        page.once("dialog", lambda d: d.accept())
        page.locator("#devices-bulk-menu").click()
        page.get_by_role("button", name="Delete selected").click()
    sent = parse_qs(answered.value.request.post_data)["ids"]
    selected = page.evaluate("async () => (await (await fetch('/api/table/devices/select-all-ids')).json()).total")
    assert len(sent) == total and selected == 2000 - total
    expect(page.locator("#devices-summary")).to_have_text("0 records")


def test_changing_filters_clears_the_selection(devices: Page):
    page = devices
    page.locator("#devices tbody tr[data-id='4'] input[data-fhx-select]").check()
    expect(page.locator("#devices [data-fhx-bulk-count]")).to_have_text("1")
    done = swapped(page, "#devices")
    page.locator("#devices-q").fill("edge")
    done()
    expect(page.locator("#devices [data-fhx-bulk-menu]")).to_be_hidden()
    expect(page.locator("#devices input[data-fhx-select]:checked")).to_have_count(0)
    done = swapped(page, "#devices")
    page.locator("#devices-q").fill("")
    done()
    expect(page.locator("#devices input[data-fhx-select]:checked")).to_have_count(0)


def test_reswapping_leaves_one_bulk_widget(devices: Page):
    page = devices
    for _ in range(10):
        done = swapped(page, "#devices")
        page.locator("#devices-page-next").click()
        done()
    assert live_count(page, "bulk") == 1 and live_count(page, "table") == 1
    page.locator("#devices input[data-fhx-select]").first.check()
    expect(page.locator("#devices [data-fhx-bulk-count]")).to_have_text("1")


def test_polling_cells_refresh_until_a_terminal_state(devices: Page, storybook: str):
    page = devices
    page.clock.install()
    page.goto(f"{storybook}/api/table/edges")
    wait_ready(page)
    cell = page.locator("#edges-poll-status-2")
    expect(cell).to_have_attribute("data-state", "done")
    polls: list[str] = []
    page.on("request", lambda r: polls.append(r.url) if r.url.endswith("/status") else None)
    page.locator("#edges tbody tr[data-id='2']").get_by_role("button", name="Deploy row 2").click()
    expect(cell).to_have_attribute("data-state", "polling")
    expect(cell.locator(".badge")).to_have_attribute("data-status", "deploying")
    for _ in range(3):
        page.clock.run_for(2_100)
    expect(cell).to_have_attribute("data-state", "done")
    expect(cell.locator(".badge")).to_have_attribute("data-status", "online")
    count = len(polls)
    assert count >= 3
    page.clock.run_for(10_000)
    expect(cell).to_have_attribute("data-state", "done")
    assert len(polls) == count
    assert_accessible(page)


def test_deploy_with_progress_adds_a_bar_row_and_restarts_the_cell(devices: Page, storybook: str):
    page = devices
    page.clock.install()
    page.goto(f"{storybook}/api/table/edges")
    wait_ready(page)
    cell = page.locator("#edges-poll-status-3")
    expect(cell).to_have_attribute("data-state", "done")
    page.locator("#edges tbody tr[data-id='3']").get_by_role("button", name="Deploy with progress row 3").click()
    progress = page.locator("#edges tbody tr[data-id='3'] + tr.fhx-progress-row")
    expect(progress.locator("td")).to_have_attribute("colspan", "4")
    expect(progress.locator(".badge")).to_have_text("Starting...")
    expect(cell).to_have_attribute("data-state", "polling")
    expect(cell.locator(".badge")).to_have_attribute("data-status", "deploying")
    assert page.locator("#edges-poll-status-3").count() == 1 and live_count(page, "table") == 1
    with page.expect_response("**/api/table/edges/3/status"):
        page.clock.run_for(2_100)  # the first status poll moves the deployment to 33 %
    page.clock.run_for(2_100)  # the bar's next poll reads it
    expect(progress.locator(".badge")).to_have_text("Deploying...")
    page.clock.run_for(2_100)  # the third status poll finds the edge online (100 %)
    expect(cell.locator(".badge")).to_have_attribute("data-status", "online")
    page.clock.run_for(2_100)  # the bar's next poll reads it
    expect(progress).to_have_attribute("data-status", "complete")
    expect(progress.locator(".badge")).to_have_text("Complete")
    assert progress.get_attribute("hx-trigger") is None and cell.get_attribute("hx-trigger") is None
    assert_accessible(page)


def test_stories_load_in_the_preview(page: Page, storybook: str):
    for story, table in (("sqlalchemy", "#devices"), ("bulk_selection", "#devices"), ("polling", "#edges")):
        open_story(page, storybook, "table", story)
        expect(page.locator(f"{table} tbody tr").first).to_be_visible()
    assert_accessible(page)


def test_count_arrives_after_the_rows(devices: Page, storybook: str):
    page = devices
    page.goto(f"{storybook}/api/table/uncounted?flt_site.name=Oslo+HQ")
    wait_ready(page)
    expect(page.locator("#uncounted tbody tr")).to_have_count(20)
    expect(page.locator("#uncounted-summary")).to_have_text(re.compile(r"^\d[\d,]* records$"))
    total = int(page.locator("#uncounted-summary").inner_text().split()[0].replace(",", ""))
    ids = page.evaluate("async () => (await (await fetch('/api/table/devices/select-all-ids?flt_site.name=Oslo+HQ')).json()).total")
    assert total == ids and 20 < total < 2000
    expect(page.locator("#uncounted-page-next")).to_be_visible()


def test_selection_works_when_storage_is_full(devices: Page):
    page = devices
    page.evaluate("() => { Storage.prototype.setItem = () => { throw new DOMException('full', 'QuotaExceededError'); }; }")
    page.locator("#devices tbody tr[data-id='5'] input[data-fhx-select]").check()
    expect(page.locator("#devices [data-fhx-bulk-count]")).to_have_text("1")
    with page.expect_request("**/bulk-offline") as posted:
        page.once("dialog", lambda d: d.accept())
        page.locator("#devices-bulk-menu").click()
        page.get_by_role("button", name="Mark offline").click()
    assert parse_qs(posted.value.post_data)["ids"] == ["5"]


def test_filter_only_columns_and_a_header_filter_through_a_foreign_key(devices: Page, storybook: str):
    page = devices
    open_story(page, storybook, "table", "filter_only_columns")
    expect(page.locator("#assets-flt-site_id-region")).to_have_value("Europe")
    expect(page.locator("#assets thead th")).to_have_count(4)
    assert set(cells(page, 3, "#assets")) == {"Oslo HQ"}
    page.goto(f"{storybook}/api/table/assets")
    wait_ready(page)
    done = swapped(page, "#assets")
    page.locator("#assets-cf-site_id-name").fill("lima")
    done()
    assert set(cells(page, 3, "#assets")) == {"Lima POP"}
    done = swapped(page, "#assets")
    page.locator("#assets-cf-ip_address").fill("10.3.")
    done()
    expect(page.locator("#assets-cf-ip_address")).to_be_focused()
    assert parse_qs(urlsplit(page.url).query) == {"cf_site_id.name": ["lima"], "cf_ip_address": ["10.3."]}
    expect(page.locator("#assets tbody tr").first).to_be_visible()
    assert set(cells(page, 3, "#assets")) == {"Lima POP"}
    ips = page.evaluate("async () => (await (await fetch('/api/table/devices/select-all-ids?cf_ip_address=10.3.&cf_site.name=lima')).json()).ids")
    assert ips and ids_on_page(page, "#assets") == [str(i) for i in sorted(ips)][:20]
    assert_accessible(page)

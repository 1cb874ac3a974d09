"""The demo's forms in the browser: a create refused (every typed value kept, a danger
toast) then saved (back on the same list page, a success toast), an edit, a delete with
its confirmation (search and page kept), the AJAX select of an order's customer, and a
device's region narrowing its site choices."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from helpers import swapped, wait_ready

SUCCESS = "#fhx-toasts-status .fhx-toast"
DANGER = "#fhx-toasts-alert .fhx-toast"


def test_create_refused_keeps_every_value_then_saves_back_to_the_same_list_page(page: Page, demo: str):
    page.goto(f"{demo}/customers?sort=name&page=3")
    wait_ready(page)
    page.get_by_role("link", name="Create").click()
    expect(page).to_have_url(re.compile(r"/customers/create\?next="))
    wait_ready(page)
    page.get_by_label("Name").fill("Q")
    page.get_by_label("Email").fill("q@example.org")
    page.get_by_label("Status").select_option(label="trial")
    page.get_by_role("textbox", name="Notes").fill("Met at <the> fair & liked it")
    with swapped(page, "#customers-form"):
        page.get_by_role("button", name="Save").click()
    expect(page.locator(DANGER)).to_contain_text("Customer name must be at least 2 characters")
    expect(page.get_by_label("Name")).to_have_value("Q")
    expect(page.get_by_label("Email")).to_have_value("q@example.org")
    expect(page.get_by_label("Status")).to_have_value("TRIAL")
    expect(page.get_by_role("textbox", name="Notes")).to_have_value("Met at <the> fair & liked it")

    page.get_by_label("Name").fill("Quentin Test Foods")
    page.get_by_role("button", name="Save").click()
    expect(page).to_have_url(f"{demo}/customers?sort=name&page=3")
    expect(page.locator(SUCCESS)).to_contain_text(re.compile(r"Saved Customer #\d+"))
    new_id = re.search(r"#(\d+)", page.locator(SUCCESS).inner_text()).group(1)
    page.goto(f"{demo}/customers/{new_id}")
    expect(page.locator("main")).to_contain_text("Met at <the> fair & liked it")
    expect(page.locator("main")).to_contain_text("Quentin Test Foods")


def test_a_field_error_names_the_field_and_keeps_the_form(page: Page, demo: str):
    page.goto(f"{demo}/orders/create")
    wait_ready(page)
    page.get_by_label("Total").fill("12.5")
    with swapped(page, "#orders-form"):
        page.get_by_role("button", name="Save").click()
    customer = page.locator("[data-fhx-field=customer_id]")
    expect(customer.locator(".invalid-feedback")).to_be_visible()
    expect(page.get_by_label("Total")).to_have_value("12.5")


def test_edit_saves_and_returns_to_the_list_page_it_came_from(page: Page, demo: str):
    page.goto(f"{demo}/sites?page=2")
    wait_ready(page)
    page.locator("#sites-table tbody tr[data-id='25']").get_by_role("link", name="Edit row 25").click()
    wait_ready(page)
    expect(page.get_by_label("Name")).not_to_have_value("")
    page.get_by_label("Address").fill("1 Test Quay")
    page.get_by_role("button", name="Save").click()
    expect(page).to_have_url(f"{demo}/sites?page=2")
    expect(page.locator(SUCCESS)).to_contain_text("Saved Site #25")
    expect(page.locator("#sites-table tbody tr[data-id='25']")).to_contain_text("1 Test Quay")


def test_delete_asks_first_and_keeps_search_and_page(page: Page, demo: str):
    page.goto(f"{demo}/orders?q=Hopper&flt_status=pending&page=2")
    wait_ready(page)
    row = page.locator("#orders-table tbody tr").first
    order_id = row.get_attribute("data-id")
    summary = page.locator("#orders-table-summary").inner_text()
    page.once("dialog", lambda dialog: dialog.dismiss())
    row.get_by_role("button", name=f"Delete row {order_id}").click()
    expect(page.locator(f"#orders-table tbody tr[data-id='{order_id}']")).to_have_count(1)

    messages: list[str] = []
    page.once("dialog", lambda dialog: (messages.append(dialog.message), dialog.accept()))
    page.locator(f"#orders-table tbody tr[data-id='{order_id}']").get_by_role("button", name=f"Delete row {order_id}").click()
    expect(page.locator(SUCCESS)).to_contain_text(f"Deleted Order #{order_id}")
    assert messages == [f"Delete Order #{order_id}?"]
    expect(page).to_have_url(f"{demo}/orders?q=Hopper&flt_status=pending&page=2")
    expect(page.locator(f"#orders-table tbody tr[data-id='{order_id}']")).to_have_count(0)
    expect(page.locator("#orders-table-summary")).not_to_have_text(summary)


def test_a_refused_delete_says_why_and_keeps_the_row(page: Page, demo: str):
    page.goto(f"{demo}/orders?flt_status=shipped")
    wait_ready(page)
    row = page.locator("#orders-table tbody tr").first
    order_id = row.get_attribute("data-id")
    page.once("dialog", lambda dialog: dialog.accept())
    row.get_by_role("button", name=f"Delete row {order_id}").click()
    expect(page.locator(DANGER)).to_contain_text("Cannot delete a shipped order")
    page.reload()
    expect(page.locator(f"#orders-table tbody tr[data-id='{order_id}']")).to_have_count(1)


def test_the_ajax_select_of_an_orders_customer_searches_picks_and_saves(page: Page, demo: str):
    page.goto(f"{demo}/orders/create")
    wait_ready(page)
    field = page.locator("[data-fhx-field=customer_id]")
    field.locator(".ts-control").click()
    expect(field.locator(".ts-dropdown .option").first).to_be_visible()
    with page.expect_response(re.compile(r"/orders/ajax/customer_id\?q=Knuth")):
        page.get_by_role("combobox", name="Customer").press_sequentially("Knuth", delay=20)
    options = field.locator(".ts-dropdown .option[data-value]")
    expect(options.first).to_contain_text("Knuth")
    chosen = options.first.inner_text()
    options.first.click()
    expect(field.locator(".ts-control .item")).to_have_text(chosen)
    page.get_by_label("Total").fill("42.00")
    page.get_by_role("button", name="Save").click()
    expect(page).to_have_url(f"{demo}/orders")
    expect(page.locator(SUCCESS)).to_contain_text("Saved Order #")
    new_id = re.search(r"#(\d+)", page.locator(SUCCESS).inner_text()).group(1)
    page.goto(f"{demo}/orders/{new_id}/edit")
    expect(page.locator("[data-fhx-field=customer_id] .ts-control .item")).to_have_text(chosen)


def test_a_devices_region_narrows_its_site_choices(page: Page, demo: str):
    page.goto(f"{demo}/devices/create")
    wait_ready(page)
    page.get_by_role("button", name="Placement").click()
    site = page.locator("[data-fhx-field=site_id]")
    with page.expect_response(re.compile(r"/api/sites-for-region\?region=Oceania")):
        page.get_by_label("Region").select_option("Oceania")
    site.locator(".ts-control").click()
    names = site.locator(".ts-dropdown .option[data-value]:not([data-value=''])")
    expect(names.first).to_be_visible()
    assert all(name.startswith("Perth") for name in names.all_inner_texts())
    chosen = names.first.inner_text()
    names.first.click()
    page.get_by_label("Hostname").fill("edge-test-oceania")
    page.get_by_role("button", name="Save").click()
    expect(page).to_have_url(f"{demo}/devices")
    expect(page.locator(SUCCESS)).to_contain_text("Saved Device #")
    new_id = re.search(r"#(\d+)", page.locator(SUCCESS).inner_text()).group(1)
    page.goto(f"{demo}/devices/{new_id}")
    expect(page.locator("main")).to_contain_text(chosen)
    expect(page.locator("main")).to_contain_text("Oceania")

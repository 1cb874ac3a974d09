"""The demo's starlette-admin style actions on orders in the browser: "Set status" from
the With selected menu opens a dialog with a status select, and posts it with the
selected ids; the "Mark paid" row action asks first and refuses an order that is not
pending (a danger toast, nothing changed)."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from helpers import assert_accessible, wait_ready

TABLE = "#orders-table"


def test_set_status_of_the_selected_orders_through_the_dialog(page: Page, demo: str):
    page.goto(f"{demo}/orders?flt_status=cancelled&sort=id")
    wait_ready(page)
    rows = page.locator(f"{TABLE} tbody tr")
    chosen = [rows.nth(0).get_attribute("data-id"), rows.nth(1).get_attribute("data-id")]
    for order in chosen:
        page.locator(f"{TABLE} tbody tr[data-id='{order}'] input[data-fhx-select]").check()
    page.locator("#orders-table-bulk-menu").click()
    page.get_by_role("button", name="Set status").click()
    dialog = page.get_by_role("dialog", name="Set status")
    expect(dialog).to_contain_text("Set the status of 2 orders?")
    status = dialog.get_by_label("New status")
    expect(status).to_be_focused()
    assert_accessible(page)
    status.select_option("paid")
    dialog.locator(".modal-footer").get_by_role("button", name="Set status").click()
    expect(page.locator("#fhx-toasts-status .fhx-toast-message").last).to_have_text("2 orders are now paid")
    expect(dialog).to_be_hidden()
    for order in chosen:
        expect(page.locator(f"{TABLE} tbody tr[data-id='{order}']")).to_have_count(0)  # no longer cancelled


def test_mark_paid_refuses_an_order_that_is_not_pending(page: Page, demo: str):
    page.goto(f"{demo}/orders?flt_status=shipped&sort=id")
    wait_ready(page)
    order = page.locator(f"{TABLE} tbody tr").first.get_attribute("data-id")
    page.get_by_role("button", name=f"Mark paid row {order}", exact=True).click()
    dialog = page.get_by_role("dialog", name="Mark paid")
    expect(dialog).to_contain_text("Mark this order as paid?")
    dialog.locator(".modal-footer").get_by_role("button", name="Mark paid").click()
    expect(page.locator("#fhx-toasts-alert .fhx-toast-message").last).to_have_text(f"Order #{order} is shipped, not pending.")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(page.get_by_role("button", name=f"Mark paid row {order}", exact=True)).to_be_focused()
    expect(page.locator(f"{TABLE} tbody tr[data-id='{order}']")).to_contain_text("shipped")

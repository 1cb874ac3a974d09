"""CRUD views in the browser: the list's htmx search keeps the Create link's way back,
create/edit forms over htmx (errors in place, a ValidationError toast, an unchecked
checkbox saved as off), delete with its confirmation, back on the same list with a toast,
a polling status cell, and axe on every page."""

import re
from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import Page, expect

from helpers import assert_accessible, serve, wait_ready


@pytest.fixture(scope="module")
def crud(tmp_path_factory) -> Iterator[str]:
    db = tmp_path_factory.mktemp("crud") / "crud.db"
    process, url = serve(["tests/e2e/crud_views_app.py", "--db", str(db)], env={"AUTH_DISABLED": "1"})
    yield url
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def app(crud: str) -> str:
    """The app with its 25 seeded devices, whatever an earlier test changed."""
    httpx.post(crud + "/test/seed").raise_for_status()
    return crud


def open_page(page: Page, url: str) -> None:
    page.goto(url)
    wait_ready(page)


def toast(page: Page):
    return page.locator(".toast").last


def test_search_then_create_lands_back_on_the_searched_list(page: Page, app: str):
    open_page(page, app + "/devices")
    assert_accessible(page)
    page.get_by_label("Search").fill("edge-1")
    expect(page).to_have_url(re.compile(r"/devices\?q=edge-1$"))
    expect(page.locator("#devices-table tbody tr")).to_have_count(10)
    create = page.get_by_role("link", name="Create")
    expect(create).to_have_attribute("href", "/devices/create?next=%2Fdevices%3Fq%3Dedge-1")
    create.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Devices: new record")
    assert_accessible(page)
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#hostname")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#hostname-error")).to_have_text("This field is required.")
    page.locator("#hostname").fill("edge-1-new")
    page.get_by_role("button", name="Save").click()
    expect(page).to_have_url(app + "/devices?q=edge-1")
    expect(toast(page)).to_contain_text("Saved Device #26.")
    expect(page.locator("#devices-table tbody tr")).to_have_count(10)
    expect(page.locator("#devices-table-summary")).to_have_text("11 records")


def test_a_validation_error_is_a_danger_toast_and_keeps_what_was_typed(page: Page, app: str):
    open_page(page, app + "/devices/5/edit")
    page.locator("#hostname").fill("forbidden")
    page.get_by_role("button", name="Save").click()
    expect(toast(page)).to_contain_text("That hostname is reserved")
    expect(page.locator("#devices-form .alert-danger")).to_have_text("That hostname is reserved")
    expect(page.locator("#hostname")).to_have_value("forbidden")
    open_page(page, app + "/devices/5")
    expect(page.locator(".fhx-detail-list")).to_contain_text("edge-05")


def test_unchecking_a_checkbox_saves_it_as_off(page: Page, app: str):
    open_page(page, app + "/devices/3/edit?next=%2Fdevices%3Fpage%3D1")
    page.get_by_role("button", name="State").click()
    switch = page.get_by_role("switch", name="Is ha")
    expect(switch).to_be_checked()
    switch.uncheck()
    page.get_by_role("button", name="Save").click()
    expect(page).to_have_url(app + "/devices?page=1")
    open_page(page, app + "/devices/3/edit")
    page.get_by_role("button", name="State").click()
    expect(page.get_by_role("switch", name="Is ha")).not_to_be_checked()


def test_delete_asks_first_and_stays_on_the_same_page(page: Page, app: str):
    open_page(page, app + "/devices?page=2")
    row = page.locator('#devices-table tr[data-id="12"]')
    page.once("dialog", lambda dialog: dialog.dismiss())
    row.get_by_role("button", name="Delete row 12").click()
    expect(row).to_be_visible()
    page.once("dialog", lambda dialog: dialog.accept())
    row.get_by_role("button", name="Delete row 12").click()
    expect(page).to_have_url(app + "/devices?page=2")
    expect(toast(page)).to_contain_text("Deleted Device #12.")
    expect(page.locator('#devices-table tr[data-id="12"]')).to_have_count(0)
    expect(page.locator("#devices-table-summary")).to_have_text("24 records")


def test_the_detail_page_and_its_way_back(page: Page, app: str):
    open_page(page, app + "/devices?page=3")
    page.locator('#devices-table tr[data-id="21"]').get_by_role("link", name="View row 21").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Devices: #21")
    assert_accessible(page)
    page.get_by_role("link", name="Back").click()
    expect(page).to_have_url(app + "/devices?page=3")


def test_a_polling_status_cell_follows_the_row_until_it_is_terminal(page: Page, app: str):
    httpx.post(app + "/test/devices/2/status/deploying").raise_for_status()
    open_page(page, app + "/devices")
    cell = page.locator("#devices-table-poll-status-2")
    expect(cell).to_have_attribute("data-state", "polling")
    expect(cell).to_contain_text("deploying")
    httpx.post(app + "/test/devices/2/status/error").raise_for_status()
    expect(cell).to_have_attribute("data-state", "done")
    expect(cell).to_contain_text("error")

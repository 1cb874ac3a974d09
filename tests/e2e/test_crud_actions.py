"""Actions of CRUD views in Chromium: a reference bulk action over a selection kept across
pages (`{count}` in its confirm), the selection dropped when a filter changes, a
starlette-admin batch action whose dialog holds a form (Tab stays inside, Escape closes,
focus returns), the same over "all matching", a row action and a link row action, a row
action that reloads its detail page, and row actions as a dropdown from the keyboard. axe
on the list and the dialog."""

from collections.abc import Iterator
from urllib.parse import parse_qs

import httpx
import pytest
from playwright.sync_api import Page, expect

from helpers import assert_accessible, serve, swapped, wait_ready

TABLE = "#articles-table"


@pytest.fixture(scope="module")
def served(tmp_path_factory) -> Iterator[str]:
    db = tmp_path_factory.mktemp("actions") / "actions.db"
    process, url = serve(["tests/e2e/actions_app.py", "--db", str(db)], env={"AUTH_DISABLED": "1"})
    yield url
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def app(served: str) -> str:
    """The app with its 30 seeded articles, whatever an earlier test changed."""
    httpx.post(served + "/test/seed").raise_for_status()
    return served


def open_list(page: Page, url: str) -> None:
    page.goto(url)
    wait_ready(page)


def articles(app: str) -> dict[int, list]:
    return {int(k): v for k, v in httpx.get(app + "/test/articles").json().items()}


def box(page: Page, row_id: int):
    return page.locator(f"{TABLE} tbody tr[data-id='{row_id}'] input[data-fhx-select]")


def toast_text(page: Page, region: str = "status"):
    """The latest toast's text: "status" for success/info, "alert" for danger/warning."""
    return page.locator(f"#fhx-toasts-{region} .fhx-toast-message").last


def next_page(page: Page) -> None:
    with swapped(page, TABLE):
        page.locator("#articles-table-page-next").click()


def test_a_bulk_action_over_a_selection_kept_across_pages(page: Page, app: str):
    open_list(page, app + "/articles")
    box(page, 2).check()
    box(page, 3).check()
    next_page(page)
    box(page, 12).check()
    expect(page.locator(f"{TABLE} [data-fhx-bulk-count]")).to_have_text("3")
    with swapped(page, TABLE):
        page.locator("#articles-table-page-prev").click()
    expect(box(page, 2)).to_be_checked()
    expect(page.locator(f"{TABLE} [data-fhx-bulk-message]")).to_have_text("2 items on this page selected, 3 in all.")
    messages: list[str] = []
    page.once("dialog", lambda d: (messages.append(d.message), d.accept()))
    with page.expect_request("**/articles/bulk-archive") as posted:
        page.locator("#articles-table-bulk-menu").click()
        page.get_by_role("button", name="Archive Selected").click()
    assert messages == ["Archive 3 articles?"]
    assert sorted(parse_qs(posted.value.post_data)["ids"]) == ["12", "2", "3"]
    expect(toast_text(page)).to_have_text("Archived 3 articles")
    expect(page.locator(f"{TABLE} [data-fhx-bulk-menu]")).to_be_hidden()
    assert [row[0] for key, row in sorted(articles(app).items()) if key in (2, 3, 12, 4)] == ["archived", "archived", "draft", "archived"]


def test_changing_a_filter_drops_the_selection(page: Page, app: str):
    open_list(page, app + "/articles")
    box(page, 1).check()
    expect(page.locator(f"{TABLE} [data-fhx-bulk-count]")).to_have_text("1")
    with swapped(page, TABLE):
        page.locator("#articles-table-flt-status").select_option("draft")
    expect(page.locator(f"{TABLE} [data-fhx-bulk-menu]")).to_be_hidden()
    expect(page.locator(f"{TABLE} input[data-fhx-select]:checked")).to_have_count(0)


def test_a_batch_action_with_a_form_in_its_dialog_from_the_keyboard(page: Page, app: str):
    open_list(page, app + "/articles")
    box(page, 1).check()
    box(page, 2).check()
    page.locator("#articles-table-bulk-menu").click()
    opener = page.get_by_role("button", name="Publish with a note")
    opener.click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("heading")).to_have_text("Publish with a note")
    expect(dialog).to_contain_text("Publish 2 articles?")
    note = dialog.get_by_label("Note")
    expect(note).to_be_focused()
    assert_accessible(page)
    for _ in range(5):  # the close button, Note, Level, Publish, Close: round once
        page.keyboard.press("Tab")
        assert page.evaluate("() => document.querySelector('#admin-modal').contains(document.activeElement)")
    expect(note).to_be_focused()
    page.keyboard.press("Shift+Tab")
    expect(dialog.locator(".btn-close")).to_be_focused()
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(page.locator("#articles-table-bulk-menu")).to_be_focused()
    assert articles(app)[1] == ["draft", None]
    page.locator("#articles-table-bulk-menu").click()
    opener.click()
    expect(note).to_be_focused()
    page.keyboard.press("Enter")  # no note: ActionFailed, a danger toast, nothing written
    expect(toast_text(page, "alert")).to_have_text("Write a note first.")
    expect(dialog).to_be_visible()
    note.fill("checked")
    dialog.get_by_label("Level").select_option("high")
    note.press("Enter")
    expect(toast_text(page)).to_have_text("Published 2 articles")
    expect(dialog).to_be_hidden()
    expect(page.locator(f"{TABLE} [data-fhx-bulk-menu]")).to_be_hidden()
    expect(page.locator(f"{TABLE} tbody tr[data-id='1']")).to_contain_text("checked (high)")
    assert articles(app)[2] == ["published", "checked (high)"] and articles(app)[4][0] == "draft"


def test_a_batch_action_over_every_matching_row(page: Page, app: str):
    open_list(page, app + "/articles?flt_status=draft")
    expect(page.locator("#articles-table-summary")).to_have_text("20 records")
    page.locator("#articles-table-select-page").check()
    page.locator(f"{TABLE} [data-fhx-select-all]").click()
    expect(page.locator(f"{TABLE} [data-fhx-bulk-message]")).to_have_text("All 20 matching items are selected.")
    next_page(page)
    expect(page.locator(f"{TABLE} input[data-fhx-select]:checked")).to_have_count(10)
    page.locator("#articles-table-bulk-menu").click()
    with page.expect_request(lambda r: "/articles/action/delete/confirm" in r.url) as asked:
        page.get_by_role("button", name="Delete", exact=True).click()
    assert parse_qs(asked.value.url.split("?", 1)[1]) == {"selection": ["all"], "flt_status": ["draft"]}
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("Delete 20 selected items?")
    with page.expect_request(lambda r: r.method == "POST" and "/articles/action/delete" in r.url) as posted:
        dialog.get_by_role("button", name="Delete", exact=True).click()
    assert parse_qs(posted.value.post_data) == {"selection": ["all"]}
    expect(toast_text(page)).to_have_text("Deleted 20 items.")
    expect(page.locator("#articles-table-summary")).to_have_text("0 records")
    assert sorted(articles(app)) == list(range(3, 31, 3))  # the published ones are left


def test_a_row_action_and_a_link_row_action(page: Page, app: str):
    open_list(page, app + "/articles")
    row = page.locator(f"{TABLE} tbody tr[data-id='5']")
    row.get_by_role("button", name="Flag row 5").click()
    expect(toast_text(page)).to_have_text("Flagged")
    expect(page.locator(f"{TABLE} tbody tr[data-id='5']")).to_contain_text("flagged")
    link = page.locator(f"{TABLE} tbody tr[data-id='5']").get_by_role("link", name="Source row 5")
    expect(link).to_have_attribute("href", "/test/source/5")
    link.click()
    expect(page.locator("body")).to_have_text("source of article 5")


def test_a_row_action_on_the_detail_page_reloads_it(page: Page, app: str):
    open_list(page, app + "/articles/8")
    details = page.locator("main")
    expect(details).to_contain_text("draft")
    page.get_by_role("button", name="Flag row 8").click()
    expect(toast_text(page)).to_have_text("Flagged")  # the flash toast of the reloaded page
    expect(details).to_contain_text("flagged")
    expect(details).not_to_contain_text("draft")
    assert page.url == app + "/articles/8"


def test_row_actions_as_a_dropdown_from_the_keyboard(page: Page, app: str):
    open_list(page, app + "/article_menu")
    expect(page.locator("#article_menu-table tbody tr[data-id='7'] .btn-group")).to_have_count(0)
    toggle = page.get_by_role("button", name="Actions for row 7")
    toggle.focus()
    page.keyboard.press("Enter")
    menu = page.locator("#article_menu-table tbody tr[data-id='7'] .dropdown-menu")
    expect(menu).to_be_visible()
    labels = [text.strip() for text in menu.locator("li").all_inner_texts()]
    assert labels == ["View", "Edit", "Source", "Flag", "Delete"]
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    expect(menu.get_by_role("button", name="Flag")).to_be_focused()
    page.keyboard.press("Enter")
    expect(toast_text(page)).to_have_text("Flagged")
    assert articles(app)[7][0] == "flagged"
    assert_accessible(page)

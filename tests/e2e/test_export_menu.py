"""ExportMenu in Chromium: the dropdown by mouse and keyboard, its links carrying the
query, the links following a live table's search, header filter, dropdown filter and
sort, and the downloads (CSV and XLSX) holding exactly the rows the table matches; axe."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import openpyxl
from playwright.sync_api import Page, expect

from fasthx_ui import ListSource
from helpers import assert_accessible, open_story, swapped
from storybook.stories.table import PEOPLE, people


def link_query(page: Page, fmt: str, menu: str) -> dict[str, list[str]]:
    href = page.locator(f"{menu} a[data-format='{fmt}']").get_attribute("href")
    assert href is not None and urlsplit(href).path.endswith(f"/people/export/{fmt}")
    return parse_qs(urlsplit(href).query)


def expected_rows(query: dict[str, list[str]]) -> list[list[str]]:
    """The people the same query matches, as the table would list them, as text."""
    state = PEOPLE.parse({key: values[0] for key, values in query.items()})
    return [[str(c.value(row)) for c in PEOPLE.visible_columns] for row in ListSource(people(), PEOPLE).stream(state)]


def download(page: Page, menu: str, fmt: str) -> Path:
    page.locator(f"{menu} .dropdown-toggle").click()
    with page.expect_download() as info:
        page.locator(f"{menu} a[data-format='{fmt}']").click()
    assert info.value.suggested_filename == f"people.{fmt}"
    return Path(info.value.path())


def test_the_menu_opens_by_mouse_and_keyboard_and_its_links_carry_the_query(page: Page, storybook: str):
    open_story(page, storybook, "export_menu", "formats")
    button = page.locator("#story-export")
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(page.locator(".fhx-export-menu .dropdown-menu")).to_be_hidden()
    button.click()
    expect(button).to_have_attribute("aria-expanded", "true")
    items = page.locator(".fhx-export-menu .dropdown-item")
    expect(items).to_have_text(["CSV", "Excel (XLSX)"])
    assert link_query(page, "csv", ".fhx-export-menu") == {"q": ["ada"], "sort": ["name"]}
    assert_accessible(page)
    page.keyboard.press("Escape")
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(button).to_be_focused()
    page.keyboard.press("Enter")
    expect(items.first).to_be_visible()
    page.keyboard.press("ArrowDown")
    expect(items.first).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(items.nth(1)).to_be_focused()


def test_the_links_follow_the_live_table_and_the_files_hold_its_rows(page: Page, storybook: str):
    open_story(page, storybook, "export_menu", "with_table")
    expect(page.locator("#people tbody tr")).to_have_count(20)
    menu = "#people-export-menu"
    assert link_query(page, "csv", menu) == {}
    with swapped(page, "#people"):
        page.locator("#people-q").fill("lovelace")
    with swapped(page, "#people"):
        page.locator("#people-cf-email").fill("ada")
    with swapped(page, "#people"):
        page.locator("#people-flt-city").select_option("Oslo")
    with swapped(page, "#people"):
        page.locator("#people-sort-age").click()
    query = {"q": ["lovelace"], "cf_email": ["ada"], "flt_city": ["Oslo"], "sort": ["age"]}
    assert link_query(page, "csv", menu) == query == link_query(page, "xlsx", menu)
    expected = expected_rows(query)
    total = page.locator("#people-summary").inner_text()
    assert total == f"{len(expected)} records" and 0 < len(expected)
    shown = page.locator("#people tbody tr td:nth-child(1)").all_inner_texts()
    assert shown == [row[0] for row in expected][: len(shown)]

    text = download(page, menu, "csv").read_bytes().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0] == [c.label for c in PEOPLE.visible_columns]
    assert rows[1:] == expected

    sheet = openpyxl.load_workbook(io.BytesIO(download(page, menu, "xlsx").read_bytes()), read_only=True).worksheets[0]
    values = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    assert values[1:] == expected

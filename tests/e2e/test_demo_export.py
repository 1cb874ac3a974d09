"""The demo's Export menu in Chromium: next to Create, its links follow the live search,
header filter, dropdown filter and sort (the toolbar comes back out of band with every
table response), and the downloaded CSV and XLSX hold exactly the filtered list's rows."""

from __future__ import annotations

import csv
import io
from urllib.parse import parse_qs, urlsplit

import openpyxl
from playwright.sync_api import Page, expect

from helpers import swapped, wait_ready

TABLE = "customers-table"
MENU = "#customers-toolbar"


def link_query(page: Page, fmt: str) -> dict[str, list[str]]:
    href = page.locator(f"{MENU} a[data-format='{fmt}']").get_attribute("href")
    assert href is not None and urlsplit(href).path == f"/customers/export/{fmt}"
    return parse_qs(urlsplit(href).query)


def download(page: Page, fmt: str) -> tuple[str, bytes]:
    page.locator("#customers-export").click()
    with page.expect_download() as info:
        page.locator(f"{MENU} a[data-format='{fmt}']").click()
    return info.value.suggested_filename, open(info.value.path(), "rb").read()


def test_the_export_follows_the_live_list_and_holds_its_rows(page: Page, demo: str):
    page.goto(f"{demo}/customers")
    wait_ready(page)
    toolbar = page.locator(MENU)
    expect(toolbar.locator("a.btn", has_text="Create")).to_be_visible()
    expect(toolbar.locator("#customers-export")).to_have_text("Export")
    assert link_query(page, "csv") == {}
    with swapped(page, f"#{TABLE}"):
        page.locator(f"#{TABLE}-q").fill("turing")
    expect(toolbar.locator("a[data-format='csv']")).to_have_attribute("href", "/customers/export/csv?q=turing")
    with swapped(page, f"#{TABLE}"):
        page.locator(f"#{TABLE}-cf-email").fill("contact1")
    with swapped(page, f"#{TABLE}"):
        page.locator(f"#{TABLE}-sort-name").click()
    query = {"q": ["turing"], "cf_email": ["contact1"], "sort": ["name"]}
    assert link_query(page, "csv") == query == link_query(page, "xlsx")

    summary = page.locator(f"#{TABLE}-summary").inner_text()
    total = int(summary.split()[0].replace(",", ""))
    shown = page.locator(f"#{TABLE} tbody tr td:nth-child(1)").all_inner_texts()
    names = page.locator(f"#{TABLE} tbody tr td:nth-child(2)").all_inner_texts()
    assert 0 < len(shown) <= total

    name, data = download(page, "csv")
    assert name == "customers.csv"
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows[0] == ["ID", "Name", "Email", "Status", "Created"]
    assert len(rows) - 1 == total
    assert [r[0] for r in rows[1 : len(shown) + 1]] == shown and [r[1] for r in rows[1 : len(names) + 1]] == names
    assert all("turing" in r[1].lower() or "turing" in r[2].lower() for r in rows[1:])
    assert all("contact1" in r[2] for r in rows[1:])
    assert all("<" not in cell for r in rows for cell in r)  # the status formatter's badge is not in the file

    name, data = download(page, "xlsx")
    assert name == "customers.xlsx"
    sheet = openpyxl.load_workbook(io.BytesIO(data), read_only=True).worksheets[0]
    values = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    assert values == rows

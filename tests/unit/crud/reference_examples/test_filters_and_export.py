"""The reference's Column Filters and Export examples."""

import csv
import io

import openpyxl

from ..reference.models import Customer, Server


# --- Column Filters ---------------------------------------------------------------------------


def test_column_filters(client, db):
    db.add_all([Server(hostname="a", status="up", datacenter="DC1", os_type="linux"),
                Server(hostname="b", status="down", datacenter="DC2", os_type="bsd")])
    db.commit()
    page = client.get("/servers").text
    assert "Data Center" in page and "OS Type" in page and 'name="flt_datacenter"' in page
    filtered = client.get("/servers", params={"flt_datacenter": "DC2"}).text
    assert "https://b" in filtered and "https://a" not in filtered
    assert '<a href="https://b" target="_blank">b <i class="bi bi-box-arrow-up-right"></i></a>' in filtered
    db.add_all([Customer(name="Acme", currentstatus="live", region="North", sid="1"),
                Customer(name="Beta", currentstatus="trial", region="South", sid="2")])
    db.commit()
    page = client.get("/customers", params={"flt_region": "South"}).text
    assert "Beta" in page and "Acme" not in page


# --- Export ---------------------------------------------------------------------------------


def test_the_export_menu_sits_next_to_create_and_offers_the_views_formats(client):
    page = client.get("/customers").text
    toolbar = page[page.index('href="/customers/create"') - 600:page.index('href="/customers/create"') + 900]
    assert 'href="/customers/export/csv"' in toolbar and 'href="/customers/export/xlsx"' in toolbar
    servers = client.get("/servers").text
    assert 'href="/servers/export/csv"' in servers and "/servers/export/xlsx" not in servers
    assert client.get("/servers/export/xlsx").status_code == 404


def csv_rows(response):
    """The rows of a CSV export (written with a BOM, for spreadsheets)."""
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))


def test_csv_and_xlsx_hold_every_matching_row_in_the_lists_order(client, db):
    db.add_all([Customer(name=f"Acme {i}", email=f"a{i}@x.org", sid=str(i)) for i in range(30)]
               + [Customer(name="Beta", email="=1+2", sid="b")])
    db.commit()
    params = {"q": "Acme", "sort": "name", "order": "desc"}
    rows = csv_rows(client.get("/customers/export/csv", params=params))
    assert rows[0] == ["Id", "Name", "Email"]
    assert [row[1] for row in rows[1:]] == sorted((f"Acme {i}" for i in range(30)), reverse=True)  # not one page
    sheet = openpyxl.load_workbook(io.BytesIO(client.get("/customers/export/xlsx", params=params).content),
                                   read_only=True).worksheets[0]
    assert [[str(value) for value in row] for row in sheet.iter_rows(values_only=True)] == rows
    beta = csv_rows(client.get("/customers/export/csv", params={"q": "Beta"}))[1]
    assert beta[2] == "'=1+2"  # a formula a spreadsheet would run is neutralised


def test_the_export_respects_active_filters_and_writes_plain_values(client, db):
    db.add_all([Server(hostname="a", datacenter="DC1"), Server(hostname="b", datacenter="DC2")])
    db.commit()
    rows = csv_rows(client.get("/servers/export/csv", params={"flt_datacenter": "DC2"}))
    assert "Data Center" in rows[0] and "OS Type" in rows[0]
    assert len(rows) == 2 and rows[1][rows[0].index("Hostname")] == "b"  # the formatter's link is not written

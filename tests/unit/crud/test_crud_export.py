"""The CRUD export (`GET /{name}/export/{format}`) on SQLite and PostgreSQL: the file's
rows are the filtered list's rows, headers from column_list / column_labels, plain values
(never a formatter's HTML), formulas neutralised, scope() narrowing, the access check,
404 for formats the view does not offer, configuration errors, and the toolbar's menu."""

import csv
import html
import io
import re

import openpyxl
import pytest
from fastapi import FastAPI, Request
from fastapi.testclient import TestClient
from starlette.middleware.sessions import SessionMiddleware

from fasthx_ui.crud import Admin, CRUDView

from .conftest import OTHER_MARK
from .models import Device, DeviceStatus, Site
from .test_crud_bad_input import FILTER_VALUES

FILTERS = {"q": "edge", "flt_status": "online", "cf_site_id.name": "oslo", "sort": "hostname", "order": "desc"}


def list_ids(client, url, params):
    page = client.get(url, params={**params, "page_size": 100})
    assert page.status_code == 200
    return [int(i) for i in re.findall(r'<tr data-id="(\d+)"', page.text)]


def csv_rows(response):
    assert response.status_code == 200, response.text[:300]
    assert response.content.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))


def xlsx_rows(response):
    assert response.status_code == 200, response.text[:300]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_csv_rows_are_the_filtered_lists_rows_with_labelled_headers(client, devices):
    response = client.get("/devices/export/csv", params=FILTERS)
    assert response.headers["content-disposition"] == 'attachment; filename="devices.csv"'
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    rows = csv_rows(response)
    assert rows[0] == ["Id", "Hostname", "IP Address", "Status", "Site"]
    assert [int(r[0]) for r in rows[1:]] == list_ids(client, "/devices", FILTERS) == [4, 2]
    assert rows[1] == ["4", "edge-3", "10.0.0.3", "online", "1"]


def test_every_matching_row_is_exported_not_only_a_page(client, devices):
    rows = csv_rows(client.get("/devices/export/csv", params={"page": 2, "page_size": 5}))
    assert [int(r[0]) for r in rows[1:]] == [1, 2, 3, 4, 5, 6, 7]


def test_xlsx_rows_equal_the_csv_rows_with_numbers_as_numbers(client, devices):
    params = {"cf_hostname": "edge", "sort": "status"}
    sheet = xlsx_rows(client.get("/devices/export/xlsx", params=params))
    rows = csv_rows(client.get("/devices/export/csv", params=params))
    assert sheet[0] == rows[0]
    assert [[str(v) for v in row] for row in sheet[1:]] == rows[1:]
    assert [row[0] for row in sheet[1:]] == list_ids(client, "/devices", params)
    assert isinstance(sheet[1][0], int) and isinstance(sheet[1][4], int)


def test_a_formatters_html_never_reaches_a_cell(client, devices):
    for url in ("/devices/export/csv", "/site_archive/export/csv"):
        body = client.get(url).content.decode("utf-8-sig")
        assert "<" not in body and "href" not in body, url
    rows = csv_rows(client.get("/site_archive/export/csv", params={"sort": "name"}))
    assert rows == [["Id", "Site name"], ["2", "Bergen"], ["1", "Oslo"]]


def test_values_a_spreadsheet_would_run_are_neutralised(client, db, devices):
    hostile = ["=HYPERLINK(\"http://evil.example\",\"x\")", "+1+1", "-2", "@SUM(A1)", "\tcmd"]
    db.add_all([Device(hostname=name, ip_address="=1+1", status=DeviceStatus.ERROR) for name in hostile])
    db.commit()
    params = {"flt_status": "error"}
    rows = csv_rows(client.get("/devices/export/csv", params=params))
    assert [r[1] for r in rows[1:]] == ["'" + name for name in hostile]
    assert {r[2] for r in rows[1:]} == {"'=1+1"}
    assert {r[4] for r in rows[1:]} == {""}  # no site: an empty cell
    book = openpyxl.load_workbook(io.BytesIO(client.get("/devices/export/xlsx", params=params).content))
    cells = [cell for row in book.worksheets[0].iter_rows() for cell in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert [c.value for c in book.worksheets[0]["B"]][1:] == ["'" + name for name in hostile]


def test_bad_sort_and_filter_values_are_ignored_as_on_the_list(client, devices):
    bad = {"sort": "notes", "order": "sideways", "flt_status": "bogus", "cf_nope": "1", "flt_site_id": "abc",
           "page": "x", "cf_hostname": "\x00", "q": "x" * 500}
    response = client.get("/devices/export/csv", params=bad)
    assert [int(r[0]) for r in csv_rows(response)[1:]] == list_ids(client, "/devices", bad)
    huge = client.get("/devices/export/xlsx", params={"cf_site_id.name": "9" * 400, "flt_site_id": "9" * 40})
    assert huge.status_code == 200 and xlsx_rows(huge)[1:] == []


def test_every_filter_of_every_exported_list_takes_any_value(client, views, world):
    wrong = []
    for view in views.values():
        if not view.export_types:
            continue
        spec = view.table_spec
        params = [f"cf_{c.param}" for c in spec.columns if c.header_filter]
        params += [f"flt_{c.param}" for c in spec.columns if c.filter]
        for value in FILTER_VALUES:
            for name in [*params, "q", "sort", "order"]:
                response = client.get(f"/{view.name}/export/csv", params={name: value})
                if response.status_code != 200 or not response.content.startswith("\ufeff".encode()):
                    wrong.append((view.name, name, value[:20], response.status_code))
    assert wrong == []


def test_unknown_and_not_offered_formats_are_a_404_with_a_message(client, devices):
    page = client.get("/devices/export/pdf")
    assert page.status_code == 404 and 'cannot be exported as "pdf"; it offers csv, xlsx' in html.unescape(page.text)
    toast = client.htmx_get("/devices/export/json")
    assert toast.status_code == 404 and "it offers csv, xlsx" in toast.headers["HX-Trigger"]
    assert client.get("/site_archive/export/xlsx").status_code == 404
    assert client.get("/crud_customers/export/csv").status_code == 404  # no export_types: no route


def test_scope_narrows_the_export(client, world):
    for fmt in ("csv", "xlsx"):
        response = client.get(f"/tickets/export/{fmt}")
        body = response.content.decode("utf-8-sig") if fmt == "csv" else str(xlsx_rows(response))
        assert "Printer jam" in body and OTHER_MARK not in body.lower()
    rows = csv_rows(client.get("/tickets/export/csv", params={"q": OTHER_MARK}))
    assert rows == [["Id", "Title", "Link", "State", "Kind", "Project"]]


def test_the_export_needs_a_signed_in_user(client, devices):
    client.sign_out()
    page = client.get("/devices/export/csv", headers={"Accept": "text/html"})
    assert page.status_code == 303 and page.headers["location"].startswith("/login?next=")
    api = client.get("/devices/export/csv", headers={"Accept": "text/csv"})
    assert api.status_code == 401 and "edge-" not in api.text


class DottedView(CRUDView):
    model = Device
    name = "dotted_devices"
    column_list = ["id", "site.name", "site_id.region", "status"]
    column_labels = {"site.name": "Site", "site_id.region": "Region"}
    export_types = ["csv"]


def test_the_export_follows_dotted_paths_to_the_related_values(database, devices):
    app = FastAPI()
    app.add_middleware(SessionMiddleware, secret_key="test")

    @app.get("/test-login")
    async def test_login(request: Request):
        request.session["user"] = {"username": "dev", "groups": []}
        return {"ok": True}

    Admin(app).add_view(DottedView)
    with TestClient(app) as client:
        client.get("/test-login")
        rows = csv_rows(client.get("/dotted_devices/export/csv", params={"sort": "site.name"}))
    assert rows[0] == ["Id", "Site", "Region", "Status"]
    assert [r[1:3] for r in rows[1:]] == [["Bergen", "West"]] * 3 + [["Oslo", "East"]] * 4
    assert rows[1] == ["5", "Bergen", "West", "offline"]


def test_export_types_are_checked_when_the_view_is_configured(crud_app):
    templates = crud_app[1].templates

    class PdfView(CRUDView):
        model = Site
        name = "pdf_sites"
        export_types = ["csv", "pdf"]

    with pytest.raises(ValueError, match=r"PdfView.export_types: unknown export format 'pdf'"):
        PdfView(templates)

def test_the_toolbar_menu_carries_the_lists_search_filters_and_sort(client, devices):
    page = client.get("/devices").text
    assert re.search(r'<a class="dropdown-item" href="/devices/export/csv"', page)
    partial = client.htmx_get("/devices", params={"q": "edge", "cf_hostname": "1", "page": 2, "sort": "nope"}).text
    toolbar = partial[partial.index('id="devices-toolbar"'):]
    assert 'hx-swap-oob="true"' in toolbar[:200]
    hrefs = [html.unescape(h) for h in re.findall(r'class="dropdown-item" href="([^"]*)"', toolbar)]
    assert hrefs == ["/devices/export/csv?q=edge&cf_hostname=1", "/devices/export/xlsx?q=edge&cf_hostname=1"]
    assert "dropdown-item" not in client.get("/crud_customers").text

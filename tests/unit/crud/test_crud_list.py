"""The list page: rows, search, filters, header filters, sort, paging, warnings, the
htmx partial, row and bulk actions, select-all-ids and scope()."""

import html
import re

from .models import Note, Port


def rows(html):
    """The ids of the table's rows, in order."""
    return [int(i) for i in re.findall(r'<tr data-id="(\d+)"', html)]


def test_the_list_shows_a_page_of_rows_with_labels_and_formatters(client, devices):
    response = client.get("/devices")
    assert response.status_code == 200
    assert rows(response.text) == [1, 2, 3, 4, 5]
    assert ">IP Address" in response.text and ">Site" in response.text
    assert '<a href="/crud_sites/1">Oslo</a>' in response.text
    assert "7 records" in response.text


def test_search_looks_at_the_searchable_columns_only(client, devices):
    assert rows(client.get("/devices", params={"q": "edge-3"}).text) == [4]
    assert rows(client.get("/devices", params={"q": "10.0.0.5"}).text) == [6]
    assert rows(client.get("/devices", params={"q": "Oslo"}).text) == []


def test_dropdown_filter_of_an_enum_column(client, devices):
    page = client.get("/devices", params={"flt_status": "online"}).text
    assert rows(page) == [2, 4, 6]
    assert '<option value="online" selected' in page or 'value="online" selected' in page


def test_header_filter_through_a_foreign_key(client, devices):
    page = client.get("/devices", params={"cf_site_id.name": "berg"}).text
    assert rows(page) == [5, 6, 7]
    assert re.search(r'name="cf_site_id.name"\s+value="berg"', page)
    assert rows(client.get("/devices", params={"cf_hostname": "edge-1"}).text) == [2]


def test_sort_and_page_are_in_the_url(client, devices):
    page = client.get("/devices", params={"sort": "hostname", "order": "desc", "page": 2}).text
    assert rows(page) == [2, 1]


def test_bad_sort_page_and_filter_values_are_warnings_not_errors(client, devices):
    bad = {"sort": "notes", "page": "x", "flt_status": "bogus", "cf_nope": "1", "flt_site_id": "abc", "page_size": "-3"}
    response = client.get("/devices", params=bad)
    assert response.status_code == 200
    shown = html.unescape(response.text)
    assert 'Cannot sort by "notes"' in shown
    assert 'Page "x" is not a whole number' in shown
    assert '"bogus" is not a choice of Status' in shown
    assert 'There is no filter "nope"' in shown
    assert '"abc" is not a valid Site' in shown and "Page size -3 is too small" in shown
    assert 'Cannot sort by "ip_address"' in html.unescape(client.get("/devices", params={"sort": "ip_address"}).text)
    assert rows(response.text) == [1, 2, 3, 4, 5]
    assert rows(client.get("/devices", params={"page": 99}).text) == [6, 7]


def test_the_table_request_of_htmx_gets_the_table_and_the_toolbar_out_of_band(client, devices):
    response = client.htmx_get("/devices", params={"q": "edge", "page": 2})
    assert response.status_code == 200
    assert "<html" not in response.text
    assert response.text.lstrip().startswith('<div class="fhx-table" id="devices-table"')
    assert 'id="devices-toolbar"' in response.text and 'hx-swap-oob="true"' in response.text
    assert 'href="/devices/create?next=%2Fdevices%3Fq%3Dedge%26page%3D2"' in response.text


def test_row_actions_view_edit_custom_delete_carry_the_list_back(client, devices):
    page = client.get("/devices", params={"q": "edge"}).text
    back = "next=%2Fdevices%3Fq%3Dedge"
    assert f'href="/devices/1?{back}"' in page
    assert f'href="/devices/1/edit?{back}"' in page
    assert 'hx-post="/devices/1/deploy"' in page
    assert f'hx-post="/devices/1/delete?{back}"' in page and 'hx-confirm="Delete Device #1?"' in page


def test_permissions_hide_create_edit_and_delete(client, devices):
    page = client.get("/site_archive").text
    assert "/site_archive/create" not in page
    assert "/site_archive/1/edit" not in page and "/site_archive/1/delete" not in page
    assert 'href="/site_archive/1"' in page
    assert client.get("/site_archive/create").status_code == 403
    assert client.post("/site_archive/create", data={"name": "X"}).status_code == 403
    assert client.get("/site_archive/1/edit").status_code == 403
    assert client.post("/site_archive/1/delete").status_code == 403


def test_bulk_actions_and_select_all_ids_honour_search_and_filters(client, devices):
    page = client.get("/devices", params={"flt_status": "online"}).text
    assert "With selected" in page and 'hx-post="/devices/bulk-delete"' in page
    assert 'data-select-all-url="/devices/select-all-ids?flt_status=online"' in page
    assert client.get("/devices/select-all-ids", params={"flt_status": "online"}).json() == {"ids": [2, 4, 6], "total": 3}
    query = {"q": "edge", "cf_site_id.name": "oslo", "flt_status": "offline"}
    found = client.get("/devices/select-all-ids", params=query)
    assert found.json() == {"ids": [1, 3], "total": 2}


def test_scope_narrows_the_list_and_its_count(client, db):
    db.add_all([Note(tenant="dev", body="mine"), Note(tenant="other", body="theirs"), Note(tenant="dev", body="more")])
    db.commit()
    page = client.get("/notes").text
    assert "mine" in page and "theirs" not in page
    assert 'hx-get="/notes/count?' in page or 'hx-get="/notes/count"' in page  # counted after the rows
    assert client.get("/notes/count").text == "2 records"
    assert client.get("/notes/count", params={"q": "more"}).text == "1 record"
    assert client.get("/notes/select-all-ids").status_code == 404


def test_a_foreign_key_filter_offers_the_related_rows_in_use(client, db, devices):
    from .models import Site

    db.add(Site(name="Unused"))
    db.commit()
    page = client.get("/devices").text
    options = re.search(r'name="flt_site_id">(.*?)</select>', page, re.S).group(1)
    assert re.findall(r'<option value="(\d+)"\s*>([^<]*)</option>', options) == [("1", "Site: &lt;Site Oslo&gt;"), ("2", "Site: &lt;Site Bergen&gt;")]


def test_a_filter_of_a_listed_column_with_a_header_filter_elsewhere_is_its_own(client, devices):
    page = client.get("/devices", params={"flt_site_id": "2"}).text
    assert rows(page) == [5, 6, 7]
    assert 'name="flt_site_id"' in page


def test_search_and_filters_outside_the_list_use_hidden_columns(client, db, devices):
    db.add_all([Port(label="uplink", kind="sfp", device_id=2), Port(label="mgmt", kind="rj45", device_id=6)])
    db.commit()
    assert rows(client.get("/crud_ports", params={"q": "edge-5"}).text) == [2]  # the related row's text
    assert rows(client.get("/crud_ports", params={"q": "uplink"}).text) == [1]
    page = client.get("/crud_ports", params={"flt_kind": "rj45"}).text
    assert rows(page) == [2] and ">Kind</th>" not in page and 'name="flt_kind"' in page
    assert rows(client.get("/crud_ports", params={"flt_device_id": "2"}).text) == [1]
    assert rows(client.get("/crud_ports", params={"cf_device_id.ip_address": "10.0.0.5"}).text) == [2]
    archive = client.get("/site_archive", params={"cf_region": "we"}).text
    assert rows(archive) == [2] and ">Region</th>" not in archive
    assert rows(client.get("/site_archive", params={"q": "east"}).text) == [1]


def test_a_page_costs_the_same_statements_whatever_its_size(client, database, devices):
    from sqlalchemy import event

    statements = []

    def count(*args):
        statements.append(args[2])

    event.listen(database, "before_cursor_execute", count)
    try:
        client.get("/devices", params={"page_size": 5})
        small = len(statements)
        statements.clear()
        client.get("/devices", params={"page_size": 20})
        assert len(statements) == small
    finally:
        event.remove(database, "before_cursor_execute", count)
    assert not any("FROM crud_sites" in s and "WHERE crud_sites.id = " in s for s in statements)  # no lazy loads

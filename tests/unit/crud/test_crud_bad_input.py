"""The bad-input sweep: wrong numbers, dates, enums, foreign keys, text too long, bad ids
in the URL of every item route, bad pages, sorts and filters on every list, and LIKE
wildcards in searches. Each gets a clear message (a field error with the form kept, a
warning, a 404), never a 500, and a refused write leaves every row as it was."""

import html
import re

import pytest

from .models import Device, Site
from .sweep import send, snapshot, view_routes

HUGE = "99999999999999999999"

FIELD_CASES = [
    ("tickets", "priority", "abc", "Enter a number."),
    ("tickets", "priority", "1e999", "Enter a number."),
    ("tickets", "priority", HUGE, "Enter a number no larger than 2147483647."),
    ("tickets", "priority", "-" + HUGE, "Enter a number no smaller than -2147483648."),
    ("tickets", "priority", "NaN", "Enter a number."),
    ("tickets", "priority", "1.5", "Enter a whole number."),
    ("tickets", "budget", "1e999", "Enter a finite number."),
    ("tickets", "budget", "123456789", "Enter a number no larger than 99999999.99."),
    ("tickets", "budget", "NaN", "Enter a finite number."),
    ("tickets", "budget", "Infinity", "Enter a finite number."),
    ("tickets", "budget", "12,5", "Enter a number."),
    ("devices", "weight", "1e999", "Enter a finite number."),
    ("devices", "weight", "NaN", "Enter a finite number."),
    ("devices", "weight", "-inf", "Enter a finite number."),
    ("devices", "weight", "heavy", "Enter a number."),
    ("tickets", "due", "2024-13-45", "Enter a date like 2024-05-31."),
    ("tickets", "due", "yesterday", "Enter a date like 2024-05-31."),
    ("devices", "installed", "2024-02-30", "Enter a date like 2024-05-31."),
    ("devices", "last_seen", "2024-13-45T25:99", "Enter a date and time like 2024-05-31T14:30."),
    ("devices", "status", "nope", "is not one of: ONLINE, OFFLINE, ERROR."),
    ("devices", "site_id", "999", "Select one of the offered options."),
    ("devices", "site_id", "abc", "Select one of the offered options."),
    ("devices", "site_id", HUGE, "Select one of the offered options."),
    ("devices", "site_id", "-1", "Select one of the offered options."),
    ("devices", "ha_mode", "x" * 30, "Select one of the offered options."),
    ("tickets", "parent_id", "999", "Select one of the offered options."),
    ("tickets", "parent_id", "abc", "Select one of the offered options."),
    ("tickets", "project_id", "999", "Select one of the offered options."),
    ("tickets", "project_id", "abc", "Select one of the offered options."),
    ("tickets", "project_id", HUGE, "Select one of the offered options."),
    ("crud_ports", "device_id", "abc", "Select one of the offered options."),
    ("crud_ports", "device_id", "0", "Select one of the offered options."),
    ("tickets", "title", "x" * 101, "Use at most 100 characters (this has 101)."),
    ("tickets", "kind", "y" * 21, "Use at most 20 characters (this has 21)."),
    ("tickets", "link", "z" * 201, "Use at most 200 characters (this has 201)."),
    ("crud_sites", "name", "n" * 101, "Use at most 100 characters (this has 101)."),
    ("devices", "ip_address", "1" * 46, "Use at most 45 characters (this has 46)."),
    ("tickets", "title", "a\x00b", "Contains a character that is not allowed."),
    ("tickets", "title", "   ", "This field is required."),
    ("tags", "code", "c" * 21, "Use at most 20 characters (this has 21)."),
    ("tags", "code", "", "This field is required."),
]
GOOD = {  # a valid post of each view, the bad field replaces one of its values
    "tickets": {"title": "Fine", "priority": "3", "budget": "12.50", "due": "2024-05-31"},
    "devices": {"hostname": "edge-new", "status": "ONLINE", "weight": "1.5", "site_id": "1", "is_ha": "on",
                "ha_mode": "active-active"},
    "crud_ports": {"label": "p9", "device_id": "1"},
    "crud_sites": {"name": "Tromsø", "region": "North"},
    "tags": {"code": "blue", "label": "Blue"},
}


def field_html(page, name):
    match = re.search(rf'<div class="mb-3 fhx-field" data-fhx-field="{name}".*?\n</div>', page, re.S)
    return match.group(0) if match else ""


def test_a_bad_value_in_any_field_is_a_field_error_on_create_and_edit_and_writes_nothing(client, world, database):
    before = snapshot(database)
    wrong = []
    for view, field, value, message in FIELD_CASES:
        data = {**GOOD[view], field: value}
        for url in (f"/{view}/create", f"/{view}/{world['own'][view]}/edit"):
            for response in (client.htmx_post(url, data=data), client.post(url, data=data)):
                shown = html.unescape(field_html(response.text, field))
                kept = value.strip() if value.strip() and "\x00" not in value else ""
                if response.status_code != 422 or message not in shown or (kept and f'value="{kept}"' not in shown
                                                                             and f">{kept}</textarea>" not in shown
                                                                             and "<select" not in shown):
                    wrong.append((url, field, value[:30], response.status_code, re.sub(r"\s+", " ", shown)[-300:]))
    assert wrong == []
    assert snapshot(database) == before


def test_the_good_posts_of_the_bad_input_sweep_are_saved(client, world, database):
    for view, data in GOOD.items():
        response = client.htmx_post(f"/{view}/create", data=data)
        assert response.status_code == 200 and "HX-Redirect" in response.headers, (view, response.text[:500])


def test_a_text_primary_key_is_typed_in_and_a_duplicate_is_refused(client, world, database):
    before = snapshot(database)
    duplicate = client.htmx_post("/tags/create", data={"code": "red", "label": "Again"})
    assert duplicate.status_code == 409 and "Could not save" in html.unescape(duplicate.text)
    assert snapshot(database) == before
    assert client.get("/tags/red").status_code == 200 and client.get("/tags/blue").status_code == 404


BAD_IDS = ["abc", "-1", "0", HUGE, "%00", "1.5", "1e3", "%20", "0x1"]


def framework_item_routes(admin):
    """The item routes the preset registers itself (custom endpoints are the app's own)."""
    return [route for route in view_routes(admin)
            if route.has_id and route.enabled and route.route.name.startswith(f"{route.view.name}:")]


def test_a_bad_id_is_a_404_with_a_message_on_every_item_route(client, crud_app, world, database):
    before = snapshot(database)
    wrong = []
    routes = framework_item_routes(crud_app[1])
    assert {route.route.name.split(":")[1] for route in routes} >= {"detail", "edit", "edit_post", "delete", "poll_state"}
    for route in routes:
        for bad in BAD_IDS:
            url = route.url(bad)
            page = send(client, route, url, "page", data={"title": "x", "name": "x", "hostname": "x"})
            htmx = send(client, route, url, "htmx", data={"title": "x", "name": "x", "hostname": "x"})
            if page.status_code != 404 or htmx.status_code != 404:
                wrong.append((route, bad, page.status_code, htmx.status_code))
            elif not route.route.name.endswith(("poll_status", "poll_state")) and (
                    "there is no record" not in html.unescape(page.text)
                    or "there is no record" not in htmx.headers.get("HX-Trigger", "")):
                wrong.append((route, bad, "no message"))
    assert wrong == []
    assert snapshot(database) == before


def test_custom_item_endpoints_answer_bad_ids_without_a_server_error(client, crud_app, world, database):
    before = snapshot(database)
    wrong = []
    for route in view_routes(crud_app[1]):
        if not route.has_id or route.route.name.startswith(f"{route.view.name}:"):
            continue
        for bad in ["abc", "-1", "%00", "1.5"]:
            response = send(client, route, route.url(bad), "htmx")
            if response.status_code >= 500:
                wrong.append((route, bad, response.status_code))
    assert wrong == []
    assert snapshot(database) == before


LIST_PARAMS = [
    ({"page": "-3"}, "Page -3 does not exist; showing page 1."),
    ({"page": "abc"}, 'Page "abc" is not a whole number; using 1.'),
    ({"page": str(10**12)}, "That page does not exist; showing page 1."),
    ({"page": "1.5"}, 'Page "1.5" is not a whole number; using 1.'),
    ({"page_size": "0"}, "Page size 0 is too small"),
    ({"page_size": HUGE}, f"Page size {HUGE} is too large"),
    ({"page_size": "x"}, 'Page size "x" is not a whole number'),
    ({"sort": "nope"}, 'Cannot sort by "nope"; using the default order.'),
    ({"sort": "id;drop table x"}, 'Cannot sort by "id;drop table x"'),
    ({"sort": "id", "order": "sideways"}, 'Sort order "sideways" is not asc or desc; using asc.'),
    ({"flt_nope": "1"}, 'There is no filter "nope"; it was ignored.'),
    ({"cf_nope": "1"}, 'There is no filter "nope"; it was ignored.'),
    ({"q": "x" * 10_000}, "The search was cut to 200 characters."),
]


def list_routes(admin):
    return [route for route in view_routes(admin) if route.route.name == f"{route.view.name}:list"]


def test_bad_list_parameters_are_warnings_on_every_list(client, crud_app, world):
    wrong = []
    routes = list_routes(crud_app[1])
    assert len(routes) == len(crud_app[1].views)
    for route in routes:
        for params, warning in LIST_PARAMS:
            for kind in ("page", "htmx"):
                response = client.get(route.path, params=params, headers={"HX-Request": "true"} if kind == "htmx" else {})
                if response.status_code != 200 or warning not in html.unescape(response.text):
                    wrong.append((route.path, params if len(str(params)) < 80 else "q=x*10000", kind, response.status_code))
    assert wrong == []


FILTER_VALUES = ["\x00", "a\x00b", HUGE, "-" + HUGE, "abc", "-1", "1.5", "NaN", "1e999", "2024-13-45", "%", "_",
                 "\\", "x" * 500, " "]


def test_every_filter_and_header_filter_of_every_list_takes_any_value(client, crud_app, world):
    wrong = []
    for route in list_routes(crud_app[1]):
        spec = route.view.table_spec
        params = [f"cf_{c.param}" for c in spec.columns if c.header_filter]
        params += [f"flt_{c.param}" for c in spec.columns if c.filter]
        for value in FILTER_VALUES:
            for name in [*params, "q", "sort"]:
                for url in (route.path, route.view.select_all_url, route.view.count_url):
                    if url:
                        response = client.get(url, params={name: value}, headers={"HX-Request": "true"})
                        if response.status_code != 200:
                            wrong.append((url, name, value[:20], response.status_code))
    assert wrong == []


def test_filters_of_each_column_type_find_their_rows(client, db, world):
    from datetime import date
    from decimal import Decimal

    from .models import Ticket

    typed = Ticket(tenant="dev", title="Typed", priority=3, budget=Decimal("12.50"), due=date(2024, 5, 31), urgent=True)
    db.add(typed)
    db.commit()
    for name, value, other in [("priority", "3", "4"), ("budget", "12.50", "12.51"), ("due", "2024-05-31", "2024-06-01"),
                               ("urgent", "true", None)]:
        for prefix in ("flt_", "cf_"):
            found = client.get("/tickets/select-all-ids", params={prefix + name: value}).json()["ids"]
            if prefix == "cf_" and name == "urgent":
                assert len(found) == 2  # a yes/no column cannot be filtered by text: the filter is ignored
                continue
            assert found == [typed.id], (prefix, name)
            if other:
                assert client.get("/tickets/select-all-ids", params={prefix + name: other}).json()["ids"] == []


@pytest.mark.parametrize("params, warning", [
    ({"sort": "notes"}, 'Cannot sort by "notes"'),  # not in column_sortable
    ({"sort": "site_id.name"}, 'Cannot sort by "site_id.name"'),
    ({"sort": "is_ha"}, 'Cannot sort by "is_ha"'),  # not a listed column
    ({"flt_status": "bogus"}, '"bogus" is not a choice of Status'),
    ({"flt_site_id": "abc"}, '"abc" is not a valid Site'),
    ({"flt_site_id": HUGE}, f'"{HUGE}" is not a valid Site'),
    ({"flt_hostname": "edge-1"}, 'There is no filter "hostname"'),  # a header filter, not a dropdown
    ({"cf_ip_address": "10"}, 'There is no filter "ip_address"'),
    ({"cf_site_id": "1"}, 'There is no filter "site_id"'),  # its header filter is site_id.name
])
def test_unsortable_columns_and_bad_filter_values_are_warnings(client, devices, params, warning):
    response = client.get("/devices", params=params)
    assert response.status_code == 200
    assert warning in html.unescape(response.text)
    assert re.findall(r'<tr data-id="(\d+)"', response.text) == ["1", "2", "3", "4", "5"]
    assert client.get("/devices/select-all-ids", params=params).json()["total"] == 7


def test_bad_parameters_of_count_select_all_and_ajax_routes_are_ignored(client, world):
    for params in [{"page": "-3"}, {"page": "abc"}, {"page": str(10**12)}, {"sort": "nope"}, {"flt_nope": "x"}]:
        assert client.get("/tickets/count", params=params).text == "1 record"
        assert client.get("/notes/count", params=params).text == "1 record"
        assert client.get("/tickets/select-all-ids", params=params).json()["total"] == 1
        assert client.get("/crud_ports/ajax/device_id", params=params).json()["items"][0]["value"] == "1"
    assert client.get("/crud_ports/ajax/device_id", params={"q": "x" * 10_000}).json()["items"] == []


@pytest.fixture
def wild(db, devices):
    """Devices whose names hold LIKE wildcards and a backslash."""
    oslo = db.get(Site, 1)
    db.add_all([Device(hostname="50%_off", site_id=oslo.id), Device(hostname="back\\slash", site_id=oslo.id),
                Device(hostname="edge_a", site_id=oslo.id)])
    db.commit()
    return {row.hostname: row.id for row in db.query(Device)}


@pytest.mark.parametrize("text, names", [
    ("%", ["50%_off"]),
    ("_", ["50%_off", "edge_a"]),
    ("%_", ["50%_off"]),
    ("\\", ["back\\slash"]),
    ("edge_", ["edge_a"]),
    ("EDGE_A", ["edge_a"]),
    ("[a-z]", []),
    ("*", []),
])
def test_like_wildcards_in_searches_and_header_filters_are_literal(client, wild, text, names):
    expected = sorted(wild[name] for name in names)
    for params in ({"cf_hostname": text}, {"q": text}):
        found = client.get("/devices/select-all-ids", params=params).json()["ids"]
        assert sorted(found) == expected, params
        page = client.get("/devices", params={**params, "page_size": 100})
        assert page.status_code == 200
        assert sorted(int(i) for i in re.findall(r'<tr data-id="(\d+)"', page.text)) == expected
    assert client.get("/devices", params={"cf_site_id.name": text}).status_code == 200
    assert client.get("/devices/select-all-ids", params={"cf_site_id.name": text}).json()["total"] == 0

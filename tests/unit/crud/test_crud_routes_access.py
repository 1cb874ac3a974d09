"""The access sweep: every route of every view of the test app, read from the routers (a
route added later is covered without touching this file), for anonymous users, users
outside the allow lists, disabled operations and another tenant's rows. A refused request
never writes anything."""

import json
import re
from urllib.parse import quote

import pytest

from .conftest import OTHER_MARK, CrudClient
from .sweep import FLAGS, READ, documented_permission, is_scoped, send, snapshot, view_routes


@pytest.fixture
def anonymous(crud_app, database):
    with CrudClient(crud_app[0], follow_redirects=False) as client:
        yield client.sign_in().sign_out()


@pytest.fixture
def routes(crud_app, world):
    """Every route of the app's views; the test data has a row for each of them."""
    found = list(view_routes(crud_app[1]))
    missing = {r.view.name for r in found} - set(world["own"])
    assert not missing, f"add rows of {missing} to the `world` fixture"
    return found


def test_the_sweep_meets_every_kind_of_route(routes):
    paths = {r.path for r in routes}
    for path in ["/tickets", "/tickets/create", "/tickets/count", "/tickets/select-all-ids", "/tickets/ajax/project_id",
                 "/tickets/{item_id}", "/tickets/{item_id}/edit", "/tickets/{item_id}/delete", "/tickets/{item_id}/state",
                 "/tickets/{item_id}/close", "/tickets/bulk-close", "/api/ticket-kinds", "/tickets/{item_id}/history",
                 "/devices/{item_id}/reset", "/crud_ports/ajax/device_id", "/notes/count", "/dashboard", "/tags/{item_id}"]:
        assert path in paths
    assert len(routes) > 60


def test_anonymous_users_are_sent_to_sign_in_on_every_route(anonymous, routes, world, database):
    before = snapshot(database)
    wrong = []
    for route in routes:
        url = route.url(world["own"][route.view.name])
        page = send(anonymous, route, url, "page")
        if page.status_code != 303 or page.headers.get("location") != f"/login?next={quote(url)}":
            wrong.append((route, "page", page.status_code, page.headers.get("location")))
        htmx = send(anonymous, route, url, "htmx")
        if htmx.status_code != 401 or not htmx.headers.get("HX-Redirect", "").startswith("/login?next="):
            wrong.append((route, "htmx", htmx.status_code))
        api = send(anonymous, route, url, "api")
        if api.status_code != 401 or "location" in api.headers:
            wrong.append((route, "api", api.status_code))
    assert wrong == []
    assert snapshot(database) == before


def test_users_outside_the_allow_lists_get_403_on_every_route(client, routes, world, database, monkeypatch, views):
    client.sign_in("bob", "/Sales")
    for view in views.values():
        monkeypatch.setattr(view, "allowed_users", ["ada"])
        monkeypatch.setattr(view, "allowed_groups", ["/NOC"])
    before = snapshot(database)
    wrong = []
    for route in routes:
        url = route.url(world["own"][route.view.name])
        page = send(client, route, url, "page")
        if page.status_code != 403 or f"You do not have access to {route.view.display_name}." not in page.text:
            wrong.append((route, "page", page.status_code))
        htmx = send(client, route, url, "htmx")
        toast = json.loads(htmx.headers.get("HX-Trigger", "{}")).get("showToast", {})
        if htmx.status_code != 403 or htmx.headers.get("HX-Reswap") != "none" or toast.get("type") != "danger":
            wrong.append((route, "htmx", htmx.status_code))
        if send(client, route, url, "api").status_code != 403:
            wrong.append((route, "api"))
    assert wrong == []
    assert snapshot(database) == before


@pytest.mark.parametrize("username, groups", [("ada", "/Sales"), ("carol", "/Sales,/NOC")])
def test_either_allow_list_grants_every_read_route(client, routes, world, monkeypatch, views, username, groups):
    client.sign_in(username, groups)
    for view in views.values():
        monkeypatch.setattr(view, "allowed_users", ["ada"])
        monkeypatch.setattr(view, "allowed_groups", ["/NOC"])
    refused = [route for route in routes if route.method == "GET" and route.permission == READ
               and send(client, route, route.url(world["own"][route.view.name]), "htmx").status_code in (401, 403)]
    assert refused == []


def test_each_route_checks_the_permission_the_route_table_documents(routes):
    wrong = [(route, route.permission) for route in routes
             if documented_permission(route.path) != READ and route.permission != documented_permission(route.path)]
    assert wrong == []
    assert {route.permission for route in routes} == {"read", "create", "edit", "delete"}


@pytest.mark.parametrize("permission", ["create", "edit", "delete"])
def test_a_disabled_operation_is_403_on_its_form_and_its_post(client, routes, world, database, monkeypatch, views, permission):
    for view in views.values():
        monkeypatch.setattr(view, FLAGS[permission], False)
    before = snapshot(database)
    wrong = []
    checked = set()
    for route in routes:
        url = route.url(world["own"][route.view.name])
        if route.permission == permission:
            checked.add(route.method)
            for kind in ("page", "htmx", "api"):
                response = send(client, route, url, kind, data={"title": "x", "name": "x", "hostname": "x"})
                if response.status_code != 403:
                    wrong.append((route, kind, response.status_code))
        elif route.method == "GET" and route.permission != READ and route.enabled:
            if send(client, route, url, "page").status_code != 200:  # the other operations stay open
                wrong.append((route, "still allowed"))
    assert wrong == []
    assert checked == {"GET", "POST"}  # delete's GET: the dialog of the `delete` batch action
    assert snapshot(database) == before


def item_routes_of_scoped_views(routes):
    return [route for route in routes if is_scoped(route.view) and route.has_id]


def test_another_tenants_row_is_a_404_on_every_item_route(client, routes, world, database):
    before = snapshot(database)
    wrong = []
    for route in item_routes_of_scoped_views(routes):
        url = route.url(world["other"][route.view.name])
        for kind in ("page", "htmx"):
            response = send(client, route, url, kind, data={"title": "hacked", "name": "hacked", "body": "hacked"})
            if response.status_code != 404 or OTHER_MARK in response.text + str(response.headers):
                wrong.append((route, kind, response.status_code))
    assert wrong == []
    assert snapshot(database) == before


def test_every_item_route_of_a_scoped_view_opens_the_users_own_row(client, routes, db):
    from .models import Note, Project, Ticket

    wrong = []
    for route in item_routes_of_scoped_views(routes):
        row = {"notes": Note(tenant="dev", body="fresh"), "projects": Project(tenant="dev", name="fresh"),
               "tickets": Ticket(tenant="dev", title="fresh")}[route.view.name]
        db.add(row)
        db.commit()
        response = send(client, route, route.url(row.id), "htmx")
        if response.status_code not in (200, 303):
            wrong.append((route, response.status_code))
    assert wrong == []


def test_another_tenants_rows_are_absent_from_every_collection_route(client, routes, world):
    seen = []
    for route in routes:
        if not is_scoped(route.view) or route.has_id or route.method != "GET":
            continue
        for kind in ("page", "htmx", "api"):
            response = send(client, route, route.url(world["own"][route.view.name]), kind)
            assert response.status_code == 200, (route, kind)
            if OTHER_MARK in response.text.lower():
                seen.append((route, kind, re.findall(rf".{{0,60}}{OTHER_MARK}.{{0,20}}", response.text.lower())))
    assert seen == []


def test_searches_filters_counts_and_selections_see_only_the_users_rows(client, world):
    own, other = world["own"]["tickets"], world["other"]
    assert client.get("/tickets/count").text == "1 record"
    assert client.get("/tickets/select-all-ids").json() == {"ids": [own], "total": 1}
    assert client.get("/tickets/select-all-ids", params={"q": OTHER_MARK}).json() == {"ids": [], "total": 0}
    assert [i["label"] for i in client.get("/tickets/ajax/project_id").json()["items"]] == ["<Project Apollo>"]
    assert client.get("/tickets/ajax/project_id", params={"q": OTHER_MARK}).json()["items"] == []
    for params in [{"q": OTHER_MARK}, {"cf_project_id.name": OTHER_MARK}, {"cf_title": OTHER_MARK},
                   {"flt_project_id": str(other["projects"])}, {"flt_kind": OTHER_MARK}]:
        assert '<tr data-id="' not in client.get("/tickets", params=params).text, params
    options = re.search(r'name="flt_project_id">(.*?)</select>', client.get("/tickets").text, re.S).group(1)
    assert "Apollo" in options and OTHER_MARK not in options
    form = client.get("/tickets/create").text
    assert "Printer jam" in form and OTHER_MARK not in form


@pytest.mark.parametrize("field, key", [("project_id", "projects"), ("parent_id", "tickets")])
def test_another_tenants_row_cannot_be_chosen_in_a_form(client, db, world, database, field, key):
    before = snapshot(database)
    other = str(world["other"][key])
    created = client.htmx_post("/tickets/create", data={"title": "Mine too", field: other})
    edited = client.htmx_post(f"/tickets/{world['own']['tickets']}/edit", data={field: other})
    assert (created.status_code, edited.status_code) == (422, 422)
    assert "Select one of the offered options." in created.text and "Select one of the offered options." in edited.text
    assert snapshot(database) == before

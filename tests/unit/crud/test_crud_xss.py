"""The escaping sweep: hostile text written through the forms into every text column of
every view (and so into the names of related rows shown by `__repr__` in selects, filters
and ajax options) comes out as text on every GET route of every view (read from the
routers), full page and htmx partial, and in echoed input, form errors, toasts and the
dashboard. No raw payload ever appears; the escaped form does where the value is shown."""

import json
import re
from urllib.parse import quote

import pytest
from markupsafe import escape
from sqlalchemy import func, select

from .models import Customer, Device, Note, Port, Project, Site, Tag, Ticket
from .sweep import send, snapshot, view_routes

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
JS_URL = "javascript:alert(1)"
TEMPLATE = "{{7*7}}"
SHORT = '"><b onclick=1>'  # for String(20) columns
PAYLOADS = [SCRIPT, IMG, JS_URL, TEMPLATE]
RAW = ["<script>alert(1)", "<img src=x", "<b onclick=1>"]
JS_ATTRIBUTE = re.compile(r"""(?i)\b(href|src|action|formaction|hx-get|hx-post|data-url)\s*=\s*["']?\s*javascript:""")


def assert_safe(text, where):
    """No payload is raw markup, no attribute is a javascript: URL, no template ran."""
    for raw in RAW:
        assert raw not in text, f"{where}: raw {raw!r}"
    assert not JS_ATTRIBUTE.search(text), f"{where}: a javascript: URL in an attribute"


def assert_shown(text, payload, where):
    assert str(escape(payload)) in text, f"{where}: {payload!r} is not shown escaped"


def newest(db, model):
    db.expire_all()
    return db.scalar(select(func.max(model.id)))


def write(client, db, url, model, data, key=None):
    """Post a create form; return the new row's id (`key` for a primary key the form sets)."""
    before = db.scalar(select(func.count()).select_from(model))
    response = client.htmx_post(url, data=data)
    assert response.status_code == 200 and "HX-Redirect" in response.headers, (url, response.status_code, response.text[:300])
    assert db.scalar(select(func.count()).select_from(model)) == before + 1
    return key if key is not None else newest(db, model)


@pytest.fixture
def hostile(client, db):
    """Per payload, a row of every model written through its create form, each text
    column holding the payload; returns {payload: {view name: id}}."""
    made = {}
    for n, payload in enumerate(PAYLOADS):
        ids = {}
        ids["crud_sites"] = ids["site_archive"] = write(client, db, "/crud_sites/create", Site,
                                                        {"name": payload, "region": payload})
        ids["devices"] = write(client, db, "/devices/create", Device, {
            "hostname": payload, "ip_address": payload, "notes": payload, "status": "ONLINE",
            "site_id": str(ids["crud_sites"])})
        ids["crud_customers"] = write(client, db, "/crud_customers/create", Customer, {"name": payload, "email": payload})
        ids["crud_ports"] = write(client, db, "/crud_ports/create", Port, {
            "label": payload, "kind": SHORT, "device_id": str(ids["devices"])})
        ids["notes"] = write(client, db, "/notes/create", Note, {"tenant": "dev", "body": payload})
        ids["projects"] = write(client, db, "/projects/create", Project, {"name": payload})
        ids["tickets"] = write(client, db, "/tickets/create", Ticket, {
            "title": payload, "link": payload, "body": payload, "state": payload, "kind": SHORT,
            "project_id": str(ids["projects"]), "parent_id": str(newest(db, Ticket) or "")})
        ids["tags"] = write(client, db, "/tags/create", Tag, {"code": f"tag-{n}", "label": payload}, key=f"tag-{n}")
        made[payload] = ids
    return made


def test_every_get_route_of_every_view_escapes_stored_payloads(client, crud_app, hostile):
    checked = 0
    for route in view_routes(crud_app[1]):
        if route.method != "GET" or not route.enabled:
            continue
        for payload, ids in hostile.items():
            url = route.url(ids[route.view.name])
            for kind in ("page", "htmx"):
                response = send(client, route, url, kind)
                assert response.status_code == 200, (route, kind, response.status_code)
                if response.headers["content-type"] == "application/json":
                    response.json()  # data, not markup: the widget shows its labels as text
                elif response.headers.get("content-disposition", "").startswith("attachment"):
                    # a download (the export): a file of data, which the browser never renders as a page
                    assert not response.headers["content-type"].startswith("text/html"), route
                    assert response.headers["x-content-type-options"] == "nosniff", route
                else:
                    assert response.headers["content-type"].startswith(("text/html", "text/plain")), route
                    assert_safe(response.text, f"{kind} {url}")
                checked += 1
            if not route.has_id:
                break  # a collection route shows every payload at once
    assert checked > 100


def test_each_page_shows_the_payload_as_text(client, hostile):
    for payload, ids in hostile.items():
        pages = {
            "device list": "/devices?page_size=100", "ticket list": "/tickets?page_size=100", "site archive": "/site_archive",
            "device detail": f"/devices/{ids['devices']}", "ticket detail": f"/tickets/{ids['tickets']}",
            "device edit": f"/devices/{ids['devices']}/edit", "ticket edit": f"/tickets/{ids['tickets']}/edit",
            "port edit (ajax label)": f"/crud_ports/{ids['crud_ports']}/edit",
            "device create (FK select)": "/devices/create", "ticket create (FK select)": "/tickets/create",
            "ticket summary": f"/tickets/{ids['tickets']}/summary", "dashboard": "/dashboard",
        }
        for where, url in pages.items():
            page = client.get(url).text
            assert_safe(page, where)
            assert_shown(page, payload, where)
        partial = client.htmx_get("/tickets", params={"page_size": 100}).text
        assert "<html" not in partial and str(escape(payload)) in partial
        assert_safe(partial, "ticket list partial")


def test_related_rows_are_named_as_text_in_selects_filters_and_options(client, hostile):
    device_form, device_list, ticket_list = (client.get(url).text for url in ("/devices/create", "/devices", "/tickets"))
    for payload in hostile:
        named = str(escape(f"<Site {payload}>"))
        assert f">{named}</option>" in device_form  # the FK select
        assert f">Site: {named}</option>" in device_list  # the FK dropdown filter
        assert f">Project: {escape(f'<Project {payload}>')}</option>" in ticket_list
        options = client.get("/crud_ports/ajax/device_id", params={"q": payload})
        assert options.headers["content-type"] == "application/json"
        assert f"<Device {payload}>" in [item["label"] for item in options.json()["items"]]  # text; the widget escapes
    assert f">Kind: {escape(SHORT)}</option>" in ticket_list  # distinct values
    kinds = client.get("/api/ticket-kinds").text
    assert_safe(kinds, "dropdown_options.html")
    assert f">{escape(SHORT)}</option>" in kinds


def test_a_polling_cell_shows_its_value_as_text(client, hostile):
    for payload, ids in hostile.items():
        cell = client.htmx_get(f"/tickets/{ids['tickets']}/state")
        assert cell.status_code == 200 and 'hx-trigger="every 5s"' in cell.text
        assert_safe(cell.text, "polling cell")
        assert_shown(cell.text, payload, "polling cell")


@pytest.mark.parametrize("payload", PAYLOADS)
def test_echoed_list_parameters_are_escaped(client, crud_app, world, payload):
    lists = {route.view.list_url for route in view_routes(crud_app[1])}
    for url in sorted(lists):
        for params in [{"q": payload}, {"sort": payload, "order": payload, "page": payload, "page_size": payload},
                       {f"cf_{payload}": payload, f"flt_{payload}": payload}, {"cf_title": payload, "flt_kind": payload,
                                                                              "cf_hostname": payload, "flt_status": payload}]:
            for kind in ("page", "htmx"):
                response = client.get(url, params=params, headers={"HX-Request": "true"} if kind == "htmx" else {})
                assert response.status_code == 200, (url, params)
                assert_safe(response.text, f"{kind} {url} {params}")
    searched = client.get("/tickets", params={"q": payload}).text
    assert f'value="{escape(payload)}"' in searched


def test_a_form_with_errors_echoes_what_was_typed_as_text(client, database):
    before = snapshot(database)
    typed = {"title": SCRIPT, "link": JS_URL, "body": IMG, "state": TEMPLATE, "kind": SHORT, "priority": "abc"}
    for response in (client.htmx_post("/tickets/create", data=typed), client.post("/tickets/create", data=typed)):
        assert response.status_code == 422
        assert "Enter a number." in response.text
        assert_safe(response.text, "form after an error")
        for value in typed.values():
            assert_shown(response.text, value, "form after an error")
    assert snapshot(database) == before


def test_a_validation_error_with_markup_is_shown_as_text(client, database):
    before = snapshot(database)
    response = client.htmx_post("/tickets/create", data={"title": f"reject {SCRIPT}"})
    assert response.status_code == 422
    message = str(escape(f"<b>Refused</b>: reject {SCRIPT}"))
    assert f'data-fhx-form-error="{message}"' in response.text and f">{message}</div>" in response.text
    assert_safe(response.text, "ValidationError form")
    assert "<b>Refused" not in response.text
    assert snapshot(database) == before


def test_toasts_carry_markup_as_text_in_their_headers_and_flashes(client, db, database):
    db.add(Ticket(tenant="dev", title=f"keep {SCRIPT}"))
    db.commit()
    before = snapshot(database)
    refused = client.htmx_post("/tickets/1/delete")
    assert refused.status_code == 422 and refused.headers["HX-Reswap"] == "none"
    for header in ("HX-Trigger", "X-Toast"):
        assert "<" not in refused.headers[header] and ">" not in refused.headers[header]
    assert json.loads(refused.headers["HX-Trigger"])["showToast"]["message"] == f"<b>Kept</b>: keep {SCRIPT}"
    plain = client.post("/tickets/1/delete")
    assert plain.status_code == 303
    landed = client.get(plain.headers["location"]).text
    assert_safe(landed, "the page after a refused delete")
    assert "&lt;b&gt;Kept&lt;/b&gt;" in landed or "\\u003cb\\u003eKept" in landed
    assert snapshot(database) == before
    closed = client.htmx_post("/tickets/1/close")
    assert "<" not in closed.headers["HX-Trigger"]
    assert json.loads(closed.headers["HX-Trigger"])["showToast"]["message"] == f"Closed keep {SCRIPT}"


def test_a_typed_in_key_cannot_point_row_actions_at_another_route(client, db, world):
    db.add(Tag(code="../crud_sites/1", label="climber"))
    db.commit()
    page = client.get("/tags").text
    assert "/tags/../" not in page
    assert 'href="/tags/..%2Fcrud_sites%2F1"' in page and 'hx-post="/tags/..%2Fcrud_sites%2F1/delete"' in page


def test_a_missing_id_in_the_url_is_echoed_as_text(client, database):
    for url in [f"/tickets/{quote(IMG, safe='')}", f"/tickets/{quote(IMG, safe='')}/edit"]:
        page = client.get(url)
        assert page.status_code == 404
        assert_safe(page.text, url)
        assert str(escape(IMG)) in page.text
        toast = client.htmx_get(url)
        assert toast.status_code == 404 and "<" not in toast.headers["HX-Trigger"]


def test_a_hostile_username_is_shown_as_text(client, crud_app, world):
    client.sign_in(SCRIPT, "/Edge-Admins")
    for route in view_routes(crud_app[1]):
        if route.method == "GET" and not route.has_id and route.enabled and not route.needs_selection:
            page = send(client, route, route.url(), "page")
            assert page.status_code == 200
            assert_safe(page.text, route.path)
    assert str(escape(SCRIPT)) in client.get("/tickets").text

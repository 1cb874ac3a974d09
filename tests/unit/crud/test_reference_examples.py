"""The reference's examples (tests/unit/crud/reference/, only their imports changed) run on
fasthx_ui.crud: every route of that app answers as the reference documents it."""

import csv
import io
import json
import re
from datetime import date

import openpyxl

import pytest
from fastapi.testclient import TestClient

from ...oidc_provider import PASSWORD
from .reference import views as ref_views
from .reference.app import admin, app, create_own_templates_app
from .reference.models import (AuditLog, BuildStatus, Customer, Device, DeviceStatus, FortiEdge, LaunchPad, MyModel,
                               Offering, Orchestrator, Order, OrderStatus, Product, Region, Server, Site, Ticket,
                               VnfLicenses)


class RefClient(TestClient):
    """A client of the reference app that signs in through the app's own /login form
    (its `oidc_login` asks the test OpenID provider)."""

    def sign_in(self, username="dev"):
        answer = self.post("/login", data={"username": username, "password": PASSWORD})
        assert answer.status_code == 303 and answer.headers["location"] == "/dashboard"
        return self

    def htmx_get(self, url, **kwargs):
        return self.get(url, headers={"HX-Request": "true"}, **kwargs)

    def htmx_post(self, url, **kwargs):
        return self.post(url, headers={"HX-Request": "true"}, **kwargs)


@pytest.fixture
def anonymous(database, oidc_provider):
    with RefClient(app, follow_redirects=False) as client:
        yield client


@pytest.fixture
def client(anonymous):
    return anonymous.sign_in("dev")


def triggered(response):
    return json.loads(response.headers["HX-Trigger"])


def options(html):
    return re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', html)


# --- Authentication, Sidebar Visibility, Custom Navigation Links ----------------------


def test_login_page_is_public_and_renders_login_html(anonymous):
    page = anonymous.get("/login")
    assert page.status_code == 200
    assert page.template.name == "login.html"
    assert page.context["error"] is None and page.context["current_user"] is None
    assert 'name="username"' in page.text and 'name="password"' in page.text


def test_login_refused_shows_the_error_and_keeps_the_username(anonymous):
    page = anonymous.post("/login", data={"username": "dev", "password": "wrong"})
    assert page.status_code == 200
    assert page.context["error"] == "Invalid username or password"
    assert "Invalid username or password" in page.text and 'value="dev"' in page.text
    assert anonymous.get("/customers").status_code == 303


def test_signed_in_user_is_sent_on_from_login_and_logout_signs_out(client):
    assert client.get("/login").headers["location"] == "/dashboard"
    out = client.get("/logout")
    assert out.status_code == 303 and out.headers["location"] == "/login"
    assert client.get("/customers").headers["location"].startswith("/login?next=")


def test_root_redirects_to_the_dashboard(client):
    answer = client.get("/")
    assert answer.status_code == 307 and answer.headers["location"] == "/dashboard"


def test_anonymous_pages_go_to_sign_in(anonymous):
    for url in ("/customers", "/dashboard", "/edges/1/logs", "/reports"):
        answer = anonymous.get(url)
        assert answer.status_code == 303, url
        assert answer.headers["location"].startswith("/login"), url


def nav_names(page):
    return {category: [entry["name"] for entry in entries] for category, entries in page.context["nav_categories"].items()}


@pytest.mark.parametrize("username, sees, hidden", [
    ("dev", {"network_devices"}, {"internal_tools", "debug"}),
    ("admin", {"internal_tools", "debug"}, {"network_devices"}),
    ("noc", {"network_devices"}, {"internal_tools", "debug"}),
    ("guest", set(), {"internal_tools", "debug", "network_devices"}),
])
def test_sidebar_per_user(anonymous, username, sees, hidden):
    page = anonymous.sign_in(username).get("/dashboard")
    names = {name for entries in nav_names(page).values() for name in entries}
    assert sees <= names and not hidden & names
    assert {"customers", "devices", "edges", "dashboard", "reports", "docs"} <= names


def test_sidebar_groups_views_and_links_by_category(client):
    nav = nav_names(client.get("/dashboard"))
    assert nav["CRM"] == ["customers"]
    assert nav["Analytics"] == ["reports"] and nav["Tools"] == ["docs"]
    assert {"sites", "devices", "all_devices", "edges"} <= set(nav["Network"])
    assert {"orchestrators", "offerings", "servers", "launchpads", "audit_log", "orders", "tickets"} <= set(nav["Other"])
    devices = next(e for e in client.get("/dashboard").context["nav_categories"]["Network"] if e["name"] == "devices")
    assert devices == {"name": "devices", "url": "/devices", "display_name": "Network Devices", "icon": "hdd-network"}
    assert admin.get_nav_categories({"username": "admin", "groups": []})["Dev"][0]["url"] == "/debug"
    assert "Dev" not in admin.get_nav_categories({"username": "dev", "groups": []})


@pytest.mark.parametrize("username, url, status", [
    ("dev", "/internal_tools", 403), ("admin", "/internal_tools", 200),
    ("guest", "/network_devices", 403), ("noc", "/network_devices", 200),
    ("guest", "/network_devices/create", 403),
])
def test_allowed_lists_guard_the_routes_too(anonymous, username, url, status):
    assert anonymous.sign_in(username).get(url).status_code == status


def test_every_page_gets_the_documented_context(client):
    page = client.get("/customers")
    context = page.context
    assert context["current_user"] == {"username": "dev", "groups": ["/Edge-Admins"]}
    assert context["static_url"] == "/static/fasthx-admin"
    assert context["admin_title"] == "My Admin" and context["ai_chat_enabled"] is False
    assert "active_page" in context and "My Admin" in page.text
    assert admin.get_view("customers").display_name == "Customers"
    assert admin.get_view("devices").page_size == 25


# --- Defining Models, CRUDView Configuration --------------------------------------------


@pytest.fixture
def network(db):
    oslo, bergen = Site(name="Oslo"), Site(name="Bergen")
    db.add_all([oslo, bergen])
    db.flush()
    devices = [Device(hostname=f"edge-{i}", ip_address=f"10.0.0.{i}", site_id=(oslo if i < 3 else bergen).id,
                      status=DeviceStatus.ONLINE if i % 2 else DeviceStatus.OFFLINE, serial_number=f"SN{i}",
                      password="hunter2", api_key="key-123", deploy_progress=40) for i in range(5)]
    db.add_all(devices)
    db.commit()
    return oslo, bergen, devices


def test_device_list_columns_labels_and_formatters(client, network):
    oslo, _bergen, devices = network
    page = client.get("/devices")
    assert page.status_code == 200
    text = page.text
    headers = [re.sub(r"<[^>]+>|\s+", " ", h).strip() for h in re.findall(r'<th scope="col"[^>]*>(.*?)</th>', text, re.S)]
    assert headers[:5] == ["Id", "Hostname", "IP Address", "Status", "Site"]
    assert "<title>Network Devices" in text
    assert '<code>10.0.0.1</code>' in text
    assert '<span class="badge bg-success">Online</span>' in text
    assert '<span class="badge bg-secondary">Offline</span>' in text
    assert f'<a href="/sites/{oslo.id}">Oslo</a>' in text
    assert "SN1" not in text and "hunter2" not in text


def test_device_search_restricted_to_the_searchable_columns(client, network):
    assert "edge-3" in client.get("/devices?q=10.0.0.3").text
    page = client.get("/devices?q=SN3")
    assert "edge-3" not in page.text


def test_device_sort_allowed_and_refused(client, network):
    page = client.get("/devices?sort=hostname&order=desc")
    assert page.status_code == 200
    assert page.text.index("edge-4") < page.text.index("edge-0")
    assert client.get("/devices?sort=ip_address").status_code == 200  # not sortable: a warning, not an error


def test_column_exclude_shows_every_other_column(client, network):
    page = client.get("/all_devices")
    assert "SN0" in page.text and "hunter2" in page.text and "Deploy progress" not in page.text and "Api key" in page.text


def test_detail_columns_and_detail_exclusions(client, network):
    device = network[2][1]
    page = client.get(f"/devices/{device.id}")
    labels = [label for label, _value in page.context["items"]]
    assert labels == ["Id", "Hostname", "IP Address", "Serial number", "Status", "Site", "Created at", "Updated at"]
    assert "<code>10.0.0.1</code>" in page.text and '<span class="badge bg-success">Online</span>' in page.text
    page = client.get(f"/all_devices/{device.id}")
    labels = [label for label, _value in page.context["items"]]
    assert "Password" not in labels and "Api key" not in labels and "Created at" not in labels
    assert "Deploy progress" in labels and "Serial number" in labels


def test_form_columns_and_sections(client, network):
    page = client.get("/devices/create")
    assert page.status_code == 200
    assert [field.name for field in page.context["fields"]] == ["hostname", "ip_address", "status", "site_id", "device_id"]
    assert list(page.context["sections"]) == ["Device Info", "Status", "Relationships"]
    text = page.text
    assert text.index("Device Info") < text.index("Relationships")
    assert 'name="serial_number"' not in text
    assert '<option value="ONLINE">online</option>' in text and "&lt;Site Oslo&gt;" in text


def test_device_create_and_edit_with_enum_and_foreign_keys(client, network, db):
    oslo, _bergen, devices = network
    answer = client.post("/devices/create", data={"hostname": "edge-9", "ip_address": "10.0.0.9", "status": "ONLINE",
                                                  "site_id": str(oslo.id), "device_id": str(devices[0].id)})
    assert answer.status_code == 303
    created = db.query(Device).filter_by(hostname="edge-9").one()
    assert (created.status, created.site_id, created.device_id) == (DeviceStatus.ONLINE, oslo.id, devices[0].id)
    assert client.post(f"/devices/{created.id}/edit", data={"status": "ERROR"}).status_code == 303
    db.expire_all()
    assert db.get(Device, created.id).status == DeviceStatus.ERROR


def test_field_types_from_the_column_types(client, db):
    page = client.get("/launchpads/create").text
    assert re.search(r'<input[^>]*type="checkbox"[^>]*name="is_ha"|<input[^>]*name="is_ha"[^>]*type="checkbox"', page)
    page = client.get("/customers/create").text
    assert re.search(r'<input[^>]*type="date"[^>]*name="contract_end"|<input[^>]*name="contract_end"[^>]*type="date"', page)
    page = client.get("/my_models/create").text
    assert re.search(r'<textarea[^>]*name="body"', page)


def test_widget_overrides(client, db):
    page = client.get("/edges/create").text
    firmware = page.split('name="firmware_version"')[1].split("</select>")[0]
    assert options(firmware) == [("", "Select…"), ("6.4", "Version 6.4"), ("7.2", "Version 7.2"), ("7.4", "Version 7.4")]
    assert ">S/N" in page
    serial = re.search(r'<input[^>]*name="serial_number"[^>]*>', page).group(0)
    assert "required" not in serial
    assert 'placeholder="e.g. edge-001"' in page
    assert re.search(r'<textarea[^>]*name="notes"', page)
    customer = re.search(r'<select[^>]*name="customer_id"[^>]*>', page).group(0)
    assert 'hx-get="/api/options-for-customer"' in customer and 'hx-target="#orchestrator_id"' in customer
    assert 'hx-trigger="change"' in customer
    assert "Must be a public routable IP address" in page


def test_depends_on_and_description(client, db):
    page = client.get("/launchpads/create").text
    for field in ("ha_mode", "ha_switch_mode"):
        wrapper = re.search(rf'<div[^>]*data-fhx-field="{field}"[^>]*>', page).group(0)
        assert 'data-fhx-depends-on="is_ha"' in wrapper and "hidden" in wrapper
    assert ("active-standby", "Active-Standby") in options(page)
    assert ("automatic", "Automatic") in options(page)
    page = client.get("/customers/create").text
    assert "The Prisma tenant service group to associate with this customer" in page
    assert "Leave blank for month-to-month agreements" in page
    assert re.search(r'<select[^>]*name="prisma_tsg_id"', page)


def test_depends_on_fields_are_saved(client, db):
    answer = client.post("/launchpads/create", data={"name": "LP1", "is_ha": "on", "ha_mode": "active-active",
                                                     "ha_switch_mode": "manual"})
    assert answer.status_code == 303
    pad = db.query(LaunchPad).one()
    assert (pad.is_ha, pad.ha_mode, pad.ha_switch_mode) == (True, "active-active", "manual")


# --- AJAX Select --------------------------------------------------------------------------


@pytest.fixture
def servers(db):
    rows = [Server(hostname=f"ucpe-{i:02d}", ipaddress=f"192.168.0.{i}") for i in range(12)]
    rows.append(Server(hostname="core-router", ipaddress="172.16.0.1"))
    db.add_all(rows)
    db.commit()
    return rows


def test_ajax_select_pages_and_search(client, servers):
    first = client.get("/offerings/ajax/serverid", params={"q": "", "page": 1})
    assert first.status_code == 200
    body = first.json()
    assert set(body) >= {"items", "more", "next"}
    assert len(body["items"]) == 10 and body["more"] is True
    assert set(body["items"][0]) >= {"value", "label"} and isinstance(body["items"][0]["value"], str)
    assert body["next"].startswith("/offerings/ajax/serverid?") and "page=2" in body["next"]
    last = client.get(body["next"]).json()
    assert len(last["items"]) == 3 and last["more"] is False and last["next"] is None
    found = client.get("/offerings/ajax/serverid", params={"q": "CORE"}).json()
    assert [item["label"] for item in found["items"]] == ["<Server core-router>"]


def test_ajax_select_on_the_form_and_its_placeholder(client, servers):
    page = client.get("/offerings/create").text
    assert "Please select uCPE" in page and "/offerings/ajax/serverid" in page
    orders = client.get("/orders/ajax/customer_id", params={"q": "acme"})
    assert orders.status_code == 200 and orders.json() == {"items": [], "more": False, "next": None}


# --- Row Actions, Multi Row Actions, Cross-page selection, Polling, Permissions ---------------


@pytest.fixture
def edges(db):
    acme = Customer(name="Acme", email="ops@acme.test", sid="S1")
    db.add(acme)
    db.flush()
    rows = [FortiEdge(hostname=f"fe-{i}", serial_number=f"FGT{i}", status="deploying" if i else "online",
                      customer_id=acme.id) for i in range(3)]
    db.add_all(rows)
    db.add_all([Orchestrator(name="orch-a", customer_id=acme.id), Region(name="EMEA", customer_id=acme.id),
                Region(name="APAC", customer_id=acme.id)])
    db.commit()
    return acme, rows


def test_row_actions_render_per_row(client, edges):
    edge = edges[1][1]
    text = client.get("/edges").text
    assert f'hx-post="/edges/{edge.id}/deploy"' in text
    deploy = re.search(rf'<button[^>]*hx-post="/edges/{edge.id}/deploy"[^>]*>', text).group(0)
    assert 'hx-target="closest tr"' in deploy and 'hx-swap="afterend"' in deploy and "btn-outline-success" in deploy
    reset = re.search(rf'<button[^>]*hx-post="/edges/{edge.id}/reset"[^>]*>', text).group(0)
    assert 'hx-swap="outerHTML"' in reset and "Reset this edge device?" in reset
    link = re.search(rf'<a[^>]*href="/edges/{edge.id}/template/download"[^>]*>', text).group(0)
    assert "Download onboarding template?" in link and " download " in link and " hx-" not in link
    manual = re.search(rf'<a[^>]*href="https://docs.example.org/edges/{edge.id}"[^>]*>', text).group(0)
    assert 'target="_blank"' in manual and "noopener" in manual
    assert f'hx-get="/edges/{edge.id}/template"' in text and f'hx-get="/edges/{edge.id}/logs"' in text
    assert re.search(rf'href="/edges/{edge.id}(\?[^"]*)?"', text)
    assert f"/edges/{edge.id}/edit" in text and f"/edges/{edge.id}/delete" in text


def test_deploy_toast_with_redirect_and_instance_state(client, edges):
    edge = edges[1][1]
    answer = client.htmx_post(f"/edges/{edge.id}/deploy")
    assert answer.status_code == 200 and answer.headers["HX-Redirect"] == "/edges"
    assert admin.get_view("edges").deploy_progress[edge.id] == {"progress": 0, "status": "deploying"}
    page = client.get("/edges")
    assert "Deployment started!" in page.text
    missing = client.htmx_post("/edges/999/deploy")
    assert missing.status_code == 404
    assert triggered(missing)["showToast"].items() >= {"message": "Edge not found", "type": "danger", "title": "Danger"}.items()


def test_reset_toast(client, edges, db):
    edge = edges[1][1]
    answer = client.htmx_post(f"/edges/{edge.id}/reset")
    assert triggered(answer)["showToast"]["type"] == "warning"
    db.expire_all()
    assert db.get(FortiEdge, edge.id).status == "offline"


def test_polling_column_and_its_route(client, edges):
    edge = edges[1][1]
    text = client.get("/edges").text
    assert f'hx-get="/edges/{edge.id}/status"' in text and 'hx-trigger="every 5s"' in text
    cell = client.htmx_get(f"/edges/{edge.id}/status")
    assert cell.status_code == 200 and "deploying" in cell.text
    assert cell.template.name == "partials/status_cell.html"
    assert client.htmx_get("/edges/999/status").status_code == 404


def test_permissions_hide_buttons_and_refuse_routes(client, db):
    db.add(AuditLog(entity="customer", entity_id=1, action="created", user="dev"))
    db.commit()
    row = db.query(AuditLog).one()
    page = client.get("/audit_log").text
    assert "/audit_log/create" not in page and f"/audit_log/{row.id}/edit" not in page
    assert f"/audit_log/{row.id}/delete" not in page and f"/audit_log/{row.id}" in page
    assert client.get("/audit_log/create").status_code == 403
    assert client.post("/audit_log/create", data={"entity": "x"}).status_code == 403
    assert client.post(f"/audit_log/{row.id}/edit", data={"entity": "x"}).status_code == 403
    assert client.post(f"/audit_log/{row.id}/delete").status_code == 403
    assert db.query(AuditLog).count() == 1


@pytest.fixture
def offerings(db, servers):
    rows = [Offering(hostname=f"off-{i:02d}", ipaddress=f"10.9.0.{i}", serverid=servers[i % 3].id,
                     status="inactive") for i in range(25)]
    db.add_all(rows)
    db.commit()
    return rows


# The reference's bulk-delete passes the posted ids (strings) to `id.in_(...)`: PostgreSQL
# through psycopg 3 refuses integer = varchar, so this example runs on SQLite only.
@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_multi_row_actions_menu_and_bulk_delete(client, offerings, db):
    page = client.get("/offerings").text
    assert "data-fhx-select-page" in page and f'data-fhx-select value="{offerings[0].id}"' in page
    assert "Delete Selected" in page and "Activate Selected" in page
    assert "/offerings/bulk-delete" in page and "Delete {count} items?" in page
    ids = [str(o.id) for o in offerings[:3]]
    answer = client.htmx_post("/offerings/bulk-delete", data={"ids": ids})
    assert answer.status_code == 200
    assert triggered(answer)["showToast"].items() >= {"message": "Deleted 3 items", "type": "success"}.items()
    assert db.query(Offering).count() == 22
    answer = client.htmx_post("/offerings/bulk-activate", data={"ids": [str(offerings[5].id)]})
    assert triggered(answer)["showToast"]["message"] == "Activated 1 items"
    db.expire_all()
    assert db.get(Offering, offerings[5].id).status == "active"


def test_select_all_ids_follows_search_and_header_filters(client, offerings):
    everything = client.get("/offerings/select-all-ids").json()
    assert set(everything) == {"ids", "total"} and all(isinstance(i, int) for i in everything["ids"])
    assert everything["total"] == 25 and len(everything["ids"]) == 25
    on_server = client.get("/offerings/select-all-ids", params={"q": "ucpe-01"}).json()
    expected = sorted(o.id for o in offerings if o.serverid == offerings[1].serverid)
    assert sorted(on_server["ids"]) == expected and on_server["total"] == len(expected)
    filtered = client.get("/offerings/select-all-ids", params={"cf_serverid.hostname": "ucpe-02"}).json()
    assert filtered["total"] == len([o for o in offerings if o.serverid == offerings[2].serverid])
    by_ip = client.get("/offerings/select-all-ids", params={"cf_ipaddress": "10.9.0.2"}).json()
    assert by_ip["total"] == 6  # contains: 10.9.0.2 and 10.9.0.20 … 10.9.0.24
    assert client.get("/devices/select-all-ids").status_code in (404, 405)


def test_select_all_ids_respects_the_views_access(anonymous, offerings):
    assert anonymous.get("/offerings/select-all-ids", headers={"Accept": "application/json"}).status_code == 401


def test_header_filters_in_the_list(client, offerings):
    page = client.get("/offerings", params={"cf_serverid.hostname": "ucpe-00"})
    assert page.status_code == 200
    shown = set(re.findall(r"10\.9\.0\.\d+", page.text))
    assert shown and all(int(ip.rsplit(".", 1)[1]) % 3 == 0 for ip in shown)
    assert 'name="cf_ipaddress"' in page.text and 'name="cf_status"' in page.text


def test_search_through_a_whole_related_row(client, offerings):
    page = client.get("/offerings_by_server", params={"q": "192.168.0.1"})
    assert page.status_code == 200
    assert "off-01" in page.text and "off-00" not in page.text


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


# --- Custom Endpoints, Dependent Dropdowns --------------------------------------------------


def test_endpoint_with_hx_redirect(client, db):
    db.add(Orchestrator(name="orch-1"))
    db.commit()
    orch = db.query(Orchestrator).one()
    answer = client.htmx_post(f"/orchestrators/{orch.id}/build")
    assert answer.status_code == 200 and answer.headers["HX-Redirect"] == "/orchestrators"
    db.expire_all()
    assert db.get(Orchestrator, orch.id).build_status == BuildStatus.BUILDING
    assert client.htmx_post("/orchestrators/999/build").status_code == 404


def test_legacy_setup_endpoints_route(client, db):
    db.add(MyModel(name="thing"))
    db.commit()
    item = db.query(MyModel).one()
    answer = client.post(f"/my_models/{item.id}/action")
    assert answer.status_code == 200 and answer.text == "action on thing"
    client.get("/logout")
    assert client.post(f"/my_models/{item.id}/action", headers={"Accept": "application/json"}).status_code == 401


def test_dependent_dropdown_single_target(client, network):
    oslo = network[0]
    answer = client.htmx_get("/api/devices-for-site", params={"site_id": oslo.id})
    assert answer.status_code == 200
    assert [label for value, label in options(answer.text) if value] == ["edge-0", "edge-1", "edge-2"]
    assert [label for value, label in options(client.htmx_get("/api/devices-for-site").text) if value] == []
    form = client.get("/devices/create").text
    site = re.search(r'<select[^>]*name="site_id"[^>]*>', form).group(0)
    assert 'hx-get="/api/devices-for-site"' in site and 'hx-target="#device_id"' in site
    assert re.search(r'<select[^>]*id="device_id"', form)


def test_dependent_dropdown_multiple_targets(client, edges):
    acme = edges[0]
    answer = client.htmx_get("/api/options-for-customer", params={"customer_id": acme.id})
    assert answer.status_code == 200
    primary, _, rest = answer.text.partition("<hx-partial")
    assert [label for value, label in options(primary) if value] == ["orch-a"]
    assert 'hx-target="#region_id"' in rest
    assert [label for value, label in options(rest) if value] == ["EMEA", "APAC"]
    form = client.get("/edges/create").text
    assert re.search(r'<select[^>]*id="orchestrator_id"', form) and re.search(r'<select[^>]*id="region_id"', form)


# --- Toasts, Modals, Console ---------------------------------------------------------------------


def test_modal_response(client, edges):
    edge = edges[1][1]
    answer = client.htmx_get(f"/edges/{edge.id}/template")
    assert answer.status_code == 200
    assert answer.headers["HX-Retarget"] == "#admin-modal .modal-content"
    assert triggered(answer)["showModal"]["size"] == "modal-lg"
    assert f"Template — {edge.hostname}" in answer.text
    assert f"<pre># Generated config for {edge.hostname}</pre>" in answer.text
    assert f'href="/edges/{edge.id}/template/download"' in answer.text and "Close" in answer.text
    download = client.get(f"/edges/{edge.id}/template/download")
    assert download.headers["content-disposition"] == f'attachment; filename="{edge.hostname}.conf"'
    assert download.text.startswith("# Generated config")


def test_console_response(client, edges):
    edge = edges[1][1]
    answer = client.htmx_get(f"/edges/{edge.id}/logs")
    assert answer.headers["HX-Retarget"] == "#admin-modal .modal-content"
    assert triggered(answer)["showConsole"]["size"] == "modal-xl"
    assert "console-output" in answer.text and f"[INFO] Device {edge.hostname} booted" in answer.text
    colours = client.htmx_get("/edges/results").text
    assert "ansi-green" in colours and "\033" not in colours


def test_console_stream(client, edges):
    edge = edges[1][1]
    answer = client.htmx_post(f"/edges/{edge.id}/run-check")
    assert triggered(answer)["showConsole"] and f"/edges/{edge.id}/check-stream" in answer.text
    stream = client.get(f"/edges/{edge.id}/check-stream")
    assert stream.headers["content-type"].startswith("text/event-stream")
    events = [block for block in stream.text.split("\n\n") if block.strip()]
    assert len(events) == 5 and all(block.startswith("event: output") for block in events)
    assert "ansi-green" in events[0] and "Checking connectivity... OK" in events[1]


def test_modal_action_buttons_size_and_status(client, edges):
    edge = edges[1][1]
    answer = client.htmx_get(f"/edges/{edge.id}/choices")
    assert answer.status_code == 409 and triggered(answer)["showModal"]["size"] == "modal-sm"
    assert "Choose &lt;one&gt;" in answer.text and "<p>What next?</p>" in answer.text
    reset = re.search(rf'<button[^>]*hx-post="/edges/{edge.id}/reset"[^>]*>', answer.text).group(0)
    logs = re.search(rf'<button[^>]*hx-get="/edges/{edge.id}/logs"[^>]*>', answer.text).group(0)
    assert "btn btn-secondary" in reset and "btn btn-secondary" in logs  # the documented default css_class


def test_console_parameters_and_a_named_stream_event(client, edges):
    edge = edges[1][1]
    answer = client.htmx_get(f"/edges/{edge.id}/tail")
    assert answer.status_code == 202 and triggered(answer)["showConsole"]["size"] == "modal-lg"
    assert 'placeholder="edge&gt; "' in answer.text and 'hx-post="/edges/shell/exec"' in answer.text
    assert f'data-stream-url="/edges/{edge.id}/tail-stream"' in answer.text
    assert 'data-stream-event="log"' in answer.text
    assert "\033[33mraw" in answer.text and "ansi-yellow" not in answer.text  # ansi=False: the codes as written
    stream = client.get(f"/edges/{edge.id}/tail-stream").text
    assert stream.startswith("event: log") and "ansi-red" not in stream


def test_console_interactive_input(client):
    shell = client.htmx_get("/edges/shell")
    assert shell.status_code == 200 and 'hx-post="/edges/shell/exec"' in shell.text and "Ready." in shell.text
    answer = client.htmx_post("/edges/shell/exec", data={"command": "<ls>"})
    assert answer.text == "<pre>$ &lt;ls&gt;\necho: &lt;ls&gt;\n</pre>"


# --- Validation and lifecycle hooks ------------------------------------------------------------------


def test_validation_error_keeps_the_values_and_toasts(client, db):
    answer = client.htmx_post("/customers/create", data={"name": "A", "email": "a@x.test", "sid": "S9"})
    assert answer.status_code == 422
    assert 'data-fhx-form-error="Customer name must be at least 2 characters"' in answer.text
    assert 'value="a@x.test"' in answer.text and 'value="A"' in answer.text
    answer = client.post("/customers/create", data={"name": "Acme"})
    assert answer.status_code == 422 and "SID is required for new customers" in answer.text
    assert db.query(Customer).count() == 0


def test_after_hooks_write_the_audit_log(client, db):
    answer = client.post("/customers/create", data={"name": "Acme", "sid": "S1", "contract_end": "2027-01-31"})
    assert answer.status_code == 303
    customer = db.query(Customer).one()
    customer_id = customer.id
    assert customer.contract_end == date(2027, 1, 31)
    assert client.post(f"/customers/{customer.id}/edit", data={"name": "Acme Inc"}).status_code == 303
    assert client.post(f"/customers/{customer.id}/delete").status_code == 303
    db.expire_all()
    logged = [(row.entity_id, row.action, row.user) for row in db.query(AuditLog).order_by(AuditLog.id)]
    assert logged == [(customer_id, "created", "dev"), (customer_id, "updated", "dev"), (customer_id, "deleted", None)]


def test_on_model_delete_refuses(client, db):
    acme = Customer(name="Acme", sid="1")
    db.add(acme)
    db.flush()
    shipped, new = Order(customer_id=acme.id, status=OrderStatus.SHIPPED), Order(customer_id=acme.id)
    db.add_all([shipped, new])
    db.commit()
    refused = client.htmx_post(f"/orders/{shipped.id}/delete")
    assert triggered(refused)["showToast"]["message"] == "Cannot delete a shipped order"
    assert client.post(f"/orders/{new.id}/delete").status_code == 303
    db.expire_all()
    assert [o.id for o in db.query(Order)] == [shipped.id]


def test_on_model_change_sets_the_current_user(client, db):
    assert client.post("/tickets/create", data={"title": "Broken"}).status_code == 303
    assert db.query(Ticket).one().created_by == "dev"


def test_cross_table_validation_and_mutation(client, db, servers):
    forti, other = Product(name="Fortigate"), Product(name="Other")
    good, bad = VnfLicenses(license="Forti-VM"), VnfLicenses(license="Palo")
    db.add_all([forti, other, good, bad])
    db.commit()
    base = {"serverid": str(servers[3].id), "productid": str(forti.id)}
    refused = client.post("/offerings/create", data={**base, "hostname": "x", "vnflicensesid": str(bad.id)})
    assert refused.status_code == 422 and "Please select a Forti license" in refused.text
    refused = client.post("/offerings/create", data={**base, "hostname": "", "vnflicensesid": str(good.id)})
    assert refused.status_code == 422 and "Hostname is required" in refused.text
    saved = client.post("/offerings/create", data={**base, "hostname": "x", "vnflicensesid": str(good.id)})
    assert saved.status_code == 303
    assert db.query(Offering).one().ipaddress == f"10.{servers[3].id}.0.10"


def test_sync_hook_sees_the_old_row_and_the_new_form_data(client, db):
    db.add(Server(hostname="dns-1", ipaddress="10.0.0.1"))
    db.commit()
    server = db.query(Server).one()
    ref_views.DNS_UPDATES.clear()
    assert client.post(f"/servers/{server.id}/edit", data={"hostname": "dns-1", "ipaddress": "10.0.0.2"}).status_code == 303
    # The hook runs after the form's values are set on the row (the reference's save flow),
    # so the example's `item.ipaddress != form_data.get("ipaddress")` never holds.
    assert ref_views.DNS_UPDATES == []
    db.expire_all()
    assert db.get(Server, server.id).ipaddress == "10.0.0.2"


# --- Custom Pages, Templates ------------------------------------------------------------------------


def test_dashboard_full_example(client, db):
    db.add_all([Customer(name="Acme", email="a@acme.test", status="active"),
                Customer(name="Beta", email="b@beta.test", status="inactive")])
    db.commit()
    page = client.get("/dashboard")
    assert page.status_code == 200 and page.context["active_page"] == "dashboard"
    text = page.text
    assert "Recent Customers" in text and 'href="/customers?q=active"' in text
    beta = db.query(Customer).filter_by(name="Beta").one()
    assert f'href="/customers/{beta.id}"' in text and "b@beta.test" in text
    assert "Total Customers" in text and 'href="/customers/create"' in text and "Add Customer" in text
    assert text.index("Beta") < text.index("Acme")


def test_dashboard_sections_from_dicts(client, db):
    acme = Customer(name="Acme & Co", sid="1")
    db.add(acme)
    db.flush()
    db.add(Order(customer_id=acme.id, total=12.5, status=OrderStatus.SHIPPED))
    db.commit()
    text = client.get("/dashboard/network").text
    assert "Recent Orders" in text and "Acme &amp; Co" in text and "$12.50" in text
    assert "Status Breakdown" in text and "Summary" in text and "Total Regions" in text
    assert "Deploy Wizard" in text and 'href="/wizard"' in text and "Errors" in text


def test_extra_templates_dirs_page(client, db):
    page = client.get("/reports")
    assert page.status_code == 200 and page.context["active_page"] == "reports"
    assert '<p id="customer-count">0 customers</p>' in page.text and "My Admin" in page.text


def test_own_jinja2_templates():
    own, own_admin = create_own_templates_app()
    with TestClient(own, follow_redirects=False) as client:
        assert client.get("/welcome").status_code == 303
        client.get("/test-login")
        page = client.get("/welcome")
        assert page.status_code == 200
        assert '<p id="welcome">Welcome, &lt;b&gt;you&lt;/b&gt;, to Admin</p>' in page.text
        assert own_admin.get_view("own_customers") is not None


def test_ajax_select_edit_form_shows_the_chosen_row(client, offerings, servers):
    offering = offerings[4]
    page = client.get(f"/offerings/{offering.id}/edit").text
    chosen = servers[4 % 3]
    select = page.split('name="serverid"')[1].split("</select>")[0]
    assert f'<option value="{chosen.id}" selected>&lt;Server {chosen.hostname}&gt;</option>' in select


def test_polling_cell_starts_with_the_formatter(client, edges):
    edge = edges[1][1]
    text = client.get("/edges").text
    cell = re.search(rf'<[^>]*hx-get="/edges/{edge.id}/status"[^>]*>(.*?)</', text, re.S)
    assert cell and '<span class="badge">deploying</span>' in text


def test_nav_categories_without_a_user_lists_everything():
    names = {entry["name"] for entries in admin.get_nav_categories().values() for entry in entries}
    assert {"internal_tools", "network_devices", "debug", "customers"} <= names

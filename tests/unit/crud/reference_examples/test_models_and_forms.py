"""The reference's Defining Models, CRUDView Configuration and AJAX Select examples: list, detail
and form columns, field types, widgets, dependent fields, and the paged select."""

import re

from ..reference.models import Device, DeviceStatus, LaunchPad
from .answers import options


# --- Defining Models, CRUDView Configuration --------------------------------------------


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


def test_ajax_select_edit_form_shows_the_chosen_row(client, offerings, servers):
    offering = offerings[4]
    page = client.get(f"/offerings/{offering.id}/edit").text
    chosen = servers[4 % 3]
    select = page.split('name="serverid"')[1].split("</select>")[0]
    assert f'<option value="{chosen.id}" selected>&lt;Server {chosen.hostname}&gt;</option>' in select

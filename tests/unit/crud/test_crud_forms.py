"""Create and edit: the field types, saving, bad input, ValidationError, database
refusals, edit-only-posted fields, checkboxes, and landing back on the same list."""

import html
import re

import pytest
from sqlalchemy import func, select

from .models import Customer, Device, DeviceStatus, Port

LIST = "/devices?q=edge&page=2"
NEXT = "%2Fdevices%3Fq%3Dedge%26page%3D2"


def count(db, model):
    db.expire_all()
    return db.scalar(select(func.count()).select_from(model))


def field_html(page, name):
    """The markup of one field's wrapper."""
    match = re.search(rf'<div class="mb-3 fhx-field" data-fhx-field="{name}".*?\n</div>', page, re.S)
    assert match, f"no field {name}"
    return match.group(0)


def test_the_create_form_maps_column_types_to_inputs(client, devices):
    page = client.get("/devices/create").text
    assert 'type="text"' in field_html(page, "hostname") and 'maxlength="100"' in field_html(page, "hostname")
    assert "<textarea" in field_html(page, "notes")
    assert 'type="checkbox" role="switch"' in field_html(page, "is_ha")
    assert 'type="date"' in field_html(page, "installed")
    assert 'type="datetime-local"' in field_html(page, "last_seen")
    assert 'type="number"' in field_html(page, "weight") and 'step="any"' in field_html(page, "weight")
    status = field_html(page, "status")
    assert "<select" in status and 'value="OFFLINE" selected' in status  # the column default
    site = field_html(page, "site_id")
    assert '<option value="1">&lt;Site Oslo&gt;</option>' in site and '<option value="2">&lt;Site Bergen&gt;</option>' in site
    assert 'data-fhx-field="id"' not in page


def test_widget_overrides_and_sections_reach_the_form(client, devices):
    page = client.get("/devices/create").text
    assert 'placeholder="e.g. edge-001"' in field_html(page, "hostname")
    ha_mode = field_html(page, "ha_mode")
    assert 'data-fhx-depends-on="is_ha"' in ha_mode and "Active-Standby" in ha_mode
    assert 'hx-get="/api/devices-for-site"' in field_html(page, "site_id")
    assert 'hx-target="#ip_address"' in field_html(page, "site_id")
    assert "Free text" in field_html(page, "notes")
    assert "Device Info" in page and 'class="accordion' in page


def test_create_saves_and_lands_back_on_the_same_list(client, db, devices):
    form = client.get(f"/devices/create?next={NEXT}").text
    assert f'action="/devices/create?next={NEXT}"' in form
    response = client.post(f"/devices/create?next={NEXT}", data={
        "hostname": "edge-new", "ip_address": "10.9.9.9", "status": "ONLINE", "site_id": "2",
        "installed": "2024-05-31", "last_seen": "2024-05-31T14:30", "weight": "2.5", "is_ha": "on",
        "ha_mode": "active-active",
    })
    assert response.status_code == 303 and response.headers["location"] == LIST
    saved = db.scalars(select(Device).where(Device.hostname == "edge-new")).one()
    assert (saved.status, saved.site_id, saved.weight, saved.is_ha, saved.ha_mode) == (DeviceStatus.ONLINE, 2, 2.5, True, "active-active")
    assert str(saved.installed) == "2024-05-31" and saved.last_seen.hour == 14
    landed = client.get(response.headers["location"])
    assert f"Saved Device #{saved.id}." in html.unescape(landed.text)


def test_htmx_create_redirects_with_a_flash_toast(client, db, devices):
    response = client.htmx_post("/devices/create", data={"hostname": "edge-x", "status": "OFFLINE"})
    assert response.status_code == 200
    assert response.headers["HX-Redirect"] == "/devices"
    assert "Saved Device #8." in html.unescape(client.get("/devices").text)


@pytest.mark.parametrize("field, value, message", [
    ("weight", "heavy", "Enter a number."),
    ("installed", "31/05/2024", "Enter a date like 2024-05-31."),
    ("status", "SLEEPING", "is not one of: ONLINE, OFFLINE, ERROR"),
    ("site_id", "999", "Select one of the offered options."),
    ("site_id", "99999999999999999999999", "Select one of the offered options."),
    ("hostname", "x" * 101, "Use at most 100 characters"),
])
def test_bad_input_is_a_field_error_and_nothing_is_written(client, db, devices, field, value, message):
    data = {"hostname": "edge-bad", "ip_address": "10.1.1.1", "status": "ONLINE", field: value}
    response = client.htmx_post("/devices/create", data=data)
    assert response.status_code == 422
    assert '<form id="devices-form"' in response.text and "<html" not in response.text
    assert message in html.unescape(field_html(response.text, field))
    assert 'value="10.1.1.1"' in response.text  # what the user typed is kept
    assert count(db, Device) == 7


def test_a_missing_required_value_is_a_field_error(client, db, devices):
    response = client.post("/devices/create", data={"hostname": "  "})
    assert response.status_code == 422
    assert "This field is required." in field_html(response.text, "hostname")
    assert "<html" in response.text  # a plain post gets the whole page
    assert count(db, Device) == 7


def test_validation_error_keeps_the_typed_values_and_shows_a_danger_toast(client, db, views):
    response = client.htmx_post("/crud_customers/create", data={"name": "A", "email": "a@example.com"})
    assert response.status_code == 422
    assert 'data-fhx-form-error="Customer name must be at least 2 characters"' in response.text
    assert 'value="A"' in response.text and 'value="a@example.com"' in response.text
    assert count(db, Customer) == 0


def test_validation_error_on_edit_keeps_the_typed_values_and_writes_nothing(client, db, views):
    db.add(Customer(name="Acme", email="acme@example.com"))
    db.commit()
    response = client.htmx_post("/crud_customers/1/edit", data={"name": "Z", "email": "z@example.com"})
    assert response.status_code == 422
    assert 'value="Z"' in response.text and 'value="z@example.com"' in response.text
    db.expire_all()
    assert (db.get(Customer, 1).name, db.get(Customer, 1).email) == ("Acme", "acme@example.com")


def test_hooks_run_in_order_with_the_documented_arguments(client, db, views):
    view = views["crud_customers"]
    view.calls.clear()
    assert client.post("/crud_customers/create", data={"name": "Acme", "email": ""}).status_code == 303
    assert client.post("/crud_customers/1/edit", data={"name": "Acme Inc"}).status_code == 303
    assert client.post("/crud_customers/1/delete").status_code == 303
    assert view.calls == [
        ("on_model_change", "Acme", {"name": "Acme", "email": None}, True, True),
        ("after_model_change", 1, True),
        ("on_model_change", "Acme Inc", {"name": "Acme Inc"}, False, True),
        ("after_model_change", 1, False),
        ("on_model_delete", 1),
        ("after_model_delete", 1),
    ]


def test_a_duplicate_is_a_danger_toast_with_the_form_kept(client, db, views):
    db.add(Customer(name="Acme", email="acme@example.com"))
    db.commit()
    response = client.htmx_post("/crud_customers/create", data={"name": "Other", "email": "acme@example.com"})
    assert response.status_code == 409
    assert "Could not save: the database refused it" in html.unescape(response.text)
    assert 'value="Other"' in response.text
    assert count(db, Customer) == 1


def test_edit_changes_only_the_posted_fields(client, db, devices):
    device = db.get(Device, 1)
    device.notes, device.weight, device.is_ha = "keep me", 1.5, True
    db.commit()
    response = client.post("/devices/1/edit", data={"hostname": "renamed"})
    assert response.status_code == 303
    db.expire_all()
    device = db.get(Device, 1)
    assert (device.hostname, device.notes, device.weight, device.is_ha, device.ip_address) == ("renamed", "keep me", 1.5, True, "10.0.0.0")


def test_an_unchecked_checkbox_of_the_form_means_false(client, db, devices):
    db.get(Device, 1).is_ha = True
    db.commit()
    page = client.get("/devices/1/edit").text
    assert '<input type="hidden" name="_checkboxes" value="is_ha" form="devices-form">' in page
    assert client.post("/devices/1/edit", data={"hostname": "edge-0", "_checkboxes": "is_ha"}).status_code == 303
    db.expire_all()
    assert db.get(Device, 1).is_ha is False


def test_a_field_hidden_by_its_checkbox_is_left_alone(client, db, devices):
    device = db.get(Device, 1)
    device.is_ha, device.ha_mode = True, "active-active"
    db.commit()
    client.post("/devices/1/edit", data={"ha_mode": "active-standby", "_checkboxes": "is_ha"})
    db.expire_all()
    assert (db.get(Device, 1).is_ha, db.get(Device, 1).ha_mode) == (False, "active-active")


def test_the_edit_form_shows_the_row_and_returns_to_next(client, db, devices):
    page = client.get(f"/devices/2/edit?next={NEXT}").text
    assert 'value="edge-1"' in page and 'value="ONLINE" selected' in page
    assert 'href="/devices?q=edge&amp;page=2"' in page  # Cancel
    response = client.post(f"/devices/2/edit?next={NEXT}", data={"hostname": "edge-1b"})
    assert response.headers["location"] == LIST


@pytest.mark.parametrize("target", ["https://evil.example/devices", "//evil.example/devices", "/crud_sites",
                                    "/devicesX", "/devices\\@evil", "javascript:alert(1)"])
def test_next_never_leaves_the_view(client, db, devices, target):
    response = client.post("/devices/1/edit", params={"next": target}, data={"hostname": "edge-0"})
    assert response.headers["location"] == "/devices"
    assert 'href="/devices"' in client.get("/devices/1/edit", params={"next": target}).text


def test_an_ajax_ref_field_pages_its_options_and_checks_the_value(client, db, devices):
    page = client.get("/crud_ports/create").text
    assert 'data-fhx-field="device_id" data-type="ajax_select"' in page
    assert "/crud_ports/ajax/device_id" in page and "Pick a device" in page
    first = client.get("/crud_ports/ajax/device_id", params={"q": "edge", "page": 1}).json()
    assert first["items"] == [{"value": "1", "label": "<Device edge-0>"}, {"value": "2", "label": "<Device edge-1>"}]
    assert first["more"] is True and first["next"] == "/crud_ports/ajax/device_id?q=edge&page=2"
    refused = client.htmx_post("/crud_ports/create", data={"label": "p1", "device_id": "999"})
    assert refused.status_code == 422 and count(db, Port) == 0
    assert client.post("/crud_ports/create", data={"label": "p1", "device_id": "3"}).status_code == 303
    assert "&lt;Device edge-2&gt;" in client.get("/crud_ports/1/edit").text  # the current value's label

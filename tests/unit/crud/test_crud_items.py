"""Item routes: the detail page, delete, polling cells, bad ids and scope()."""

import html

import pytest
from sqlalchemy import func, select

from .models import Customer, Device, DeviceStatus, Note, Port


def test_the_detail_page_shows_every_column_labelled_and_formatted(client, devices):
    page = client.get("/devices/2?next=%2Fdevices%3Fq%3Dedge").text
    for label in ("Hostname", "IP Address", "Status", "Site", "Is ha", "Ha mode", "Installed", "Last seen", "Notes", "Weight"):
        assert f">{label}</dt>" in page
    assert '<a href="/crud_sites/1">Oslo</a>' in page
    assert 'href="/devices/2/edit?next=%2Fdevices%3Fq%3Dedge"' in page
    assert 'hx-post="/devices/2/delete?next=%2Fdevices%3Fq%3Dedge"' in page
    assert 'href="/devices?q=edge"' in page  # Back


def test_detail_columns_exclusions_labels_and_permissions(client, devices):
    page = client.get("/site_archive/1").text
    assert page.index(">Site name</dt>") < page.index(">Id</dt>")
    assert ">Region</dt>" not in page
    assert "<strong>Oslo</strong>" in page
    assert "/site_archive/1/edit" not in page and "/site_archive/1/delete" not in page


def test_values_are_escaped_on_the_detail_page(client, db, devices):
    db.get(Device, 1).notes = "<script>alert(1)</script>"
    db.commit()
    page = client.get("/devices/1").text
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


@pytest.mark.parametrize("item_id", ["abc", "99999999999999999999", "-1", "1.5", "0x1", "42"])
def test_a_bad_or_missing_id_is_a_404_on_every_item_route(client, devices, item_id):
    for method, url in [("get", f"/devices/{item_id}"), ("get", f"/devices/{item_id}/edit"),
                        ("post", f"/devices/{item_id}/edit"), ("post", f"/devices/{item_id}/delete")]:
        response = getattr(client, method)(url, **({"data": {"hostname": "x"}} if method == "post" else {}))
        assert response.status_code == 404, url
        assert "there is no record" in html.unescape(response.text)
    toast = client.htmx_get(f"/devices/{item_id}")
    assert toast.status_code == 404 and toast.headers["HX-Reswap"] == "none"
    assert "there is no record" in toast.headers["HX-Trigger"]


def test_another_tenants_row_is_a_404(client, db):
    db.add_all([Note(tenant="other", body="theirs"), Note(tenant="dev", body="mine")])
    db.commit()
    assert client.get("/notes/2").status_code == 200
    for method, url in [("get", "/notes/1"), ("get", "/notes/1/edit"), ("post", "/notes/1/edit"), ("post", "/notes/1/delete")]:
        assert getattr(client, method)(url).status_code == 404, url
    db.expire_all()
    assert db.get(Note, 1).body == "theirs"


def test_delete_lands_back_on_the_same_list(client, db, devices):
    response = client.post("/devices/3/delete?next=%2Fdevices%3Fpage%3D2")
    assert response.status_code == 303 and response.headers["location"] == "/devices?page=2"
    assert db.get(Device, 3) is None
    assert "Deleted Device #3." in html.unescape(client.get("/devices?page=2").text)
    htmx = client.htmx_post("/devices/4/delete?next=%2Fdevices%3Fq%3Dedge")
    assert htmx.status_code == 200 and htmx.headers["HX-Redirect"] == "/devices?q=edge"


def test_a_refused_delete_keeps_the_row(client, db, views):
    db.add(Customer(name="Keep"))
    db.commit()
    response = client.htmx_post("/crud_customers/1/delete")
    assert response.status_code == 422 and response.headers["HX-Reswap"] == "none"
    assert "Cannot delete a kept customer" in response.headers["HX-Trigger"]
    db.expire_all()
    assert db.get(Customer, 1) is not None


def test_a_delete_the_database_refuses_is_a_toast(client, db, devices):
    db.add(Port(label="p1", device_id=1))
    db.commit()
    response = client.htmx_post("/devices/1/delete")
    assert response.status_code == 409
    assert "Could not delete" in response.headers["HX-Trigger"]
    db.expire_all()
    assert db.get(Device, 1) is not None


def test_a_polling_cell_keeps_polling_until_a_terminal_state(client, db, devices):
    polling = client.htmx_get("/devices/1/status")
    assert polling.status_code == 200
    assert 'id="devices-table-poll-status-1"' in polling.text
    assert 'hx-get="/devices/1/status" hx-trigger="every 5s" hx-swap="outerHTML"' in polling.text
    assert 'data-status="offline"' in polling.text
    db.get(Device, 1).status = DeviceStatus.ERROR
    db.commit()
    done = client.htmx_get("/devices/1/status")
    assert 'data-state="done"' in done.text and "hx-get" not in done.text and 'data-status="error"' in done.text
    gone = client.htmx_get("/devices/999/status")
    assert gone.status_code == 404 and "hx-get" not in gone.text


def test_the_list_renders_the_same_polling_cell_id(client, devices):
    assert 'id="devices-table-poll-status-1"' in client.get("/devices").text


def test_nothing_is_written_for_a_bad_id(client, db, devices):
    client.post("/devices/abc/delete")
    assert db.scalar(select(func.count()).select_from(Device)) == 7


@pytest.mark.parametrize("item_id", ["abc", "99999999999999999999", str(2**63), "-1", "1.5", "%00", "other"])
def test_get_item_in_a_custom_endpoint_answers_a_bad_or_out_of_scope_id_with_a_404(client, world, item_id):
    item_id = str(world["other"]["tickets"]) if item_id == "other" else item_id
    page, htmx = client.post(f"/tickets/{item_id}/close"), client.htmx_post(f"/tickets/{item_id}/close")
    assert (page.status_code, htmx.status_code) == (404, 404)
    assert "there is no record" in html.unescape(page.text) and "there is no record" in htmx.headers["HX-Trigger"]
    assert client.htmx_post(f"/tickets/{world['own']['tickets']}/close").status_code == 200


def test_get_items_reads_posted_ids_by_the_key_type_and_keeps_them_in_scope(client, db, world):
    from .app import Ticket

    own, other = world["own"]["tickets"], world["other"]["tickets"]
    for bad in (["abc"], [str(2**64)], [str(own), "1.5"]):
        refused = client.htmx_post("/tickets/bulk-close", data={"ids": bad})
        assert refused.status_code == 400 and "is not a valid id" in refused.headers["HX-Trigger"], bad
    assert client.post("/tickets/bulk-close", data={"ids": ["abc"]}).text == 'Crud Tickets: "abc" is not a valid id.'
    closed = client.htmx_post("/tickets/bulk-close", data={"ids": [str(own), str(other)]})
    assert "Closed 1 tickets" in closed.headers["HX-Trigger"]
    db.expire_all()
    assert dict(db.execute(select(Ticket.id, Ticket.state)).all()) == {own: "closed", other: "open"}


def test_get_item_and_get_items_work_on_a_text_primary_key(client, db, world, views, crud_app):
    from starlette.requests import Request

    from fasthx_ui.crud import InvalidIds, ItemNotFound

    request = Request({"type": "http", "session": {}, "app": crud_app[0], "headers": []})
    tags = views["tags"]
    assert tags.get_item(request, db, "red").label == "Red"
    assert [tag.code for tag in tags.get_items(request, db, ["red", "nope"])] == ["red"]
    with pytest.raises(ItemNotFound):
        tags.get_item(request, db, "x" * 21)  # longer than the column
    with pytest.raises(InvalidIds):
        tags.get_items(request, db, ["bad\x00"])

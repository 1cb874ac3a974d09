"""An app's `dependency_overrides[get_db]` reaches the CRUD read routes (which open their
session in `with_session`, not through `Depends(get_db)`) as well as the posts."""

from fasthx_ui.crud import get_db
from fasthx_ui.crud.db import open_session

from .models import Device

ONLY_ID = 1000


def test_list_detail_and_edit_pages_read_through_an_override_of_get_db(client, crud_app, devices, monkeypatch):
    app, _admin = crud_app
    opened = []

    def override():
        """A session holding one device no other session sees (flushed, never committed)."""
        session = open_session()
        device = Device(id=ONLY_ID, hostname="only-in-override", ip_address="10.9.9.9", site_id=devices[0].site_id)
        session.add(device)
        session.flush()
        opened.append(device.id)
        try:
            yield session
        finally:
            session.close()

    monkeypatch.setitem(app.dependency_overrides, get_db, override)
    listed = client.get("/devices", params={"q": "10.9.9.9"})
    assert listed.status_code == 200 and "only-in-override" in listed.text
    detail = client.get(f"/devices/{ONLY_ID}")
    assert detail.status_code == 200 and "only-in-override" in detail.text
    edit = client.get(f"/devices/{ONLY_ID}/edit")
    assert edit.status_code == 200 and 'value="only-in-override"' in edit.text
    assert len(opened) == 3
    monkeypatch.delitem(app.dependency_overrides, get_db)
    assert "only-in-override" not in client.get("/devices", params={"q": "10.9.9.9"}).text
    assert client.get(f"/devices/{ONLY_ID}").status_code == 404

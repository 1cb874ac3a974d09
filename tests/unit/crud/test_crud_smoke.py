from .app import Device, DeviceStatus, Site


def test_list_page_renders(client, db):
    db.add(Site(name="Oslo"))
    db.commit()
    response = client.get("/crud_sites")
    assert response.status_code == 200, response.text
    assert "Oslo" in response.text

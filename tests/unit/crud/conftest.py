"""Fixtures of the CRUD preset tests: the test app, a fresh database of each kind per
test (SQLite file, or a PostgreSQL schema of its own), and a signed-in client."""

import re

import pytest
from fastapi.testclient import TestClient

from fasthx_ui.crud import Base, init_db
from fasthx_ui.crud.db import open_session

from ...databases import KINDS, database_settings
from .app import create_app

META_TOKEN = re.compile(r'<meta name="csrf-token" content="([^"]*)"')


@pytest.fixture(scope="session")
def crud_app():
    return create_app()


@pytest.fixture(params=KINDS)
def database(request, tmp_path):
    """init_db() on an empty database of the parametrised kind (`tests/databases.py`), with
    the app's tables."""
    with database_settings(request.param, tmp_path) as (url, kwargs):
        if request.param == "sqlite":
            kwargs = {"connect_args": {"check_same_thread": False}}  # the test client serves from its own thread
        engine = init_db(url, **kwargs)
        assert engine.dialect.name == request.param
        Base.metadata.create_all(engine)
        try:
            yield engine
        finally:
            engine.dispose()


@pytest.fixture
def db(database):
    """A session on the test database, for arranging rows and checking what was written."""
    session = open_session()
    yield session
    session.close()


class CrudClient(TestClient):
    """A TestClient signed in as a user, sending the page's CSRF token on every post."""

    token = ""

    def sign_in(self, username="dev", groups="/Edge-Admins"):
        assert self.get("/test-login", params={"username": username, "groups": groups}).status_code == 200
        page = self.get("/crud_sites")
        self.token = META_TOKEN.search(page.text).group(1)
        return self

    def sign_out(self):
        """Forget the user but keep the CSRF cookie and token (anonymous posts reach the app)."""
        self.cookies.delete("session")
        return self

    def post(self, url, *args, headers=None, **kwargs):
        return super().post(url, *args, headers={"X-CSRF-Token": self.token, **(headers or {})}, **kwargs)

    def htmx_post(self, url, **kwargs):
        return self.post(url, headers={"HX-Request": "true"}, **kwargs)

    def htmx_get(self, url, **kwargs):
        return self.get(url, headers={"HX-Request": "true"}, **kwargs)


@pytest.fixture
def client(crud_app, database):
    app, _admin = crud_app
    with CrudClient(app, follow_redirects=False) as test_client:
        yield test_client.sign_in()


@pytest.fixture
def views(crud_app):
    """The app's views by name."""
    return crud_app[1].views


@pytest.fixture
def devices(db):
    """Two sites and seven devices: edge-0…edge-6, odd ones online, 0-3 in Oslo, 4-6 in Bergen."""
    from .models import Device, DeviceStatus, Site

    oslo, bergen = Site(name="Oslo", region="East"), Site(name="Bergen", region="West")
    db.add_all([oslo, bergen])
    db.flush()
    rows = [Device(hostname=f"edge-{i}", ip_address=f"10.0.0.{i}", site_id=(oslo if i < 4 else bergen).id,
                   status=DeviceStatus.ONLINE if i % 2 else DeviceStatus.OFFLINE) for i in range(7)]
    db.add_all(rows)
    db.commit()
    return rows


OTHER = "other"
"""The tenant whose rows the signed-in user ("dev") must never see; each of its text
values contains `OTHER_MARK`."""
OTHER_MARK = "zzother"


@pytest.fixture
def world(db, devices):
    """A row of every model of the test app, and the ids the route sweeps fill paths with:
    `own[view name]` a row the signed-in user may open, `other[view name]` a row of
    another tenant (scoped views only)."""
    from .models import Customer, Note, Port, Project, Tag, Ticket

    mine, theirs = Project(tenant="dev", name="Apollo"), Project(tenant=OTHER, name=f"{OTHER_MARK} project")
    db.add_all([mine, theirs, Customer(name="Acme", email="acme@example.com"), Port(label="uplink", kind="sfp", device_id=2),
                Note(tenant="dev", body="mine"), Note(tenant=OTHER, body=f"{OTHER_MARK} note"), Tag(code="red", label="Red")])
    db.flush()
    ticket = Ticket(tenant="dev", title="Printer jam", kind="bug", state="open", project_id=mine.id)
    their_ticket = Ticket(tenant=OTHER, title=f"{OTHER_MARK} ticket", kind=f"{OTHER_MARK}", state="open",
                          link=f"https://{OTHER_MARK}.example", project_id=theirs.id)
    db.add_all([ticket, their_ticket])
    db.commit()
    own = {"crud_sites": 1, "devices": 2, "crud_customers": 1, "crud_ports": 1, "site_archive": 1,
           "notes": 1, "projects": mine.id, "tickets": ticket.id, "tags": "red"}
    other = {"notes": 2, "projects": theirs.id, "tickets": their_ticket.id}
    return {"own": own, "other": other}

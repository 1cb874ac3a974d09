"""Fixtures of the reference examples' tests: a client of the reference app (tests/unit/crud/reference/),
anonymous or signed in through its /login form, and the rows several sections arrange."""

import pytest
from fastapi.testclient import TestClient

from ....oidc_provider import PASSWORD
from ..reference.app import app
from ..reference.models import Customer, Device, DeviceStatus, FortiEdge, Offering, Orchestrator, Region, Server, Site


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


@pytest.fixture
def servers(db):
    rows = [Server(hostname=f"ucpe-{i:02d}", ipaddress=f"192.168.0.{i}") for i in range(12)]
    rows.append(Server(hostname="core-router", ipaddress="172.16.0.1"))
    db.add_all(rows)
    db.commit()
    return rows


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


@pytest.fixture
def offerings(db, servers):
    rows = [Offering(hostname=f"off-{i:02d}", ipaddress=f"10.9.0.{i}", serverid=servers[i % 3].id,
                     status="inactive") for i in range(25)]
    db.add_all(rows)
    db.commit()
    return rows

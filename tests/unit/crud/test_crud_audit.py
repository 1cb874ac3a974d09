"""The audit log of CRUD views on SQLite and PostgreSQL: create, update (only what
changed) and delete events of the documented shape, exclusions, nothing on a refused or
failed save, a failing sink logged and never raised, audited endpoints (path and query
parameters as data, only after a 2xx) and `self.audit(...)`."""

import logging

import pytest
from fastapi import Depends, FastAPI, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session
from starlette.middleware.sessions import SessionMiddleware

from fasthx_ui.crud import Admin, CRUDView, ValidationError, get_db

from .conftest import CrudClient
from .models import Customer, Site

EVENTS: list[dict] = []
BROKEN = {"sink": False}


def sink(event):
    if BROKEN["sink"]:
        raise RuntimeError("the audit store is down")
    EVENTS.append(event)


class SiteView(CRUDView):
    """Not audited (its endpoint asks for it, but the view does not audit)."""

    model = Site

    @CRUDView.endpoint("/{name}/{item_id}/poke", methods=["POST"], audit=True)
    async def poke(self, item_id: int):
        return HTMLResponse("poked")


class AuditedCustomerView(CRUDView):
    model = Customer
    name = "audited"
    audit_log = True
    audit_log_exclude = ["email"]

    def on_model_change(self, item, form_data, is_new, db, request=None):
        if item.name == "refused":
            raise ValidationError("That name is refused")

    def on_model_delete(self, item, db):
        if item.name == "keep":
            raise ValidationError("This one stays")

    @CRUDView.endpoint("/{name}/{item_id}/touch", methods=["POST"], audit=True, audit_action="touched")
    async def touch(self, request: Request, item_id: int):
        return HTMLResponse(f"touched {item_id}")

    @CRUDView.endpoint("/{name}/{item_id}/clash", methods=["POST"], audit=True)
    async def clash(self, item_id: int):
        return HTMLResponse("refused", status_code=409)

    @CRUDView.endpoint("/{name}/{item_id}/boom", methods=["POST"], audit=True)
    async def boom(self, item_id: int):
        raise RuntimeError("the endpoint failed")

    @CRUDView.endpoint("/{name}/report", audit=True)
    def report(self, since: str = ""):
        return {"since": since}

    @CRUDView.endpoint("/{name}/{item_id}/rename", methods=["POST"])
    async def rename(self, request: Request, item_id: int, db: Session = Depends(get_db)):
        item = db.get(self.model, item_id)
        old = self._audit_snapshot(item)
        item.name = "Renamed"
        db.commit()
        self.audit("rename", item=item, request=request, data={"old": old, "new": self._audit_snapshot(item)})
        self.audit("noted", request=request, item_id=item_id)
        return HTMLResponse("")


class RestrictedCustomerView(AuditedCustomerView):
    name = "restricted"
    allowed_users = ["boss"]


def make_app(audit_logger=sink):
    app = FastAPI()
    app.add_middleware(SessionMiddleware, secret_key="audit-tests")

    @app.get("/test-login")
    async def test_login(request: Request, username: str = "dev", groups: str = "/Edge-Admins"):
        request.session["user"] = {"username": username, "groups": groups.split(",")}
        return {"ok": True}

    admin = Admin(app, audit_logger=audit_logger)
    for view in (SiteView, AuditedCustomerView, RestrictedCustomerView):
        admin.add_view(view)
    return app


APP = make_app()


@pytest.fixture
def client(database):
    EVENTS.clear()
    BROKEN["sink"] = False
    with CrudClient(APP, follow_redirects=False) as test_client:
        yield test_client.sign_in()


@pytest.fixture
def acme(db):
    customer = Customer(name="Acme", email="acme@example.com")
    db.add(customer)
    db.commit()
    return customer


def actions():
    return [event["action"] for event in EVENTS]


def test_create_sends_the_new_row_without_excluded_columns(client, db):
    assert client.post("/audited/create", data={"name": "Acme", "email": "acme@example.com"}).status_code == 303
    (event,) = EVENTS
    row = db.query(Customer).one()
    assert event["action"] == "create" and event["model_name"] == "Customer" and event["view_name"] == "audited"
    assert event["item_id"] == row.id
    assert event["data"] == {"id": row.id, "name": "Acme"}
    assert event["user"]["username"] == "dev" and event["user"]["groups"] == ["/Edge-Admins"]
    assert isinstance(event["request"], Request) and event["request"].url.path == "/audited/create"


def test_update_sends_only_the_changed_columns(client, acme):
    answer = client.post(f"/audited/{acme.id}/edit", data={"name": "Acme Inc", "email": "sales@example.com"})
    assert answer.status_code == 303
    (event,) = EVENTS
    assert event["action"] == "update" and event["item_id"] == acme.id
    assert event["data"] == {"old": {"name": "Acme"}, "new": {"name": "Acme Inc"}}  # email is excluded
    assert client.post(f"/audited/{acme.id}/edit", data={"name": "Acme Inc"}).status_code == 303
    assert EVENTS[1]["data"] == {"old": {}, "new": {}}


def test_delete_sends_the_row_as_it_was_before(client, db, acme):
    acme_id = acme.id
    assert client.post(f"/audited/{acme_id}/delete").status_code == 303
    (event,) = EVENTS
    assert event["action"] == "delete" and event["item_id"] == acme_id
    assert event["data"] == {"id": acme_id, "name": "Acme"}
    db.expire_all()
    assert db.query(Customer).count() == 0


def test_a_refused_or_failed_save_sends_nothing(client, db, acme):
    assert client.post("/audited/create", data={"name": "refused"}).status_code == 422
    assert client.post(f"/audited/{acme.id}/edit", data={"name": "refused"}).status_code == 422
    duplicate = client.post("/audited/create", data={"name": "Other", "email": "acme@example.com"})
    assert duplicate.status_code == 409  # the database refused the commit
    keep = Customer(name="keep")
    db.add(keep)
    db.commit()
    assert client.post(f"/audited/{keep.id}/delete").status_code == 303  # refused: back to the list with a toast
    assert EVENTS == []
    db.expire_all()
    assert {c.name for c in db.query(Customer)} == {"Acme", "keep"}


def test_a_failing_sink_is_logged_and_the_save_stands(client, db, caplog):
    BROKEN["sink"] = True
    with caplog.at_level(logging.ERROR, logger="fasthx_ui.audit"):
        answer = client.post("/audited/create", data={"name": "Acme", "email": "secret@example.com"})
    assert answer.status_code == 303
    assert db.query(Customer).one().name == "Acme"
    (record,) = [r for r in caplog.records if r.name == "fasthx_ui.audit"]
    assert record.exc_info and "the audit store is down" in str(record.exc_info[1])
    assert "create Customer[" in record.getMessage() and "secret@example.com" not in caplog.text


def test_an_audited_endpoint_sends_its_path_and_query_after_a_2xx(client):
    answer = client.post("/audited/7/touch?tag=a&tag=b&mode=fast")
    assert answer.status_code == 200 and answer.text == "touched 7"
    (event,) = EVENTS
    assert event["action"] == "touched" and event["item_id"] == 7 and event["model_name"] == "Customer"
    assert event["data"] == {"path_params": {"item_id": "7"}, "query_params": {"tag": ["a", "b"], "mode": "fast"}}
    assert event["user"]["username"] == "dev"
    report = client.get("/audited/report?since=2026-01-01")
    assert report.json() == {"since": "2026-01-01"}
    assert EVENTS[1]["action"] == "report" and EVENTS[1]["item_id"] is None
    assert EVENTS[1]["data"] == {"path_params": {}, "query_params": {"since": "2026-01-01"}}


def test_an_audited_endpoint_that_fails_or_is_refused_sends_nothing(client):
    assert client.post("/audited/7/clash").status_code == 409
    assert client.post("/audited/x/touch").status_code == 422  # FastAPI refuses the id
    assert client.post("/restricted/7/touch").status_code == 403  # the access check runs first
    with pytest.raises(RuntimeError, match="the endpoint failed"):
        client.post("/audited/7/boom")
    assert EVENTS == []


def test_self_audit_and_the_snapshot(client, acme):
    assert client.post(f"/audited/{acme.id}/rename").status_code == 200
    rename, noted = EVENTS
    assert rename["action"] == "rename" and rename["item_id"] == acme.id
    assert rename["data"] == {"old": {"id": acme.id, "name": "Acme"}, "new": {"id": acme.id, "name": "Renamed"}}
    assert noted["action"] == "noted" and noted["item_id"] == acme.id and noted["data"] == {}


def test_views_that_do_not_audit_send_nothing(client, db):
    assert client.post("/crud_sites/create", data={"name": "Oslo"}).status_code == 303
    site = db.query(Site).one()
    assert client.post(f"/crud_sites/{site.id}/poke").text == "poked"
    assert EVENTS == []


def test_without_an_audit_logger_nothing_is_sent(database):
    EVENTS.clear()
    with CrudClient(make_app(audit_logger=None), follow_redirects=False) as client:
        client.sign_in()
        assert client.post("/audited/create", data={"name": "Acme"}).status_code == 303
        assert client.post("/audited/1/touch").status_code == 200
        assert client.post("/audited/1/rename").status_code == 200
    assert EVENTS == []

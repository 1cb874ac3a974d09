"""The reference's documented AI usage (tests/unit/ai/reference_app.py, only its import
line changed) runs on fasthx_ui.crud against the test AI provider: `self.ai_complete` in
CRUDView endpoints, with and without the global `tool_registry`'s tool, and `ai_complete`
in a plain route."""

import pytest
from fastapi.testclient import TestClient

from fasthx_ui.crud import init_db, tool_registry
from fasthx_ui.crud.ai.settings import save_settings
from fasthx_ui.crud.db import open_session

from ...databases import KINDS, database_settings


@pytest.fixture(scope="module")
def reference():
    """The reference app's module, imported here (not at collection) so its tool sits on the
    global registry only while these tests run."""
    from . import reference_app

    yield reference_app
    tool_registry.remove("open_invoice_count")


@pytest.fixture(scope="module")
def app(reference):
    return reference.create_app()


@pytest.fixture(params=KINDS)
def client(request, tmp_path, reference, app, ai_server):
    Customer, Invoice, TABLES = reference.Customer, reference.Invoice, reference.TABLES
    with database_settings(request.param, tmp_path) as (url, kwargs):
        if request.param == "sqlite":
            kwargs = {"connect_args": {"check_same_thread": False}}
        engine = init_db(url, **kwargs)
        TABLES[0].metadata.create_all(engine, tables=TABLES)
        with open_session() as db:
            db.add(Customer(id=1, name="ACME <Ltd>", notes="Pays late, orders monthly."))
            db.add_all([Invoice(customer_id=1, status="open"), Invoice(customer_id=1, status="open"),
                        Invoice(customer_id=1, status="paid")])
            db.commit()
            save_settings(db, base_url=ai_server.url, model="test-model", api_key="sk-reference-key")
        try:
            with TestClient(app) as client:
                assert client.get("/test-login").status_code == 200
                yield client
        finally:
            engine.dispose()


def test_summarize_endpoint(client, ai_server):
    ai_server.script([{"content": "A monthly customer who pays late."}])
    answer = client.post("/1/summarize")
    assert answer.status_code == 200 and answer.json() == {"summary": "A monthly customer who pays late."}
    [body] = ai_server.requests()
    assert body["messages"] == [
        {"role": "system", "content": "You are a concise CRM assistant."},
        {"role": "user", "content": "Summarize this customer in one sentence:\n\nPays late, orders monthly."},
    ]
    assert ai_server.headers()[0]["authorization"] == "Bearer sk-reference-key"


def test_draft_reminder_calls_the_registered_tool_with_the_request_session(client, ai_server):
    ai_server.script([
        {"content": "", "tool_calls": [{"id": "call_a", "name": "open_invoice_count", "arguments": {"customer_id": 1}}]},
        {"content": "Dear ACME <Ltd>, 2 invoices are still open."},
    ])
    answer = client.post("/1/draft-reminder")
    assert answer.status_code == 200 and answer.json() == {"body": "Dear ACME <Ltd>, 2 invoices are still open."}
    first, second = ai_server.requests()
    assert first["tools"] == [tool_registry.tools["open_invoice_count"].definition()]
    assert first["tools"][0]["function"]["parameters"]["required"] == ["customer_id"]
    assert first["messages"][1]["content"] == "Draft a polite reminder email for customer #1 (ACME <Ltd>)."
    assert second["messages"][-1] == {"role": "tool", "tool_call_id": "call_a", "content": "2 open invoices"}


def test_standalone_route_with_the_module_function(client, ai_server):
    ai_server.script([{"content": "## v1.1\n- Faster lists"}])
    answer = client.post("/tools/release-notes", params={"since_tag": "v1.0"}, json=["faster lists", "fix typo"])
    assert answer.status_code == 200 and answer.json() == {"notes": "## v1.1\n- Faster lists"}
    assert ai_server.requests()[0]["messages"][1]["content"] == (
        "Write release notes for the changes since v1.0:\n\n- faster lists\n- fix typo")


def test_the_view_routes_still_need_a_signed_in_user(app, client, ai_server):
    with TestClient(app, follow_redirects=False) as anonymous:
        refused = anonymous.post("/1/summarize")
    assert refused.status_code in (303, 401, 403)
    assert ai_server.requests() == []

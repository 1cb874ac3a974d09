"""The reference's "Audit Logging" and "Progress Bar" examples (reference/jobs.py) on
fasthx_ui.crud, SQLite and PostgreSQL: the UserLog sink, audited endpoints and
`self.audit`, and a Deploy whose bar follows the Redis key a worker writes."""

import random
import re

import pytest
import redis

from ...redis_keys import REDIS_URL
from .conftest import CrudClient
from .reference import jobs
from .reference.models import Customer, FortiEdge, Server


@pytest.fixture
def client(database):
    with CrudClient(jobs.app, follow_redirects=False) as test_client:
        assert test_client.get("/test-login").status_code == 200
        page = test_client.get("/customers")
        test_client.token = re.search(r'<meta name="csrf-token" content="([^"]*)"', page.text).group(1)
        yield test_client


@pytest.fixture
def worker():
    """The reference's worker: plain redis-py on the view's Redis; its keys go afterwards."""
    r = redis.Redis.from_url(REDIS_URL, decode_responses=True)
    written = []
    yield lambda key, value: (written.append(key), r.set(key, value))
    if written:
        r.delete(*written)


@pytest.fixture
def edge(db):
    """An edge with an id no other run uses, since the reference's keys have no prefix."""
    item = FortiEdge(id=random.randint(10**8, 2**31 - 1), hostname="edge-1", serial_number="SN1", status="online")
    db.add(item)
    db.commit()
    return item


def logged(db):
    db.expire_all()
    return [(row.username, row.category, row.action, row.log) for row in db.query(jobs.UserLog).order_by(jobs.UserLog.id)]


def test_the_user_log_table_gets_create_update_and_delete(client, db):
    assert client.post("/customers/create", data={"name": "Acme", "prisma_tsg_id": "tsg-secret"}).status_code == 303
    customer_id = db.query(Customer).one().id
    assert client.post(f"/customers/{customer_id}/edit", data={"name": "Acme Inc"}).status_code == 303
    assert client.post(f"/customers/{customer_id}/delete").status_code == 303
    rows = logged(db)
    assert [(user, category, action) for user, category, action, _ in rows] == [
        ("dev", "admin.Customer", "create"), ("dev", "admin.Customer", "update"), ("dev", "admin.Customer", "delete")]
    assert "'name': 'Acme'" in rows[0][3] and "tsg-secret" not in rows[0][3]
    assert rows[1][3] == "{'old': {'name': 'Acme'}, 'new': {'name': 'Acme Inc'}}"
    assert "'name': 'Acme Inc'" in rows[2][3] and "tsg-secret" not in rows[2][3]


def test_an_audited_reset_and_an_explicit_approve(client, db):
    server = Server(hostname="srv-1", status="up")
    db.add(server)
    db.commit()
    assert client.post(f"/servers/{server.id}/reset?reason=stuck").status_code == 200
    assert client.post(f"/servers/{server.id}/approve").status_code == 200
    reset, approve = logged(db)
    assert reset[:3] == ("dev", "admin.Server", "reset")
    assert reset[3] == f"{{'path_params': {{'item_id': '{server.id}'}}, 'query_params': {{'reason': 'stuck'}}}}"
    assert approve[2] == "approve" and "'status': 'reset'" in approve[3] and "'status': 'approved'" in approve[3]


def test_the_deploy_action_targets_the_row_and_inserts_its_bar_after_it(client, edge):
    page = client.get("/edges").text
    deploy = re.search(rf'<button[^>]*hx-post="/edges/{edge.id}/deploy"[^>]*>', page).group(0)
    assert 'hx-target="closest tr"' in deploy and 'hx-swap="afterend"' in deploy and "Start deployment?" in deploy
    reset = re.search(rf'<button[^>]*hx-post="/edges/{edge.id}/reset"[^>]*>', page).group(0)
    assert 'hx-swap="none"' in reset and "Reset status?" in reset


def test_deploy_answers_with_a_bar_row_and_restarts_the_status_cell(client, db, edge):
    jobs.DEPLOYS.clear()
    answer = client.htmx_post(f"/edges/{edge.id}/deploy")
    assert answer.status_code == 200 and jobs.DEPLOYS == [edge.id]
    row = re.search(r"<tr [^>]*>", answer.text).group(0)
    assert "fhx-progress-row" in row and f'hx-get="/edges/{edge.id}/progress"' in row and 'hx-swap="outerHTML"' in row
    assert 'aria-valuenow="0"' in answer.text and "Starting..." in answer.text
    columns = len(re.findall(r"<th scope=\"col\"", client.get("/edges").text))
    assert f'<td colspan="{columns}">' in answer.text
    cell = re.search(rf'<span id="edges-table-poll-status-{edge.id}"[^>]*>', answer.text).group(0)
    assert 'hx-swap-oob="true"' in cell and 'data-state="polling"' in cell and f"/edges/{edge.id}/status" in cell
    db.expire_all()
    assert db.get(FortiEdge, edge.id).status == "deploying"


@pytest.mark.parametrize(("value", "percent", "label", "polls"), [
    (None, "0", "Waiting...", True),
    ("25", "25", "Deploying...", True),
    ("100", "100", "Complete", False),
    ("Error", "100", "Failed", False),
])
def test_the_progress_route_reads_the_reference_key(client, worker, edge, value, percent, label, polls):
    if value is not None:
        worker(f"edges:{edge.id}:progress", value)
    answer = client.htmx_get(f"/edges/{edge.id}/progress")
    assert answer.status_code == 200
    assert f'aria-valuenow="{percent}"' in answer.text and label in answer.text
    assert (f'hx-get="/edges/{edge.id}/progress"' in answer.text) is polls


def test_the_progress_of_a_missing_row_is_a_404(client, edge):
    for item_id in ("999", "not-a-number"):
        answer = client.htmx_get(f"/edges/{item_id}/progress")
        assert answer.status_code == 404 and "progressbar" not in answer.text

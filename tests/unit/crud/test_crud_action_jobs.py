"""Batch actions on all matching rows run as background jobs (fasthx_ui.crud.action_jobs):
in-process, and on RQ with a real worker process; on SQLite and PostgreSQL."""

import json
import os
import re
import threading
import time
import uuid

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from fasthx_ui import Jobs
from fasthx_ui.crud import init_db
from fasthx_ui.crud.db import open_session

from ...databases import KINDS, database_settings
from ...redis_keys import REDIS_URL
from ...rq_worker import rq_worker, worker_settings
from . import jobs_app
from .jobs_app import CHUNK, Call, Gadget, JobsBase

ANN = {"username": "ann", "tenant": "north"}
JOB_ID = re.compile(r'data-fhx-job="([0-9a-f]{32})"')
HTMX = {"HX-Request": "true"}


@pytest.fixture(params=KINDS)
def database(request, tmp_path):
    """init_db() on an empty database of each kind, with 40 gadgets of tenant north
    (odd ids "new", even "old") and 10 of tenant south; yields (kind, url, kwargs)."""
    with database_settings(request.param, tmp_path) as (url, kwargs):
        if request.param == "sqlite":
            kwargs = {"connect_args": {"check_same_thread": False}}
        engine = init_db(url, **kwargs)
        JobsBase.metadata.create_all(engine)
        with open_session() as db:
            for n in range(1, 51):
                tenant = "north" if n <= 40 else "south"
                db.add(Gadget(id=n, tenant=tenant, name=f"gadget-{n:02d}", status="new" if n % 2 else "old"))
            db.commit()
        try:
            yield request.param, url, kwargs
        finally:
            engine.dispose()


def signed_in(app, user=ANN) -> TestClient:
    client = TestClient(app, follow_redirects=False)
    assert client.get("/test-sign-in", params={"user": json.dumps(user)}).status_code == 200
    return client


def start(client, action="mark", **fields) -> str:
    """Post `action` on all matching rows; the job id from the panel it answers with."""
    data = {"selection": "all", "ids": ["1"], **fields}
    response = client.post(f"/gadgets/action/{action}", data=data, headers=HTMX)
    assert response.status_code == 200, response.text
    assert response.headers["HX-Retarget"] == "#admin-modal .modal-content"
    return JOB_ID.search(response.text)[1]


def poll(client, job_id):
    return client.get(f"/gadgets/jobs/{job_id}", headers=HTMX)


def final_poll(client, job_id, timeout=30.0):
    """Poll the job as its bar does until the answer stops polling; that answer."""
    deadline = time.monotonic() + timeout
    while True:
        response = poll(client, job_id)
        assert response.status_code == 200, response.text
        if "hx-trigger" not in response.text:
            return response
        assert time.monotonic() < deadline, response.text
        time.sleep(0.05)


def toast(response):
    return json.loads(response.headers["HX-Trigger"])["showToast"]


def calls(action="mark"):
    with open_session() as db:
        return [(json.loads(c.ids), c.pid) for c in db.scalars(select(Call).where(Call.action == action).order_by(Call.id))]


def statuses():
    with open_session() as db:
        return {g.id: g.status for g in db.scalars(select(Gadget))}


def wait_until(predicate, timeout=20.0):
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.02)


@pytest.fixture
def app(database):
    app, _ = jobs_app.create_app()
    return app


def test_all_matching_runs_in_chunks_inside_the_scope_and_ends_with_a_toast(app):
    client = signed_in(app)
    job_id = start(client, note="sold", flt_status="new")
    done = final_poll(client, job_id)
    assert 'data-status="complete"' in done.text and 'aria-valuenow="100"' in done.text
    assert toast(done) == {"message": "Mark: 20 records done.", "type": "success", "title": "Mark", "target": "body"}
    assert json.loads(done.headers["HX-Trigger"])["refreshTable"]["id"] == "gadgets-table"
    assert f'hx-target="#job-{job_id}-controls"' in done.text  # the Cancel button goes
    got = [ids for ids, _ in calls()]
    assert all(1 <= len(ids) <= CHUNK for ids in got) and len(got) == 3
    flat = [pk for ids in got for pk in ids]
    assert flat == list(range(1, 41, 2))  # every matching id exactly once, in id order
    now = statuses()
    assert all(now[n] == "sold" for n in range(1, 41, 2))
    assert all(now[n] == "old" for n in range(2, 41, 2))
    assert all(now[n] in ("new", "old") for n in range(41, 51))  # the other tenant's rows


def test_starting_a_job_is_one_audit_event_with_the_filters(app):
    client = signed_in(app)
    before = len(jobs_app.audited)
    job_id = start(client, note="seen", flt_status="new")
    final_poll(client, job_id)
    events = [e for e in jobs_app.audited[before:] if e["action"] == "mark"]
    assert len(events) == 1
    assert events[0]["data"] == {"job": job_id, "selection": "all", "filters": "flt_status=new"}
    assert events[0]["user"] == ANN and events[0]["view_name"] == "gadgets"


def test_one_chunk_toasts_the_handler_text_and_search_narrows_the_set(app):
    client = signed_in(app)
    done = final_poll(client, start(client, note="gone", q="gadget-1", flt_status="new"))
    assert toast(done)["message"] == "5 gadgets marked gone"
    assert [ids for ids, _ in calls()] == [[11, 13, 15, 17, 19]]


def test_a_handler_answering_with_a_redirect_sends_the_follower_there(app):
    client = signed_in(app)
    done = final_poll(client, start(client, action="report", flt_status="new"))
    assert done.headers["HX-Redirect"] == f"/gadgets?q=gadget-{calls('report')[-1][0][0]}"
    assert "fasthx_flash" in done.headers["set-cookie"] and "Report: 20 records done." in done.text
    away = final_poll(client, start(client, action="away"))
    assert away.headers["HX-Redirect"] == "/gadgets"  # only ever a path of this app


def test_the_panel_streams_the_handler_output_and_the_page_follows_the_job(app):
    client = signed_in(app)
    job_id = start(client, note="x", flt_status="old")
    final_poll(client, job_id)
    with client.stream("GET", f"/gadgets/jobs/{job_id}/console") as stream:
        text = "".join(stream.iter_text())
    assert [int(n) for n in re.findall(r"chunk from (\d+)", text)] == [2, 16, 30]
    assert "event: console-end" in text
    page = client.get(f"/gadgets/jobs/{job_id}")
    assert page.status_code == 200 and "<html" in page.text and 'data-status="complete"' in page.text
    assert "Back to Gadgets" in page.text


def test_cancel_stops_between_chunks(app, monkeypatch):
    monkeypatch.setattr(jobs_app, "gate", threading.Semaphore(2))
    client = signed_in(app)
    job_id = start(client, note="half")
    wait_until(lambda: len(calls()) == 3)  # the third chunk has passed its check and waits
    answer = client.post(f"/gadgets/jobs/{job_id}/cancel", headers=HTMX)
    assert answer.status_code == 200 and "Cancelling..." in answer.text and "disabled" in answer.text
    for _ in range(10):
        jobs_app.gate.release()
    done = final_poll(client, job_id)
    assert 'data-status="cancelled"' in done.text
    assert toast(done)["type"] == "warning" and toast(done)["message"] == "Cancelled after 21 of 40 records."
    assert len(calls()) == 3  # no chunk after the cancel
    assert sum(status == "half" for status in statuses().values()) == 21


def test_action_failed_fails_the_job_and_rolls_its_chunk_back(app):
    client = signed_in(app)
    done = final_poll(client, start(client, "explode"))
    assert 'data-status="failed"' in done.text
    assert toast(done)["type"] == "danger"
    assert toast(done)["message"] == "The second chunk refused to explode. (stopped after 7 of 40 records)"
    now = statuses()
    assert [n for n in now if now[n] == "exploded"] == list(range(1, 8))  # the first chunk only
    assert len(calls("explode")) == 2


def test_only_the_owner_sees_a_job_and_other_ids_are_404(app):
    owner = signed_in(app)
    job_id = start(owner, note="mine")
    final_poll(owner, job_id)
    for stranger in (signed_in(app, {"username": "bob", "tenant": "north"}),):
        assert poll(stranger, job_id).status_code == 404
        assert 'data-status="failed"' in poll(stranger, job_id).text  # a bar that stops polling
        assert stranger.get(f"/gadgets/jobs/{job_id}").status_code == 404
        assert stranger.post(f"/gadgets/jobs/{job_id}/cancel", headers=HTMX).status_code == 404
        assert stranger.get(f"/gadgets/jobs/{job_id}/console").status_code == 404
    for wrong in (uuid.uuid4().hex, "nope", "%2e%2e", "A" * 32):
        assert poll(owner, wrong).status_code == 404
        assert owner.post(f"/gadgets/jobs/{wrong}/cancel", headers=HTMX).status_code == 404
    assert owner.get(f"/other_gadgets/jobs/{job_id}", headers=HTMX).status_code == 404  # another view's routes
    anonymous = TestClient(app, follow_redirects=False)
    assert anonymous.get(f"/gadgets/jobs/{job_id}", headers=HTMX).status_code == 401
    assert anonymous.post(f"/gadgets/jobs/{job_id}/cancel", headers=HTMX).status_code == 401


def test_users_outside_the_views_allow_list_are_403_on_every_job_route(database, monkeypatch):
    app, admin = jobs_app.create_app()
    owner = signed_in(app)
    job_id = start(owner, note="x")
    final_poll(owner, job_id)
    monkeypatch.setattr(admin.views["gadgets"], "allowed_users", ["someone-else"])
    for method, path in (("GET", ""), ("POST", "/cancel"), ("GET", "/console")):
        assert owner.request(method, f"/gadgets/jobs/{job_id}{path}", headers=HTMX).status_code == 403


def test_uploaded_files_are_refused_and_start_nothing(app):
    client = signed_in(app)
    response = client.post("/gadgets/action/mark", data={"selection": "all", "note": "x"},
                           files={"upload": ("a.txt", b"hello")}, headers=HTMX)
    assert response.status_code == 400 and "cannot take uploaded files" in response.text
    assert calls() == []


# --- RQ with a real worker process ------------------------------------------------------


@pytest.fixture
def rq_app(database):
    """The app on RQ (a queue and prefix of the test's own) and a worker process on the
    same database."""
    kind, url, kwargs = database
    env = worker_settings(JOBS_DB_URL=url)
    if kind == "postgresql":
        env["JOBS_DB_SCHEMA"] = kwargs["connect_args"]["options"].split("=", 1)[1]
    app, _ = jobs_app.create_app(Jobs(REDIS_URL, prefix=env["JOBS_PREFIX"], queue=env["JOBS_QUEUE"]))
    with rq_worker("tests.unit.crud.jobs_app:app", env) as worker:
        yield app, worker


def test_rq_worker_runs_the_action_job_in_its_own_process(rq_app):
    app, worker = rq_app
    client = signed_in(app)
    done = final_poll(client, start(client, note="queued", flt_status="new"))
    assert toast(done)["message"] == "Mark: 20 records done."
    got = calls()
    assert {pid for _, pid in got} == {worker.pid} and worker.pid != os.getpid()
    assert [pk for ids, _ in got for pk in ids] == list(range(1, 41, 2))
    assert all(len(ids) <= CHUNK for ids, _ in got)
    assert sum(status == "queued" for status in statuses().values()) == 20


def test_rq_job_cancelled_here_stops_in_the_worker(rq_app):
    app, _ = rq_app
    client = signed_in(app)
    job_id = start(client, note="slow", delay="0.3")
    wait_until(lambda: len(calls()) >= 1)
    assert client.post(f"/gadgets/jobs/{job_id}/cancel", headers=HTMX).status_code == 200
    seen = len(calls())
    done = final_poll(client, job_id)
    assert 'data-status="cancelled"' in done.text
    assert len(calls()) <= seen + 1 < 6  # at most the chunk under way when the cancel came
    marked = sum(status == "slow" for status in statuses().values())
    assert marked == min(40, len(calls()) * CHUNK)

"""Progress bars of CRUD views on SQLite and PostgreSQL: the progress route goes through
the view's access check and scope, the store comes from the view's or the Admin's
`progress_redis_url` (in-process without one), `self.progress_response` states, and a
Redis that cannot be reached is "Progress unavailable", never a 500."""

import pytest
from fastapi import Depends, FastAPI, Request
from sqlalchemy.orm import Session
from starlette.middleware.sessions import SessionMiddleware

from fasthx_ui import InProcessProgressStore, RedisProgressStore
from fasthx_ui.crud import Admin, CRUDView, get_db

from ...redis_keys import REDIS_URL
from .conftest import CrudClient
from .models import Note, Site

CLOSED_PORT_URL = "redis://127.0.0.1:1/0"


class SiteView(CRUDView):
    """Starts a task with the bar at 30 % (its store: the Admin's Redis)."""

    model = Site
    row_actions = [{"label": "Run", "icon": "play", "hx_post": "/crud_sites/{id}/run", "progress": True}]

    @CRUDView.endpoint("/{name}/{item_id}/run", methods=["POST"])
    async def run(self, request: Request, item_id: int, db: Session = Depends(get_db)):
        return self.progress_response(request, item_id, progress=30, status="Queued")


class NoteView(CRUDView):
    """Notes of the signed-in user only; progress in the Admin's Redis."""

    model = Note
    name = "my_notes"
    row_actions = [{"label": "Run", "icon": "play", "hx_post": "/my_notes/{id}/run", "progress": True}]

    def scope(self, request, stmt):
        return stmt.where(Note.tenant == request.session["user"]["username"])


class BossNoteView(CRUDView):
    model = Note
    name = "boss_notes"
    allowed_users = ["boss"]
    progress_redis_url = REDIS_URL


class DownNoteView(CRUDView):
    model = Note
    name = "down_notes"
    progress_redis_url = CLOSED_PORT_URL


class PlainNoteView(CRUDView):
    """No progress action and no store URL: no progress route."""

    model = Note
    name = "plain_notes"


def make_app():
    app = FastAPI()
    app.add_middleware(SessionMiddleware, secret_key="progress-tests")

    @app.get("/test-login")
    async def test_login(request: Request, username: str = "dev"):
        request.session["user"] = {"username": username, "groups": []}
        return {"ok": True}

    admin = Admin(app, progress_redis_url=REDIS_URL)
    for view in (SiteView, NoteView, BossNoteView, DownNoteView, PlainNoteView):
        admin.add_view(view)
    return app, admin


APP, ADMIN = make_app()


@pytest.fixture
def client(database):
    with CrudClient(APP, follow_redirects=False) as test_client:
        yield test_client.sign_in()


@pytest.fixture
def notes(db):
    mine, theirs = Note(tenant="dev", body="mine"), Note(tenant="other", body="theirs")
    db.add_all([mine, theirs])
    db.commit()
    return mine, theirs


@pytest.fixture
def redis_store(notes):
    """The Admin's Redis, as a worker writes it; the notes' keys are cleared afterwards."""
    store = ADMIN.get_view("my_notes").progress_store
    yield store
    for note in notes:
        store.clear("my_notes", note.id)


def test_the_store_comes_from_the_view_then_the_admin_then_this_process():
    assert ADMIN.get_view("boss_notes").progress_store.redis_url == REDIS_URL
    assert ADMIN.get_view("down_notes").progress_store.redis_url == CLOSED_PORT_URL
    assert ADMIN.get_view("my_notes").progress_store.redis_url == REDIS_URL  # the Admin's
    assert isinstance(ADMIN.get_view("crud_sites").progress_store, RedisProgressStore)  # the Admin's too
    lone = Admin(FastAPI()).add_view(PlainNoteView)
    assert isinstance(lone.progress_store, InProcessProgressStore)


def test_the_progress_route_reads_the_store_inside_the_scope(client, notes, redis_store):
    mine, theirs = notes
    redis_store.set("my_notes", mine.id, 40, "Copying")
    answer = client.htmx_get(f"/my_notes/{mine.id}/progress")
    assert answer.status_code == 200 and 'aria-valuenow="40"' in answer.text and "Copying" in answer.text
    redis_store.set("my_notes", theirs.id, 40)
    outside = client.htmx_get(f"/my_notes/{theirs.id}/progress")
    assert outside.status_code == 404 and "progressbar" not in outside.text
    assert client.get(f"/my_notes/{theirs.id}/progress").status_code == 404  # a page for a browser
    assert client.htmx_get("/my_notes/abc/progress").status_code == 404


def test_the_progress_route_passes_the_access_check(client, notes):
    assert client.htmx_get(f"/boss_notes/{notes[0].id}/progress").status_code == 403
    client.get("/test-login", params={"username": "boss"})
    answer = client.htmx_get(f"/boss_notes/{notes[0].id}/progress")
    assert answer.status_code == 200 and "Waiting..." in answer.text


def test_a_view_without_progress_has_no_progress_route(client, notes):
    answer = client.htmx_get(f"/plain_notes/{notes[0].id}/progress")
    assert answer.status_code == 404 and "progressbar" not in answer.text


def test_redis_down_is_progress_unavailable_not_a_500(client, notes):
    answer = client.htmx_get(f"/down_notes/{notes[0].id}/progress")
    assert answer.status_code == 200
    assert "Progress unavailable" in answer.text and 'data-status="unavailable"' in answer.text
    assert "aria-valuenow" not in answer.text


def test_progress_response_starts_where_it_is_told_and_polls_the_row(client, db):
    site = Site(name="Oslo")
    db.add(site)
    db.commit()
    answer = client.htmx_post(f"/crud_sites/{site.id}/run")
    assert answer.status_code == 200
    assert 'aria-valuenow="30"' in answer.text and "Queued" in answer.text
    assert f'hx-get="/crud_sites/{site.id}/progress"' in answer.text and "hx-swap-oob" not in answer.text
    bar = f"crud_sites-table-progress-{site.id}"  # one bar per row: a second start removes the first
    assert f'<hx-partial hx-target="#{bar}" hx-swap="delete">' in answer.text and f'id="{bar}"' in answer.text
    assert f'id="{bar}"' in client.htmx_get(f"/crud_sites/{site.id}/progress").text
    store = ADMIN.get_view("crud_sites").progress_store
    try:
        store.set("crud_sites", site.id, 100)
        done = client.htmx_get(f"/crud_sites/{site.id}/progress")
        assert "Complete" in done.text and "hx-get" not in done.text
    finally:
        store.clear("crud_sites", site.id)
    assert "Waiting..." in client.htmx_get(f"/crud_sites/{site.id}/progress").text


@pytest.mark.parametrize("earlier", [100, "Error"], ids=["complete", "failed"])
def test_a_second_run_starts_over_not_at_the_earlier_end(client, db, earlier):
    site = Site(name="Bergen")
    db.add(site)
    db.commit()
    store = ADMIN.get_view("crud_sites").progress_store
    try:
        store.set("crud_sites", site.id, earlier)  # what the first run left behind
        assert client.htmx_post(f"/crud_sites/{site.id}/run").status_code == 200
        poll = client.htmx_get(f"/crud_sites/{site.id}/progress")
        assert 'aria-valuenow="30"' in poll.text and 'data-status="running"' in poll.text
        store.set("crud_sites", site.id, 60)  # a run under way is not put back
        client.htmx_post(f"/crud_sites/{site.id}/run")
        assert 'aria-valuenow="60"' in client.htmx_get(f"/crud_sites/{site.id}/progress").text
    finally:
        store.clear("crud_sites", site.id)

"""`scope()` narrows writes too, on SQLite and PostgreSQL with two tenants: a create or
edit form that shows the tenant column, a batch action and a row action cannot leave a
row outside the user's scope; the refusal is a clear message and nothing is written."""

import json
import re
import time

import pytest
from fastapi import FastAPI, Request
from fastapi.testclient import TestClient
from sqlalchemy import select
from starlette.middleware.sessions import SessionMiddleware

from fasthx_ui.crud import Admin, action, row_action
from fasthx_ui.crud.db import open_session

from ...databases import KINDS
from .actions_app import Article, ArticleView, actions_database
from .conftest import META_TOKEN, OTHER
from .sweep import snapshot

REFUSED = "Notes: not saved, the record would be outside the records you may see or change."


def test_a_new_row_in_another_tenant_is_refused_with_the_form_kept(client, world, database):
    before = snapshot(database)
    for post in (client.htmx_post, client.post):
        response = post("/notes/create", data={"tenant": OTHER, "body": "smuggled"})
        assert response.status_code == 403
        assert REFUSED in response.text and 'value="smuggled"' in response.text
    assert snapshot(database) == before


def test_an_edit_that_moves_a_row_out_of_the_scope_is_refused(client, world, database):
    before = snapshot(database)
    response = client.htmx_post(f"/notes/{world['own']['notes']}/edit", data={"tenant": OTHER, "body": "moved"})
    assert response.status_code == 403 and REFUSED in response.text
    assert snapshot(database) == before


def test_saves_that_stay_inside_the_scope_are_written(client, world, db):
    from .app import Note

    assert client.htmx_post("/notes/create", data={"tenant": "dev", "body": "kept"}).status_code == 200
    assert client.htmx_post(f"/notes/{world['own']['notes']}/edit", data={"tenant": "dev", "body": "renamed"}).status_code == 200
    assert sorted(db.scalars(select(Note.body).where(Note.tenant == "dev"))) == ["kept", "renamed"]


def test_a_view_that_keeps_the_default_scope_is_not_checked():
    from fasthx_ui.crud import CRUDView
    from fasthx_ui.crud.scoped_writes import check_scope, narrows

    from .app import NoteView

    class PlainNotes(NoteView):
        scope = CRUDView.scope

    class Untouchable:
        def __getattr__(self, name):
            raise AssertionError(f"db.{name} used")

    plain, scoped = object.__new__(PlainNotes), object.__new__(NoteView)
    assert narrows(scoped) and not narrows(plain)
    check_scope(plain, None, Untouchable())
    with pytest.raises(AssertionError, match="db.new used"):
        check_scope(scoped, None, Untouchable())


class GivingArticleView(ArticleView):
    """The articles view with actions that hand rows to the other tenant."""

    name = "giving"
    actions = ["give_away", "rename"]
    row_actions = ["give_one"]

    @action("give_away", "Give away")
    def give_away_action(self, request, pks):
        for article in request.state.session.scalars(select(Article).where(Article.id.in_(pks))):
            article.title = "given"
            article.tenant = "other"
        return "given"

    @action("rename", "Rename")
    def rename_action(self, request, pks):
        for article in request.state.session.scalars(select(Article).where(Article.id.in_(pks))):
            article.title = f"{article.title}!"
        request.state.session.add(Article(title="extra", tenant="dev"))
        return "renamed"

    @row_action("give_one", "Give this one away")
    def give_one_row_action(self, request, pk):
        request.state.session.get(Article, pk).tenant = "other"
        return "given"


@pytest.fixture(scope="module")
def giving_app():
    app = FastAPI()
    app.add_middleware(SessionMiddleware, secret_key="test-scoped-writes")
    Admin(app, title="Giving").add_view(GivingArticleView)

    @app.get("/test-sign-in")
    def sign_in(request: Request):
        request.session["user"] = {"username": "dev", "groups": []}
        return {}

    return app


@pytest.fixture(params=KINDS)
def articles_db(request, tmp_path):
    """Articles a0, a1 of "dev" and one of "other", on a fresh database of each kind."""
    with actions_database(request.param, tmp_path) as engine:
        with open_session() as session:
            session.add_all([Article(title="a0"), Article(title="a1"), Article(title="theirs", tenant="other")])
            session.commit()
        yield engine


@pytest.fixture
def giver(giving_app, articles_db):
    with TestClient(giving_app, follow_redirects=False) as test_client:
        test_client.get("/test-sign-in")
        token = META_TOKEN.search(test_client.get("/giving").text).group(1)
        test_client.headers.update({"X-CSRF-Token": token, "HX-Request": "true"})
        yield test_client


def rows(engine):
    with engine.connect() as conn:
        return sorted(conn.execute(select(Article.title, Article.tenant)).all())


@pytest.mark.parametrize("url, data", [("/giving/action/give_away", {"ids": ["1", "2"]}),
                                       ("/giving/row-action/give_one/1", {})])
def test_an_action_that_moves_rows_out_of_the_scope_is_rolled_back(giver, articles_db, url, data):
    before = rows(articles_db)
    response = giver.post(url, data=data)
    assert response.status_code == 400
    assert "Articles: not saved, the record would be outside" in json.loads(response.headers["HX-Trigger"])["showToast"]["message"]
    assert rows(articles_db) == before


def test_an_action_that_keeps_its_rows_inside_the_scope_commits(giver, articles_db):
    assert giver.post("/giving/action/rename", data={"ids": ["1", "2"]}).status_code == 200
    assert rows(articles_db) == [("a0!", "dev"), ("a1!", "dev"), ("extra", "dev"), ("theirs", "other")]


def test_a_background_job_that_moves_rows_out_of_the_scope_fails_and_writes_nothing(giver, articles_db):
    before = rows(articles_db)
    answer = giver.post("/giving/action/give_away", data={"selection": "all"})
    job_id = re.search(r'data-fhx-job="([0-9a-f]{32})"', answer.text)[1]
    deadline = time.monotonic() + 20
    while "hx-trigger" in (poll := giver.get(f"/giving/jobs/{job_id}")).text:
        assert time.monotonic() < deadline, poll.text
        time.sleep(0.05)  # polling the job's state, as its panel does
    toast = json.loads(poll.headers["HX-Trigger"])["showToast"]
    assert toast["type"] == "danger" and "would be outside the records you may see" in toast["message"]
    assert rows(articles_db) == before

"""The test app of the starlette-admin style actions: articles of two tenants, a view
with batch actions (one with a form, one failing, one answering a Response), decorated
row and link row actions, and a view that may not delete. Its models live on a base of
their own, so they never meet the other tests' tables."""

import json
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from fastapi import FastAPI, Request
from sqlalchemy import Boolean, Column, Integer, String, select
from sqlalchemy.orm import DeclarativeBase
from starlette.middleware.sessions import SessionMiddleware
from starlette.responses import JSONResponse, RedirectResponse

from fasthx_ui.crud import ActionFailed, Admin, CRUDView, action, init_db, link_row_action, row_action

from ...databases import database_settings

AUDITED: list[dict] = []
"""The audit events of the app (tests clear it first)."""
VALUE_FORM = '<input type="text" class="form-control" name="value" aria-label="Value">'


class ActionsBase(DeclarativeBase):
    """The actions tests' own metadata."""


class Article(ActionsBase):
    __tablename__ = "act_articles"
    id = Column(Integer, primary_key=True)
    tenant = Column(String(20), nullable=False, default="dev")
    title = Column(String(100), nullable=False)
    status = Column(String(20), nullable=False, default="draft")
    locked = Column(Boolean, nullable=False, default=False)

    def __repr__(self):
        return f"<Article {self.title}>"


class Label(ActionsBase):
    __tablename__ = "act_labels"
    code = Column(String(8), primary_key=True)
    text = Column(String(50), nullable=False)


class ArticleView(CRUDView):
    """Articles of the signed-in user's tenant, with every kind of action."""

    model = Article
    name = "articles"
    display_name = "Articles"
    audit_log = True
    column_list = ["id", "title", "status"]
    column_searchable = ["title"]
    column_filters = ["status"]
    page_size = 5
    multi_row_select_all_pages = True
    multi_row_actions = [{"label": "Archive Selected", "hx_post": "/articles/bulk-archive", "confirm": "Archive {count} items?"}]
    actions = ["publish", "delete", "fail", "redirect", "away", "as_json"]
    row_actions = ["view", "edit", "go_to", "lock", "history", "archive", "delete"]

    def scope(self, request, stmt):
        return stmt.where(Article.tenant == request.session["user"]["username"])

    @action("publish", "Publish", confirmation="Publish {count} articles?", submit_btn_text="Yes, publish",
            submit_btn_class="btn-success", form=VALUE_FORM, icon_class="check-circle")
    async def publish_action(self, request: Request, pks):
        data = await request.form()
        session = request.state.session
        for article in session.scalars(select(Article).where(Article.id.in_(pks))):
            article.status = data.get("value") or "published"
        return f"{len(pks)} articles were published"

    @action("fail", "Always fails")
    def fail_action(self, request: Request, pks):
        session = request.state.session
        for article in session.scalars(select(Article).where(Article.id.in_(pks))):
            article.status = "failed"
        session.flush()
        raise ActionFailed("Sorry, we cannot do that now.")

    @action("redirect", "Go to the first", custom_response=True)
    async def redirect_action(self, request: Request, pks):
        return RedirectResponse(f"/articles/{pks[0]}", status_code=303)

    @action("away", "Go elsewhere", custom_response=True)
    async def away_action(self, request: Request, pks):
        return RedirectResponse("https://evil.example/", status_code=303)

    @action("as_json", "As JSON", custom_response=True)
    async def json_action(self, request: Request, pks):
        return JSONResponse({"pks": pks})

    @row_action("lock", "Lock", confirmation="Lock this article?", icon_class="lock", form=VALUE_FORM,
                action_btn_class="btn-outline-warning")
    def lock_row_action(self, request: Request, pk):
        article = request.state.session.get(Article, pk)
        if article.locked:
            raise ActionFailed("This article is locked already.")
        article.locked = True
        return f"Locked {article.title}"

    @row_action("archive", "Archive", exclude_from_list=True)
    def archive_row_action(self, request: Request, pk):
        request.state.session.get(Article, pk).status = "archived"
        return "Archived"

    @link_row_action("history", "History", exclude_from_detail=True)
    def history_row_action(self, request: Request, pk):
        return f"/articles/{pk}/history"

    @link_row_action("go_to", "Go to", icon_class="box-arrow-up-right")
    def go_to_row_action(self, request: Request, pk):
        return f"/articles/{pk}?from=link"


class ReadOnlyArticleView(CRUDView):
    """The same articles, without deleting; the reference's dict row actions, as a dropdown."""

    model = Article
    name = "ro_articles"
    can_delete = False
    row_actions_display_type = "dropdown"
    row_actions = [
        {"label": "Peek", "icon": "eye-fill", "hx_get": "/ro_articles/{id}/peek"},
        {"label": "Reset", "hx_post": "/ro_articles/{id}/reset", "hx_target": "#row-{id}", "hx_swap": "outerHTML",
         "confirm": "Reset article {id}?", "class": "btn-outline-warning"},
        {"label": "Export", "icon": "download", "href": "/ro_articles/{id}/export", "download": True},
        {"label": "Docs", "href": "https://example.org/articles/{id}", "target": "_blank", "confirm": "Leave for the docs?"},
    ]

    @action("publish", "Publish")
    def publish_action(self, request, pks):
        return "published"


def create_app() -> tuple[FastAPI, Admin]:
    """The app: a sign-in route for tests, the Admin with both views."""
    app = FastAPI()
    app.add_middleware(SessionMiddleware, secret_key="test-actions")
    admin = Admin(app, title="Actions", audit_logger=AUDITED.append)

    @app.get("/test-sign-in")
    def sign_in(request: Request, user: str):
        request.session["user"] = json.loads(user)
        return {}

    admin.add_view(ArticleView)
    admin.add_view(ReadOnlyArticleView)
    return app, admin


@contextmanager
def actions_database(kind: str, folder) -> Iterator[sa.Engine]:
    """init_db() on an empty database of `kind` (tests/databases.py) holding this app's tables."""
    with database_settings(kind, folder) as (url, kwargs):
        if kind == "sqlite":
            kwargs = {"connect_args": {"check_same_thread": False}}  # the test client serves from its own thread
        engine = init_db(url, **kwargs)
        ActionsBase.metadata.create_all(engine)
        try:
            yield engine
        finally:
            engine.dispose()

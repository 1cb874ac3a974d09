"""The test app of batch actions run as background jobs: gadgets of two tenants, a view
whose actions record every call (the ids each got) in a table, so a test, or an RQ
worker in another process, leaves its evidence in the database.

`app` at the bottom is built from the environment (JOBS_DB_URL, JOBS_DB_SCHEMA,
JOBS_REDIS_URL, JOBS_PREFIX, JOBS_QUEUE) for `python -m fasthx_ui.job_worker --app
tests.unit.crud.jobs_app:app`; tests build their own with `create_app`.
"""

import json
import os
import threading
import time

import sqlalchemy as sa
from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse
from sqlalchemy import Column, Integer, String, Text, select, update
from sqlalchemy.orm import DeclarativeBase
from starlette.middleware.sessions import SessionMiddleware

from fasthx_ui import Jobs, install_jobs
from fasthx_ui.crud import ActionFailed, Admin, CRUDView, action, init_db

NOTE_FORM = '<input type="text" class="form-control" name="note" aria-label="Note">'
CHUNK = 7
gate: threading.Semaphore | None = None
"""When a test sets it, each handler call records itself, then waits for a release."""
audited: list[dict] = []
"""The audit events of this process's apps."""


class JobsBase(DeclarativeBase):
    """The job tests' own metadata."""


class Gadget(JobsBase):
    __tablename__ = "job_gadgets"
    id = Column(Integer, primary_key=True)
    tenant = Column(String(20), nullable=False)
    name = Column(String(50), nullable=False)
    status = Column(String(20), nullable=False, default="new")


class Call(JobsBase):
    """One handler call: the ids it got and the process that ran it."""

    __tablename__ = "job_calls"
    id = Column(Integer, primary_key=True, autoincrement=True)
    action = Column(String(20), nullable=False)
    ids = Column(Text, nullable=False)
    pid = Column(Integer, nullable=False)


def record(action_name: str, pks) -> None:
    """Note the call in its own transaction, so a test sees it before the chunk commits."""
    from fasthx_ui.crud.db import open_session

    with open_session() as db:
        db.add(Call(action=action_name, ids=json.dumps(list(pks)), pid=os.getpid()))
        db.commit()


class GadgetView(CRUDView):
    """The signed-in user's tenant's gadgets (`user["tenant"]`)."""

    model = Gadget
    name = "gadgets"
    display_name = "Gadgets"
    column_list = ["id", "name", "status"]
    column_searchable = ["name"]
    column_filters = ["status"]
    multi_row_select_all_pages = True
    job_chunk_size = CHUNK
    audit_log = True

    def scope(self, request, stmt):
        return stmt.where(Gadget.tenant == request.session["user"]["tenant"])

    @action("mark", "Mark", form=NOTE_FORM)
    async def mark_action(self, request: Request, pks):
        data = await request.form()
        record("mark", pks)
        if gate is not None:
            gate.acquire()
        time.sleep(float(data.get("delay") or 0))
        db = request.state.session
        db.execute(update(Gadget).where(Gadget.id.in_(pks)).values(status=data["note"]))
        request.state.job.write(f"chunk from {pks[0]}\n")
        return f"{len(pks)} gadgets marked {data['note']}"

    @action("explode", "Explode")
    def explode_action(self, request: Request, pks):
        record("explode", pks)
        db = request.state.session
        db.execute(update(Gadget).where(Gadget.id.in_(pks)).values(status="exploded"))
        if db.scalar(select(sa.func.count()).select_from(Call).where(Call.action == "explode")) >= 2:
            raise ActionFailed("The second chunk refused to explode.")
        return "boom"


    @action("report", "Report")
    def report_action(self, request: Request, pks):
        """Answers with a redirect, as an in-request action may: where the result is."""
        record("report", pks)
        return RedirectResponse(f"/gadgets?q=gadget-{pks[0]}", status_code=303)

    @action("away", "Away")
    def away_action(self, request: Request, pks):
        return RedirectResponse("https://elsewhere.example/stolen", status_code=303)


class OtherView(CRUDView):
    """The same gadgets under another name: its jobs' routes must not show GadgetView's jobs."""

    model = Gadget
    name = "other_gadgets"

    def scope(self, request, stmt):
        return stmt.where(Gadget.tenant == request.session["user"]["tenant"])


def create_app(jobs: Jobs | None = None) -> tuple[FastAPI, Admin]:
    """The app (sign-in route for tests, both views), on `jobs` when given."""
    app = FastAPI()
    app.add_middleware(SessionMiddleware, secret_key="test-jobs")
    if jobs is not None:
        install_jobs(app, jobs)
    admin = Admin(app, title="Jobs", audit_logger=audited.append)

    @app.get("/test-sign-in")
    def sign_in(request: Request, user: str):
        request.session["user"] = json.loads(user)
        return {}

    admin.add_view(GadgetView)
    admin.add_view(OtherView)
    return app, admin


def worker_app() -> FastAPI | None:
    """The app of an RQ worker, from the environment (see the module's text)."""
    url = os.environ.get("JOBS_DB_URL")
    if not url:
        return None
    schema = os.environ.get("JOBS_DB_SCHEMA")
    init_db(url, **({"connect_args": {"options": f"-csearch_path={schema}"}} if schema else {}))
    jobs = Jobs(os.environ["JOBS_REDIS_URL"], prefix=os.environ["JOBS_PREFIX"], queue=os.environ["JOBS_QUEUE"])
    return create_app(jobs)[0]


app = worker_app()

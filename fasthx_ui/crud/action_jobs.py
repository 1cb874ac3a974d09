"""Batch actions on "all N matching" rows, run as background jobs.

`start_action_job` (called by the action route when the form says `selection=all`)
records the dialog's fields, the list's search and filters (in the URL or the form) and
the user, starts a job
and answers with its JobProgress panel in the page's modal. The job walks the matching
ids (the view's TableState and `scope()`, as select-all-ids) in chunks of
`view.job_chunk_size`, each read, handled, checked against the scope (scoped_writes)
and committed in a session of its own, so
100,000 rows never sit in one request, one message or one transaction. Between chunks
it checks the cancel flag. The handler gets a `JobRequest`: `await request.form()` gives
the dialog's fields, `request.state.session` the chunk's session, `request.state.job`
the job (`write(text)` for console lines, `cancelled`).

Routes (`register_job_routes`, each through `view.add_route`): the panel's poll
`GET /{name}/jobs/{job_id}` (a page when opened directly), `POST …/cancel`, and the
console stream `GET …/console`. Only the job's owner sees it; any other id is a 404.
"""

from __future__ import annotations

import asyncio
import inspect
from functools import partial
from typing import Any

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from fasthx_ui import (
    REFRESH_TABLE_EVENT,
    Job,
    JobContext,
    JobFailed,
    JobResult,
    Jobs,
    PROGRESS_LABELS,
    JobStoreUnavailable,
    ProgressState,
    console_stream_response,
    install_jobs,
    is_htmx,
    is_partial,
    job_cancel_response,
    job_panel,
    job_poll_response,
    jobs_for,
    modal_response,
    progress_bar,
    toast_response,
)
from fasthx_ui.crud import audit
from fasthx_ui.crud.actions import ActionFailed
from fasthx_ui.crud.auth import get_current_user
from fasthx_ui.crud.db import open_session
from fasthx_ui.crud.lifecycle import DATABASE_REFUSALS, database_message
from fasthx_ui.crud.list_page import list_source
from fasthx_ui.crud.scoped_writes import check_scope
from fasthx_ui.crud.sessions import safe_next

ACTION_JOB = "crud-action"
NOT_FORM_FIELDS = frozenset({"ids", "selection", "csrf_token"})
POLL_INTERVAL = "1s"
NO_JOB = "{}: there is no such job (it may have expired)."


def install(admin: Any, redis_url: str | None) -> Jobs:
    """The app's jobs manager (the one installed, or a new one on `redis_url`) with the
    runner of action jobs, which finds views through `admin`."""
    try:
        jobs = jobs_for(admin.app)
    except LookupError:
        jobs = install_jobs(admin.app, Jobs(redis_url))
    jobs.register(ACTION_JOB, partial(run_action_job, admin))
    return jobs


class JobRequest(Request):
    """The request a handler gets inside a job: the user who started it (as
    `request.session["user"]`), the dialog's fields as `await request.form()`, and
    `request.state.job` (the JobContext)."""

    def __init__(self, app: Any, user: dict[str, Any] | None, fields: list[list[str]], path: str,
                 context: JobContext) -> None:
        super().__init__({
            "type": "http", "method": "POST", "scheme": "http", "path": path, "raw_path": path.encode(),
            "root_path": "", "query_string": b"", "headers": [], "client": None, "server": None,
            "app": app, "router": app.router, "session": {"user": user} if user else {}, "state": {},
        })
        self.fields = FormData([(key, value) for key, value in fields])
        self.state.job = context

    async def form(self, **_options: Any) -> FormData:  # type: ignore[override]
        return self.fields


def _owner(request: Request) -> str:
    user = get_current_user(request) or {}
    return str(user.get("username") or "")


def start_action_job(view: Any, request: Request, batch_action: Any, form: FormData) -> Response:
    """Start `batch_action` on every row matching the list's search and filters in the
    form; answer with the job's panel in the modal."""
    fields: list[list[str]] = []
    for key, value in form.multi_items():
        if key in NOT_FORM_FIELDS:
            continue
        if not isinstance(value, str):
            return toast_response("A background job cannot take uploaded files.", type="danger", status_code=400)
        fields.append([key, value])
    query = [[key, value] for key, value in request.query_params.multi_items() if key not in NOT_FORM_FIELDS]
    state = view.table_spec.parse([*fields, *query])  # the URL's search and filters win
    if not matching(view, request, state):
        return toast_response(f"{view.display_name}: no rows match the search and filters.", type="warning",
                              status_code=404)
    payload = {"view": view.name, "action": batch_action.name, "form": fields, "query": query,
               "user": get_current_user(request)}
    try:
        job = jobs_for(request.app).start(ACTION_JOB, payload, owner=_owner(request), title=batch_action.text)
    except JobStoreUnavailable as exc:
        return toast_response(f"The job could not start: {exc}", type="danger", status_code=503)
    if batch_action.name != "delete":  # delete audits each row itself, as in the request
        filters = state.query_string(page=None, sort=None, order=None, page_size=None)
        audit.emit(view, batch_action.name, request=request, data={"job": job.id, "selection": "all", "filters": filters})
    return modal_response(batch_action.text, panel(view, request, job), size="modal-lg", request=request)


def matching(view: Any, request: Request, state: Any) -> int:
    """How many rows the search and filters of `state` match, inside the view's scope."""
    with open_session() as db:
        return list_source(view, request, db).count(state)


def job_url(view: Any, job_id: str, part: str = "") -> str:
    return f"{view.list_url}/jobs/{job_id}{part}"


def panel(view: Any, request: Request, job: Job) -> str:
    """The JobProgress panel of an action job."""
    return job_panel(request, jobs_for(request.app), job, poll_url=job_url(view, job.id),
                     cancel_url=job_url(view, job.id, "/cancel"), stream_url=job_url(view, job.id, "/console"),
                     interval=POLL_INTERVAL)


def run_action_job(admin: Any, context: JobContext) -> str | JobResult:
    """The runner of action jobs (in a thread of an app process, or in an RQ worker)."""
    payload = context.payload
    view = admin.views.get(payload["view"])
    batch_action = getattr(view, "batch_actions", {}).get(payload["action"]) if view is not None else None
    if batch_action is None:
        raise JobFailed(f"The action {payload['action']!r} of {payload['view']!r} no longer exists.")
    request = JobRequest(admin.app, payload["user"], payload["form"], view.list_url, context)
    handler = view.batch_handler(batch_action.name)
    state = view.table_spec.parse([*payload["form"], *payload["query"]])  # the URL's search and filters win
    return asyncio.run(_walk(view, batch_action, handler, request, state, context))


async def _walk(view: Any, batch_action: Any, handler: Any, request: JobRequest, state: Any,
                context: JobContext) -> str | JobResult:
    """Hand the ids matching `state` to `handler` chunk by chunk; the job's result: the
    handler's string when there was one chunk, else how many rows were done, and the
    target of the last redirect the handler returned (paths of this app only)."""
    with open_session() as db:
        total = list_source(view, request, db).count(state)
    context.progress(0, total, f"0 of {total:,} records")
    done, chunks, after, last_text, redirect = 0, 0, None, "", ""
    while True:
        context.check_cancelled(f"Cancelled after {done:,} of {total:,} records.")
        with open_session() as db:
            chunk = list_source(view, request, db).id_chunk(state, view.job_chunk_size, after)
            if not chunk:
                break
            request.state.session = db
            try:
                result = handler(request, chunk)
                if inspect.isawaitable(result):
                    result = await result
                check_scope(view, request, db)
                db.commit()
            except ActionFailed as failure:
                db.rollback()
                raise JobFailed(f"{failure.msg} (stopped after {done:,} of {total:,} records)") from None
            except DATABASE_REFUSALS as refusal:
                db.rollback()
                message = database_message(refusal, batch_action.text.lower())
                raise JobFailed(f"{message} (stopped after {done:,} of {total:,} records)") from None
        done, chunks, after = done + len(chunk), chunks + 1, chunk[-1]
        last_text = result if isinstance(result, str) else ""
        if last_text:
            context.write(f"{last_text}\n")
        if isinstance(result, Response) and 300 <= result.status_code < 400 and "location" in result.headers:
            redirect = safe_next(result.headers["location"], view.list_url)
        context.progress(done, total, f"{done:,} of {total:,} records")
    message = last_text if chunks == 1 and last_text else f"{batch_action.text}: {done:,} records done."
    return JobResult(message, redirect) if redirect else message


def register_job_routes(view: Any) -> None:
    """The poll, cancel and console routes of a view's action jobs."""

    def follow(request: Request, job_id: str) -> Response:
        return follow_response(view, request, job_id)

    def cancel(request: Request, job_id: str) -> Response:
        job = owned_job(view, request, job_id)
        return job_cancel_response(jobs_for(request.app), job) if isinstance(job, Job) else job

    def console(request: Request, job_id: str) -> Response:
        job = owned_job(view, request, job_id)
        if not isinstance(job, Job):
            return job
        jobs = jobs_for(request.app)
        return console_stream_response(request, jobs.console, jobs.console_id(job.id))

    base = job_url(view, "{job_id}")
    view.add_route(base, follow, name=f"{view.name}:job")
    view.add_route(f"{base}/cancel", cancel, methods=("POST",), name=f"{view.name}:job_cancel")
    view.add_route(f"{base}/console", console, name=f"{view.name}:job_console")


def find_job(view: Any, request: Request, job_id: str) -> Job | None:
    """The action job `job_id` of this view if this user started it, else None; raises
    JobStoreUnavailable when the store cannot be read."""
    job = jobs_for(request.app).get(job_id)
    if job is None or job.kind != ACTION_JOB or job.payload.get("view") != view.name:
        return None
    return job if job.owner == _owner(request) else None


def owned_job(view: Any, request: Request, job_id: str) -> Job | Response:
    """`find_job`, or the answer when there is none (404) or the store is away (503)."""
    try:
        job = find_job(view, request, job_id)
    except JobStoreUnavailable as exc:
        return toast_response(str(exc), type="danger", status_code=503)
    return job if job is not None else no_job(view, request)


def no_job(view: Any, request: Request) -> Response:
    """404 for a job id that names no job of this user: a toast (htmx) or a page."""
    message = NO_JOB.format(view.display_name)
    if is_htmx(request):
        return toast_response(message, type="danger", status_code=404)
    context = {"request": request, "view": view, "title": view.display_name, "active_page": view.name,
               "message": message, "back_url": view.list_url}
    return view.templates.TemplateResponse(request, "not_found.html", context, status_code=404)


def follow_response(view: Any, request: Request, job_id: str) -> Response:
    """A poll of the panel's bar (htmx), or the job's page (opened directly). A poll
    while the store is away shows "Progress unavailable" and keeps polling."""
    poll_url = job_url(view, job_id)
    jobs = jobs_for(request.app)
    if not is_partial(request):
        job = owned_job(view, request, job_id)
        if not isinstance(job, Job):
            return job
        context = {"request": request, "view": view, "title": job.title, "active_page": view.name,
                   "panel": panel(view, request, job), "back_url": view.list_url}
        return view.templates.TemplateResponse(request, "job.html", context)
    try:
        job = find_job(view, request, job_id)
    except JobStoreUnavailable as exc:
        return HTMLResponse(progress_bar(ProgressState.unavailable(str(exc)), poll_url, request=request,
                                         interval=POLL_INTERVAL))
    if job is None:  # a bar that stops polling, saying why
        gone = ProgressState(0, "failed", PROGRESS_LABELS["failed"], NO_JOB.format(view.display_name))
        return HTMLResponse(progress_bar(gone, request=request), status_code=404)
    events = {REFRESH_TABLE_EVENT: {"id": view.table_id}}
    return job_poll_response(request, jobs, job, poll_url, interval=POLL_INTERVAL, events=events)

"""The routes of a view's starlette-admin style actions, each through `view.add_route`
with the action's permission:

- `GET  /{name}/action/{action}/confirm?ids=…` its confirmation dialog (the page's Modal),
- `POST /{name}/action/{action}` run it on the posted `ids` (or, with `selection=all`, start
  it as a background job on every row matching the search and filters in the URL:
  `action_jobs.start_action_job`, docs/jobs.md),
- `GET  /{name}/row-action/{action}/{id}/confirm` and `POST /{name}/row-action/{action}/{id}`
  the same for one row.

Ids are read with the primary key's type (a bad one is a 400, nothing runs) and narrowed
to the view's `scope()`. The handler gets the request with its session in
`request.state.session`: `ActionFailed` (or a row of the view it leaves outside the
scope: scoped_writes) rolls back and answers a danger toast, otherwise the
session commits: a string is a success toast, a Response is sent as is (a redirect becomes
`HX-Redirect` for htmx, and only ever to a path of this app). A view with `audit_log`
records a successful action as one event named after it (`data`: the ids; a row
action's `item_id`: its row); the default delete records one `delete` per row. A row
action run from its row's detail page (htmx's `HX-Current-URL`) reloads that page, the
toast shown there; from the list, it reloads the list's table.
"""

from __future__ import annotations

import inspect
from typing import Any
from urllib.parse import quote, urlsplit

from fastapi import Depends, Request
from markupsafe import Markup
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, ImmutableMultiDict
from starlette.responses import Response

from fasthx_ui import REFRESH_TABLE_EVENT
from fasthx_ui.crud import audit
from fasthx_ui.crud.action_buttons import action_url
from fasthx_ui.crud.action_jobs import start_action_job
from fasthx_ui.crud.actions import ActionFailed, BatchAction, RowAction
from fasthx_ui.crud.db import get_db
from fasthx_ui.crud.items import load_item, not_found
from fasthx_ui.crud.lifecycle import DATABASE_REFUSALS, database_message
from fasthx_ui.crud.list_page import list_source
from fasthx_ui.crud.scoped_writes import check_scope
from fasthx_ui.crud.selection import MAX_IDS, InvalidIds, scoped_pks
from fasthx_ui.crud.sessions import safe_next
from fasthx_ui.htmx import is_htmx, trigger
from fasthx_ui.modal import modal_response
from fasthx_ui.toast import toast_response

ALL = "all"
"""`selection=all`: the action is for every row matching the list's search and filters."""
ACTION_FORM_ID = "fhx-action-form"
MAX_FIELDS = MAX_IDS + 1000
"""Form fields a batch action accepts: every id of a large selection plus the dialog's
fields (Starlette's default of 1000 would refuse a selection of 1000 rows)."""


class NoRows(Exception):
    """The request names no row the action may act on; the message says why."""

    def __init__(self, message: str, status_code: int):
        super().__init__(message)
        self.message, self.status_code = message, status_code


def register_actions(view: Any) -> None:
    """The confirm and run routes of every batch action and request row action."""
    for batch in view.batch_actions.values():
        add_batch_routes(view, batch)
    for found in view.decorated_row_actions.values():
        if not found.is_link:
            add_row_routes(view, found)


def add_batch_routes(view: Any, batch: BatchAction) -> None:
    url = f"{view.list_url}/action/{batch.name}"

    async def confirm(request: Request, db: Session = Depends(get_db)) -> Response:
        try:
            if request.query_params.get("selection") == ALL:
                count = await run_in_threadpool(matching_count, view, request, db)
                return dialog(request, view, batch, count, {"selection": [ALL]}, f"{url}?{request.url.query}")
            pks = await run_in_threadpool(posted_pks, view, request, db, request.query_params)
        except NoRows as error:
            return toast_response(error.message, type="warning", status_code=error.status_code)
        return dialog(request, view, batch, len(pks), {"ids": [str(pk) for pk in pks]}, url)

    async def run(request: Request, db: Session = Depends(get_db)) -> Response:
        form = await request.form(max_fields=MAX_FIELDS)  # the handler's `request.form()` gets this one
        if form.get("selection") == ALL:  # every row matching the list's search and filters: a job
            return await run_in_threadpool(start_action_job, view, request, batch, form)
        try:
            pks = await run_in_threadpool(posted_pks, view, request, db, form)
        except NoRows as error:
            return toast_response(error.message, type="warning", status_code=error.status_code)
        response = await run_handler(view, request, db, view.batch_handler(batch.name), pks, batch.text)
        if response.status_code < 400 and batch.name != "delete":  # delete audits each row itself
            await run_in_threadpool(audit.emit, view, batch.name, request=request, data={"ids": pks})
        return response

    name = f"{view.name}:action_{batch.name}"
    view.add_route(f"{url}/confirm", confirm, permission=batch.permission, name=f"{name}_confirm")
    view.add_route(url, run, methods=("POST",), permission=batch.permission, name=name)


def add_row_routes(view: Any, found: RowAction) -> None:
    url = f"{view.list_url}/row-action/{found.name}/{{item_id}}"

    async def confirm(request: Request, item_id: str, db: Session = Depends(get_db)) -> Response:
        item = await run_in_threadpool(load_item, view, request, db, item_id)
        if item is None:
            return not_found(view, request, item_id)
        row_id = quote(str(view.model_info.pk_of(item)), safe="")
        return dialog(request, view, found, 1, {}, action_url(view, found.name, row_id))

    async def run(request: Request, item_id: str, db: Session = Depends(get_db)) -> Response:
        await request.form()  # read once here: the handler's `await request.form()` gets the same
        item = await run_in_threadpool(load_item, view, request, db, item_id)
        if item is None:
            return not_found(view, request, item_id)
        pk = view.model_info.pk_of(item)
        page = detail_page_url(view, request, pk)
        response = await run_handler(view, request, db, getattr(view, found.attr), pk, found.text, refresh=page)
        if response.status_code >= 400:
            return response
        await run_in_threadpool(audit.emit, view, found.name, request=request, item_id=pk, data={})
        return response if page else trigger(response, REFRESH_TABLE_EVENT, {"id": view.table_id})

    name = f"{view.name}:row_action_{found.name}"
    view.add_route(f"{url}/confirm", confirm, permission=found.permission, name=f"{name}_confirm")
    view.add_route(url, run, methods=("POST",), permission=found.permission, name=name)


def detail_page_url(view: Any, request: Request, pk: Any) -> str | None:
    """The detail page of row `pk` (path and query) when the htmx request was sent from
    it, else None."""
    current = urlsplit(request.headers.get("HX-Current-URL", ""))
    if not is_htmx(request) or current.path != f"{view.list_url}/{quote(str(pk), safe='')}":
        return None
    return current.path + (f"?{current.query}" if current.query else "")


def posted_pks(view: Any, request: Request, db: Session, values: ImmutableMultiDict | FormData) -> list[Any]:
    """The `ids` of the request (query or form) that name rows inside the scope; NoRows
    for a bad id, no ids, or none left."""
    if not values.getlist("ids"):
        raise NoRows("Select at least one row first.", 400)
    try:
        pks = scoped_pks(view, request, db, view.parse_ids(values.getlist("ids")))
    except InvalidIds as error:
        raise NoRows(str(error), 400) from None
    if not pks:
        raise NoRows(f"{view.display_name}: none of the selected rows can be found.", 404)
    return pks


def matching_count(view: Any, request: Request, db: Session) -> int:
    """How many rows match the search and filters in the URL (the dialog's `{count}`)."""
    count = list_source(view, request, db).count(view.table_spec.parse(request.query_params))
    if not count:
        raise NoRows(f"{view.display_name}: no rows match the search and filters.", 404)
    return count


def dialog(request: Request, view: Any, found: BatchAction | RowAction, count: int, hidden: dict[str, list[str]],
           post_url: str) -> Response:
    """The action's confirmation dialog: its text (`{count}` filled in), its form's fields
    (trusted HTML of the view) and the submit button, posting to `post_url`."""
    body = view.templates.get_template("partials/action_dialog.html").render({
        "request": request, "form_id": ACTION_FORM_ID, "post_url": post_url, "hidden": hidden,
        "confirmation": (found.confirmation or "").replace("{count}", str(count)),
        "fields": Markup(found.form or ""), "table_id": view.table_id,
        "bulk": isinstance(found, BatchAction),
    })
    submit = {"label": found.submit_btn_text, "css_class": f"btn {found.submit_btn_class}", "form": ACTION_FORM_ID}
    return modal_response(found.text, body, submit=submit, request=request)


async def run_handler(view: Any, request: Request, db: Session, handler: Any, argument: Any, text: str,
                      refresh: str | None = None) -> Response:
    """Call an action handler and answer for it (see the module's docstring); with
    `refresh`, a success toast waits on that page, which the browser reloads."""
    request.state.session = db
    try:
        if inspect.iscoroutinefunction(handler):
            result = await handler(request, argument)
        else:
            result = await run_in_threadpool(handler, request, argument)
        await run_in_threadpool(check_scope, view, request, db)
        await run_in_threadpool(db.commit)
    except ActionFailed as error:
        await run_in_threadpool(db.rollback)
        return toast_response(error.msg, type="danger", status_code=400)
    except DATABASE_REFUSALS as error:
        await run_in_threadpool(db.rollback)
        return toast_response(database_message(error, text.lower()), type="danger", status_code=409)
    if isinstance(result, Response):
        return passthrough(view, request, result)
    response = toast_response(str(result) if result else f"{text}: done.", type="success", redirect=refresh,
                              request=request)
    return trigger(response, "closeModal")


def passthrough(view: Any, request: Request, response: Response) -> Response:
    """A handler's own Response, its redirect kept to this app's paths (the list
    otherwise) and turned into `HX-Redirect` for htmx, which cannot follow a 3xx."""
    location = response.headers.get("location")
    if location is None or not 300 <= response.status_code < 400:
        return response
    target = safe_next(location, view.list_url)
    if is_htmx(request):
        return Response(status_code=200, headers={"HX-Redirect": target})
    response.headers["location"] = target
    return response

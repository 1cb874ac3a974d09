"""The routes a CRUD view registers (the reference's route table), each through
`view.add_route`, which attaches the view's access check.

Collection routes (the list, create, select-all-ids, ajax options) are registered before
the view's own endpoints, and item routes (`/{name}/{id}`…) after them, so a literal
path like `/{name}/shell` is never taken for an id. Reads run in the thread pool in one
call each (`with_session`: session, query, page and close together); posts read their
form here and then save in the thread pool, so the event loop never waits on the database.
`check_clashes` refuses, when a view is added, a route of it that has the method and path
of a route another view or the app already has (two views' literal endpoint paths, say):
only the first one would ever answer.
"""

from __future__ import annotations

import re
from typing import Any

from fastapi import Depends, Request
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.responses import PlainTextResponse, Response

from fasthx_ui.crud import access, export, progress
from fasthx_ui.crud.action_jobs import register_job_routes
from fasthx_ui.crud.db import get_db, with_session
from fasthx_ui.crud.detail_page import delete, detail_page
from fasthx_ui.crud.forms_page import create_page, edit_page, save_edit, save_new
from fasthx_ui.crud.list_page import count_text, list_response, select_all_ids
from fasthx_ui.crud.polling import status_cell


PATH_PARAM = re.compile(r"\{[^}]*\}")


def check_clashes(view: Any, taken: dict[tuple[str, str], str], app_routes: Any) -> None:
    """ValueError naming the first route of `view` whose method and path (parameters
    compared by position, not name) are taken already: by a view added before (`taken`,
    which gets this view's routes when it passes), by a route of the app itself
    (`app_routes`; routers the app included are not looked into), or by the view."""
    known = dict(taken)
    for route in app_routes:
        for key in route_keys(route):
            known.setdefault(key, f"{route.name} of the app")
    mine: dict[tuple[str, str], str] = {}
    for route in view.router.routes:
        for key in route_keys(route):
            if key in known or key in mine:
                raise ValueError(f"{type(view).__name__}: the route {key[0]} {route.path} ({route.name}) is taken "
                                 f"already ({known.get(key) or mine[key]}); give one of them another path")
            mine[key] = f"{route.name} of {type(view).__name__}"
    taken.update(mine)


def route_keys(route: Any) -> list[tuple[str, str]]:
    """(method, path with its parameters unnamed) for each method of a route; none for a mount."""
    path = PATH_PARAM.sub("{}", getattr(route, "path", ""))
    return [(method, path) for method in sorted(getattr(route, "methods", None) or ())]


def register_collection(view: Any) -> None:
    """`GET /{name}`, `GET|POST /{name}/create`, select-all-ids, the count of a list not
    counted up front, the export (`/{name}/export/{format}`), the ajax options, and the
    routes of its background jobs."""
    base = view.list_url

    async def list_endpoint(request: Request) -> Response:
        return await with_session(request, lambda db: list_response(view, request, db))

    async def create_endpoint(request: Request) -> Response:
        return await with_session(request, lambda db: create_page(view, request, db))

    async def create_post(request: Request, db: Session = Depends(get_db)) -> Response:
        form = await request.form()
        return await run_in_threadpool(save_new, view, request, db, form)

    view.add_route(base, list_endpoint, name=f"{view.name}:list")
    view.add_route(f"{base}/create", create_endpoint, permission=access.CREATE, name=f"{view.name}:create")
    view.add_route(f"{base}/create", create_post, methods=("POST",), permission=access.CREATE,
                   name=f"{view.name}:create_post")
    if view.multi_row_select_all_pages:

        async def select_all_endpoint(request: Request) -> dict[str, Any]:
            return await with_session(request, lambda db: select_all_ids(view, request, db))

        view.add_route(view.select_all_url, select_all_endpoint, name=f"{view.name}:select_all_ids")
    if view.count_url:

        async def count_endpoint(request: Request) -> Response:
            return PlainTextResponse(await with_session(request, lambda db: count_text(view, request, db)))

        view.add_route(view.count_url, count_endpoint, name=f"{view.name}:count")
    export.register(view)
    for field in view.form_fields.ajax:
        view.add_route(f"{base}/ajax/{field}", ajax_endpoint(view, field), name=f"{view.name}:ajax_{field}")
    register_job_routes(view)


def ajax_endpoint(view: Any, field: str) -> Any:
    async def options(request: Request) -> Response:
        return await with_session(request, lambda db: view.form_fields.ajax_source(request, field).response(request, db))

    return options


def register_items(view: Any) -> None:
    """`GET /{name}/{id}`, `GET|POST /{name}/{id}/edit`, `POST /{name}/{id}/delete` and
    one polling route per `htmx_columns` field, and `GET /{name}/{id}/progress` for a view
    with progress bars (progress.py)."""
    item = f"{view.list_url}/{{item_id}}"

    async def detail_endpoint(request: Request, item_id: str) -> Response:
        return await with_session(request, lambda db: detail_page(view, request, db, item_id))

    async def edit_endpoint(request: Request, item_id: str) -> Response:
        return await with_session(request, lambda db: edit_page(view, request, db, item_id))

    async def edit_post(request: Request, item_id: str, db: Session = Depends(get_db)) -> Response:
        form = await request.form()
        return await run_in_threadpool(save_edit, view, request, db, item_id, form)

    def delete_endpoint(request: Request, item_id: str, db: Session = Depends(get_db)) -> Response:
        return delete(view, request, db, item_id)

    view.add_route(f"{item}/edit", edit_endpoint, permission=access.EDIT, name=f"{view.name}:edit")
    view.add_route(f"{item}/edit", edit_post, methods=("POST",), permission=access.EDIT, name=f"{view.name}:edit_post")
    view.add_route(f"{item}/delete", delete_endpoint, methods=("POST",), permission=access.DELETE,
                   name=f"{view.name}:delete")
    for field in view.htmx_columns or {}:
        view.add_route(f"{item}/{field}", polling_endpoint(view, field), name=f"{view.name}:poll_{field}")
    if progress.wanted(view):
        progress.register(view)
    view.add_route(item, detail_endpoint, name=f"{view.name}:detail")


def polling_endpoint(view: Any, field: str) -> Any:
    async def poll(request: Request, item_id: str) -> Response:
        return await with_session(request, lambda db: status_cell(view, request, db, item_id, field))

    return poll

"""One row of a CRUD view, by the id in its URL, and the answer when there is none.

The id is read with the primary key's own type, and the row is looked up through the
view's `scope()`, so a malformed id, an id out of range and another tenant's row are all
the same clear 404: a page for a browser, a danger toast for htmx, never a 500.
`get_item` (`CRUDView.get_item`, for your own endpoints) raises `ItemNotFound`, which
the Admin answers with that same 404 (`install_item_handlers`).
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, HTTPException
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from fasthx_ui.crud.navigation import back_url
from fasthx_ui.crud.selection import InvalidIds
from fasthx_ui.htmx import is_htmx
from fasthx_ui.toast import toast_response


class ItemNotFound(HTTPException):
    """No row of `view` is named `item_id` inside its scope: a 404 (a page or a toast
    once the Admin's handler is installed, FastAPI's JSON 404 otherwise)."""

    def __init__(self, view: Any, item_id: Any):
        self.view, self.item_id = view, str(item_id)
        super().__init__(404, f'{view.display_name}: there is no record "{self.item_id[:40]}".')


def load_item(view: Any, request: Request, db: Session, item_id: Any) -> Any | None:
    """The row `item_id` names, inside the view's scope; None when there is no such row."""
    info = view.model_info
    value = info.parse_pk(str(item_id))
    if value is None:
        return None
    stmt = view.scope(request, select(view.model).where(info.pk_column == value))
    return db.scalars(stmt.limit(1)).first()


def get_item(view: Any, request: Request, db: Session, item_id: Any) -> Any:
    """The row `item_id` names, inside the view's scope; `ItemNotFound` otherwise."""
    item = load_item(view, request, db, item_id)
    if item is None:
        raise ItemNotFound(view, item_id)
    return item


def not_found(view: Any, request: Request, item_id: Any) -> Response:
    """404 for a missing row: a toast (htmx) or a page with a way back."""
    return missing(view, request, ItemNotFound(view, item_id).detail)


def missing(view: Any, request: Request, message: str) -> Response:
    """404 saying `message`: a danger toast (htmx) or a page with a way back to the list."""
    if is_htmx(request):
        return toast_response(message, type="danger", status_code=404)
    context = {"request": request, "view": view, "title": view.display_name, "active_page": view.name,
               "message": message, "back_url": back_url(view, request)}
    return view.templates.TemplateResponse(request, "not_found.html", context, status_code=404)


def install_item_handlers(app: FastAPI) -> None:
    """Answer an `ItemNotFound` raised anywhere in `app` like a missing row of an item
    route, and an `InvalidIds` (from `parse_ids`/`get_items`) with a 400 warning."""

    async def on_item_not_found(request: Request, exc: ItemNotFound) -> Response:
        return missing(exc.view, request, exc.detail)

    async def on_invalid_ids(request: Request, exc: Exception) -> Response:
        if is_htmx(request):
            return toast_response(str(exc), type="warning", status_code=400)
        return PlainTextResponse(str(exc), status_code=400)

    app.add_exception_handler(ItemNotFound, on_item_not_found)
    app.add_exception_handler(InvalidIds, on_invalid_ids)

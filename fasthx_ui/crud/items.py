"""One row of a CRUD view, by the id in its URL, and the answer when there is none.

The id is read with the primary key's own type, and the row is looked up through the
view's `scope()`, so a malformed id, an id out of range and another tenant's row are all
the same clear 404: a page for a browser, a danger toast for htmx, never a 500.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import Response

from fasthx_ui.crud.navigation import back_url
from fasthx_ui.htmx import is_htmx
from fasthx_ui.toast import toast_response


def load_item(view: Any, request: Request, db: Session, item_id: str) -> Any | None:
    """The row `item_id` names, inside the view's scope; None when there is no such row."""
    info = view.model_info
    value = info.parse_pk(item_id)
    if value is None:
        return None
    stmt = view.scope(request, select(view.model).where(info.pk_column == value))
    return db.scalars(stmt.limit(1)).first()


def not_found(view: Any, request: Request, item_id: str) -> Response:
    """404 for a missing row: a toast (htmx) or a page with a way back."""
    return missing(view, request, f'{view.display_name}: there is no record "{item_id[:40]}".')


def missing(view: Any, request: Request, message: str) -> Response:
    """404 saying `message`: a danger toast (htmx) or a page with a way back to the list."""
    if is_htmx(request):
        return toast_response(message, type="danger", status_code=404)
    context = {"request": request, "view": view, "title": view.display_name, "active_page": view.name,
               "message": message, "back_url": back_url(view, request)}
    return view.templates.TemplateResponse(request, "not_found.html", context, status_code=404)

"""The detail page of a CRUD view (`GET /{name}/{id}`) and deleting a row
(`POST /{name}/{id}/delete`).

The detail page lists every model column (or `detail_columns`), less
`detail_columns_exclude`, labelled and formatted as in the list. Deleting runs
`on_model_delete`, which may refuse (a danger toast, the row kept), then
`after_model_delete`, and lands back on the list the user came from.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import Response

from fasthx_ui import Column, detail_items
from fasthx_ui.crud import audit
from fasthx_ui.crud.action_buttons import detail_actions
from fasthx_ui.crud.columns import label_for
from fasthx_ui.crud.items import load_item, not_found
from fasthx_ui.crud.lifecycle import DATABASE_REFUSALS, ValidationError, call_hook, database_message
from fasthx_ui.crud.navigation import back_url, done, refused, with_next


def detail_columns(view: Any) -> list[Column]:
    """The fields of the detail page as columns: `detail_columns` or every model column,
    less `detail_columns_exclude`, labelled and formatted as in the list."""
    info = view.model_info
    keys = list(view.detail_columns) if view.detail_columns is not None else list(info.columns)
    info.check_paths(f"{type(view).__name__}.detail_columns", keys)
    excluded = set(view.detail_columns_exclude or ())
    formatters = view.column_formatters or {}
    return [Column(key, label=label_for(view, key), formatter=formatters.get(key))
            for key in keys if key not in excluded]


def detail_page(view: Any, request: Request, db: Session, item_id: str) -> Response:
    item = load_item(view, request, db, item_id)
    if item is None:
        return not_found(view, request, item_id)
    back = back_url(view, request)
    url = f"{view.list_url}/{quote(str(view.model_info.pk_of(item)), safe='')}"
    context = {
        "request": request, "view": view, "item": item, "active_page": view.name,
        "title": f"{view.display_name}: #{view.model_info.pk_of(item)}",
        "items": detail_items(item, view.detail_columns_spec), "back_url": back,
        "edit_url": with_next(f"{url}/edit", back, view) if view.can_edit else "",
        "delete_url": with_next(f"{url}/delete", back, view) if view.can_delete else "",
        "delete_confirm": f"Delete {view.model.__name__} #{view.model_info.pk_of(item)}?",
        "row_actions": detail_actions(view, request, item),
    }
    return view.templates.TemplateResponse(request, "detail.html", context)


def delete(view: Any, request: Request, db: Session, item_id: str) -> Response:
    """Delete the row, unless `on_model_delete` or the database refuses (a danger toast)."""
    item = load_item(view, request, db, item_id)
    if item is None:
        return not_found(view, request, item_id)
    pk = view.model_info.pk_of(item)
    label = f"{view.model.__name__} #{pk}"
    back = back_url(view, request)
    before = audit.before_change(view, item)
    try:
        call_hook(view.on_model_delete, item, db)
        db.delete(item)
        db.commit()
    except ValidationError as error:
        db.rollback()
        return refused(request, back, str(error), 422)
    except DATABASE_REFUSALS as error:
        db.rollback()
        return refused(request, back, database_message(error, "delete"), 409)
    call_hook(view.after_model_delete, item, db)
    audit.deleted(view, request, pk, before)
    return done(request, back, f"Deleted {label}.")

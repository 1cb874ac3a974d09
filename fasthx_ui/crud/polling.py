"""Polling columns of a CRUD view (`htmx_columns`): the cell a list renders keeps asking
`GET /{name}/{id}/{field}`, which answers with `partials/status_cell.html` for the
row's current value, polling on until the value is a terminal state."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import Response

from fasthx_ui import polling_cell_id
from fasthx_ui.crud.items import load_item


def status_cell(view: Any, request: Request, db: Session, item_id: str, field: str) -> Response:
    """The current value of `field` as a status badge that keeps polling while it is not
    terminal. A missing row answers 404 with a cell that stops polling."""
    column = view.table_spec.column(field)
    polling = column.polling
    item = load_item(view, request, db, item_id)
    value = column.value(item) if item is not None else None
    active = item is not None and not polling.is_terminal(value)
    row_id = view.model_info.pk_of(item) if item is not None else item_id
    poll = {"id": polling_cell_id(view.table_id, field, row_id), "url": polling.url_for(row_id),
            "trigger": polling.trigger, "active": active}
    context = {"request": request, "view": view, "value": value, "item": item, "field": field, "poll": poll}
    return view.templates.TemplateResponse(request, "partials/status_cell.html", context,
                                           status_code=200 if item is not None else 404)

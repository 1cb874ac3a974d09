"""The list page of a CRUD view: the Table over the view's rows (search, filters, sort and
page in the URL), its htmx partial, and the select-all-ids answer of bulk actions
(the row's actions and the With Selected menu come from action_buttons). Every statement goes through the view's `scope()`.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import Response

from fasthx_ui import Choice, SQLSource, is_partial, records_text, render_table
from fasthx_ui.crud.action_buttons import bulk_menu, row_actions, row_actions_display
from fasthx_ui.crud.introspect import related_label
from fasthx_ui.crud.navigation import current_path, with_next

FK_CHOICES_LIMIT = 200


def list_source(view: Any, request: Request, db: Session) -> SQLSource:
    """The view's rows as a table data source, narrowed by `scope()`."""
    stmt = view.scope(request, select(view.model))
    return SQLSource(db, stmt, view.table_spec, count=view.count_strategy, eager=view.eager_paths, model=view.model)


def list_response(view: Any, request: Request, db: Session) -> Response:
    """The whole list page, or only the table region (and the toolbar, out of band) for
    the Table's own htmx requests."""
    back = current_path(request)
    table, page = render_table(
        request, list_source(view, request, db), url=view.list_url, id=view.table_id,
        caption=view.display_name, row_actions=row_actions(view, request, back), row_actions_display=row_actions_display(view),
        bulk_actions=bulk_menu(view), select_all_url=view.select_all_url,
        count_url=view.count_url, choices=fk_filter_choices(view, request, db),
    )
    partial = is_partial(request)
    context = {
        "request": request, "view": view, "title": view.display_name, "active_page": view.name,
        "table": table, "page": page, "partial": partial,
        "create_url": with_next(f"{view.list_url}/create", back, view) if view.can_create else "",
    }
    template = "partials/table_body.html" if partial else "list.html"
    return view.templates.TemplateResponse(request, template, context)


def fk_filter_choices(view: Any, request: Request, db: Session) -> dict[str, list[Choice]]:
    """Options of the dropdown filters on foreign-key columns: the related rows the view's
    rows point at, labelled by their repr (not bare ids); both narrowed by `scope()`."""
    info = view.model_info
    found: dict[str, list[Choice]] = {}
    for column in view.table_spec.filter_columns:
        fk = info.foreign_keys.get(column.filter_key)
        if fk is None or fk.target_model is None or column.choice_list is not None:
            continue
        local = info.columns[column.filter_key]
        used = view.scope(request, select(view.model)).with_only_columns(local).where(local.is_not(None)).distinct()
        key = fk.target_model.__mapper__.get_property_by_column(fk.target_column).key
        offered = view.scope(request, select(fk.target_model))
        stmt = offered.where(fk.target_column.in_(used)).order_by(fk.target_column)
        rows = db.scalars(stmt.limit(FK_CHOICES_LIMIT)).all()
        found[column.param] = [Choice(str(getattr(row, key)), related_label(row)) for row in rows]
    return found


def count_text(view: Any, request: Request, db: Session) -> str:
    """The exact count of the rows matching the request, for a list that is not counted
    up front (`count_strategy` "capped" or "deferred"): `42 records`."""
    return records_text(list_source(view, request, db).count(view.table_spec.parse(request.query_params)))


def select_all_ids(view: Any, request: Request, db: Session) -> dict[str, Any]:
    """Every id matching the request's search and filters: `{"ids": [...], "total": N}`."""
    ids = list_source(view, request, db).ids(view.table_spec.parse(request.query_params))
    return {"ids": ids, "total": len(ids)}

"""The export of a CRUD list (`GET /{name}/export/{format}`, for the view's `export_types`).

The file holds every row the list would show for the same query string (search, sort,
dropdown and header filters): the same `TableState`, the same statement through
`scope()`, the same eager loads, headers from `column_list` / `column_labels`. It is
streamed by the toolkit's `export_response`. A format the view does not offer is a 404.
"""

from __future__ import annotations

from typing import Any

from fastapi import Depends, Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from fasthx_ui import export_response
from fasthx_ui.crud.db import get_db
from fasthx_ui.crud.items import missing
from fasthx_ui.crud.list_page import list_source
from fasthx_ui.export import check_formats


def check_export_types(view: Any) -> tuple[str, ...]:
    """The view's `export_types`, checked when the view is configured."""
    try:
        return check_formats(view.export_types or ())
    except ValueError as error:
        raise type(error)(f"{type(view).__name__}.export_types: {error}") from None


def register(view: Any) -> None:
    """Add the export route when the view offers a format (READ permission)."""
    if not check_export_types(view):
        return

    def export_endpoint(request: Request, format: str, db: Session = Depends(get_db)) -> Response:
        return export(view, request, db, format)

    view.add_route(f"{view.list_url}/export/{{format}}", export_endpoint, name=f"{view.name}:export")


def export(view: Any, request: Request, db: Session, format: str) -> Response:
    """The list's matching rows as a `format` download; another format is a 404."""
    offered = tuple(view.export_types)
    if format not in offered:
        return missing(view, request, f'{view.display_name} cannot be exported as "{format[:20]}"; '
                                      f'it offers {", ".join(offered)}.')
    state = view.table_spec.parse(request.query_params)
    return export_response(list_source(view, request, db), state, format, filename=view.name, formats=offered)

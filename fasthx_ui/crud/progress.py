"""Progress bars of a CRUD view's row actions.

A row action with `"progress": True` posts to the view's endpoint, which starts the work
and answers `self.progress_response(request, item_id, item=item)`: a table row holding
the bar, inserted after the clicked row (the action targets `closest tr`, swaps
`afterend`), plus the row's `htmx_columns` cells out of band so their polling restarts.
The bar then polls `GET /{name}/{item_id}/progress` (registered for such a view), which
reads the store until the task is complete or failed.

The store follows the reference's convention (`{name}:{item_id}:progress` holding "0"…"100"
or "Error", see `fasthx_ui.progress_state`): Redis when the view (or the Admin) sets
`progress_redis_url`, the in-process store otherwise. A Redis that cannot be reached reads
as "Progress unavailable", never an error.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

from fastapi import Depends
from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import Response

from fasthx_ui import (
    STARTING_LABEL,
    ProgressStore,
    ProgressUnavailable,
    progress_poll_response,
    progress_response,
    progress_store,
)
from fasthx_ui.crud.db import get_db
from fasthx_ui.crud.items import load_item, not_found

PLAIN_KEY = re.compile(r"[\w-]+", re.ASCII)


def wanted(view: Any) -> bool:
    """True when the view needs the progress route: a `progress` row action or a store URL."""
    return bool(view.progress_redis_url) or any(action.progress for action in view.extra_row_actions)


def store(view: Any) -> ProgressStore:
    """The view's progress store, made on first use (the Admin's URL is known by then)."""
    found = getattr(view, "_progress_store", None)
    if found is None:
        url = view.progress_redis_url or getattr(view.admin, "progress_redis_url", None)
        found = view._progress_store = progress_store(url)
    return found


def poll_url(view: Any, item_id: Any) -> str:
    return f"{view.list_url}/{quote(str(item_id), safe='')}/progress"


def bar_id(view: Any, item_id: Any) -> str:
    """The DOM id of row `item_id`'s bar (the first answer and every poll draw it with
    this id, so a second start replaces it): `devices-table-progress-7`."""
    text = str(item_id)
    return f"{view.table_id}-progress-{text if PLAIN_KEY.fullmatch(text) else text.encode().hex()}"


def colspan(view: Any) -> int:
    """The width of the view's list table: its columns, the selection and the actions."""
    return len(view.table_spec.visible_columns) + (1 if view.bulk_actions else 0) + 1


def restart(view: Any, item_id: Any, progress: int) -> None:
    """Put the row's key back to `progress` when it still holds an earlier run's end
    ("100" or "Error"), which would end the new bar at its first poll. A value below 100
    is left alone: the new run's worker may be writing it already. A store that cannot
    be reached is left to the poll, which says "Progress unavailable"."""
    found = store(view)
    if found.get(view.name, item_id).terminal:
        try:
            found.set(view.name, item_id, max(0, min(99, int(progress))))
        except ProgressUnavailable:
            pass


def register(view: Any) -> None:
    """`GET /{name}/{item_id}/progress`: the bar of a row inside the view's scope, else 404."""

    def progress_endpoint(request: Request, item_id: str, db: Session = Depends(get_db)) -> Response:
        item = load_item(view, request, db, item_id)
        if item is None:
            return not_found(view, request, item_id)
        pk = view.model_info.pk_of(item)
        return progress_poll_response(request, store(view), view.name, pk, poll_url(view, pk), colspan=colspan(view),
                                      id=bar_id(view, pk))

    view.add_route(f"{view.list_url}/{{item_id}}/progress", progress_endpoint, name=f"{view.name}:progress")


def start_response(
    view: Any,
    request: Request,
    item_id: Any,
    item: Any = None,
    progress: int = 0,
    status: str = STARTING_LABEL,
) -> Response:
    """The first bar of a task on row `item_id`; with `item`, the row's polling cells
    ride along out of band so their polling starts again. The row's key restarts at
    `progress` (see `restart`)."""
    restart(view, item_id, progress)
    oob = []
    if item is not None:
        row_id = view.model_info.pk_of(item)
        oob = [column.polling_cell(row_id, item, table_id=view.table_id, oob=True)
               for column in view.table_spec.visible_columns if column.polling is not None]
    return progress_response(request, poll_url(view, item_id), progress=progress, status=status, oob=oob,
                             colspan=colspan(view), id=bar_id(view, item_id))

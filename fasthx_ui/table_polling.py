"""Polling cells: a table cell that re-fetches itself until its value is terminal.

The id of a polling cell is made in one place (`polling_cell_id`), so the table, the
polling endpoint and an out-of-band restart (a task's start response carrying the
row's cells with `hx-swap-oob`) all agree on it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from markupsafe import Markup

if TYPE_CHECKING:
    from fasthx_ui.table import Column


def polling_cell_id(table_id: str, key: str, row_id: Any) -> str:
    """The DOM id of the polling cell of column `key` in row `row_id` of a table:
    `edges-poll-status-7`, `edges-poll-site-name-7` for `site.name`."""
    return f"{table_id}-poll-{key.replace('.', '-')}-{row_id}"


def polling_cell(column: Column, row_id: Any, obj: Any, *, table_id: str = "fhx-table", oob: bool = False) -> Markup:
    """A polling column's cell content: it asks `column.polling.url` for itself every
    few seconds (outerHTML swap) until the value is a terminal state, then stops. The
    polling endpoint answers with this same function, so both renders agree.

    With `oob`, the cell carries `hx-swap-oob="true"`: put in any response (next to a
    progress bar, say), it replaces the row's cell of the same id and restarts its
    polling."""
    polling = column.polling
    if polling is None:
        raise ValueError(f"column {column.key!r} has no polling")
    value = column.value(obj)
    dom_id = polling_cell_id(table_id, column.key, row_id)
    swap = Markup(' hx-swap-oob="true"') if oob else Markup("")
    if polling.is_terminal(value):
        return Markup('<span id="{}" class="fhx-poll" data-state="done"{}>{}</span>').format(dom_id, swap, column.render(obj))
    return Markup(
        '<span id="{}" class="fhx-poll" data-state="polling" hx-get="{}" hx-trigger="{}" hx-swap="outerHTML"{}>{}</span>'
    ).format(dom_id, polling.url_for(row_id), polling.trigger, swap, column.render(obj))

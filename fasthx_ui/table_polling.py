"""Polling cells: a table cell that re-fetches itself until its value is terminal.

The id of a polling cell is made in one place (`polling_cell_id`), so the table, the
polling endpoint and an out-of-band restart all agree on it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from markupsafe import Markup

if TYPE_CHECKING:
    from fasthx_ui.table import Column


def polling_cell(column: Column, row_id: Any, obj: Any, *, table_id: str = "fhx-table") -> Markup:
    """A polling column's cell content: it asks `column.polling.url` for itself every
    few seconds (outerHTML swap) until the value is a terminal state, then stops. The
    polling endpoint answers with this same function, so both renders agree."""
    polling = column.polling
    assert polling is not None, f"column {column.key} has no polling"
    value = column.value(obj)
    dom_id = f"{table_id}-poll-{column.key.replace('.', '-')}-{row_id}"
    if polling.is_terminal(value):
        return Markup('<span id="{}" class="fhx-poll" data-state="done">{}</span>').format(dom_id, column.render(obj))
    return Markup(
        '<span id="{}" class="fhx-poll" data-state="polling" hx-get="{}" hx-trigger="{}" hx-swap="outerHTML">{}</span>'
    ).format(dom_id, polling.url_for(row_id), polling.trigger, column.render(obj))

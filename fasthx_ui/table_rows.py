"""The body rows of a Table, written in Python rather than in the component's loop.

A 20-row page ran the Table's row loop as a few hundred Jinja steps (an escape, an
attribute lookup and a filter call per cell, row id and attribute); this writes the same
HTML, byte for byte, in one call per page (`rows | table_rows(...)` in Table.jinja). The
row's actions come in rendered: the RowActions HTML of the whole page with `ROW_ID_SLOT`
for the id (`row_fill`), or, for actions that depend on the row, a function of
`(row, row_id)` (a macro of the Table calling RowActions).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from markupsafe import Markup, escape

from fasthx_ui.row_fill import fill_row_id
from fasthx_ui.table_values import resolve

if TYPE_CHECKING:
    from fasthx_ui.table import Column

RowActionsHTML = Callable[[Any, Any], str] | str | None

_ROW_START = '\n          <tr data-id="{id}">'
_SELECT_CELL = ('\n            <td class="fhx-select-col">\n              <input type="checkbox" class="form-check-input"'
                ' data-fhx-select value="{id}" aria-label="Select row {id}">\n            </td>')
_ACTIONS_CELL = '\n            <td class="fhx-actions-col">'
_ROW_END = "\n          </tr>"


def _html(value: Any) -> Markup:
    """`value` as HTML: a cell or fragment that is Markup already as it is (escaping it
    again would only copy it), anything else escaped."""
    return value if isinstance(value, Markup) else escape(value)


def table_rows(rows: Iterable[Any], columns: Sequence[Column], *, id_key: str, table_id: str,
               selectable: bool = False, actions: RowActionsHTML = None) -> Markup:
    """The `<tr>`s of `rows`: a selection checkbox when `selectable`, one cell per
    column (a polling cell for a polling column), then the row's actions."""
    cells = [(f'\n            <td class="{escape(c.css_class)}">' if c.css_class else "\n            <td>", c)
             for c in columns]
    per_row = callable(actions)
    parts: list[str] = []
    add = parts.append
    for row in rows:
        row_id = resolve(row, id_key)
        text_id = escape(row_id)
        add(_ROW_START.format(id=text_id))
        if selectable:
            add(_SELECT_CELL.format(id=text_id))
        for opening, column in cells:
            add(opening)
            add(_html(column.polling_cell(row_id, row, table_id=table_id) if column.polling else column.render(row)))
            add("</td>")
        if actions:
            add(_ACTIONS_CELL)
            add(_html(actions(row, row_id) if per_row else fill_row_id(actions, row_id)))
            add("</td>")
        add(_ROW_END)
    return Markup("".join(parts))

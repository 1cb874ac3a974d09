"""ListSource: a table data source over an in-memory sequence of dicts or objects,
applying search, filters, sort and paging the way SQLSource does in SQL."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from fasthx_ui.fk_paths import related_object, text_values
from fasthx_ui.table import Choice, Column, TableSpec
from fasthx_ui.table_page import Page, clamp_to_last_page
from fasthx_ui.table_state import TableState
from fasthx_ui.table_values import PLAIN_VALUES, cell_text, filter_text, resolve
from fasthx_ui.values import parse_number


class ListSource:
    """A data source over an in-memory sequence of dicts or objects."""

    def __init__(self, rows: Sequence[Any], spec: TableSpec) -> None:
        self.rows = rows
        self.spec = spec
        self._related_text: dict[str, bool] = {}

    def _searches_related(self, path: str) -> bool:
        """True when `path` ends at a foreign key value next to the object it points to
        (`site_id` beside `site`): the search then looks at that object's text, as
        SQLSource does. Decided once per path, from the first row that has a value."""
        if path not in self._related_text:
            head, _, last = path.rpartition(".")
            found = False
            for row in self.rows:
                parent = resolve(row, head) if head else row
                value = None if parent is None else resolve(parent, last)
                if value is not None:
                    found = isinstance(value, PLAIN_VALUES) and related_object(parent, last) is not None
                    break
            self._related_text[path] = found
        return self._related_text[path]

    def _search_values(self, row: Any, path: str, related: bool) -> list[Any]:
        if not related:
            return [resolve(row, path)]
        head, _, last = path.rpartition(".")
        parent = resolve(row, head) if head else row
        target = None if parent is None else related_object(parent, last)
        return text_values(target) if target is not None else []

    def _filtered(self, state: TableState) -> list[Any]:
        rows: Iterable[Any] = self.rows
        if state.q:
            paths = [(c.filter_key, self._searches_related(c.filter_key)) for c in self.spec.columns if c.searchable]
            needle, number = state.q.casefold(), parse_number(state.q)
            rows = [
                r
                for r in rows
                if any(_value_matches(v, needle, number) for p, related in paths for v in self._search_values(r, p, related))
            ]
        for param, text in state.header_filters.items():
            path = self.spec.param_column(param).filter_key  # type: ignore[union-attr]
            needle, number = text.casefold(), parse_number(text)
            rows = [r for r in rows if _value_matches(resolve(r, path), needle, number)]
        for param, text in state.filters.items():
            path = self.spec.param_column(param).filter_key  # type: ignore[union-attr]
            rows = [r for r in rows if filter_text(resolve(r, path)) == text]
        return list(rows)

    def _sorted(self, rows: list[Any], state: TableState) -> list[Any]:
        id_key = self.spec.id_key
        rows = sorted(rows, key=lambda r: _sort_key(resolve(r, id_key)))
        key = state.sort_key
        if key is None:
            return rows
        keyed = [(resolve(r, key), r) for r in rows]
        present = [pair for pair in keyed if pair[0] is not None]
        present.sort(key=lambda pair: _sort_key(pair[0]), reverse=state.order == "desc")
        return [r for _, r in present] + [r for value, r in keyed if value is None]

    def page(self, state: TableState) -> Page:
        rows = self._sorted(self._filtered(state), state)
        state = clamp_to_last_page(state, len(rows))
        chunk = rows[state.offset : state.offset + state.page_size]
        return Page(chunk, state, len(rows), state.offset + len(chunk) < len(rows))

    def count(self, state: TableState) -> int:
        return len(self._filtered(state))

    def ids(self, state: TableState) -> list[Any]:
        return [resolve(r, self.spec.id_key) for r in self._sorted(self._filtered(state), state)]

    def stream(self, state: TableState, batch_size: int = 500) -> Iterator[Any]:
        yield from self._sorted(self._filtered(state), state)

    def choices(self, column: Column) -> tuple[Choice, ...]:
        if column.choice_list is not None:
            return column.choice_list
        values = {filter_text(resolve(r, column.filter_key)) for r in self.rows}
        values.discard("")
        return tuple(Choice(v, v) for v in sorted(values, key=str.casefold))


def _value_matches(value: Any, needle: str, number: int | float | Decimal | None) -> bool:
    """Search rule shared by search and header filters: text contains (case-insensitive),
    numbers and dates equal, enums by their text; booleans and times never match."""
    if type(value) is str:
        return needle in value.casefold()
    if value is None or isinstance(value, bool):
        return False
    if isinstance(value, enum.Enum):
        return needle in cell_text(value).casefold()
    if isinstance(value, (int, float, Decimal)):
        return number is not None and value == number
    if isinstance(value, str):
        return needle in value.casefold()
    if isinstance(value, datetime) or isinstance(value, time):
        return False
    if isinstance(value, date):
        try:
            return value == date.fromisoformat(needle.strip())
        except ValueError:
            return False
    return needle in str(value).casefold()


def _sort_key(value: Any) -> tuple[int, Any]:
    """Compare mixed types (numbers first, then text) instead of failing."""
    if isinstance(value, enum.Enum):
        value = value.value
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return (0, value)
    if isinstance(value, (date, time)):
        return (1, value.isoformat())
    return (1, str(value).casefold())

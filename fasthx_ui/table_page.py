"""A page of a table and the protocol of its data sources.

The same `TableState` drives the list page, the select-all-ids call, the export and the
count, so they can never disagree: every `DataSource` method applies the same filtering.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, Protocol

from fasthx_ui.table_state import TableState
from fasthx_ui.table_values import figure_text, resolve

if TYPE_CHECKING:
    from fasthx_ui.table import Choice, Column, TableSpec


CountMode = Literal["exact", "capped", "deferred"]


@dataclass(frozen=True)
class Page:
    """One page of rows and what is known about the rest.

    `total` is None when not counted; when `total_capped` it is only a lower bound
    (shown as "N+"). `state` is the state actually applied, with any warnings."""

    rows: list[Any]
    state: TableState
    total: int | None
    has_next: bool
    total_capped: bool = False

    @property
    def page(self) -> int:
        return self.state.page

    @property
    def columns(self) -> tuple[Column, ...]:
        """The displayed columns (see `TableSpec.visible_columns`)."""
        return self.state.spec.visible_columns

    def row_id(self, row: Any) -> Any:
        return resolve(row, self.state.spec.id_key)

    @property
    def page_size(self) -> int:
        return self.state.page_size

    @property
    def has_prev(self) -> bool:
        return self.state.page > 1

    @property
    def page_count(self) -> int | None:
        """Number of pages, when the total is known exactly."""
        if self.total is None or self.total_capped:
            return None
        return max(1, math.ceil(self.total / self.page_size))

    @property
    def first_index(self) -> int:
        """1-based index of the first row shown (0 when empty)."""
        return self.state.offset + 1 if self.rows else 0

    @property
    def last_index(self) -> int:
        return self.state.offset + len(self.rows)

    @property
    def summary(self) -> str:
        """`42 records`, `10,000+ records`, or `Rows 21–40` when not counted."""
        if self.total is None:
            return f"Rows {self.first_index}–{self.last_index}" if self.rows else "No records"
        return records_text(self.total, capped=self.total_capped)

    @property
    def counted(self) -> bool:
        """True when the total is exact (not missing, not capped)."""
        return self.total is not None and not self.total_capped

    def window(self, size: int = 7) -> list[int | None]:
        """Page numbers to show around the current one; None marks a gap."""
        count = self.page_count
        if count is None:
            last = self.page + 1 if self.has_next else self.page
            return list(range(max(1, self.page - size // 2), last + 1))
        if count <= size:
            return list(range(1, count + 1))
        inner = max(1, size - 4)
        start = max(2, min(self.page - inner // 2, count - inner))
        end = min(count - 1, start + inner - 1)
        pages: list[int | None] = [1]
        if start > 2:
            pages.append(None)
        pages.extend(range(start, end + 1))
        if end < count - 1:
            pages.append(None)
        pages.append(count)
        return pages


def records_text(total: int, *, capped: bool = False) -> str:
    """`1 record`, `42 records`, `10,000+ records`: what a table's summary says; a
    count endpoint answering after the rows returns this for `source.count(state)`."""
    noun = "record" if total == 1 and not capped else "records"
    return f"{figure_text(total)}{'+' if capped else ''} {noun}"


class DataSource(Protocol):
    """What a table needs from its data; all methods apply the same filtering."""

    spec: TableSpec

    def page(self, state: TableState) -> Page: ...

    def count(self, state: TableState) -> int: ...

    def ids(self, state: TableState) -> list[Any]: ...

    def stream(self, state: TableState, batch_size: int = 500) -> Iterator[Any]: ...

    def choices(self, column: Column) -> tuple[Choice, ...]: ...


def clamp_to_last_page(state: TableState, total: int) -> TableState:
    """Move a state past the last page back to the last page, with a warning."""
    last = max(1, math.ceil(total / state.page_size))
    if state.page > last:
        return state.replace(page=last).warn(f"Page {state.page} does not exist; showing page {last}.")
    return state

"""Table specs: columns declared as data, their choices and polling, and the spec that
parses query strings into states (`table_state`). Pages and sources live in
`table_page`, `table_list` and `table_sql`; status badges in `status`; polling cells in
`table_polling`; the parse → page → render glue in `table_render`.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from markupsafe import Markup, escape

from fasthx_ui.status import STATUS_COLORS, status_badge, status_color
from fasthx_ui.table_page import CountMode, DataSource, Page, clamp_to_last_page, records_text
from fasthx_ui.table_polling import polling_cell, polling_cell_id
from fasthx_ui.table_state import Order, TableState
from fasthx_ui.table_values import cell_text, filter_text, resolve
from fasthx_ui.values import column_label

# The family's names stay importable from here, as before the table modules were split
# (ListSource lives in table_list, SQLSource in table_sql).
__all__ = [
    "STATUS_COLORS",
    "Choice",
    "Column",
    "CountMode",
    "DataSource",
    "Order",
    "Page",
    "Polling",
    "TableSpec",
    "TableState",
    "cell_text",
    "clamp_to_last_page",
    "filter_text",
    "normalise_choices",
    "polling_cell",
    "polling_cell_id",
    "records_text",
    "resolve",
    "status_badge",
    "status_color",
]


@dataclass(frozen=True)
class Choice:
    """One option of a dropdown filter: the value sent in `flt_<col>` and its label."""

    value: str
    label: str


@dataclass(frozen=True)
class Polling:
    """Refresh a cell every `every` seconds from `url` (`{id}` is the row id) until the
    cell's value is one of `terminal_states`."""

    url: str
    every: float = 5
    terminal_states: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not self.every > 0:
            raise ValueError("Polling.every must be a positive number of seconds")

    def url_for(self, row_id: Any) -> str:
        return self.url.replace("{id}", quote(str(row_id), safe=""))

    @property
    def trigger(self) -> str:
        """The `hx-trigger` value, e.g. `every 5s`."""
        return f"every {self.every:g}s"

    def is_terminal(self, value: Any) -> bool:
        return cell_text(value).lower() in {s.lower() for s in self.terminal_states}


@dataclass(frozen=True)
class Column:
    """A table column declared as data.

    `key` names the attribute or dict key to show; a dotted path (`site.name`) follows a
    relationship, or a foreign key column (`site_id.name`). `formatter(value, obj)` returns
    trusted HTML. `header_filter` adds a "contains" text input in the header
    (`cf_<param>`); `filter` or `choices` adds a dropdown filter (`flt_<param>`), with
    options from `choices` (a list of values, of `(value, label)` pairs, or an Enum class)
    or else from the data's distinct values. `filter_key` is the path those filters and
    the search look at when it differs from the displayed one (show `site_id`, filter on
    `site_id.name`); `param` is the column's name in the URL and in `state.filters` /
    `state.header_filters` (default: `key`). `display=False` makes a column that is only
    searched and filtered: not shown, not exported. `status` renders the value as a
    StatusBadge; `polling` keeps the cell refreshing until a terminal state.
    """

    key: str
    label: str = ""
    sortable: bool = True
    searchable: bool = True
    header_filter: bool = False
    filter: bool = False
    choices: Sequence[Any] | type[enum.Enum] | None = None
    formatter: Callable[[Any, Any], str] | None = None
    filter_key: str = ""
    status: bool = False
    polling: Polling | None = None
    css_class: str = ""
    display: bool = True
    param: str = ""

    def __post_init__(self) -> None:
        if not self.key or any(not part for part in self.key.split(".")):
            raise ValueError(f"invalid column key {self.key!r}")
        if self.param and (self.param != self.param.strip() or any(c.isspace() or c in "&=#" for c in self.param)):
            raise ValueError(f"invalid column param {self.param!r}: it is a URL parameter name")
        if not self.label:
            object.__setattr__(self, "label", column_label(self.key))
        if not self.filter_key:
            object.__setattr__(self, "filter_key", self.key)
        if not self.param:
            object.__setattr__(self, "param", self.key)
        if not self.display and self.polling is not None:
            raise ValueError(f"column {self.key!r} is not displayed, so it cannot poll")
        if self.choices is not None:
            object.__setattr__(self, "choices", normalise_choices(self.choices))
            object.__setattr__(self, "filter", True)

    @property
    def choice_list(self) -> tuple[Choice, ...] | None:
        """The declared choices, normalised; None when they come from the data."""
        return self.choices  # type: ignore[return-value]

    def value(self, obj: Any) -> Any:
        """The raw value of this column for one row."""
        return resolve(obj, self.key)

    def render(self, obj: Any) -> Markup:
        """The cell's HTML: the formatter's trusted output, a status badge, or the
        escaped value."""
        value = self.value(obj)
        if self.formatter is not None:
            return Markup(self.formatter(value, obj))
        if self.status:
            return status_badge(value)
        return escape(cell_text(value))

    def polling_cell(self, row_id: Any, obj: Any, *, table_id: str = "fhx-table", oob: bool = False) -> Markup:
        """This column's self-refreshing cell content; `oob` for an out-of-band restart
        (see `table_polling.polling_cell`)."""
        return polling_cell(self, row_id, obj, table_id=table_id, oob=oob)


def normalise_choices(choices: Sequence[Any] | type[enum.Enum]) -> tuple[Choice, ...]:
    """Turn values, `(value, label)` pairs or an Enum class into `Choice`s."""
    if isinstance(choices, type) and issubclass(choices, enum.Enum):
        return tuple(Choice(cell_text(m), column_label(str(m.name).lower())) for m in choices)
    out: list[Choice] = []
    for item in choices:
        if isinstance(item, Choice):
            out.append(item)
        elif isinstance(item, tuple) and len(item) == 2:
            out.append(Choice(cell_text(item[0]), str(item[1])))
        else:
            out.append(Choice(cell_text(item), cell_text(item)))
    return tuple(out)


@dataclass(frozen=True)
class TableSpec:
    """The columns of a table and its paging rules; parses query strings into states."""

    columns: Sequence[Column]
    id_key: str = "id"
    page_size: int = 20
    page_sizes: tuple[int, ...] = (10, 20, 50, 100)
    default_sort: str | None = None
    default_order: Order = "asc"

    def __post_init__(self) -> None:
        object.__setattr__(self, "columns", tuple(self.columns))
        keys = [c.key for c in self.columns if c.display]
        if len(set(keys)) != len(keys):
            raise ValueError("the keys of displayed columns must be unique")
        params = [c.param for c in self.columns]
        if len(set(params)) != len(params):
            duplicate = next(p for p in params if params.count(p) > 1)
            raise ValueError(f"column params must be unique; {duplicate!r} is used twice (give one a param=)")
        if self.page_size not in self.page_sizes:
            object.__setattr__(self, "page_sizes", tuple(sorted({*self.page_sizes, self.page_size})))

    def column(self, key: str) -> Column | None:
        """The column showing `key` (a hidden column of that key when none shows it)."""
        found = [c for c in self.columns if c.key == key]
        return next((c for c in found if c.display), found[0] if found else None)

    def param_column(self, param: str) -> Column | None:
        """The column named `param` in the URL (`cf_<param>`, `flt_<param>`)."""
        return next((c for c in self.columns if c.param == param), None)

    @property
    def visible_columns(self) -> tuple[Column, ...]:
        """The displayed (and exported) columns, in order; `columns` also holds the
        filter- and search-only ones."""
        return tuple(c for c in self.columns if c.display)

    @property
    def max_page_size(self) -> int:
        return max(self.page_sizes)

    @property
    def header_filter_columns(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.header_filter)

    @property
    def filter_columns(self) -> tuple[Column, ...]:
        """The dropdown-filter columns, displayed or not: each needs its choices."""
        return tuple(c for c in self.columns if c.filter)

    @property
    def filter_bar_columns(self) -> tuple[Column, ...]:
        """What the FilterBar shows: every dropdown filter, and the text filters of
        columns that are not displayed (they have no header cell to sit in)."""
        return tuple(c for c in self.columns if c.filter or (c.header_filter and not c.display))

    @property
    def has_header_filters(self) -> bool:
        """True when a displayed column has a header filter (the header filter row)."""
        return any(c.header_filter and c.display for c in self.columns)

    def parse(self, params: Mapping[str, Any] | str | Iterable[tuple[str, str]]) -> TableState:
        """Parse a query string, a mapping or Starlette `QueryParams` into a state."""
        return TableState.parse(params, self)

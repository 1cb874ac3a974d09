"""Table protocol: column specs, the state parsed from a query string, pages, and the
in-memory data source.

The same `TableState` drives the list page, the select-all-ids call, the export and the
count, so they can never disagree. Bad query values are normalised and reported in
`state.warnings`; parsing never raises on user input.
"""

from __future__ import annotations

import enum
import hashlib
import math
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any, Literal, Protocol
from urllib.parse import parse_qsl, quote, urlencode

from markupsafe import Markup, escape

from fasthx_ui.fk_paths import related_object, text_values
from fasthx_ui.values import column_label, parse_number

Order = Literal["asc", "desc"]
CountMode = Literal["exact", "capped", "none"]

MAX_QUERY_LENGTH = 200
MAX_PAGE = 1_000_000_000


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

    def polling_cell(self, row_id: Any, obj: Any, *, table_id: str = "fhx-table") -> Markup:
        """This column's self-refreshing cell content (see `polling_cell`)."""
        return polling_cell(self, row_id, obj, table_id=table_id)


STATUS_COLORS: dict[str, str] = {
    **dict.fromkeys(
        ("online", "active", "up", "running", "healthy", "success", "succeeded", "complete", "completed", "done", "ok", "approved", "enabled"),
        "success",
    ),
    **dict.fromkeys(
        ("deploying", "pending", "building", "starting", "stopping", "updating", "provisioning", "waiting", "in_progress", "warning", "degraded"),
        "warning",
    ),
    **dict.fromkeys(("error", "failed", "failure", "down", "critical", "rejected", "unhealthy"), "danger"),
    **dict.fromkeys(("queued", "scheduled", "new", "info", "draft"), "info"),
}


def status_color(value: Any) -> str:
    """The Bootstrap colour of a known state (`online` -> success); unknown -> secondary."""
    return STATUS_COLORS.get(cell_text(value).strip().lower().replace(" ", "_").replace("-", "_"), "secondary")


def status_badge(value: Any) -> Markup:
    """A coloured badge for a state, as the StatusBadge component draws it."""
    text = cell_text(value)
    return Markup('<span class="badge text-bg-{}" data-status="{}">{}</span>').format(status_color(value), text.lower(), text)


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


_PLAIN_VALUES = (str, bytes, int, float, Decimal, uuid.UUID)


def resolve(obj: Any, path: str) -> Any:
    """Follow a dotted path through dicts and attributes; None when a link is missing.
    A link that holds a foreign key value (`site_id` in `site_id.name`) is followed
    through the object it points to (see `fk_paths.related_object`)."""
    if type(obj) is dict and "." not in path:
        return obj.get(path)
    parts = path.split(".")
    last = len(parts) - 1
    for i, part in enumerate(parts):
        if obj is None:
            return None
        parent = obj
        obj = obj.get(part) if isinstance(obj, Mapping) else getattr(obj, part, None)
        if i < last and isinstance(obj, _PLAIN_VALUES):
            obj = related_object(parent, part)
    return obj


def cell_text(value: Any) -> str:
    """The plain text shown for a value (enum members by value, None as empty)."""
    if value is None:
        return ""
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    return str(value)


def filter_text(value: Any) -> str:
    """The text a dropdown filter sends for a value (`true`/`false` for booleans)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return cell_text(value)


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


def _clip(value: str, limit: int = 40) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _as_pairs(params: Mapping[str, Any] | str | Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    if isinstance(params, str):
        return parse_qsl(params.lstrip("?"), keep_blank_values=True)
    if hasattr(params, "multi_items"):
        return [(str(k), str(v)) for k, v in params.multi_items()]
    if isinstance(params, Mapping):
        return [(str(k), str(v)) for k, v in params.items()]
    return [(str(k), str(v)) for k, v in params]


@dataclass(frozen=True)
class TableState:
    """What the user asked the table to show: search, header filters, dropdown filters,
    sort and page. `warnings` lists, in plain words, every value that was corrected."""

    spec: TableSpec = field(repr=False, compare=False)
    q: str = ""
    sort: str | None = None
    order: Order = "asc"
    page: int = 1
    page_size: int = 20
    header_filters: Mapping[str, str] = field(default_factory=dict)
    filters: Mapping[str, str] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()

    @classmethod
    def parse(cls, params: Mapping[str, Any] | str | Iterable[tuple[str, str]], spec: TableSpec) -> TableState:
        values: dict[str, str] = {}
        for key, value in _as_pairs(params):
            values[key] = value
        warnings: list[str] = []

        q = " ".join(values.get("q", "").split())
        if len(q) > MAX_QUERY_LENGTH:
            q = q[:MAX_QUERY_LENGTH]
            warnings.append(f"The search was cut to {MAX_QUERY_LENGTH} characters.")

        sort: str | None = values.get("sort", "").strip() or None
        if sort is not None:
            column = spec.column(sort)
            if column is None or not column.sortable or not column.display:
                warnings.append(f'Cannot sort by "{_clip(sort)}"; using the default order.')
                sort = None

        order_raw = values.get("order", "").strip().lower()
        order: Order = spec.default_order if sort is None else "asc"
        if order_raw in ("asc", "desc"):
            order = order_raw  # type: ignore[assignment]
        elif order_raw:
            warnings.append(f'Sort order "{_clip(order_raw)}" is not asc or desc; using {order}.')

        page = _parse_int(values.get("page"), 1, "Page", warnings)
        if page < 1:
            warnings.append(f"Page {page} does not exist; showing page 1.")
            page = 1
        elif page > MAX_PAGE:
            warnings.append("That page does not exist; showing page 1.")
            page = 1

        page_size = _parse_int(values.get("page_size"), spec.page_size, "Page size", warnings)
        if page_size < 1:
            warnings.append(f"Page size {page_size} is too small; showing {spec.page_size} per page.")
            page_size = spec.page_size
        elif page_size > spec.max_page_size:
            warnings.append(f"Page size {page_size} is too large; showing {spec.max_page_size} per page.")
            page_size = spec.max_page_size

        header_filters: dict[str, str] = {}
        filters: dict[str, str] = {}
        for key, raw in values.items():
            if key.startswith("cf_"):
                name, value = key[3:], raw.strip()
                column = spec.param_column(name)
                if column is None or not column.header_filter:
                    warnings.append(f'There is no filter "{_clip(name)}"; it was ignored.')
                elif value:
                    header_filters[name] = value[:MAX_QUERY_LENGTH]
            elif key.startswith("flt_"):
                name, value = key[4:], raw.strip()
                column = spec.param_column(name)
                if column is None or not column.filter:
                    warnings.append(f'There is no filter "{_clip(name)}"; it was ignored.')
                elif not value:
                    continue
                elif column.choice_list is not None and value not in {c.value for c in column.choice_list}:
                    warnings.append(f'"{_clip(value)}" is not a choice of {column.label}; that filter was ignored.')
                else:
                    filters[name] = value[:MAX_QUERY_LENGTH]

        return cls(
            spec=spec,
            q=q,
            sort=sort,
            order=order,
            page=page,
            page_size=page_size,
            header_filters=header_filters,
            filters=filters,
            warnings=tuple(warnings),
        )

    def replace(self, **changes: Any) -> TableState:
        """A copy with some fields changed (warnings are kept unless given)."""
        return replace(self, **changes)

    def warn(self, message: str) -> TableState:
        return replace(self, warnings=(*self.warnings, message))

    @property
    def sort_key(self) -> str | None:
        """The column actually sorted by: the asked one or the spec's default."""
        return self.sort or self.spec.default_sort

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.page_size

    @property
    def is_filtered(self) -> bool:
        return bool(self.q or self.header_filters or self.filters)

    def params(self, **changes: Any) -> list[tuple[str, str]]:
        """The state as query pairs, defaults left out, with `changes` applied
        (a value of None removes a parameter; `cf_x`/`flt_x` keys are accepted)."""
        current: dict[str, Any] = {"q": self.q}
        current.update({f"cf_{k}": v for k, v in self.header_filters.items()})
        current.update({f"flt_{k}": v for k, v in self.filters.items()})
        current.update(sort=self.sort, order=self.order)
        current.update(page=self.page, page_size=self.page_size)
        current.update(changes)
        if current["order"] == ("asc" if current["sort"] else self.spec.default_order):
            current["order"] = None
        defaults = {"page": 1, "page_size": self.spec.page_size}
        pairs = []
        for key, value in current.items():
            if value is None or value == "" or defaults.get(key) == value:
                continue
            pairs.append((key, str(value)))
        return pairs

    def query_string(self, **changes: Any) -> str:
        """`q=x&sort=name&page=2`, for links and pushed URLs."""
        return urlencode(self.params(**changes))

    def href(self, base: str = "", **changes: Any) -> str:
        """`base?query` for a link; just `base` (or `?`) when the query is empty."""
        qs = self.query_string(**changes)
        return f"{base}?{qs}" if qs else (base or "?")

    def aria_sort(self, key: str) -> str | None:
        """`ascending`/`descending` for the sorted column, None for the others."""
        if self.sort_key != key:
            return None
        return "ascending" if self.order == "asc" else "descending"

    def next_order(self, key: str) -> Order:
        """The order a click on `key`'s header asks for: toggles when already sorted."""
        return "desc" if self.aria_sort(key) == "ascending" else "asc"

    def sort_params(self, key: str) -> list[tuple[str, str]]:
        """Query pairs for sorting by `key` (back to page 1)."""
        return self.params(sort=key, order=self.next_order(key), page=None)

    @property
    def filter_signature(self) -> str:
        """A short stable hash of search and filters (not page, sort or size): it keys a
        bulk selection, which must be dropped whenever what matches changes."""
        pairs = sorted(
            [("q", self.q)]
            + [(f"cf_{k}", v) for k, v in self.header_filters.items()]
            + [(f"flt_{k}", v) for k, v in self.filters.items()]
        )
        return hashlib.sha256(urlencode(pairs).encode()).hexdigest()[:16]


def _parse_int(raw: str | None, default: int, name: str, warnings: list[str]) -> int:
    if raw is None or not raw.strip():
        return default
    try:
        return int(raw.strip())
    except ValueError:
        warnings.append(f'{name} "{_clip(raw)}" is not a whole number; using {default}.')
        return default


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
    return f"{total:,}{'+' if capped else ''} {noun}"


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
                    found = isinstance(value, _PLAIN_VALUES) and related_object(parent, last) is not None
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

"""Table state: what the user asked a table to show, parsed from a query string.

Bad query values are normalised and reported in `state.warnings`; parsing never raises
on user input, and NUL characters are dropped (no text column can hold one). The state gives back query strings for links and pushed URLs.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import parse_qsl, urlencode

if TYPE_CHECKING:
    from fasthx_ui.table import TableSpec


Order = Literal["asc", "desc"]

MAX_QUERY_LENGTH = 200
MAX_PAGE = 1_000_000_000


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
            values[key.replace("\x00", "")] = value.replace("\x00", "")  # no column holds NUL; PostgreSQL refuses it
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

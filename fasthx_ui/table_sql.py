"""The SQLAlchemy 2 data source for tables: applies a `TableState` to a `select()`.

Search and header filters use LIKE on SQLite and other databases and ILIKE on
PostgreSQL, never `lower(cast(...))`. Dotted paths are outer-joined once per path through
an alias, whatever uses them (`table_sql_paths`), and displayed related columns are loaded
from that same join, so a page costs a fixed number of statements. The page, `count()`,
`ids()` and `stream()` all build on the same filtered statement.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Enum,
    Float,
    Integer,
    Numeric,
    Select,
    String,
    false,
    func,
    inspect,
    or_,
    select,
)
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from fasthx_ui.table import Choice, Column, TableSpec
from fasthx_ui.table_page import CountMode, Page, clamp_to_last_page
from fasthx_ui.table_sql_paths import SQLPaths
from fasthx_ui.table_state import TableState
from fasthx_ui.table_values import cell_text, filter_text
from fasthx_ui.values import int_range, parse_number, text_contains

DEEP_OFFSET = 5_000
"""From this offset on, PostgreSQL pages skip over ids first (see `SQLSource._limited`)."""


class SQLSource:
    """A data source over `stmt`, a `select(Model)` (optionally with its own where
    clauses), run on `session`.

    `count` is the count strategy: "exact" (a plain filtered count), "capped" (count up
    to `count_cap` + 1 rows; beyond that the total reads "N+"), or "deferred" (no count
    with the rows; `has_next` comes from fetching one extra row; `count()` comes later,
    from the Table's `count_url`).
    `eager` names extra relationship paths to load with the rows, for formatters that
    read them (`"site"` for a formatter that shows `obj.site.name`). `model` is the
    statement's class when the caller knows it (finding it in `stmt` costs more than
    the rest of building a page's statement).

    A path may pass through a relationship (`site.name`) or a foreign key column
    (`site_id.name`): the relationship that owns the column is used, or, when the model
    declares none, the referenced table is joined on the key. A searchable column whose
    path is a bare foreign key column (`site_id`) searches the text columns of the row it
    points to.
    """

    def __init__(
        self,
        session: Session,
        stmt: Select[Any],
        spec: TableSpec,
        *,
        count: CountMode = "exact",
        count_cap: int = 10_000,
        eager: Sequence[str] = (),
        choices_limit: int = 200,
        model: Any = None,
    ) -> None:
        if model is None:
            descriptions = stmt.column_descriptions
            model = descriptions[0].get("entity") if descriptions else None
        entity = model
        if entity is None or inspect(entity, raiseerr=False) is None:
            raise ValueError("SQLSource needs a select() of a mapped class")
        self.session = session
        self.stmt = stmt
        self.spec = spec
        self.model = entity
        self.count_mode = count
        self.count_cap = count_cap
        self.choices_limit = choices_limit
        self.id_column = getattr(entity, spec.id_key)
        mapper = inspect(entity)
        key = mapper.primary_key
        self._id_is_key = len(key) == 1 and mapper.get_property_by_column(key[0]).key == spec.id_key
        self.paths = SQLPaths.of(entity)
        by_id = self.paths.sort(spec.id_key, descending=False)[0]
        self._by_id = self.id_column.asc() if by_id is None else by_id
        display = [c.key for c in spec.visible_columns if "." in c.key] + list(eager)
        self._loaders = [loader for loader in map(self.paths.loader, display) if loader is not None]

    def _match(self, expr: ColumnElement[Any], text: str) -> ColumnElement[bool] | None:
        """`expr` matches `text`: contains for text, equal for numbers and dates, by text
        for enums. None when the column's type cannot be matched by text."""
        kind = expr.type
        needle = text.casefold()
        if isinstance(kind, Enum):
            members: list[Any] = list(kind.enum_class) if kind.enum_class else list(kind.enums)
            hits = [m for m in members if needle in cell_text(m).casefold()]
            return expr.in_(hits) if hits else false()
        if isinstance(kind, String):
            return text_contains(expr, text, self.session.get_bind().dialect.name)
        if isinstance(kind, (Integer, Numeric, Float)):
            try:
                value = _number_for(kind, text)
            except ValueError:
                return false()
            return expr == value
        if isinstance(kind, Date) and not isinstance(kind, DateTime):
            try:
                return expr == date.fromisoformat(text.strip())
            except ValueError:
                return false()
        return None

    def _filtered(self, state: TableState) -> tuple[list[ColumnElement[bool]], set[str], TableState]:
        """Where clauses and joins for search, header filters and dropdown filters."""
        where: list[ColumnElement[bool]] = []
        joins: set[str] = set()
        if state.q:
            hits = []
            for column in self.spec.columns:
                if not column.searchable:
                    continue
                exprs, prefixes = self.paths.exprs(column.filter_key, search=True)
                for expr in exprs:
                    condition = self._match(expr, state.q)
                    if condition is not None:
                        hits.append(condition)
                        joins.update(prefixes)
            where.append(or_(*hits) if hits else false())
        header_filters = dict(state.header_filters)
        for param, text in state.header_filters.items():
            column = self.spec.param_column(param)
            exprs, prefixes = self.paths.exprs(column.filter_key) if column else ([], [])
            conditions = [c for c in (self._match(e, text) for e in exprs) if c is not None]
            if not conditions:
                del header_filters[param]
                state = state.warn(f"{column.label if column else param} cannot be filtered by text; that filter was ignored.")
                continue
            where.append(or_(*conditions))
            joins.update(prefixes)
        filters = dict(state.filters)
        for param, text in state.filters.items():
            column = self.spec.param_column(param)
            exprs, prefixes = self.paths.exprs(column.filter_key) if column else ([], [])
            try:
                if len(exprs) != 1:
                    raise ValueError(param)
                where.append(exprs[0] == coerce(exprs[0].type, text))
                joins.update(prefixes)
            except ValueError:
                del filters[param]
                label = column.label if column else param
                state = state.warn(f'"{text[:40]}" is not a valid {label}; that filter was ignored.')
        if header_filters != dict(state.header_filters) or filters != dict(state.filters):
            state = state.replace(header_filters=header_filters, filters=filters)
        return where, joins, state

    def _ordering(self, state: TableState) -> tuple[list[Any], set[str], TableState]:
        """ORDER BY for the state, then the id (`SQLPaths.sort`: empty values last)."""
        order: list[Any] = []
        joins: set[str] = set()
        key = state.sort_key
        if key is not None:
            clause, prefixes = self.paths.sort(key, descending=state.order == "desc")
            if clause is not None:
                order.append(clause)
                joins.update(prefixes)
            elif state.sort:
                state = state.replace(sort=None).warn(f'Cannot sort by "{key}"; using the default order.')
        if key != self.spec.id_key:
            order.append(self._by_id)
        return order, joins, state

    def _base(self, state: TableState) -> tuple[Select[Any], set[str], TableState]:
        """The filtered statement (joins for filters only) and the applied state."""
        where, joins, state = self._filtered(state)
        return self.paths.join(self.stmt, joins).where(*where), joins, state

    def _count_stmt(self, base: Select[Any]) -> Select[Any]:
        return base.with_only_columns(func.count(), maintain_column_froms=True).order_by(None)

    def _rows_stmt(self, state: TableState, *, load: bool = True, also: Sequence[str] = ()) -> tuple[Select[Any], TableState]:
        """The filtered, sorted statement; with `load`, it also loads the related data
        the columns display; `also` names more path prefixes to join."""
        where, joins, state = self._filtered(state)
        joins.update(also)
        order, sort_joins, state = self._ordering(state)
        options = []
        for option, prefixes in self._loaders if load else ():
            joins.update(prefixes)
            options.append(option)
        stmt = self.paths.join(self.stmt, joins | sort_joins).where(*where).order_by(*order)
        return stmt.options(*options), state

    def count(self, state: TableState) -> int:
        """The exact number of rows matching the state's search and filters."""
        base, _, _ = self._base(state)
        return self.session.scalar(self._count_stmt(base)) or 0

    def _capped_count(self, state: TableState) -> int:
        base, _, _ = self._base(state)
        limited = base.with_only_columns(self.id_column, maintain_column_froms=True).order_by(None)
        sub = limited.limit(self.count_cap + 1).subquery()
        return self.session.scalar(select(func.count()).select_from(sub)) or 0

    def page(self, state: TableState) -> Page:
        stmt, state = self._rows_stmt(state)
        total: int | None = None
        capped = False
        if self.count_mode == "exact" or self.count_mode == "capped":
            total = self.count(state) if self.count_mode == "exact" else self._capped_count(state)
            capped = total > self.count_cap if self.count_mode == "capped" else False
            if capped:
                total = self.count_cap
            else:
                state = clamp_to_last_page(state, total)
        extra = 0 if total is not None and not capped else 1
        rows = list(self.session.scalars(self._limited(stmt, state, state.page_size + extra)).all())
        if extra:
            has_next = len(rows) > state.page_size
            rows = rows[: state.page_size]
            if not rows and state.page > 1:
                state = state.warn(f"Page {state.page} is past the last row.")
        else:
            has_next = state.offset + len(rows) < (total or 0)
        return Page(rows, state, total, has_next, total_capped=capped)

    def _limited(self, stmt: Select[Any], state: TableState, limit: int) -> Select[Any]:
        """The page's slice of the rows statement. Deep pages on PostgreSQL (an offset
        of DEEP_OFFSET rows or more) skip over the ids alone, which an index-only scan
        serves, and then read the page's rows by id; near the start a plain OFFSET is
        cheaper, and SQLite walks its rows the same either way (bench/fixes.md)."""
        deep = state.offset >= DEEP_OFFSET and self._id_is_key  # by id needs one row an id
        if not deep or self.session.get_bind().dialect.name != "postgresql":
            return stmt.limit(limit).offset(state.offset)
        ids, _ = self._rows_stmt(state, load=False)
        ids = ids.with_only_columns(self.id_column, maintain_column_froms=True).limit(limit).offset(state.offset)
        return stmt.where(self.id_column.in_(ids))

    def ids(self, state: TableState) -> list[Any]:
        """Every matching id, in page order: what "select all matching" selects."""
        stmt, _ = self._rows_stmt(state, load=False)
        stmt = stmt.with_only_columns(self.id_column, maintain_column_froms=True)
        return list(self.session.scalars(stmt).all())

    def id_chunk(self, state: TableState, size: int = 500, after: Any = None) -> list[Any]:
        """Up to `size` matching ids greater than `after`, in id order: one short query
        per chunk (keyset), so a background job walks 100,000 rows without holding a
        cursor, a transaction or all the ids at once."""
        base, _, _ = self._base(state)
        stmt = base.with_only_columns(self.id_column, maintain_column_froms=True).order_by(self.id_column)
        if after is not None:
            stmt = stmt.where(self.id_column > after)
        return list(self.session.scalars(stmt.limit(size)).all())

    def stream(self, state: TableState, batch_size: int = 500) -> Iterator[Any]:
        """Every matching row in page order, fetched `batch_size` at a time through a
        server-side cursor where the database has one: constant memory for exports."""
        stmt, _ = self._rows_stmt(state)
        yield from self.session.scalars(stmt.execution_options(yield_per=batch_size))

    def value_stream(self, state: TableState, columns: Sequence[Column],
                     batch_size: int = 500) -> tuple[list[Any], Iterator[Sequence[Sequence[Any]]]] | None:
        """Every matching row in page order as a tuple of the columns' values, in lists
        of up to `batch_size` rows, selected as plain columns (no model instances to
        build: the hot path of an export), with the SQL type of each column. The query runs when the rows are first asked for,
        through a server-side cursor where the database has one. None when a column is
        not a mapped column or a path to one (see `SQLPaths.value_expr`): the caller
        then reads instances from `stream()`."""
        exprs: list[Any] = []
        joins: set[str] = set()
        for column in columns:
            found = self.paths.value_expr(column.key)
            if found is None:
                return None
            exprs.append(found[0])
            joins.update(found[1])
        stmt, _ = self._rows_stmt(state, load=False, also=sorted(joins))
        stmt = stmt.with_only_columns(*exprs, maintain_column_froms=True)

        def batches() -> Iterator[Sequence[Sequence[Any]]]:
            yield from self.session.execute(stmt.execution_options(yield_per=batch_size)).partitions()

        return [expr.type for expr in exprs], batches()

    def choices(self, column: Column) -> tuple[Choice, ...]:
        """The options of a dropdown filter: declared choices, or distinct values."""
        if column.choice_list is not None:
            return column.choice_list
        exprs, prefixes = self.paths.exprs(column.filter_key)
        if len(exprs) != 1:
            return ()
        expr = exprs[0]
        stmt = self.paths.join(self.stmt, set(prefixes))
        stmt = stmt.with_only_columns(expr, maintain_column_froms=True).where(expr.is_not(None))
        stmt = stmt.distinct().order_by(expr).limit(self.choices_limit)
        values = [filter_text(v) for v in self.session.scalars(stmt)]
        return tuple(Choice(v, v) for v in values if v)


def _number_for(kind: Any, text: str) -> int | float | Decimal:
    number = parse_number(text)
    if number is None:
        raise ValueError(text)
    if isinstance(kind, Integer):
        if number != int(number):
            raise ValueError(text)
        low, high = int_range(kind) or (-(2**63), 2**63 - 1)
        if not low <= int(number) <= high:
            raise ValueError(text)
        return int(number)
    if isinstance(kind, Float):
        return float(number)
    return Decimal(number)


def coerce(kind: Any, text: str) -> Any:
    """Convert a filter's text to the column's Python value; ValueError when it is not one."""
    if isinstance(kind, Enum):
        members: list[Any] = list(kind.enum_class) if kind.enum_class else list(kind.enums)
        for member in members:
            if cell_text(member) == text or (isinstance(member, enum.Enum) and member.name == text):
                return member
        raise ValueError(text)
    if isinstance(kind, Boolean):
        lowered = text.strip().lower()
        if lowered in ("true", "1", "yes", "on"):
            return True
        if lowered in ("false", "0", "no", "off"):
            return False
        raise ValueError(text)
    if isinstance(kind, (Integer, Numeric, Float)):
        try:
            return _number_for(kind, text)
        except (InvalidOperation, OverflowError) as exc:
            raise ValueError(text) from exc
    if isinstance(kind, DateTime):
        return datetime.fromisoformat(text.strip())
    if isinstance(kind, Date):
        return date.fromisoformat(text.strip())
    return text

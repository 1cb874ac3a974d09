"""Server side of AjaxSelect: the JSON paging protocol, served from a SQLAlchemy select.

`GET …?q=<term>&page=<n>` answers `{"items": [{"value", "label"}], "more": bool,
"next": url | null}`. `next` is the request's own URL with `q` kept and `page` advanced,
so Tom Select's virtual_scroll can keep asking until `more` is false.
"""

import copy
import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session
from starlette.datastructures import URL
from starlette.requests import Request
from starlette.responses import JSONResponse

from fasthx_ui.form_fields import FieldSpec, with_overrides
from fasthx_ui.form_model import column_coercer
from fasthx_ui.values import text_contains

MAX_PAGE = 1_000_000
MAX_QUERY_LENGTH = 200


class AjaxSelectSource:
    """Pages of (value, label) options from a model or a `select()` of one model.

    `search` names the columns a typed term is matched against (LIKE on SQLite, which is
    case-insensitive for ASCII; ILIKE elsewhere). `value` is the column sent as the option
    value (the primary key by default); `label` turns a row object into its text (`str` by
    default, so a model's `__repr__` shows, as in the reference). Rows come in a stable
    order: `order_by` (default: the search columns), then the value column.

    For the form field it feeds: `field(...)` builds it; `coerce` turns a submitted value
    into one the value column accepts (range-checked, so a huge number is a field error,
    not a database error), `check(session)` is the validator that the chosen row exists
    and `label_for(session, value)` pre-fills an edit form.
    """

    def __init__(
        self,
        source: type | sa.Select,
        *,
        search: Sequence[str] = (),
        value: str | None = None,
        label: Callable[[Any], str] = str,
        order_by: Sequence[str] | None = None,
        page_size: int = 10,
    ) -> None:
        self.query = source if isinstance(source, sa.Select) else sa.select(source)
        self.model = self.query.column_descriptions[0]["entity"]
        mapper = sa.inspect(self.model)
        self.value_column = mapper.columns[value] if value else mapper.primary_key[0]
        self.search_columns = [mapper.columns[name] for name in search]
        ordering = [mapper.columns[name] for name in order_by] if order_by is not None else self.search_columns
        self.order = [*ordering, self.value_column]
        self.label = label
        self.page_size = max(1, page_size)
        self.coerce = column_coercer(self.value_column)

    def with_query(self, query: sa.Select) -> "AjaxSelectSource":
        """A copy serving `query`, a `select()` of the same model: this source narrowed to
        the rows one request may see (a tenant's). Paging, search, labels and the form
        field's check all use the copy's rows; this source is left as it is."""
        described = query.column_descriptions
        if len(described) != 1 or described[0].get("type") is not self.model:
            raise ValueError(f"with_query() needs a select() of {self.model.__name__}")
        narrowed = copy.copy(self)
        narrowed.query = query
        return narrowed

    def fetch(self, session: Session, *, q: str = "", page: int = 1, url: URL | str = "") -> dict[str, Any]:
        """One page of the protocol for search term `q`; `url` is the base of `next`."""
        term = clean_term(q)
        stmt = self.query
        if term and self.search_columns:
            stmt = stmt.where(self.match(term, session.get_bind().dialect.name))
        page = valid_page(page)
        offset = (page - 1) * self.page_size
        stmt = stmt.order_by(*self.order).offset(offset).limit(self.page_size + 1)
        rows = session.scalars(stmt).all()
        more = len(rows) > self.page_size
        items = [self.item(row) for row in rows[: self.page_size]]
        next_url = page_url(URL(str(url)), term, page + 1) if more else None
        return {"items": items, "more": more, "next": next_url}

    def response(self, request: Request, session: Session) -> JSONResponse:
        """Answer an AjaxSelect request: reads `q` and `page` from the query string."""
        params = request.query_params
        result = self.fetch(session, q=params.get("q", ""), page=parse_page(params.get("page")), url=request.url)
        return JSONResponse(result)

    def label_for(self, session: Session, value: Any) -> str | None:
        """The label of the option whose value is `value` (to pre-fill an edit form).

        None when there is no such row, or `value` cannot be a value of the column at all.
        """
        if value is None or value == "":
            return None
        if self.coerce is not None:
            try:
                value = self.coerce(str(value))
            except (ValueError, TypeError):
                return None
        row = session.scalars(self.query.where(self.value_column == value).limit(1)).first()
        return None if row is None else self.label(row)

    def check(self, session: Session, message: str = "Select one of the offered options.") -> Callable[[Any], str | None]:
        """A `parse_form` validator: the submitted value must be one this source offers."""
        return lambda value: None if self.label_for(session, value) is not None else message

    def field(
        self,
        name: str,
        *,
        url: str,
        session: Session | None = None,
        label: str | None = None,
        required: bool = False,
        placeholder: str = "Type to search...",
        **overrides: Any,
    ) -> FieldSpec:
        """The `ajax_select` FieldSpec this source feeds, served at `url`: its coercion comes
        from the value column; with a `session`, also its validator and option labels (else
        `bind` them per request). `overrides` merge in as in `with_overrides` (a key naming
        a FieldSpec field replaces it, any other becomes an HTML attribute of the input).
        """
        spec = FieldSpec(name, "ajax_select", label=label or "", required=required, placeholder=placeholder,
                         ajax_url=url, coerce=self.coerce)
        if session is not None:
            spec = self.bind(spec, session)
        return with_overrides(spec, overrides) if overrides else spec

    def bind(self, spec: FieldSpec, session: Session) -> FieldSpec:
        """A copy of `spec` checking and labelling its values with this request's `session`:
        `validate` is `check(session)`, `option_label` looks the label up (edit forms, and
        a re-rendered form after an error show the chosen row's label, not its id)."""
        return replace(spec, validate=self.check(session), option_label=lambda value: self.label_for(session, value))

    def item(self, row: Any) -> dict[str, str]:
        """One protocol item for a row object."""
        return {"value": str(getattr(row, self.value_column.key)), "label": self.label(row)}

    def match(self, term: str, dialect: str) -> sa.ColumnElement[bool]:
        """Any search column contains `term` (wildcards in the term are literal)."""
        return sa.or_(*(text_contains(column, term, dialect) for column in self.search_columns))


def parse_page(text: str | None) -> int:
    """A page number from the query string; anything bad or out of range is page 1."""
    if text is None or not re.fullmatch(r"[0-9]{1,7}", text.strip()):
        return 1
    return valid_page(int(text))


def valid_page(page: int) -> int:
    """`page` when it is within 1..MAX_PAGE, else 1."""
    return page if 1 <= page <= MAX_PAGE else 1


def clean_term(q: str | None) -> str:
    """The search term, trimmed, without NUL characters, at most MAX_QUERY_LENGTH long."""
    return (q or "").replace("\x00", "").strip()[:MAX_QUERY_LENGTH]


def page_url(url: URL, q: str, page: int) -> str:
    """The same URL (path and other parameters kept) asking for `q` and `page`."""
    next_url = url.include_query_params(q=q, page=page)
    return f"{next_url.path}?{next_url.query}"


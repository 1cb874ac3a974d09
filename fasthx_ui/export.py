"""Streamed exports of a table: every row a `TableState` matches, as CSV or XLSX.

The rows come from the table's data source (a server-side cursor for `SQLSource`, plain
iteration for `ListSource`), so an export and the list it was asked from apply the same
search, filters and sort. Cells hold plain values, never a
formatter's HTML: numbers stay numbers, enums give their value, dates ISO text, None an
empty cell, dotted paths the related value. Text a spreadsheet would run as a formula
(`=`, `+`, `-`, `@`, tab or CR first) is prefixed with `'`.

A `SQLSource` selects only the exported columns (`value_stream`: tuples, not model
instances) and each column's values go through one converter chosen for its SQL type;
when a column needs an instance (a Python property, a relationship shown whole) that
export reads instances. Rows go through in batches (`export_batches`), converted a column
at a time and written with one `writerows` a batch. CSV is written in chunks of about `chunk_bytes`, with a UTF-8
byte order mark so Excel reads it as UTF-8; XLSX is zipped as it is written
(`fasthx_ui.xlsx_stream`). Either way the first chunk leaves before the query runs and
memory stays flat.
"""

from __future__ import annotations

import csv
import enum
import io
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from itertools import chain, islice
from typing import Any
from urllib.parse import quote

from sqlalchemy import Boolean, Date, DateTime, Enum, Float, Integer, Numeric, String
from starlette.responses import PlainTextResponse, Response, StreamingResponse

from fasthx_ui.table import Column
from fasthx_ui.table_page import DataSource
from fasthx_ui.table_state import TableState
from fasthx_ui.table_values import cell_text
from fasthx_ui.xlsx_stream import xlsx_stream

FORMULA_STARTS = frozenset("=+-@\t\r")  # a first character that makes a spreadsheet run the cell
NATIVE_TYPES = (bool, int, float, Decimal)  # written as numbers (and booleans), never neutralised
CHUNK_BYTES = 64 * 1024
BATCH_SIZE = 500
UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")
SHEET_UNSAFE = re.compile(r"[\[\]:*?/\\]+")


@dataclass(frozen=True)
class ExportFormat:
    """One file format: its menu label and media type."""

    name: str
    label: str
    media_type: str


FORMATS = {
    "csv": ExportFormat("csv", "CSV", "text/csv; charset=utf-8"),
    "xlsx": ExportFormat("xlsx", "Excel (XLSX)", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}


def check_formats(formats: Iterable[str]) -> tuple[str, ...]:
    """`formats` as a tuple; an unknown format is a ValueError naming the known ones."""
    found = tuple(formats)
    for name in found:
        if name not in FORMATS:
            raise ValueError(f"unknown export format {name!r}; use {', '.join(FORMATS)}")
    return found


def neutralise(text: str) -> str:
    """`text`, prefixed with `'` when a spreadsheet would run it as a formula."""
    return "'" + text if text[:1] in FORMULA_STARTS else text


def plain_value(value: Any) -> Any:
    """What a cell holds for a value: numbers and booleans as they are, everything else as
    the table's text for it (`cell_text`), neutralised. Plain str and None, most cells,
    are decided first: this runs for every cell of every row."""
    kind = type(value)
    if kind is str:
        return neutralise(value)
    if value is None:
        return ""
    if kind in NATIVE_TYPES or (isinstance(value, NATIVE_TYPES) and not isinstance(value, enum.Enum)):
        return value
    return neutralise(cell_text(value))


def _text(value: Any) -> Any:
    return neutralise(value) if type(value) is str else plain_value(value)


def _native(value: Any) -> Any:
    return value if type(value) in NATIVE_TYPES else plain_value(value)


def _datetime(value: Any) -> Any:  # ISO text never starts like a formula: no neutralising
    return value.isoformat(sep=" ", timespec="seconds") if type(value) is datetime else plain_value(value)


def _date(value: Any) -> Any:
    return value.isoformat() if type(value) is date else plain_value(value)


def converter(sql_type: Any) -> Callable[[Any], Any]:
    """The function giving `plain_value` of a column of `sql_type`, chosen once per export:
    it tests first for the value the type returns and hands anything else (None, a
    surprise from a loosely typed database) to `plain_value`, so the cells are the same."""
    if isinstance(sql_type, Enum):
        if sql_type.enum_class is None:
            return _text
        texts = {member: plain_value(member) for member in sql_type.enum_class}
        return lambda value: texts[value] if value in texts else plain_value(value)
    for kind, function in ((String, _text), (Boolean, _native), (Integer, _native), (Float, _native),
                           (Numeric, _native), (DateTime, _datetime), (Date, _date)):
        if isinstance(sql_type, kind):
            return function
    return plain_value


def export_query(state: TableState) -> str:
    """The query string an export link carries: the state's search, filters and sort (the
    page and its size do not matter to a file of every matching row)."""
    return state.query_string(page=None, page_size=None)


def export_links(url: str, formats: Iterable[str], state: TableState | str | None = None) -> list[dict[str, str]]:
    """The ExportMenu's links: `{"format", "label", "href"}` per format, each `url/<format>`
    with the state's query (or a query string given as is). A format of your own (a route
    that writes it) is labelled by its name in capitals."""
    query = export_query(state) if isinstance(state, TableState) else str(state or "").lstrip("?")
    base = str(url).rstrip("/")
    links = []
    for name in map(str, formats):
        label = FORMATS[name].label if name in FORMATS else name.upper()
        href = f"{base}/{quote(name, safe='')}" + (f"?{query}" if query else "")
        links.append({"format": name, "label": label, "href": href})
    return links


def export_batches(source: DataSource, state: TableState, columns: Sequence[Column],
                   batch_size: int = BATCH_SIZE) -> Iterator[list[Sequence[Any]]]:
    """The plain values of every matching row, in the list's order, streamed in lists of
    up to `batch_size` rows. A source that can select the columns' values alone
    (`SQLSource.value_stream`) gives batches of tuples, converted a column at a time by
    the column's own function (the hot path of an export: one `map` a column and batch,
    no Python loop step a row); otherwise, or when a column needs a model instance, the values are read from the
    source's rows."""
    selected = source.value_stream(state, columns, batch_size) if hasattr(source, "value_stream") else None
    if selected is None:
        rows = source.stream(state, batch_size)
        while batch := [[plain_value(column.value(row)) for column in columns] for row in islice(rows, batch_size)]:
            yield batch
        return
    types, batches = selected
    functions = [converter(kind) for kind in types]
    for batch in batches:
        converted = [list(map(function, values)) for function, values in zip(functions, zip(*batch))]
        yield list(zip(*converted))


def export_rows(source: DataSource, state: TableState, columns: Sequence[Column], batch_size: int = BATCH_SIZE) -> Iterator[list[Any]]:
    """The plain values of every matching row, in the list's order, streamed one row at a
    time (see `export_batches`)."""
    for batch in export_batches(source, state, columns, batch_size):
        yield from map(list, batch)


def csv_chunks(source: DataSource, state: TableState, columns: Sequence[Column], *,
               chunk_bytes: int = CHUNK_BYTES, batch_size: int = BATCH_SIZE) -> Iterator[bytes]:
    """A CSV file in chunks: the BOM and header row first (before any row is fetched),
    then rows, about `chunk_bytes` at a time."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow([neutralise(column.label) for column in columns])

    def take() -> bytes:
        data = buffer.getvalue().encode("utf-8")
        buffer.seek(0)
        buffer.truncate()
        return data

    yield take()
    for batch in export_batches(source, state, columns, batch_size):
        writer.writerows(batch)
        if buffer.tell() >= chunk_bytes:
            yield take()
    rest = take()
    if rest:
        yield rest


def xlsx_chunks(source: DataSource, state: TableState, columns: Sequence[Column], *, sheet: str = "Export",
                chunk_bytes: int = CHUNK_BYTES, batch_size: int = BATCH_SIZE) -> Iterator[bytes]:
    """An XLSX workbook of one sheet (a bold header row, then the rows), in chunks: the
    first before any row is fetched (`fasthx_ui.xlsx_stream`)."""
    header = [neutralise(column.label) for column in columns]
    rows = chain.from_iterable(export_batches(source, state, columns, batch_size))
    yield from xlsx_stream(header, rows, title=sheet_title(sheet), chunk_bytes=chunk_bytes)


def export_response(source: DataSource, state: TableState, format: str, *, columns: Sequence[Column] | None = None,
                    filename: str = "export", formats: Iterable[str] | None = None) -> Response:
    """Stream every row `state` matches as a `format` file download (`filename` plus the
    format's extension, made safe). `columns` default to the table's displayed ones, their
    labels the header. A format not in `formats` (default: all of them) is a 404 saying
    which ones there are."""
    offered = check_formats(formats) if formats is not None else tuple(FORMATS)
    if format not in offered:
        return PlainTextResponse(f"There is no {str(format)[:20]!r} export here; formats: {', '.join(offered)}.",
                                 status_code=404)
    chosen = tuple(columns) if columns is not None else source.spec.visible_columns
    stem = safe_filename(filename)
    if format == "csv":
        body = csv_chunks(source, state, chosen)
    else:
        body = xlsx_chunks(source, state, chosen, sheet=stem)
    headers = {
        "Content-Disposition": f'attachment; filename="{stem}.{format}"',
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
    }
    return StreamingResponse(body, media_type=FORMATS[format].media_type, headers=headers)


def safe_filename(name: str) -> str:
    """A file name stem made of letters, digits, `.`, `_` and `-` only (no path, no
    quote, no header injection); "export" when nothing is left."""
    stem = UNSAFE_NAME.sub("_", str(name)).strip("._")[:100]
    return stem or "export"


def sheet_title(name: str) -> str:
    """A worksheet title Excel accepts: at most 31 characters, none of `[]:*?/\\`."""
    return SHEET_UNSAFE.sub("_", name)[:31] or "Export"

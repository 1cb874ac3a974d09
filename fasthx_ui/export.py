"""Streamed exports of a table: every row a `TableState` matches, as CSV or XLSX.

The rows come from the table's data source (`source.stream(state)`: a server-side cursor
for `SQLSource`, plain iteration for `ListSource`), so an export and the list it was
asked from apply the same search, filters and sort. Cells hold plain values, never a
formatter's HTML: numbers stay numbers, enums give their value, dates ISO text, None an
empty cell, dotted paths the related value. Text a spreadsheet would run as a formula
(`=`, `+`, `-`, `@`, tab or CR first) is prefixed with `'`.

CSV is written row by row, in chunks of about `chunk_bytes`, with a UTF-8 byte order mark
so Excel reads it as UTF-8; its header row is sent before the query runs. XLSX goes
through openpyxl's write-only workbook (rows go to a temporary file as they come) and is
saved into a spooled temporary file, then sent in chunks: memory stays flat either way.
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
from importlib.util import find_spec
from tempfile import SpooledTemporaryFile
from typing import Any
from urllib.parse import quote

from sqlalchemy import Boolean, Date, DateTime, Enum, Float, Integer, Numeric, String
from starlette.responses import PlainTextResponse, Response, StreamingResponse

from fasthx_ui.table import Column
from fasthx_ui.table_page import DataSource
from fasthx_ui.table_state import TableState
from fasthx_ui.table_values import cell_text

FORMULA_STARTS = frozenset("=+-@\t\r")  # a first character that makes a spreadsheet run the cell
NATIVE_TYPES = (bool, int, float, Decimal)  # written as numbers (and booleans), never neutralised
CHUNK_BYTES = 64 * 1024
BATCH_SIZE = 500
SPOOL_BYTES = 1024 * 1024
UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")
SHEET_UNSAFE = re.compile(r"[\[\]:*?/\\]+")
XLSX_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # characters XML 1.0 (and openpyxl) refuse


@dataclass(frozen=True)
class ExportFormat:
    """One file format: its menu label, media type, and the module it needs (if any)."""

    name: str
    label: str
    media_type: str
    requires: str = ""


FORMATS = {
    "csv": ExportFormat("csv", "CSV", "text/csv; charset=utf-8"),
    "xlsx": ExportFormat("xlsx", "Excel (XLSX)", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                         requires="openpyxl"),
}


def check_formats(formats: Iterable[str]) -> tuple[str, ...]:
    """`formats` as a tuple, or an error saying what is wrong: an unknown format is a
    ValueError, xlsx without openpyxl installed an ImportError naming the extra."""
    found = tuple(formats)
    for name in found:
        if name not in FORMATS:
            raise ValueError(f"unknown export format {name!r}; use {', '.join(FORMATS)}")
        needed = FORMATS[name].requires
        if needed and find_spec(needed) is None:
            raise ImportError(f"exporting {name} needs {needed}: pip install 'fasthx_ui[{name}]'")
    return found


def available_formats() -> tuple[str, ...]:
    """The formats this installation can write (xlsx only with openpyxl installed)."""
    return tuple(name for name, fmt in FORMATS.items() if not fmt.requires or find_spec(fmt.requires) is not None)


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
    return ("'" + value if value[:1] in FORMULA_STARTS else value) if type(value) is str else plain_value(value)


def _native(value: Any) -> Any:
    return value if type(value) in NATIVE_TYPES else plain_value(value)


def _enum_member(value: Any) -> Any:
    return neutralise(str(value.value)) if isinstance(value, enum.Enum) else plain_value(value)


def _datetime(value: Any) -> Any:  # ISO text never starts like a formula: no neutralising
    return value.isoformat(sep=" ", timespec="seconds") if type(value) is datetime else plain_value(value)


def _date(value: Any) -> Any:
    return value.isoformat() if type(value) is date else plain_value(value)


def converter(sql_type: Any) -> Callable[[Any], Any]:
    """The function giving `plain_value` of a column of `sql_type`, chosen once per export:
    it tests first for the value the type returns and hands anything else (None, a
    surprise from a loosely typed database) to `plain_value`, so the cells are the same."""
    if isinstance(sql_type, Enum):
        return _enum_member if sql_type.enum_class is not None else _text
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


def export_rows(source: DataSource, state: TableState, columns: Sequence[Column], batch_size: int = BATCH_SIZE) -> Iterator[list[Any]]:
    """The plain values of every matching row, in the list's order, streamed. A source
    that can select the columns' values alone (`SQLSource.value_stream`) gives tuples,
    each column converted by its own function; otherwise, or when a column needs a
    model instance, the values are read from the source's rows."""
    selected = source.value_stream(state, columns, batch_size) if hasattr(source, "value_stream") else None
    if selected is None:
        for row in source.stream(state, batch_size):
            yield [plain_value(column.value(row)) for column in columns]
        return
    types, rows = selected
    functions = [converter(kind) for kind in types]
    for values in rows:
        yield [function(value) for function, value in zip(functions, values)]


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
    for values in export_rows(source, state, columns, batch_size):
        writer.writerow(values)
        if buffer.tell() >= chunk_bytes:
            yield take()
    rest = take()
    if rest:
        yield rest


def xlsx_chunks(source: DataSource, state: TableState, columns: Sequence[Column], *, sheet: str = "Export",
                chunk_bytes: int = CHUNK_BYTES, batch_size: int = BATCH_SIZE) -> Iterator[bytes]:
    """An XLSX workbook of one sheet (a bold header row, then the rows), in chunks."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    worksheet = book.create_sheet(sheet_title(sheet))
    bold = Font(bold=True)
    header = []
    for column in columns:
        cell = WriteOnlyCell(worksheet, value=_xlsx_text(neutralise(column.label)))
        cell.font = bold
        header.append(cell)
    worksheet.append(header)
    for values in export_rows(source, state, columns, batch_size):
        worksheet.append([_xlsx_text(v) if isinstance(v, str) else v for v in values])
    with SpooledTemporaryFile(max_size=SPOOL_BYTES) as out:
        book.save(out)
        out.seek(0)
        while chunk := out.read(chunk_bytes):
            yield chunk


def export_response(source: DataSource, state: TableState, format: str, *, columns: Sequence[Column] | None = None,
                    filename: str = "export", formats: Iterable[str] | None = None) -> Response:
    """Stream every row `state` matches as a `format` file download (`filename` plus the
    format's extension, made safe). `columns` default to the table's displayed ones, their
    labels the header. A format not in `formats` (default: every one this installation
    can write) is a 404 saying which ones there are."""
    offered = check_formats(formats) if formats is not None else available_formats()
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


def _xlsx_text(text: str) -> str:
    return XLSX_ILLEGAL.sub("", text)

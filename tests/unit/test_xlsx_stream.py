"""The streamed XLSX writer (fasthx_ui.xlsx_stream): a valid zip read back by openpyxl
with the same values and header style openpyxl's own write-only workbook gives, text
escaped and never a formula, the first chunk before any row is read, and the file in
many chunks."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from fasthx_ui.xlsx_stream import column_letters, xlsx_stream

HEADER = ["Id", "Text", "Number", "Flag", "Empty"]
ROWS = [
    [1, "plain", 2.5, True, ""],
    [2, "a & b < c > d \"q\" 'x'", Decimal("9.50"), False, ""],
    [3, "  padded  ", -7, True, "late"],
    [4, "line\nbreak\tand tab", 10**15, False, ""],
    [5, "carriage\rreturn", Decimal("1E+3"), True, ""],
    [6, "bell\x07 esc\x1b[31m nul\x00", 0, False, ""],
    [7, "Ås ✓ 𝄞 中文", float("nan"), True, ""],
    [8, "'=SUM(A1)", float("inf"), False, ""],
]


def openpyxl_write_only(header, rows) -> bytes:
    """What exports wrote before: openpyxl's write-only workbook, a bold header."""
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Export")
    bold = Font(bold=True)
    cells = []
    for label in header:
        cell = WriteOnlyCell(sheet, value=label)
        cell.font = bold
        cells.append(cell)
    sheet.append(cells)
    for row in rows:
        sheet.append([v.translate({c: None for c in (*range(9), 11, 12, *range(14, 32))}) if isinstance(v, str) else v
                      for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def cells(data: bytes) -> list[list]:
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    return [[(c.value, c.data_type if c.value is not None else "", bool(c.font.bold)) for c in row] for row in sheet.iter_rows()]


def test_values_types_and_header_style_read_back_as_openpyxl_wrote_them():
    ours = b"".join(xlsx_stream(HEADER, ROWS[:5], title="Export", chunk_bytes=1024))
    assert zipfile.ZipFile(io.BytesIO(ours)).testzip() is None
    theirs = cells(openpyxl_write_only(HEADER, ROWS[:5]))
    assert cells(ours)[:5] == theirs[:5]
    assert cells(ours)[5][1][0] == "carriage\rreturn" and theirs[5][1][0] == "carriage\nreturn"  # openpyxl lost the CR


def test_text_is_escaped_cleaned_and_never_a_formula():
    sheet = cells(b"".join(xlsx_stream(HEADER, ROWS, title="Export", chunk_bytes=1024)))
    texts = [row[1][0] for row in sheet[1:]]
    assert texts == ["plain", "a & b < c > d \"q\" 'x'", "  padded  ", "line\nbreak\tand tab", "carriage\rreturn",
                     "bell esc[31m nul", "Ås ✓ 𝄞 中文", "'=SUM(A1)"]
    assert [row[2][:2] for row in sheet[7:]] == [("nan", "s"), ("inf", "s")]  # not numbers XML can write
    assert sheet[5][2][:2] == (1000, "n") and sheet[4][2][:2] == (10**15, "n")
    assert not [c for row in sheet for c in row if c[1] == "f"]
    assert [c[2] for c in sheet[0]] == [True] * 5 and not [c for row in sheet[1:] for c in row if c[2]]


def test_the_sheet_title_is_escaped_in_the_workbook():
    data = b"".join(xlsx_stream(["A"], [[1]], title='a&b "c" <d>', chunk_bytes=1024))
    assert openpyxl.load_workbook(io.BytesIO(data)).worksheets[0].title == 'a&b "c" <d>'


def test_the_first_chunk_leaves_before_any_row_is_read_and_the_rest_in_many_chunks():
    read = []

    def rows():
        for i in range(1, 20_001):
            read.append(i)
            yield [i, f"row number {i} of many", i / 3, i % 2 == 0, ""]

    chunks = []
    read_at_chunk = []
    for chunk in xlsx_stream(HEADER, rows(), title="Export", chunk_bytes=16 * 1024):
        read_at_chunk.append(len(read))
        chunks.append(chunk)
    assert read_at_chunk[0] == 0 and chunks[0].startswith(b"PK")
    assert len(chunks) > 10 and all(n < 20_000 for n in read_at_chunk[:-2])
    book = openpyxl.load_workbook(io.BytesIO(b"".join(chunks)), read_only=True)
    values = list(book.worksheets[0].iter_rows(values_only=True))
    assert len(values) == 20_001 and values[-1] == (20_000, "row number 20000 of many", 20_000 / 3, True, None)


@pytest.mark.parametrize(("count", "last"), [(1, "A"), (26, "Z"), (27, "AA"), (52, "AZ"), (702, "ZZ"), (703, "AAA")])
def test_column_letters(count, last):
    letters = column_letters(count)
    assert len(letters) == count and letters[-1] == last

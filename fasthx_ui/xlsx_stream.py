"""A streamed XLSX workbook of one sheet, written with the standard library alone.

An XLSX file is a zip of XML parts. The fixed parts (content types, relationships, the
workbook, a style sheet with a bold font) go first; the sheet follows row by row into a
deflated zip entry whose sizes come after its data (a zip data descriptor), so the zip is
written front to back and sent in chunks while the rows are still being read: the first
bytes leave before the query runs, and memory holds one chunk, never the file. Strings are
inline (`t="inlineStr"`, no shared-string table to keep), numbers are numbers, booleans
booleans. Cells get plain values (see `fasthx_ui.export.plain_value`); `""` is an empty cell.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import quoteattr

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
OFFICE = "application/vnd.openxmlformats-officedocument"
ROWS_PER_WRITE = 200  # rows joined into one write to the deflater

# Escapes for text in an element; characters XML 1.0 cannot hold are dropped; a carriage
# return is a character reference (a parser would turn a raw one into a line feed).
CONTROL = {code: None for code in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20))}
XML_TEXT = {ord("&"): "&amp;", ord("<"): "&lt;", ord(">"): "&gt;", ord("\r"): "&#13;", **CONTROL}

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    f'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{OFFICE}.spreadsheetml.sheet.main+xml"/>'
    f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{OFFICE}.spreadsheetml.worksheet+xml"/>'
    f'<Override PartName="/xl/styles.xml" ContentType="{OFFICE}.spreadsheetml.styles+xml"/>'
    "</Types>"
)
PACKAGE_RELS = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{RELS}">'
    f'<Relationship Id="rId1" Type="{DOC_RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK_RELS = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{RELS}">'
    f'<Relationship Id="rId1" Type="{DOC_RELS}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{DOC_RELS}/styles" Target="styles.xml"/></Relationships>'
)
STYLES = (  # style 0: the default; style 1: bold, for the header row
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet xmlns="{MAIN}">'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
)
SHEET_START = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{MAIN}"><sheetData>'
SHEET_END = "</sheetData></worksheet>"


def workbook_xml(title: str) -> str:
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="{MAIN}" xmlns:r="{DOC_RELS}">'
            f'<sheets><sheet name={quoteattr(title.translate(CONTROL))} sheetId="1" r:id="rId1"/></sheets></workbook>')


def column_letters(count: int) -> list[str]:
    """Spreadsheet column names: A … Z, AA, AB …"""
    letters = []
    for index in range(1, count + 1):
        name = ""
        while index:
            index, rest = divmod(index - 1, 26)
            name = chr(65 + rest) + name
        letters.append(name)
    return letters


def cell_xml(ref: str, value: Any, style: str = "") -> str:
    """One cell: inline text, a boolean, or a number (one that XML cannot write as a
    number, such as NaN, becomes text); an empty value is an empty cell, so every row
    reads back as long as the header."""
    kind = type(value)
    if kind is str:
        if not value:
            return f'<c r="{ref}"{style}/>'
        return f'<c r="{ref}"{style} t="inlineStr"><is><t xml:space="preserve">{value.translate(XML_TEXT)}</t></is></c>'
    if kind is bool:
        return f'<c r="{ref}"{style} t="b"><v>{int(value)}</v></c>'
    if value is None:
        return f'<c r="{ref}"{style}/>'
    if kind is int or kind is float or isinstance(value, (int, float, Decimal)):
        text = str(value)
        if text[-1:].isdigit():
            return f'<c r="{ref}"{style}><v>{text}</v></c>'
    return cell_xml(ref, str(value), style)


class _Chunks:
    """Where the zip writes: bytes kept until taken. Having no `tell` makes zipfile write
    front to back (data descriptors), which is what lets the file be streamed."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []
        self.size = 0

    def write(self, data: bytes) -> int:
        self.parts.append(bytes(data))
        self.size += len(data)
        return len(data)

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data = b"".join(self.parts)
        self.parts.clear()
        self.size = 0
        return data


def xlsx_stream(header: Sequence[str], rows: Iterable[Sequence[Any]], *, title: str, chunk_bytes: int) -> Iterator[bytes]:
    """The workbook in chunks of about `chunk_bytes`: fixed parts and the bold header row
    first (before `rows` is read), then the rows."""
    sink = _Chunks()
    refs = column_letters(len(header))
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as book:
        for name, text in (("[Content_Types].xml", CONTENT_TYPES), ("_rels/.rels", PACKAGE_RELS),
                           ("xl/workbook.xml", workbook_xml(title)), ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS),
                           ("xl/styles.xml", STYLES)):
            book.writestr(name, text)
        with book.open("xl/worksheets/sheet1.xml", "w") as sheet:
            head = "".join(cell_xml(f"{ref}1", label, ' s="1"') for ref, label in zip(refs, header))
            sheet.write(f'{SHEET_START}<row r="1">{head}</row>'.encode())
            yield sink.take()
            pending: list[str] = []
            for number, values in enumerate(rows, start=2):
                cells = "".join([cell_xml(f"{ref}{number}", value) for ref, value in zip(refs, values)])
                pending.append(f'<row r="{number}">{cells}</row>')
                if len(pending) == ROWS_PER_WRITE:
                    sheet.write("".join(pending).encode())
                    pending.clear()
                    if sink.size >= chunk_bytes:
                        yield sink.take()
            sheet.write(("".join(pending) + SHEET_END).encode())
    yield sink.take()

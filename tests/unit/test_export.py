"""The toolkit's streamed export (fasthx_ui.export): CSV and XLSX files of the rows a
TableState matches, from an in-memory source and from SQLSource on SQLite and
PostgreSQL; plain cell values, formula neutralisation, safe file names, the ExportMenu,
and streaming (the first bytes leave before every row is fetched, over real HTTP)."""

from __future__ import annotations

import csv
import enum
import io
import re
import sys
import threading
from datetime import date, datetime
from decimal import Decimal

import httpx
import openpyxl
import pytest
from fastapi import FastAPI, Request
from markupsafe import Markup
from sqlalchemy import Enum, ForeignKey, String, event, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship

from fasthx_ui import UI, Column, ListSource, SQLSource, TableSpec, csv_chunks, export_links, export_query, export_response
from fasthx_ui.export import check_formats, neutralise, safe_filename, sheet_title, xlsx_chunks

from ..databases import KINDS, database_engine
from .served import served


class Kind(enum.Enum):
    ROUTER = "router"
    SWITCH = "switch"


def bold(value, obj):
    return Markup(f"<b class='fmt'>{value}</b>")


SPEC = TableSpec(
    columns=[
        Column("id", label="ID"),
        Column("name", header_filter=True, formatter=bold),
        Column("kind", choices=Kind),
        Column("site.name", label="Site"),
        Column("joined"),
        Column("seen"),
        Column("price"),
        Column("note"),
        Column("secret", display=False, header_filter=True),
    ],
    default_sort="id",
)

ROWS = [
    {"id": 1, "name": "Ada", "kind": Kind.ROUTER, "site": {"name": "Oslo"}, "joined": date(2024, 2, 29),
     "seen": datetime(2025, 1, 2, 3, 4, 5), "price": Decimal("9.50"), "note": None, "secret": "x"},
    {"id": 2, "name": "=HYPERLINK(\"http://evil\")", "kind": Kind.SWITCH, "site": None, "joined": None,
     "seen": None, "price": Decimal("-3"), "note": "+1", "secret": "y"},
    {"id": 3, "name": "Grace", "kind": Kind.SWITCH, "site": {"name": "@Lima"}, "joined": date(2020, 1, 1),
     "seen": None, "price": Decimal("0"), "note": "-2\tx", "secret": "x"},
    {"id": 4, "name": "Linus", "kind": Kind.ROUTER, "site": {"name": "Ås"}, "joined": None,
     "seen": None, "price": None, "note": "\rcarriage", "secret": "x"},
]

HEADER = ["ID", "Name", "Kind", "Site", "Joined", "Seen", "Price", "Note"]


def read_csv(data: bytes) -> list[list[str]]:
    assert data.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def read_xlsx(data: bytes) -> list[list]:
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    return [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]


def test_csv_holds_the_filtered_sorted_rows_as_plain_values():
    state = SPEC.parse({"cf_secret": "x", "sort": "name", "order": "desc"})
    rows = read_csv(b"".join(csv_chunks(ListSource(ROWS, SPEC), state, SPEC.visible_columns)))
    assert rows == [
        HEADER,
        ["4", "Linus", "router", "Ås", "", "", "", "'\rcarriage"],
        ["3", "Grace", "switch", "'@Lima", "2020-01-01", "", "0", "'-2\tx"],
        ["1", "Ada", "router", "Oslo", "2024-02-29", "2025-01-02 03:04:05", "9.50", ""],
    ]


def test_the_file_never_holds_a_formatters_html_and_hidden_columns_stay_out():
    body = b"".join(csv_chunks(ListSource(ROWS, SPEC), SPEC.parse(""), SPEC.visible_columns)).decode("utf-8-sig")
    assert "<b" not in body and "fmt" not in body
    assert "Secret" not in body
    assert read_csv(body.encode("utf-8-sig"))[2][1] == "'=HYPERLINK(\"http://evil\")"


def test_xlsx_reads_back_with_numbers_as_numbers_and_formulas_as_text():
    state = SPEC.parse({"q": "a"})
    data = b"".join(xlsx_chunks(ListSource(ROWS, SPEC), state, SPEC.visible_columns, sheet="people"))
    rows = read_xlsx(data)
    assert rows[0] == HEADER
    expected_ids = [r["id"] for r in ListSource(ROWS, SPEC).stream(state)]
    assert [r[0] for r in rows[1:]] == expected_ids == [1, 3, 4]
    ada = rows[1]
    assert ada == [1, "Ada", "router", "Oslo", "2024-02-29", "2025-01-02 03:04:05", 9.5, None]
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book.worksheets[0]
    assert sheet.title == "people"
    assert sheet["A1"].font.bold
    every = [cell for row in sheet.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in every if cell.data_type == "f"]
    grace = [cell.value for cell in sheet[3]]
    assert grace[3] == "'@Lima" and grace[7] == "'-2\tx"


def test_a_formula_in_the_data_is_text_in_the_xlsx():
    data = b"".join(xlsx_chunks(ListSource(ROWS, SPEC), SPEC.parse(""), SPEC.visible_columns))
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    cell = sheet["B3"]
    assert cell.value == "'=HYPERLINK(\"http://evil\")" and cell.data_type == "s"
    assert sheet["H3"].value == "'+1"


def test_control_characters_xml_refuses_are_dropped_from_xlsx_text():
    spec = TableSpec(columns=[Column("id"), Column("name")])
    data = b"".join(xlsx_chunks(ListSource([{"id": 1, "name": "bell\x07 and \x1b[31mred"}], spec), spec.parse(""), spec.columns))
    assert read_xlsx(data)[1] == [1, "bell and [31mred"]


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_text_a_spreadsheet_would_run_is_prefixed(text):
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("text", ["", "a=b", "1-2", "Ada", "'quoted"])
def test_other_text_is_left_alone(text):
    assert neutralise(text) == text


def test_file_names_and_sheet_titles_are_safe():
    assert safe_filename('../../etc/pass"wd\r\nX-Evil: 1') == "etc_pass_wd_X-Evil_1"
    assert safe_filename("...") == "export"
    assert safe_filename("customers") == "customers"
    assert sheet_title("a[b]:c*d?e/f\\g" + "x" * 40) == ("a_b_c_d_e_f_g" + "x" * 40)[:31]


def test_export_links_carry_search_filters_and_sort_but_not_the_page():
    state = SPEC.parse({"q": "a&b", "cf_secret": "x", "flt_kind": "router", "sort": "name", "page": "3", "page_size": "50"})
    assert export_query(state) == "q=a%26b&cf_secret=x&flt_kind=router&sort=name"
    links = export_links("/people/export/", ["csv", "xlsx"], state)
    assert links == [
        {"format": "csv", "label": "CSV", "href": "/people/export/csv?q=a%26b&cf_secret=x&flt_kind=router&sort=name"},
        {"format": "xlsx", "label": "Excel (XLSX)", "href": "/people/export/xlsx?q=a%26b&cf_secret=x&flt_kind=router&sort=name"},
    ]
    assert export_links("/p/export", ["csv"], SPEC.parse(""))[0]["href"] == "/p/export/csv"
    assert export_links("/p/export", ["csv"], "?q=x")[0]["href"] == "/p/export/csv?q=x"
    assert export_links("/p/export", ["json", "a/b"]) == [
        {"format": "json", "label": "JSON", "href": "/p/export/json"},
        {"format": "a/b", "label": "A/B", "href": "/p/export/a%2Fb"},
    ]


def test_unknown_formats_are_refused_with_the_known_ones_named():
    with pytest.raises(ValueError, match="unknown export format 'pdf'; use csv, xlsx"):
        check_formats(["csv", "pdf"])


def test_xlsx_is_written_without_openpyxl_installed(monkeypatch):
    monkeypatch.setitem(sys.modules, "openpyxl", None)  # any import of it now fails
    source, state = ListSource(ROWS, SPEC), SPEC.parse("")
    assert check_formats(["csv", "xlsx"]) == ("csv", "xlsx")
    response = export_response(source, state, "xlsx")
    assert response.status_code == 200
    data = b"".join(xlsx_chunks(source, state, SPEC.visible_columns))
    monkeypatch.undo()
    assert read_xlsx(data)[0] == HEADER


def test_export_menu_renders_a_labelled_dropdown_with_escaped_links():
    ui = UI()
    state = SPEC.parse({"q": '"><script>x</script>'})
    html = str(ui.component("ui:ExportMenu", url="/people/export", formats=["csv", "xlsx"], state=state, id="people-export"))
    assert 'data-bs-toggle="dropdown"' in html and 'id="people-export"' in html
    assert 'aria-labelledby="people-export"' in html
    hrefs = re.findall(r'href="([^"]*)"', html)
    assert hrefs == ["/people/export/csv?q=%22%3E%3Cscript%3Ex%3C%2Fscript%3E",
                     "/people/export/xlsx?q=%22%3E%3Cscript%3Ex%3C%2Fscript%3E"]
    assert "<script>" not in html
    assert [m for m in re.findall(r'data-format="(\w+)">([^<]+)<', html)] == [("csv", "CSV"), ("xlsx", "Excel (XLSX)")]


class CountingSource(ListSource):
    """A ListSource that counts the rows its stream has handed out, and can hold the
    stream at row `hold_at` until `release` is set."""

    def __init__(self, rows, spec, hold_at: int | None = None):
        super().__init__(rows, spec)
        self.fetched = 0
        self.hold_at = hold_at
        self.held = threading.Event()
        self.release = threading.Event()

    def stream(self, state, batch_size=500):
        for row in super().stream(state, batch_size):
            if self.fetched == self.hold_at:
                self.held.set()
                assert self.release.wait(10), "the test never released the stream"
            self.fetched += 1
            yield row


MANY_SPEC = TableSpec(columns=[Column("id"), Column("name")])
MANY = [{"id": i, "name": f"person number {i}"} for i in range(1, 20_001)]


def test_csv_comes_in_many_chunks_each_before_the_rows_after_it_are_fetched():
    source = CountingSource(MANY, MANY_SPEC)
    fetched_at_chunk = []
    chunks = []
    for chunk in csv_chunks(source, MANY_SPEC.parse(""), MANY_SPEC.columns, chunk_bytes=16 * 1024):
        fetched_at_chunk.append(source.fetched)
        chunks.append(chunk)
    assert fetched_at_chunk[0] == 0  # the header leaves before the first row is asked for
    assert len(chunks) > 10
    assert all(count < len(MANY) for count in fetched_at_chunk[:-1])
    assert fetched_at_chunk == sorted(fetched_at_chunk)
    rows = read_csv(b"".join(chunks))
    assert len(rows) == len(MANY) + 1 and rows[-1] == ["20000", "person number 20000"]


def test_over_http_the_first_bytes_arrive_while_the_rows_are_still_being_fetched():
    source = CountingSource(MANY, MANY_SPEC, hold_at=len(MANY) // 2)
    app = FastAPI()

    @app.get("/people/export/{format}")
    def export(request: Request, format: str):
        return export_response(source, MANY_SPEC.parse(request.query_params), format, filename="people")

    with served(app) as base, httpx.Client(base_url=base, timeout=20) as client:
        try:
            with client.stream("GET", "/people/export/csv") as response:
                assert response.status_code == 200
                assert response.headers["content-disposition"] == 'attachment; filename="people.csv"'
                assert response.headers["content-type"] == "text/csv; charset=utf-8"
                parts = response.iter_bytes()
                first = next(parts)
                assert first.startswith("\ufeffId,Name\r\n".encode())
                assert source.fetched <= len(MANY) // 2  # the rest is not fetched yet: the stream is held there
                source.release.set()
                body = first + b"".join(parts)
        finally:
            source.release.set()
        assert source.fetched == len(MANY)
        assert len(read_csv(body)) == len(MANY) + 1
        missing = client.get("/people/export/pdf")
        assert missing.status_code == 404 and "formats: csv, xlsx" in missing.text


class Base(DeclarativeBase):
    pass


class Place(Base):
    __tablename__ = "export_places"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50))


class Item(Base):
    __tablename__ = "export_items"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    kind: Mapped[Kind] = mapped_column(Enum(Kind))
    made: Mapped[date | None]
    place_id: Mapped[int | None] = mapped_column(ForeignKey("export_places.id"))
    place: Mapped[Place | None] = relationship()


ITEMS = TableSpec(
    columns=[
        Column("id", label="ID"),
        Column("name", header_filter=True, formatter=bold),
        Column("kind", choices=Kind),
        Column("made"),
        Column("place_id.name", label="Place", header_filter=True),
    ],
    default_sort="id",
)


@pytest.fixture(params=KINDS)
def session(request, tmp_path):
    with database_engine(request.param, tmp_path) as engine:
        Base.metadata.create_all(engine)
        with Session(engine) as session:
            places = [Place(id=1, name="Oslo"), Place(id=2, name="Lima")]
            session.add_all(places)
            session.add_all([
                Item(id=i, name=f"item-{i:04d}" if i != 7 else "=cmd|' /C calc'!A0", kind=Kind.ROUTER if i % 2 else Kind.SWITCH,
                     made=date(2024, 1, 1 + i % 28) if i % 5 else None, place_id=None if i % 11 == 0 else 1 + i % 2)
                for i in range(1, 3001)
            ])
            session.commit()
            yield session


def test_sql_export_rows_equal_the_lists_rows_on_each_database(session):
    state = ITEMS.parse({"flt_kind": "router", "cf_place_id.name": "lima", "sort": "made", "order": "desc"})
    source = SQLSource(session, select(Item), ITEMS)
    listed = []
    page = state.replace(page_size=100)
    while True:
        result = source.page(page)
        listed += [[cell for cell in (c.value(row) for c in ITEMS.columns)] for row in result.rows]
        if not result.has_next:
            break
        page = page.replace(page=page.page + 1)
    rows = read_csv(b"".join(csv_chunks(source, state, ITEMS.visible_columns)))
    assert rows[0] == ["ID", "Name", "Kind", "Made", "Place"]
    expected = [[str(i), neutralise(n), k.value, m.isoformat() if m else "", p or ""] for i, n, k, m, p in listed]
    assert rows[1:] == expected and len(expected) > 100
    assert {r[4] for r in rows[1:]} == {"Lima"}
    assert ["7", "'=cmd|' /C calc'!A0", "router"] == [r for r in rows[1:] if r[0] == "7"][0][:3]
    sheet = read_xlsx(b"".join(xlsx_chunks(source, state, ITEMS.visible_columns)))
    assert [r[0] for r in sheet[1:]] == [int(r[0]) for r in expected]


def test_sql_export_reads_through_a_server_side_cursor_on_postgresql(session):
    cursors = []

    def record(conn, cursor, statement, parameters, context, executemany):
        if "export_items" in statement:
            cursors.append(type(cursor).__name__)

    engine = session.get_bind()
    event.listen(engine, "before_cursor_execute", record)
    try:
        body = b"".join(csv_chunks(SQLSource(session, select(Item), ITEMS), ITEMS.parse(""), ITEMS.visible_columns))
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert len(read_csv(body)) == 3001
    assert len(cursors) == 1
    assert (cursors[0] == "ServerCursor") == (engine.dialect.name == "postgresql"), cursors

"""The columns-only export stream (`SQLSource.value_stream` + per-column converters): on
SQLite and PostgreSQL it writes the same CSV and XLSX as reading model instances did, for
relationship paths, enums, dates, None, numbers and formula text, under search, filters,
sort and a scoped statement; it selects only the exported columns; and a column that
needs an instance (a Python property, a relationship as a whole) makes that export read
instances."""

from __future__ import annotations

import csv
import enum
import io
from datetime import date, datetime
from decimal import Decimal

import openpyxl
import pytest
from sqlalchemy import Enum, ForeignKey, Numeric, String, event, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship

from fasthx_ui import Column, SQLSource, TableSpec, csv_chunks, export_batches, export_rows, xlsx_chunks
from fasthx_ui.export import converter, plain_value

from ..databases import KINDS, database_engine


class Tone(enum.Enum):
    WARM = "warm"
    COLD = "=cold"  # an enum value a spreadsheet would run


class Base(DeclarativeBase):
    pass


class Shop(Base):
    __tablename__ = "colexport_shops"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50))

    def __str__(self) -> str:
        return f"shop {self.name}"


class Lamp(Base):
    __tablename__ = "colexport_lamps"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    tone: Mapped[Tone | None] = mapped_column(Enum(Tone))
    made: Mapped[date | None]
    seen: Mapped[datetime | None]
    price: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    weight: Mapped[float | None]
    lit: Mapped[bool]
    secret: Mapped[str] = mapped_column(String(20), default="hidden-value")
    shop_id: Mapped[int | None] = mapped_column(ForeignKey("colexport_shops.id"))
    shop: Mapped[Shop | None] = relationship()

    @property
    def shout(self) -> str:
        return self.name.upper()


COLUMNS = [
    Column("id"), Column("name", header_filter=True), Column("tone", choices=Tone), Column("made"), Column("seen"),
    Column("price"), Column("weight"), Column("lit"), Column("shop_id"), Column("shop.name", label="Shop", header_filter=True),
    Column("shop_id.name", label="Shop again"), Column("secret", display=False, searchable=False),
]
SPEC = TableSpec(columns=COLUMNS, default_sort="id")
NAMES = ["plain", "=SUM(A1)", "+1", "-2", "@x", "\tlead", "Ås"]


class InstancesOnly:
    """The same source without `value_stream`: the way exports read rows before."""

    def __init__(self, source: SQLSource) -> None:
        self.spec = source.spec
        self.stream = source.stream


@pytest.fixture(params=KINDS)
def session(request, tmp_path):
    with database_engine(request.param, tmp_path) as engine:
        Base.metadata.create_all(engine)
        with Session(engine) as session:
            session.add_all([Shop(id=1, name="Oslo"), Shop(id=2, name="=Lima")])
            session.add_all([
                Lamp(id=i, name=f"{NAMES[i % len(NAMES)]} {i}" if i % 9 else NAMES[i % len(NAMES)],
                     tone=None if i % 13 == 0 else (Tone.WARM if i % 2 else Tone.COLD),
                     made=date(2024, 1 + i % 12, 1 + i % 28) if i % 5 else None,
                     seen=datetime(2025, 3, 4, 5, 6, 7, 890) if i % 4 == 0 else None,
                     price=Decimal(i) / 4 if i % 6 else None, weight=i / 8 if i % 7 else None, lit=i % 3 == 0,
                     shop_id=None if i % 11 == 0 else 1 + i % 2)
                for i in range(1, 1201)
            ])
            session.commit()
            yield session


def both_ways(source: SQLSource, state, columns) -> tuple[bytes, bytes, list, list]:
    """CSV and XLSX rows through the columns-only stream and through instances."""
    fast = b"".join(csv_chunks(source, state, columns))
    slow = b"".join(csv_chunks(InstancesOnly(source), state, columns))
    fast_sheet = read_xlsx(b"".join(xlsx_chunks(source, state, columns)))
    slow_sheet = read_xlsx(b"".join(xlsx_chunks(InstancesOnly(source), state, columns)))
    return fast, slow, fast_sheet, slow_sheet


def read_xlsx(data: bytes) -> list[list]:
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    return [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]


def read_csv(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


@pytest.mark.parametrize("query", [
    {},
    {"q": "lima", "sort": "made", "order": "desc"},
    {"flt_tone": "=cold", "cf_shop.name": "oslo", "sort": "shop.name"},
    {"cf_name": "=", "sort": "price", "order": "asc"},
    {"q": "2024-03-04", "sort": "seen", "order": "desc"},
])
def test_columns_only_export_writes_what_instances_wrote(session, query):
    source = SQLSource(session, select(Lamp), SPEC)
    state = SPEC.parse(query)
    assert source.value_stream(state, SPEC.visible_columns) is not None
    fast, slow, fast_sheet, slow_sheet = both_ways(source, state, SPEC.visible_columns)
    assert fast == slow
    assert fast_sheet == slow_sheet
    assert len(read_csv(fast)) > 1 or query.get("q") == "2024-03-04"


def test_the_cells_hold_plain_neutralised_values(session):
    source = SQLSource(session, select(Lamp), SPEC)
    rows = {r[0]: r for r in read_csv(b"".join(csv_chunks(source, SPEC.parse(""), SPEC.visible_columns)))[1:]}
    assert rows["12"] == ["12", "'\tlead 12", "'=cold", "2024-01-13", "2025-03-04 05:06:07", "", "1.5", "True", "1", "Oslo", "Oslo"]
    assert rows["26"][2] == "" and rows["22"][8:] == ["", "", ""]
    assert rows["13"][9] == "'=Lima" and rows["18"][1] == "'@x" and rows["1"][1] == "'=SUM(A1) 1"
    sheet = read_xlsx(b"".join(xlsx_chunks(source, SPEC.parse(""), SPEC.visible_columns)))
    assert sheet[12] == [12, "'\tlead 12", "'=cold", "2024-01-13", "2025-03-04 05:06:07", None, 1.5, True, 1, "Oslo", "Oslo"]


def test_a_scoped_statement_narrows_the_columns_only_export_too(session):
    source = SQLSource(session, select(Lamp).where(Lamp.lit.is_(True)), SPEC)
    state = SPEC.parse({"sort": "name"})
    fast, slow, fast_sheet, slow_sheet = both_ways(source, state, SPEC.visible_columns)
    assert fast == slow and fast_sheet == slow_sheet
    ids = [int(r[0]) for r in read_csv(fast)[1:]]
    assert len(ids) == 400 and all(i % 3 == 0 for i in ids)


def test_only_the_exported_columns_are_selected_in_one_statement(session):
    statements = []

    def record(conn, cursor, statement, parameters, context, executemany):
        if "colexport_lamps" in statement:
            statements.append(statement)

    engine = session.get_bind()
    event.listen(engine, "before_cursor_execute", record)
    try:
        source = SQLSource(session, select(Lamp), SPEC)
        columns = [Column("id"), Column("shop.name")]
        assert len(read_csv(b"".join(csv_chunks(source, SPEC.parse({"cf_secret": "x"}), columns)))) == 1201
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert len(statements) == 1
    selected = statements[0].split("FROM")[0]
    assert "secret" not in selected and "price" not in selected and "name" in selected


def test_a_column_that_needs_an_instance_makes_the_export_read_instances(session):
    spec = TableSpec(columns=[Column("id"), Column("shout"), Column("shop"), Column("shop.name")])
    source = SQLSource(session, select(Lamp), spec, eager=["shop"])
    state = spec.parse({"sort": "id", "order": "desc"})
    assert source.value_stream(state, [Column("shout")]) is None
    assert source.value_stream(state, [Column("shop")]) is None
    assert source.value_stream(state, [Column("id"), Column("shop.name")]) is not None
    rows = list(export_rows(source, state, spec.columns))
    assert rows[0] == [1200, "'-2 1200", "shop Oslo", "Oslo"]
    assert rows[-1][:2] == [1, "'=SUM(A1) 1"] and len(rows) == 1200
    assert [r for r in rows if r[0] == 99][0] == [99, "'=SUM(A1)", "", ""]


@pytest.mark.parametrize("value", [None, "", "x", "=1", "-3", 0, 3, 2.5, Decimal("1.10"), True, date(2024, 2, 29),
                                   datetime(2025, 1, 2, 3, 4, 5, 6), Tone.COLD, Tone.WARM, b"raw"])
@pytest.mark.parametrize("sql_type", [String(), Enum(Tone), Enum("a", "b"), Numeric(), Lamp.weight.type, Lamp.lit.type,
                                      Lamp.made.type, Lamp.seen.type, Lamp.id.type])
def test_each_columns_converter_gives_plain_value_for_anything_it_meets(sql_type, value):
    assert converter(sql_type)(value) == plain_value(value)
    assert type(converter(sql_type)(value)) is type(plain_value(value))


@pytest.mark.parametrize("fast", [True, False])
def test_export_batches_hold_at_most_a_batch_and_add_up_to_export_rows(session, fast):
    source = SQLSource(session, select(Lamp), SPEC)
    read_from = source if fast else InstancesOnly(source)
    state = SPEC.parse({"sort": "price", "order": "desc"})
    batches = list(export_batches(read_from, state, SPEC.visible_columns, batch_size=500))
    assert [len(batch) for batch in batches] == [500, 500, 200]
    rows = [list(row) for batch in batches for row in batch]
    assert rows == list(export_rows(source, state, SPEC.visible_columns, batch_size=70))

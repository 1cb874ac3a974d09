"""SQLSource on a real SQLite file and a real PostgreSQL (own schema per run)."""

from __future__ import annotations

import enum
from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import Boolean, Enum, ForeignKey, Numeric, String, event, select, text
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship

from fasthx_ui import Column, ListSource, SQLSource, TableSpec, table_sql
from fasthx_ui.values import escape_like

from ..databases import KINDS, database_engine



class Status(str, enum.Enum):
    ONLINE = "online"
    OFFLINE = "offline"
    ERROR = "error"


class Base(DeclarativeBase):
    pass


class Region(Base):
    __tablename__ = "regions"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50))


class Site(Base):
    __tablename__ = "sites"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50))
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"))
    region: Mapped[Region] = relationship()


class Device(Base):
    __tablename__ = "devices"
    id: Mapped[int] = mapped_column(primary_key=True)
    hostname: Mapped[str] = mapped_column(String(80))
    status: Mapped[Status] = mapped_column(Enum(Status))
    port: Mapped[int]
    price: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    active: Mapped[bool] = mapped_column(Boolean)
    installed: Mapped[date]
    site_id: Mapped[int | None] = mapped_column(ForeignKey("sites.id"))
    site: Mapped[Site | None] = relationship()
    notes: Mapped[list[Note]] = relationship(back_populates="device")

    @property
    def label(self) -> str:
        return f"{self.hostname} ({self.port})"


class Note(Base):
    __tablename__ = "notes"
    id: Mapped[int] = mapped_column(primary_key=True)
    body: Mapped[str] = mapped_column(String(80))
    device_id: Mapped[int] = mapped_column(ForeignKey("devices.id"))
    device: Mapped[Device] = relationship(back_populates="notes")


SPECIAL_HOSTS = ["web_1", "webx1", "50%off", "500off", "back\\slash"]


def seed(session: Session) -> None:
    regions = [Region(id=i, name=n) for i, n in enumerate(["North", "South", "East"], 1)]
    sites = [Site(id=i, name=f"Site {chr(64 + i)}", region_id=(i % 3) + 1) for i in range(1, 7)]
    session.add_all(regions + sites)
    statuses = list(Status)
    for i in range(1, 121):
        host = SPECIAL_HOSTS[i - 1] if i <= len(SPECIAL_HOSTS) else f"edge-{i:03d}{'X' if i % 7 == 0 else ''}"
        session.add(
            Device(
                id=i,
                hostname=host,
                status=statuses[i % 3],
                port=8000 + (i % 10),
                price=Decimal(i) / 4,
                active=i % 2 == 0,
                installed=date(2024, 1 + i % 12, 1 + i % 28),
                site_id=None if i % 11 == 0 else (i % 6) + 1,
            )
        )
    for i in range(1, 121, 3):
        session.add_all([Note(body=f"note {i} a", device_id=i), Note(body=f"note {i} b", device_id=i)])
    session.commit()


@pytest.fixture(scope="module", params=KINDS)
def engine(request, tmp_path_factory):
    with database_engine(request.param, tmp_path_factory.mktemp("table_sql")) as engine:
        Base.metadata.create_all(engine)
        with Session(engine) as session:
            seed(session)
        yield engine


class Statements:
    """Records every SQL statement an engine runs while active."""

    def __init__(self, engine) -> None:
        self.engine = engine
        self.sql: list[str] = []

    def _record(self, conn, cursor, statement, parameters, context, executemany) -> None:
        self.sql.append(statement)

    def __enter__(self) -> Statements:
        event.listen(self.engine, "before_cursor_execute", self._record)
        return self

    def __exit__(self, *exc) -> None:
        event.remove(self.engine, "before_cursor_execute", self._record)


@pytest.fixture
def session(engine) -> Iterator[Session]:
    with Session(engine) as session:
        yield session


SPEC = TableSpec(
    columns=[
        Column("id"),
        Column("hostname", header_filter=True),
        Column("status", choices=Status, header_filter=True, status=True),
        Column("port", header_filter=True, filter=True),
        Column("price", header_filter=True),
        Column("active", header_filter=True, filter=True, searchable=False),
        Column("installed", header_filter=True, searchable=False),
        Column("site.name", label="Site", header_filter=True, filter=True),
        Column("site.region.name", label="Region", header_filter=True),
        Column("label", sortable=True, searchable=True),
    ],
    default_sort="id",
)


def source(session: Session, **kw) -> SQLSource:
    return SQLSource(session, select(Device), SPEC, **kw)


def as_dicts(session: Session) -> list[dict]:
    """The same data as plain dicts, for the in-memory source to agree with."""
    out = []
    for d in session.scalars(select(Device).order_by(Device.id)):
        site = {"name": d.site.name, "region": {"name": d.site.region.name}} if d.site else None
        out.append(
            {
                "id": d.id,
                "hostname": d.hostname,
                "status": d.status,
                "port": d.port,
                "price": d.price,
                "active": d.active,
                "installed": d.installed,
                "site": site,
                "label": None,
            }
        )
    return out


def test_page_with_related_columns_costs_two_statements(engine, session):
    with Statements(engine) as stmts:
        page = source(session).page(SPEC.parse("page=2"))
        names = [(row.site.name if row.site else None, row.site.region.name if row.site else None) for row in page.rows]
    assert len(page.rows) == 20 and page.total == 120
    assert any(n for n, _ in names) and any(r for _, r in names)
    assert len(stmts.sql) == 2


def test_collection_loaded_with_one_selectin(engine, session):
    with Statements(engine) as stmts:
        page = source(session, eager=["notes", "site"]).page(SPEC.parse(""))
        bodies = [n.body for row in page.rows for n in row.notes]
    assert bodies and len(stmts.sql) == 3


def test_related_path_joined_once_however_often_used(engine, session):
    state = SPEC.parse("q=Site&cf_site.name=site&flt_site.name=Site B&sort=site.name&order=desc")
    with Statements(engine) as stmts:
        page = source(session).page(state)
    assert page.rows and {r.site.name for r in page.rows} == {"Site B"}
    for sql in stmts.sql:
        assert sql.upper().count("JOIN SITES") <= 1
    assert stmts.sql[-1].upper().count("JOIN SITES") == 1


def test_search_uses_like_or_ilike_never_lower_cast(engine, session):
    with Statements(engine) as stmts:
        source(session).page(SPEC.parse("q=edge&cf_hostname=EDGE"))
    sql = " ".join(stmts.sql).upper()
    if engine.dialect.name == "postgresql":
        assert "ILIKE" in sql
    else:
        assert " LIKE " in sql and "ILIKE" not in sql
    assert "LOWER(" not in sql and "CAST(" not in sql


def test_search_is_case_insensitive(session):
    lower = source(session).ids(SPEC.parse("q=edge-007x"))
    upper = source(session).ids(SPEC.parse("q=EDGE-007X"))
    assert lower == upper == [7]


def test_exact_count_is_a_plain_filtered_count(engine, session):
    with Statements(engine) as stmts:
        page = source(session).page(SPEC.parse("q=edge&sort=hostname"))
    count_sql = stmts.sql[0].upper()
    assert count_sql.startswith("SELECT COUNT(*)")
    assert "ORDER BY" not in count_sql and "(SELECT" not in count_sql
    assert page.total == len(source(session).ids(SPEC.parse("q=edge")))


def test_capped_count_reports_a_lower_bound(engine, session):
    with Statements(engine) as stmts:
        page = source(session, count="capped", count_cap=30).page(SPEC.parse(""))
    assert page.total == 30 and page.total_capped and page.has_next
    assert page.summary == "30+ records" and page.page_count is None
    assert "LIMIT" in stmts.sql[0].upper()
    small = source(session, count="capped", count_cap=30).page(SPEC.parse("flt_site.name=Site A"))
    assert not small.total_capped and small.total == source(session).count(SPEC.parse("flt_site.name=Site A"))


def test_no_count_uses_one_extra_row(engine, session):
    src = source(session, count="deferred")
    with Statements(engine) as stmts:
        first = src.page(SPEC.parse("page_size=50"))
    assert len(stmts.sql) == 1
    assert first.total is None and first.has_next and len(first.rows) == 50
    last = src.page(SPEC.parse("page_size=50&page=3"))
    assert not last.has_next and len(last.rows) == 20
    past = src.page(SPEC.parse("page_size=50&page=9"))
    assert past.rows == [] and past.state.warnings
    assert src.count(SPEC.parse("")) == 120


AGREEMENT_QUERIES = [
    "",
    "q=edge",
    "q=EDGE-01&sort=site.name&order=desc",
    "q=south",
    "q=onl",
    "q=8003",
    "q=7.5",
    "cf_hostname=x&flt_status=error",
    "cf_site.region.name=north&cf_port=8004",
    "flt_site.name=Site C&q=edge&sort=port",
    "flt_active=true&cf_price=12.5",
    "cf_installed=2024-02-02",
    "flt_port=8001&sort=price&order=desc",
]


@pytest.mark.parametrize("query", AGREEMENT_QUERIES)
def test_page_ids_stream_and_memory_agree(session, query):
    state = SPEC.parse(query + "&page_size=10")
    assert not state.warnings
    src = source(session)
    page = src.page(state)
    ids = src.ids(state)
    streamed = [row.id for row in src.stream(state, batch_size=7)]
    assert {r.id for r in page.rows} <= set(ids)
    assert ids == streamed
    assert len(ids) == page.total == src.count(state)
    assert [r.id for r in page.rows] == ids[:10]
    memory = ListSource(as_dicts(session), SPEC)
    assert set(memory.ids(state)) == set(ids)


@pytest.mark.parametrize("query", ["", "q=edge&sort=site.name&order=desc", "flt_active=true&sort=price", "sort=site.region.name"])
def test_deep_pages_read_the_same_rows(engine, session, monkeypatch, query):
    """Past DEEP_OFFSET, PostgreSQL skips over the ids first and then reads the page's
    rows by id (SQLite keeps its plain OFFSET): the same rows, in the same order, in one
    statement, with the related columns loaded."""
    monkeypatch.setattr(table_sql, "DEEP_OFFSET", 10)
    state = SPEC.parse(query + "&page_size=10&page=2")
    src = source(session, count="deferred")
    with Statements(engine) as stmts:
        page = src.page(state)
        labels = [row.site.region.name for row in page.rows if row.site]
    assert len(stmts.sql) == 1
    assert ("IN (SELECT" in stmts.sql[0]) == (engine.dialect.name == "postgresql")
    assert [row.id for row in page.rows] == src.ids(state)[10:20] and len(page.rows) == 10
    assert labels and page.has_next == (len(src.ids(state)) > 20)


def test_deep_pages_by_a_shared_id_keep_the_plain_offset(engine, session, monkeypatch):
    """An id_key that is not the primary key may be shared by rows: reading by it would
    bring more rows than the page, so such a table keeps OFFSET."""
    monkeypatch.setattr(table_sql, "DEEP_OFFSET", 10)
    spec = TableSpec([Column("port"), Column("hostname")], id_key="port", default_sort="hostname")
    src = SQLSource(session, select(Device), spec, count="deferred")
    with Statements(engine) as stmts:
        page = src.page(spec.parse("page_size=10&page=2"))
    assert "IN (SELECT" not in stmts.sql[0]
    assert [row.id for row in page.rows] == [row.id for row in source(session).stream(SPEC.parse("sort=hostname"))][10:20]


def test_agreement_queries_are_not_trivial(session):
    sizes = {len(source(session).ids(SPEC.parse(q))) for q in AGREEMENT_QUERIES}
    assert 120 in sizes and all(0 < n for n in sizes) and len(sizes) > 5


def test_like_wildcards_are_literal(session):
    assert [source(session).ids(SPEC.parse(f"cf_hostname={q}")) for q in ("web_1", "50%25", "k\\s")] == [
        [1],
        [3],
        [5],
    ]
    assert escape_like("a%b_c\\") == "a\\%b\\_c\\\\"


def test_nul_characters_in_searches_and_filters_are_dropped(session):
    state = SPEC.parse("q=web%00_1&cf_hostname=w%00eb&cf_site.name=%00&flt_site.name=Site%00 B")
    assert source(session).ids(state) == source(session).ids(SPEC.parse("q=web_1&cf_hostname=web&flt_site.name=Site B"))


def test_related_sort_orders_by_related_value(session):
    rows = source(session).stream(SPEC.parse("sort=site.region.name&order=desc"))
    regions = [r.site.region.name if r.site else None for r in rows]
    named = [r for r in regions if r is not None]
    assert named == sorted(named, reverse=True) and named[0] == "South"
    assert regions == named + [None] * (len(regions) - len(named)) and regions[-1] is None
    ascending = list(source(session).stream(SPEC.parse("sort=site.region.name")))
    assert ascending[0].site.region.name == "East" and ascending[-1].site is None


@pytest.mark.parametrize(
    "query",
    [
        "q=99999999999999999999",
        "q=3000000000",
        "cf_port=3000000000",
        "cf_port=abc",
        "cf_port=1.5",
        "cf_price=abc",
        "cf_installed=yesterday",
        "q=1e999",
        "q=NaN",
    ],
)
def test_out_of_range_or_wrong_type_text_matches_nothing(session, query):
    page = source(session).page(SPEC.parse(query))
    assert page.total == 0 and page.rows == [] and not page.has_next


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("flt_port=abc", "not a valid Port"),
        ("flt_port=99999999999", "not a valid Port"),
        ("flt_active=maybe", "not a valid Active"),
        ("cf_active=yes", "cannot be filtered by text"),
        ("sort=label", "Cannot sort"),
    ],
)
def test_unusable_values_are_ignored_with_a_message(session, query, message):
    page = source(session).page(SPEC.parse(query))
    assert page.total == 120
    assert any(message in w for w in page.state.warnings)
    assert source(session).ids(SPEC.parse(query)) == list(range(1, 121))


def test_enum_filter_and_bad_enum_value(session):
    online = source(session).page(SPEC.parse("flt_status=online"))
    assert online.total == 40 and {r.status for r in online.rows} == {Status.ONLINE}
    bad = source(session).page(SPEC.parse("flt_status=sideways"))
    assert bad.total == 120 and bad.state.warnings


def test_page_past_the_end_moves_to_last_page(session):
    page = source(session).page(SPEC.parse("page=99&page_size=50"))
    assert page.page == 3 and len(page.rows) == 20 and not page.has_next
    assert any("Page 99" in w for w in page.state.warnings)


def test_choices_from_distinct_values(session):
    src = source(session)
    assert [c.value for c in src.choices(SPEC.column("site.name"))] == [f"Site {c}" for c in "ABCDEF"]
    assert [c.value for c in src.choices(SPEC.column("status"))] == ["online", "offline", "error"]
    assert [c.value for c in src.choices(SPEC.column("port"))] == [str(p) for p in range(8000, 8010)]


def test_source_keeps_the_statements_own_filter(session):
    src = SQLSource(session, select(Device).where(Device.active.is_(True)), SPEC)
    page = src.page(SPEC.parse("q=edge"))
    assert page.total == len(src.ids(SPEC.parse("q=edge"))) and all(r.active for r in page.rows)
    assert page.total < source(session).count(SPEC.parse("q=edge"))


def test_rejects_a_statement_without_a_mapped_class(session):
    with pytest.raises(ValueError, match="mapped class"):
        SQLSource(session, select(text("1")), SPEC)


def test_stream_reads_in_batches_from_a_server_side_cursor(engine, session):
    src = source(session)
    rows = src.stream(SPEC.parse("q=edge"), batch_size=10)
    first = next(rows)
    if engine.dialect.name == "postgresql":
        assert session.scalar(text("SELECT count(*) FROM pg_cursors")) >= 1
    rest = list(rows)
    assert [first.id] + [r.id for r in rest] == src.ids(SPEC.parse("q=edge"))


def test_not_null_columns_sort_without_nulls_last(engine, session):
    with Statements(engine) as stmts:
        source(session).page(SPEC.parse("sort=id&order=desc"))
        source(session).page(SPEC.parse("sort=site.name&order=desc"))
    assert "NULLS LAST" not in stmts.sql[1].upper() and "DESC" in stmts.sql[1].upper()
    assert "NULLS LAST" in stmts.sql[3].upper()


def test_filter_key_and_relationship_paths(session):
    spec = TableSpec(
        columns=[
            Column("id"),
            Column("site_id", label="Site", filter_key="site.name", header_filter=True, searchable=False),
            Column("site", sortable=False, searchable=True),
        ]
    )
    src = SQLSource(session, select(Device), spec, eager=["site"])
    by_name = src.ids(spec.parse("cf_site_id=site b"))
    expected = source(session).ids(SPEC.parse("cf_site.name=site b"))
    assert by_name == expected and len(by_name) > 5
    assert set(src.ids(spec.parse("q=site b"))) == set(expected)
    assert any("Cannot sort" in w for w in src.page(spec.parse("sort=site")).state.warnings)

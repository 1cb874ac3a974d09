"""Dotted paths through foreign key COLUMNS (`site_id.name`, `serverid.hostname`), on a
real SQLite file and a real PostgreSQL: through the relationship owning the column, through
the mapped class of the referenced table when the model declares no relationship, through
a bare Table when no class maps it; a bare FK column searched means the related row's text.
ListSource follows the same paths on objects and dicts, and both sources agree."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Column as SAColumn
from sqlalchemy import ForeignKey, Integer, String, Table, event, insert, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship

from fasthx_ui import Column, ListSource, SQLSource, TableSpec

from ..databases import KINDS, database_engine


class Base(DeclarativeBase):
    pass


racks = Table(
    "racks",
    Base.metadata,
    SAColumn("id", Integer, primary_key=True),
    SAColumn("label", String(30)),
    SAColumn("room", String(30)),
)


class Site(Base):
    __tablename__ = "sites"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40))
    city: Mapped[str] = mapped_column(String(40))


class Server(Base):
    __tablename__ = "servers"
    id: Mapped[int] = mapped_column(primary_key=True)
    hostname: Mapped[str] = mapped_column(String(40))
    location: Mapped[str] = mapped_column(String(40))
    site_id: Mapped[int | None] = mapped_column(ForeignKey("sites.id"))
    site: Mapped[Site | None] = relationship()


class Offering(Base):
    """The reference's shape: foreign key columns and no relationship() at all."""

    __tablename__ = "offerings"
    id: Mapped[int] = mapped_column(primary_key=True)
    ipaddress: Mapped[str] = mapped_column(String(40))
    serverid: Mapped[int | None] = mapped_column(ForeignKey("servers.id"))
    rackid: Mapped[int | None] = mapped_column(ForeignKey("racks.id"))


HOSTS = ["alpha", "bravo", "charlie", "delta"]


def seed(session: Session) -> None:
    session.add_all([Site(id=1, name="North hall", city="Oslo"), Site(id=2, name="South hall", city="Lima")])
    session.add_all(
        Server(id=i, hostname=host, location=f"row {i}", site_id=None if i == 4 else 1 + i % 2)
        for i, host in enumerate(HOSTS, 1)
    )
    session.execute(insert(racks), [{"id": 1, "label": "R-north", "room": "blue"}, {"id": 2, "label": "R-south", "room": "green"}])
    session.add_all(
        Offering(id=i, ipaddress=f"10.0.0.{i}", serverid=None if i % 9 == 0 else 1 + i % 4, rackid=None if i % 5 == 0 else 1 + i % 2)
        for i in range(1, 31)
    )
    session.commit()


@pytest.fixture(scope="module", params=KINDS)
def engine(request, tmp_path_factory):
    with database_engine(request.param, tmp_path_factory.mktemp("fk_paths")) as engine:
        Base.metadata.create_all(engine)
        with Session(engine) as session:
            seed(session)
        yield engine


@pytest.fixture
def session(engine) -> Iterator[Session]:
    with Session(engine) as session:
        yield session


@pytest.fixture
def seen(engine) -> Iterator[list[str]]:
    """The SQL statements the engine runs during the test."""
    statements: list[str] = []

    def record(conn, cursor, statement, *args) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    yield statements
    event.remove(engine, "before_cursor_execute", record)


OFFERINGS = TableSpec(
    columns=[
        Column("id"),
        Column("serverid", filter_key="serverid.hostname", param="serverid.hostname", header_filter=True, searchable=False),
        Column("ipaddress", header_filter=True),
        Column("rackid", filter_key="rackid.label", param="rackid.label", header_filter=True, searchable=False),
        Column("serverid.location", display=False, filter=True, searchable=False),
    ],
    default_sort="id",
)


def offering_rows(session: Session) -> list[dict]:
    """The offerings as dicts carrying the rows their keys point to (`server`, `rack`)."""
    servers = {s.id: {"hostname": s.hostname, "location": s.location} for s in session.scalars(select(Server))}
    rack_rows = {r.id: {"label": r.label, "room": r.room} for r in session.execute(select(racks))}
    return [
        {"id": o.id, "ipaddress": o.ipaddress, "serverid": o.serverid, "server": servers.get(o.serverid),
         "rackid": o.rackid, "rack": rack_rows.get(o.rackid)}
        for o in session.scalars(select(Offering).order_by(Offering.id))
    ]


def expected_ids(session: Session, keep) -> list[int]:
    return [row["id"] for row in offering_rows(session) if keep(row)]


def test_fk_path_without_relationship_joins_the_mapped_class(seen, session):
    page = SQLSource(session, select(Offering), OFFERINGS).page(OFFERINGS.parse("cf_serverid.hostname=RAV"))
    assert "JOIN SERVERS" in seen[0].upper() and len(seen) == 2
    ids = [row.id for row in page.rows]
    assert ids == expected_ids(session, lambda r: r["server"] and "rav" in r["server"]["hostname"])
    assert len(ids) > 3 and page.state.warnings == ()


def test_fk_path_to_a_table_no_class_maps(session):
    source = SQLSource(session, select(Offering), OFFERINGS)
    ids = source.ids(OFFERINGS.parse("cf_rackid.label=south"))
    assert ids == expected_ids(session, lambda r: r["rack"] and r["rack"]["label"] == "R-south") and ids


def test_hidden_filter_column_through_an_fk_offers_distinct_values(session):
    source = SQLSource(session, select(Offering), OFFERINGS)
    column = OFFERINGS.param_column("serverid.location")
    assert [c.value for c in source.choices(column)] == ["row 1", "row 2", "row 3", "row 4"]
    page = source.page(OFFERINGS.parse("flt_serverid.location=row 2"))
    assert {row.serverid for row in page.rows} == {2} and page.total == len(page.rows) > 0


def test_one_join_per_fk_however_many_paths_use_it(seen, session):
    state = OFFERINGS.parse("cf_serverid.hostname=a&flt_serverid.location=row 1")
    SQLSource(session, select(Offering), OFFERINGS).page(state)
    assert all(sql.upper().count("JOIN SERVERS") == 1 for sql in seen)


def test_bare_fk_column_searches_the_related_rows_text(session):
    spec = TableSpec(columns=[Column("id"), Column("ipaddress", searchable=False), Column("serverid"), Column("rackid")])
    source = SQLSource(session, select(Offering), spec)
    by_host = source.ids(spec.parse("q=charl"))
    assert by_host == expected_ids(session, lambda r: r["server"] and r["server"]["hostname"] == "charlie") and by_host
    by_room = source.ids(spec.parse("q=GREEN"))
    assert by_room == expected_ids(session, lambda r: r["rack"] and r["rack"]["room"] == "green") and by_room
    assert set(ListSource(offering_rows(session), spec).ids(spec.parse("q=charl"))) == set(by_host)


DEVICES = TableSpec(
    columns=[
        Column("id"),
        Column("hostname", header_filter=True),
        Column("site_id", label="Site", filter_key="site_id.name", param="site_id.name", header_filter=True),
        Column("site_id.city", label="City", sortable=True, searchable=False),
        Column("site.name", display=False, filter=True, searchable=False),
    ],
    default_sort="id",
)


def test_fk_path_with_a_relationship_uses_it_and_loads_displayed_values(seen, session):
    state = DEVICES.parse("cf_site_id.name=north&flt_site.name=North hall&sort=site_id.city")
    page = SQLSource(session, select(Server), DEVICES).page(state)
    assert [row.id for row in page.rows] == [2]
    assert [DEVICES.column("site_id.city").render(row) for row in page.rows] == ["Oslo"]
    assert len(seen) == 2 and seen[1].upper().count("JOIN SITES") == 1


def test_bare_fk_column_with_a_relationship_is_searched_through_it(session):
    ids = SQLSource(session, select(Server), DEVICES).ids(DEVICES.parse("q=south"))
    assert ids == [1, 3]


@pytest.mark.parametrize(
    "query",
    ["cf_site_id.name=hall", "cf_site_id.name=south&q=a", "q=lima", "flt_site.name=South hall", "sort=site_id.city&order=desc"],
)
def test_list_source_follows_the_same_paths_on_mapped_objects(session, query):
    sql = SQLSource(session, select(Server), DEVICES)
    objects = list(session.scalars(select(Server).order_by(Server.id)))
    state = DEVICES.parse(query)
    assert ListSource(objects, DEVICES).ids(state) == sql.ids(state)


def test_list_source_follows_fk_paths_on_dicts(session):
    rows = offering_rows(session)
    state = OFFERINGS.parse("cf_serverid.hostname=rav&cf_rackid.label=north")
    assert ListSource(rows, OFFERINGS).ids(state) == SQLSource(session, select(Offering), OFFERINGS).ids(state)
    assert OFFERINGS.column("serverid").render(rows[0]) == str(rows[0]["serverid"])

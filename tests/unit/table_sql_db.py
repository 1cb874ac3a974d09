"""The SQL tables SQLSource's tests read: devices with sites, regions and notes, seeded
on a real SQLite file and a real PostgreSQL (own schema per run), the table spec over them
and a recorder of the statements a test runs (`engine` and `session` are fixtures: import
them into a test module to use them)."""

from __future__ import annotations

import enum
from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import Boolean, Enum, ForeignKey, Numeric, String, event, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship

from fasthx_ui import Column, SQLSource, TableSpec

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
    """120 devices over 6 sites in 3 regions (some without a site, some with LIKE wildcards
    in their hostname), every third with two notes."""
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
    """A seeded database of each kind, once per test module (its tests only read)."""
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
    """A session of this test's own on the module's database."""
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
    """SQLSource over every device with SPEC (`kw`: its count and loading options)."""
    return SQLSource(session, select(Device), SPEC, **kw)

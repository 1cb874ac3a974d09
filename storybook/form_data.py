"""Data for the form stories: customers, sites, regions, orchestrators, 10,000 servers and
the devices the forms save, in an SQLite file of this process (created on first use)."""

from __future__ import annotations

import enum
import tempfile
from collections.abc import Iterator
from datetime import date, datetime
from functools import cache
from pathlib import Path

from sqlalchemy import Boolean, Date, DateTime, Enum, Float, ForeignKey, Integer, String, Text, create_engine, func, insert, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

SERVERS = 10_000
CUSTOMERS = ["Acme", "Globex", "Initech", "Umbrella"]


class Status(str, enum.Enum):
    ONLINE = "online"
    OFFLINE = "offline"
    DEPLOYING = "deploying"


class Base(DeclarativeBase):
    pass


class Customer(Base):
    __tablename__ = "customers"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40))


class Site(Base):
    __tablename__ = "sites"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40))
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))


class Region(Base):
    __tablename__ = "regions"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40))
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))


class Orchestrator(Base):
    __tablename__ = "orchestrators"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40))
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))


class Server(Base):
    __tablename__ = "servers"
    id: Mapped[int] = mapped_column(primary_key=True)
    hostname: Mapped[str] = mapped_column(String(40), index=True)
    rack: Mapped[str] = mapped_column(String(10))

    def __repr__(self) -> str:
        return self.hostname


class Device(Base):
    """What the validation round-trip form saves: one column per field type."""

    __tablename__ = "devices"
    id: Mapped[int] = mapped_column(primary_key=True)
    hostname: Mapped[str] = mapped_column(String(20))
    port: Mapped[int] = mapped_column(Integer)
    weight: Mapped[float | None] = mapped_column(Float)
    email: Mapped[str | None] = mapped_column(String(80))
    notes: Mapped[str | None] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=False)
    firmware: Mapped[str | None] = mapped_column(String(10))
    status: Mapped[Status] = mapped_column(Enum(Status))
    installed: Mapped[date | None] = mapped_column(Date)
    seen_at: Mapped[datetime | None] = mapped_column(DateTime)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    server_id: Mapped[int | None] = mapped_column(ForeignKey("servers.id"))
    config_name: Mapped[str | None] = mapped_column(String(200))


@cache
def engine() -> Engine:
    """The process's database, filled on first use."""
    path = Path(tempfile.mkdtemp(prefix="fasthx-forms-")) / "forms.db"
    db = create_engine(f"sqlite:///{path}", connect_args={"check_same_thread": False})
    Base.metadata.create_all(db)
    with Session(db) as session:
        session.execute(insert(Customer), [{"id": i, "name": name} for i, name in enumerate(CUSTOMERS, 1)])
        session.execute(insert(Site), [{"id": i, "name": f"{CUSTOMERS[(i - 1) % 4]} site {i}", "customer_id": (i - 1) % 4 + 1}
                                       for i in range(1, 13)])
        session.execute(insert(Region), [{"id": i, "name": f"{CUSTOMERS[(i - 1) % 4]} region {i}", "customer_id": (i - 1) % 4 + 1}
                                         for i in range(1, 9)])
        session.execute(insert(Orchestrator), [{"id": i, "name": f"{CUSTOMERS[(i - 1) % 4]} orchestrator {i}",
                                                "customer_id": (i - 1) % 4 + 1} for i in range(1, 9)])
        session.execute(insert(Server), [{"id": i, "hostname": f"server-{i:05d}", "rack": f"R{i % 40:02d}"}
                                         for i in range(1, SERVERS + 1)])
        session.commit()
    return db


def get_session() -> Iterator[Session]:
    """FastAPI dependency: a session on the process's database."""
    with Session(engine()) as session:
        yield session


def device_count(session: Session) -> int:
    """How many devices the forms have saved."""
    return session.scalar(select(func.count()).select_from(Device)) or 0

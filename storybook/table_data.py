"""Data for the SQLAlchemy table stories: sites and devices in an SQLite file of this
process (created on first use), with a foreign key from device to site."""

from __future__ import annotations

import enum
import random
import tempfile
from collections.abc import Iterator
from functools import cache
from pathlib import Path

from sqlalchemy import Enum, ForeignKey, String, create_engine
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship

DEVICES = 2_000


class DeviceStatus(str, enum.Enum):
    ONLINE = "online"
    OFFLINE = "offline"
    DEPLOYING = "deploying"
    ERROR = "error"


class Base(DeclarativeBase):
    pass


class Site(Base):
    __tablename__ = "sites"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60))
    region: Mapped[str] = mapped_column(String(30))


class Device(Base):
    __tablename__ = "devices"
    id: Mapped[int] = mapped_column(primary_key=True)
    hostname: Mapped[str] = mapped_column(String(80), index=True)
    ip_address: Mapped[str] = mapped_column(String(40))
    status: Mapped[DeviceStatus] = mapped_column(Enum(DeviceStatus), default=DeviceStatus.OFFLINE)
    polls: Mapped[int] = mapped_column(default=0)
    site_id: Mapped[int | None] = mapped_column(ForeignKey("sites.id"))
    site: Mapped[Site | None] = relationship()


SITES = [("Oslo HQ", "Europe"), ("Lagos Edge", "Africa"), ("Lima POP", "Americas"), ("Kyoto Lab", "Asia"), ("Perth DC", "Oceania")]


def seed(session: Session) -> None:
    """Put the sites and devices back to their first state (the same on every run)."""
    session.query(Device).delete()
    session.query(Site).delete()
    session.add_all(Site(id=i, name=name, region=region) for i, (name, region) in enumerate(SITES, 1))
    rng = random.Random(11)
    statuses = [DeviceStatus.ONLINE, DeviceStatus.ONLINE, DeviceStatus.OFFLINE, DeviceStatus.ERROR]
    for i in range(1, DEVICES + 1):
        session.add(
            Device(
                id=i,
                hostname=f"{rng.choice(['edge', 'core', 'gw', 'fw'])}-{i:04d}",
                ip_address=f"10.{i // 256 % 256}.{i % 256}.{rng.randint(1, 254)}",
                status=rng.choice(statuses),
                site_id=None if i % 17 == 0 else rng.randint(1, len(SITES)),
            )
        )
    session.commit()


@cache
def engine() -> Engine:
    """The process's SQLite file, created and seeded on first use."""
    path = Path(tempfile.mkdtemp(prefix="fhx-table-story-")) / "devices.db"
    db = create_engine(f"sqlite:///{path}")
    Base.metadata.create_all(db)
    with Session(db) as session:
        seed(session)
    return db


def get_session() -> Iterator[Session]:
    """FastAPI dependency: one session per request."""
    with Session(engine()) as session:
        yield session

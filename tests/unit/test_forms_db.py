"""Specs derived from a model keep bad input away from the database: the largest values a
column holds are accepted and stored, one step beyond is a field error, on SQLite and on
the real PostgreSQL (own schema per run)."""

import enum
import uuid
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from fasthx_ui.form_model import fields_from_model
from fasthx_ui.forms import parse_form

from ..databases import KINDS, database_engine



class Kind(enum.Enum):
    ROUTER = "router"
    SWITCH = "switch"


class Base(DeclarativeBase):
    pass


class Rack(Base):
    __tablename__ = "forms_db_rack"
    id: Mapped[int] = mapped_column(primary_key=True)


class Box(Base):
    __tablename__ = "forms_db_box"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(10))
    small: Mapped[int] = mapped_column(sa.SmallInteger)
    count: Mapped[int] = mapped_column(sa.Integer)
    big: Mapped[int] = mapped_column(sa.BigInteger)
    price: Mapped[Decimal] = mapped_column(sa.Numeric(6, 2))
    kind: Mapped[Kind] = mapped_column(sa.Enum(Kind))
    active: Mapped[bool] = mapped_column(sa.Boolean)
    installed: Mapped[date] = mapped_column(sa.Date)
    seen_at: Mapped[datetime] = mapped_column(sa.DateTime)
    token: Mapped[uuid.UUID] = mapped_column(sa.Uuid)
    rack_id: Mapped[int] = mapped_column(sa.ForeignKey("forms_db_rack.id"))


LARGEST = {
    "name": "x" * 10, "small": str(2**15 - 1), "count": str(2**31 - 1), "big": str(2**63 - 1), "price": "9999.99",
    "kind": "SWITCH", "active": "on", "installed": "9999-12-31", "seen_at": "9999-12-31T23:59",
    "token": "12345678-1234-5678-1234-567812345678", "rack_id": "1",
}
SMALLEST = {**LARGEST, "small": str(-(2**15)), "count": str(-(2**31)), "big": str(-(2**63)), "price": "-9999.99",
            "installed": "1000-01-01", "active": ""}
BEYOND = {
    "name": ("x" * 11, "Use at most 10 characters (this has 11)."),
    "small": (str(2**15), "Enter a number no larger than 32767."),
    "count": (str(-(2**31) - 1), "Enter a number no smaller than -2147483648."),
    "big": (str(2**63), "Enter a number no larger than 9223372036854775807."),
    "price": ("10000", "Enter a number no larger than 9999.99."),
    "kind": ("HUB", "“HUB” is not one of: ROUTER, SWITCH."),
    "installed": ("10000-01-01", "Enter a date like 2024-05-31."),
    "token": ("not-a-uuid", "Enter a valid value."),
    "rack_id": (str(2**31), "Select one of the offered options."),
}


@pytest.fixture(scope="module", params=KINDS)
def engine(request, tmp_path_factory) -> Iterator[sa.Engine]:
    with database_engine(request.param, tmp_path_factory.mktemp("forms")) as engine:
        Base.metadata.create_all(engine)
        yield engine


@pytest.fixture
def session(engine) -> Iterator[Session]:
    with Session(engine) as session:
        if session.get(Rack, 1) is None:
            session.add(Rack(id=1))
            session.commit()
        yield session


def rack_exists(session: Session):
    return lambda value: None if session.get(Rack, value) else "There is no such rack."


@pytest.mark.parametrize("data", [LARGEST, SMALLEST], ids=["largest", "smallest"])
def test_extreme_valid_values_are_stored(session, data):
    parsed = parse_form(fields_from_model(Box), data, validators={"rack_id": rack_exists(session)})
    assert parsed.errors == {}
    box = Box(**parsed.values)
    session.add(box)
    session.commit()
    stored = session.get(Box, box.id)
    assert (stored.name, stored.big, stored.price) == (parsed.values["name"], int(data["big"]), Decimal(data["price"]))
    assert stored.active is (data["active"] == "on")


@pytest.mark.parametrize("name", list(BEYOND))
def test_one_step_beyond_is_a_field_error_and_nothing_is_written(session, name):
    bad, message = BEYOND[name]
    before = session.scalar(sa.select(sa.func.count()).select_from(Box))
    parsed = parse_form(fields_from_model(Box), {**LARGEST, name: bad}, validators={"rack_id": rack_exists(session)})
    assert parsed.errors == {name: message}
    assert session.scalar(sa.select(sa.func.count()).select_from(Box)) == before


def test_missing_foreign_key_is_found_by_the_hook(session):
    parsed = parse_form(fields_from_model(Box), {**LARGEST, "rack_id": "2"}, validators={"rack_id": rack_exists(session)})
    assert parsed.errors == {"rack_id": "There is no such rack."}

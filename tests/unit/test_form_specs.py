"""Where a form's field specs come from: a SQLAlchemy model's columns (`fields_from_model`) and
a view's widget overrides (`with_overrides`), and the attributes a spec puts on its input."""

import enum
import uuid
from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from fasthx_ui.form_fields import FieldSpec, with_overrides
from fasthx_ui.form_model import fields_from_model
from fasthx_ui.forms import parse_form


class DeviceStatus(enum.Enum):
    online = "online"
    offline = "offline"
    deploying = "deploying"


class Base(DeclarativeBase):
    pass


class Site(Base):
    __tablename__ = "forms_site"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(40))


class Device(Base):
    __tablename__ = "forms_device"
    id: Mapped[int] = mapped_column(primary_key=True)
    hostname: Mapped[str] = mapped_column(sa.String(50), doc="Short DNS name")
    notes: Mapped[str | None] = mapped_column(sa.Text)
    port: Mapped[int] = mapped_column(sa.SmallInteger, default=22)
    weight: Mapped[float | None] = mapped_column(sa.Float)
    price: Mapped[Decimal | None] = mapped_column(sa.Numeric(10, 2))
    active: Mapped[bool] = mapped_column(sa.Boolean)
    status: Mapped[DeviceStatus] = mapped_column(sa.Enum(DeviceStatus))
    kind: Mapped[str | None] = mapped_column(sa.Enum("router", "switch", name="device_kind"))
    installed: Mapped[date | None] = mapped_column(sa.Date)
    seen_at: Mapped[datetime | None] = mapped_column(sa.DateTime)
    token: Mapped[uuid.UUID | None] = mapped_column(sa.Uuid)
    site_id: Mapped[int] = mapped_column(sa.ForeignKey("forms_site.id"))
    blob: Mapped[bytes | None] = mapped_column(sa.LargeBinary)


def test_fields_from_model():
    specs = {spec.name: spec for spec in fields_from_model(Device)}
    assert list(specs) == ["hostname", "notes", "port", "weight", "price", "active", "status", "kind",
                           "installed", "seen_at", "token", "site_id"]
    assert (specs["hostname"].type, specs["hostname"].max_length, specs["hostname"].required) == ("text", 50, True)
    assert specs["hostname"].description == "Short DNS name"
    assert (specs["notes"].type, specs["notes"].required) == ("textarea", False)
    assert (specs["port"].type, specs["port"].required, specs["port"].max_value) == ("number", False, 32767)
    assert specs["weight"].number_type is float
    assert specs["price"].number_type is Decimal
    assert specs["price"].max_value == Decimal("99999999.99") and specs["price"].min_value == Decimal("-99999999.99")
    assert specs["active"].type == "checkbox"
    assert specs["status"].enum is DeviceStatus and specs["status"].required
    assert specs["kind"].options == [("router", "router"), ("switch", "switch")]
    assert specs["installed"].type == "date"
    assert specs["seen_at"].type == "datetime-local"
    site = specs["site_id"]
    assert (site.type, site.label, site.foreign_key, site.choices) == ("select", "Site", "forms_site.id", None)


def test_model_fields_refuse_out_of_range_numbers():
    specs = {spec.name: spec for spec in fields_from_model(Device, include=["port", "site_id", "token"])}
    result = parse_form(specs.values(), {"port": "70000", "site_id": str(2**31), "token": "zz"})
    assert result.errors == {"port": "Enter a number no larger than 32767.",
                             "site_id": "Select one of the offered options.", "token": "Enter a valid value."}
    ok = parse_form(specs.values(), {"port": "8080", "site_id": "7", "token": ""})
    assert ok.values == {"port": 8080, "site_id": 7, "token": None}


class Code(Base):
    __tablename__ = "forms_code"
    code: Mapped[str] = mapped_column(sa.String(20), primary_key=True)
    number: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    label: Mapped[str] = mapped_column(sa.String(40))


def test_a_primary_key_that_does_not_increment_is_a_field():
    specs = {spec.name: spec for spec in fields_from_model(Code)}
    assert list(specs) == ["code", "number", "label"]
    assert (specs["code"].type, specs["code"].required, specs["code"].max_length) == ("text", True, 20)
    assert [spec.name for spec in fields_from_model(Site)] == ["name"]


def test_fields_from_model_include_and_exclude():
    names = [spec.name for spec in fields_from_model(Device, include=["site_id", "id", "hostname"], exclude=["id"])]
    assert names == ["site_id", "hostname"]


def test_widget_overrides_merge_into_the_spec():
    spec = FieldSpec("firmware_version", max_length=10)
    changed = with_overrides(spec, {"type": "select", "choices": [("6.4", "Version 6.4")], "label": "Firmware",
                                    "required": True, "hx_get": "/api/options", "rows": 5, "data-x": "1",
                                    "autofocus": True, "name": "ignored"})
    assert (changed.name, changed.type, changed.label, changed.required, changed.rows) == (
        "firmware_version", "select", "Firmware", True, 5)
    assert changed.options == [("6.4", "Version 6.4")] and changed.hx_get == "/api/options"
    assert changed.attrs == {"data-x": "1", "autofocus": True}
    assert spec.type == "text" and spec.attrs == {}
    assert parse_form([changed], {"firmware_version": "9"}).errors == {"firmware_version": "Select one of the offered options."}


def test_input_attrs_skip_bad_names_and_false_values():
    spec = FieldSpec("x", attrs={"step": "0.01", "autofocus": True, "hidden": False, "bad name": "1",
                                 '"><script>': "1", "data-y": None})
    assert spec.input_attrs == [("step", "0.01"), ("autofocus", True)]

"""Typed form parsing: every field type, its error messages, raw values (the specs a model or
widget overrides give: test_form_specs.py)."""

import enum
import asyncio
import io
import random
import uuid
from datetime import date, datetime, time
from decimal import Decimal

import httpx
import pytest
from fastapi import FastAPI, Request
from starlette.datastructures import FormData, Headers, UploadFile

from fasthx_ui.form_fields import FieldSpec
from fasthx_ui.forms import ParsedForm, parse_form


class Status(enum.Enum):
    online = "online"
    offline = "offline"
    deploying = "deploying"


class Level(enum.IntEnum):
    LOW = 1
    HIGH = 2


def parse_one(spec: FieldSpec, value=None) -> ParsedForm:
    data = {} if value is None else {spec.name: value}
    return parse_form([spec], data)


# --- text, email, textarea ---------------------------------------------------------------


def test_text_is_trimmed_and_kept_raw():
    result = parse_one(FieldSpec("hostname"), "  edge-001 ")
    assert result.values == {"hostname": "edge-001"}
    assert result.raw == {"hostname": "  edge-001 "}
    assert result.ok


def test_textarea_keeps_whitespace():
    result = parse_one(FieldSpec("notes", "textarea"), "  line one\nline two\n")
    assert result.values["notes"] == "  line one\nline two\n"


def test_required_text_left_empty():
    result = parse_one(FieldSpec("hostname", required=True), "   ")
    assert result.errors == {"hostname": "This field is required."}
    assert "hostname" not in result.values
    assert result.raw["hostname"] == "   "


def test_required_field_absent_from_data():
    result = parse_form([FieldSpec("hostname", required=True)], {})
    assert result.errors["hostname"] == "This field is required."


def test_optional_empty_is_none():
    result = parse_form([FieldSpec("a"), FieldSpec("b", "number"), FieldSpec("c", "date")], {"a": "", "b": " "})
    assert result.values == {"a": None, "b": None, "c": None}


def test_max_length():
    result = parse_one(FieldSpec("code", max_length=5), "abcdefg")
    assert result.errors["code"] == "Use at most 5 characters (this has 7)."
    assert parse_one(FieldSpec("code", max_length=5), "abcde").values["code"] == "abcde"


def test_max_length_applies_to_textarea():
    assert "at most 3" in parse_one(FieldSpec("n", "textarea", max_length=3), "abcd").errors["n"]


def test_nul_character_is_refused():
    result = parse_one(FieldSpec("name"), "bad\x00name")
    assert result.errors["name"] == "Contains a character that is not allowed."


@pytest.mark.parametrize("good", ["a@b.co", "first.last+tag@example.org", " ops@corp.example.com "])
def test_email_accepted(good):
    assert parse_one(FieldSpec("email", "email"), good).values["email"] == good.strip()


@pytest.mark.parametrize("bad", ["plain", "a@b", "@b.com", "a b@c.com", "a@b..com", "a@@b.com"])
def test_email_refused(bad):
    result = parse_one(FieldSpec("email", "email"), bad)
    assert result.errors["email"].startswith("Enter a valid email address")


def test_text_coerce_to_uuid():
    value = uuid.uuid4()
    spec = FieldSpec("token", coerce=uuid.UUID)
    assert parse_one(spec, str(value)).values["token"] == value
    assert parse_one(spec, "not-a-uuid").errors["token"] == "Enter a valid value."


# --- numbers -----------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "expected"), [("42", 42), (" -7 ", -7), ("+3", 3), ("0", 0)])
def test_integer(text, expected):
    value = parse_one(FieldSpec("n", "number"), text).values["n"]
    assert value == expected and type(value) is int


@pytest.mark.parametrize(
    ("text", "message"),
    [("abc", "Enter a number."), ("4.5", "Enter a whole number."), ("1e3", "Enter a number."),
     ("12abc", "Enter a number."), ("1" * 60, "This number is too large."), ("٣", "Enter a number.")],
)
def test_integer_refused(text, message):
    assert parse_one(FieldSpec("n", "number"), text).errors["n"] == message


def test_integer_range():
    spec = FieldSpec("n", "number", min_value=1, max_value=10)
    assert parse_one(spec, "0").errors["n"] == "Enter a number no smaller than 1."
    assert parse_one(spec, "11").errors["n"] == "Enter a number no larger than 10."
    assert parse_one(spec, "10").values["n"] == 10


@pytest.mark.parametrize(("text", "expected"), [("3.25", 3.25), ("-1e2", -100.0), ("7", 7.0)])
def test_float(text, expected):
    value = parse_one(FieldSpec("x", "number", number_type=float), text).values["x"]
    assert value == expected and type(value) is float


@pytest.mark.parametrize("text", ["nan", "inf", "-Infinity", "1e999"])
def test_float_must_be_finite(text):
    assert parse_one(FieldSpec("x", "number", number_type=float), text).errors["x"] == "Enter a finite number."


def test_float_not_a_number():
    assert parse_one(FieldSpec("x", "number", number_type=float), "1,5").errors["x"] == "Enter a number."


def test_decimal():
    spec = FieldSpec("price", "number", number_type=Decimal)
    assert parse_one(spec, "19.99").values["price"] == Decimal("19.99")
    assert parse_one(spec, "cheap").errors["price"] == "Enter a number."
    assert parse_one(spec, "NaN").errors["price"] == "Enter a finite number."


def test_number_step():
    assert FieldSpec("n", "number").step == "1"
    assert FieldSpec("x", "number", number_type=float).step == "any"


# --- checkbox ------------------------------------------------------------------------------


def test_checkbox_absent_is_false():
    result = parse_form([FieldSpec("active", "checkbox", required=True)], {})
    assert result.values == {"active": False}
    assert result.ok
    assert result.raw["active"] == ""


@pytest.mark.parametrize("text", ["on", "true", "1", "YES"])
def test_checkbox_on(text):
    result = parse_one(FieldSpec("active", "checkbox"), text)
    assert result.values["active"] is True
    assert result.raw["active"] == "on"


def test_checkbox_hidden_fallback_then_checked():
    data = FormData([("active", "false"), ("active", "on")])
    assert parse_form([FieldSpec("active", "checkbox")], data).values["active"] is True


# --- select, enum, foreign key, ajax select ---------------------------------------------------


def test_select_returns_the_choice_value():
    spec = FieldSpec("version", "select", choices=[(64, "Version 6.4"), (72, "Version 7.2")])
    assert parse_one(spec, "72").values["version"] == 72
    assert spec.options == [("64", "Version 6.4"), ("72", "Version 7.2")]


def test_select_plain_choices():
    spec = FieldSpec("color", "select", choices=["red", "green"])
    assert spec.options == [("red", "red"), ("green", "green")]
    assert parse_one(spec, "green").values["color"] == "green"


def test_select_choice_not_offered():
    spec = FieldSpec("version", "select", choices=[("6.4", "6.4")])
    assert parse_one(spec, "9.9").errors["version"] == "Select one of the offered options."


def test_enum_select():
    spec = FieldSpec("status", enum=Status)
    assert spec.type == "select"
    assert spec.options == [("online", "online"), ("offline", "offline"), ("deploying", "deploying")]
    assert parse_one(spec, "offline").values["status"] is Status.offline


def test_enum_by_value_and_int_enum():
    spec = FieldSpec("level", enum=Level)
    assert spec.options == [("LOW", "Low"), ("HIGH", "High")]
    assert parse_one(spec, "HIGH").values["level"] is Level.HIGH
    assert parse_one(spec, "2").values["level"] is Level.HIGH


def test_enum_value_not_in_enum():
    result = parse_one(FieldSpec("status", enum=Status, required=True), "exploded")
    assert result.errors["status"] == "“exploded” is not one of: online, offline, deploying."


def test_foreign_key_with_validator_hook():
    existing = {1, 2, 3}
    spec = FieldSpec("site_id", "select", coerce=int, required=True)
    check = {"site_id": lambda v: None if v in existing else "No such site."}
    assert parse_form([spec], {"site_id": "2"}, validators=check).values["site_id"] == 2
    assert parse_form([spec], {"site_id": "9"}, validators=check).errors["site_id"] == "No such site."
    assert parse_form([spec], {"site_id": "x"}, validators=check).errors["site_id"] == "Select one of the offered options."
    assert parse_form([spec], {"site_id": ""}, validators=check).errors["site_id"] == "This field is required."


def test_field_validate_runs_before_call_validators():
    calls = []
    spec = FieldSpec("n", "number", validate=lambda v: calls.append("field") or ("odd" if v % 2 else None))
    result = parse_form([spec], {"n": "3"}, validators={"n": lambda v: calls.append("call")})
    assert result.errors == {"n": "odd"}
    assert calls == ["field"]


def test_validators_skip_empty_optional_values():
    result = parse_form([FieldSpec("site_id", "select", coerce=int)], {"site_id": ""},
                        validators={"site_id": lambda v: "never called"})
    assert result.values == {"site_id": None}


def test_ajax_select_accepts_any_coercible_value():
    spec = FieldSpec("server_id", "ajax_select", coerce=int, ajax_url="/servers/ajax")
    assert parse_one(spec, "1234").values["server_id"] == 1234
    assert parse_one(spec, "abc").errors["server_id"] == "Select one of the offered options."


# --- dates and times ---------------------------------------------------------------------------


def test_date():
    assert parse_one(FieldSpec("d", "date"), "2024-02-29").values["d"] == date(2024, 2, 29)
    assert parse_one(FieldSpec("d", "date"), "2023-02-29").errors["d"] == "Enter a date like 2024-05-31."
    assert parse_one(FieldSpec("d", "date"), "yesterday").errors["d"] == "Enter a date like 2024-05-31."


def test_datetime_local():
    spec = FieldSpec("at", "datetime-local")
    assert parse_one(spec, "2024-05-01T13:45").values["at"] == datetime(2024, 5, 1, 13, 45)
    assert parse_one(spec, "2024-05-01T25:00").errors["at"] == "Enter a date and time like 2024-05-31T14:30."


def test_time():
    assert parse_one(FieldSpec("t", "time"), "08:30").values["t"] == time(8, 30)
    assert parse_one(FieldSpec("t", "time"), "8h30").errors["t"] == "Enter a time like 14:30."


def test_display_round_trips_through_parse():
    cases = [
        (FieldSpec("d", "date"), date(2024, 1, 2)),
        (FieldSpec("at", "datetime-local"), datetime(2024, 1, 2, 3, 4)),
        (FieldSpec("at", "datetime-local"), datetime(2024, 1, 2, 3, 4, 5)),
        (FieldSpec("t", "time"), time(9, 15)),
        (FieldSpec("s", enum=Status), Status.deploying),
        (FieldSpec("n", "number"), 17),
        (FieldSpec("x", "number", number_type=float), 2.5),
        (FieldSpec("c", "checkbox"), True),
        (FieldSpec("c", "checkbox"), False),
    ]
    for spec, value in cases:
        assert parse_one(spec, spec.display(value)).values[spec.name] == value
    assert FieldSpec("x").display(None) == ""


# --- files ------------------------------------------------------------------------------------


def upload(name: str, content: bytes) -> UploadFile:
    return UploadFile(io.BytesIO(content), size=len(content), filename=name,
                      headers=Headers({"content-type": "text/plain"}))


def test_file_upload():
    spec = FieldSpec("config", "file", max_size=10)
    result = parse_form([spec], FormData([("config", upload("a.txt", b"hello"))]))
    assert result.values["config"].filename == "a.txt"
    assert result.raw["config"] == ""
    too_big = parse_form([spec], FormData([("config", upload("b.txt", b"x" * 11))]))
    assert too_big.errors["config"] == "The file is too large (at most 10 bytes)."


def test_file_required_and_not_multipart():
    spec = FieldSpec("config", "file", required=True)
    assert parse_form([spec], FormData([("config", upload("", b""))])).errors["config"] == "This field is required."
    assert parse_form([spec], {"config": "a.txt"}).errors["config"] == "This field is required."
    assert parse_form([FieldSpec("config", "file")], {}).values == {"config": None}


def test_text_field_given_a_file():
    result = parse_form([FieldSpec("name")], FormData([("name", upload("x.txt", b"x"))]))
    assert result.errors["name"] == "Expected text, not a file."


# --- depends_on, labels, several fields ---------------------------------------------------------


def test_depends_on_unchecked_skips_dependent_fields():
    fields = [
        FieldSpec("is_ha", "checkbox"),
        FieldSpec("ha_mode", "select", choices=["active-standby", "active-active"], required=True, depends_on="is_ha"),
    ]
    off = parse_form(fields, {"ha_mode": "bogus"})
    assert off.ok and off.values == {"is_ha": False}
    assert off.raw["ha_mode"] == "bogus"
    on = parse_form(fields, {"is_ha": "on", "ha_mode": ""})
    assert on.errors == {"ha_mode": "This field is required."}
    on_ok = parse_form(fields, {"is_ha": "on", "ha_mode": "active-active"})
    assert on_ok.values == {"is_ha": True, "ha_mode": "active-active"}


def test_labels():
    assert FieldSpec("created_at").label == "Created at"
    assert FieldSpec("x", label="S/N").label == "S/N"


def test_every_error_reported_and_every_raw_kept():
    fields = [
        FieldSpec("name", required=True, max_length=3),
        FieldSpec("age", "number"),
        FieldSpec("born", "date"),
        FieldSpec("status", enum=Status),
        FieldSpec("ok", "checkbox"),
    ]
    data = {"name": "toolong", "age": "old", "born": "soon", "status": "gone", "ok": "on"}
    result = parse_form(fields, data)
    assert set(result.errors) == {"name", "age", "born", "status"}
    assert result.values == {"ok": True}
    assert result.raw == {"name": "toolong", "age": "old", "born": "soon", "status": "gone", "ok": "on"}
    assert not result.ok


def test_never_raises_on_garbage():
    fields = [
        FieldSpec("t", max_length=10, required=True), FieldSpec("e", "email"), FieldSpec("a", "textarea"),
        FieldSpec("i", "number"), FieldSpec("f", "number", number_type=float),
        FieldSpec("m", "number", number_type=Decimal), FieldSpec("c", "checkbox"),
        FieldSpec("s", "select", choices=[1, 2]), FieldSpec("en", enum=Status), FieldSpec("d", "date"),
        FieldSpec("dt", "datetime-local"), FieldSpec("tm", "time"), FieldSpec("fk", "select", coerce=int),
        FieldSpec("aj", "ajax_select", coerce=uuid.UUID), FieldSpec("fl", "file"),
    ]
    rng = random.Random(4)
    alphabet = "0123456789.-+eE:T/ aé\x00\n%_<>\"'٣∞"
    for _ in range(400):
        data = FormData([(spec.name, "".join(rng.choice(alphabet) for _ in range(rng.randrange(30))))
                         for spec in fields if rng.random() < 0.9])
        result = parse_form(fields, data)
        assert set(result.values) | set(result.errors) == {spec.name for spec in fields}
        assert not set(result.values) & set(result.errors)


def test_parses_real_form_posts():
    fields = [FieldSpec("name", required=True), FieldSpec("age", "number"), FieldSpec("ok", "checkbox"),
              FieldSpec("doc", "file")]
    app = FastAPI()

    @app.post("/submit")
    async def submit(request: Request):
        result = parse_form(fields, await request.form())
        doc = result.values.get("doc")
        return {"values": {k: v for k, v in result.values.items() if k != "doc"},
                "doc": doc.filename if doc else None, "errors": result.errors, "raw": result.raw}

    async def post_both():
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://test") as client:
            good = await client.post("/submit", data={"name": "Ann", "age": "31", "ok": "on"},
                                     files={"doc": ("notes.txt", b"hi", "text/plain")})
            bad = await client.post("/submit", data={"name": "", "age": "x"})
            return good.json(), bad.json()

    good, bad = asyncio.run(post_both())
    assert good == {"values": {"name": "Ann", "age": 31, "ok": True}, "doc": "notes.txt", "errors": {},
                    "raw": {"name": "Ann", "age": "31", "ok": "on", "doc": ""}}
    assert bad["errors"] == {"name": "This field is required.", "age": "Enter a number."}
    assert bad["raw"]["age"] == "x"

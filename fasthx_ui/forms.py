"""Form fields: what a field is (`FieldSpec`) and how submitted data becomes typed values.

`parse_form` turns a submitted form into Python values, one clear message per bad field,
and keeps the raw strings so a re-rendered form shows exactly what the user typed. It never
raises for user input. `form_response` answers a post with the Form component (422 and the
errors when the input was bad). `fields_from_model` derives specs from a SQLAlchemy model.
"""

from __future__ import annotations

import math
import re
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import KW_ONLY, dataclass, field, replace
from dataclasses import fields as dataclass_fields
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import Any

import sqlalchemy as sa
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import HTMLResponse

from fasthx_ui.ui import ui_for
from fasthx_ui.values import column_label, int_range

Validator = Callable[[Any], str | None]
"""Checks a parsed value; returns an error message, or None when the value is fine."""

TEXT_TYPES = frozenset({"text", "textarea", "email", "password", "url", "tel", "search", "hidden"})
UNTRIMMED_TYPES = frozenset({"textarea", "password"})
CHOICE_TYPES = frozenset({"select", "ajax_select"})
TEMPORAL_TYPES = {"date": date, "datetime-local": datetime, "time": time}

ATTRIBUTE_NAME_RE = re.compile(r"[A-Za-z_:][-A-Za-z0-9_:.]*")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$")
TRUE_STRINGS = frozenset({"on", "true", "1", "yes", "y"})



@dataclass
class FieldSpec:
    """One form field: its input type, label, validation rules and htmx hooks.

    `type` is an HTML input type ("text", "number", "email", "date", "datetime-local",
    "time", "checkbox", "file", …) or "textarea", "select" or "ajax_select". A number is
    parsed with `number_type` (int, float or Decimal); an `enum` makes the field a select
    of that Enum's members; `coerce` converts a submitted choice or text (e.g. `int` for a
    foreign key); `validate` checks the parsed value (e.g. that a foreign key exists);
    `option_label` gives the label of a value whose option is not listed here (an
    ajax_select, or a select with `choices=None`), to show it on an edit form.
    `choices=None` on a select means "not known here" (options loaded later, dependent
    dropdowns, ajax selects): any value passes the choice check. `searchable` turns a
    select into a Tom Select. Single-line text is trimmed; textarea and password are not.
    `attrs` are extra HTML attributes for the input (`{"step": "0.01", "autofocus": True}`).
    """

    name: str
    type: str = "text"
    _: KW_ONLY
    label: str = ""
    required: bool = False
    choices: Sequence[Any] | None = None
    placeholder: str = ""
    description: str = ""
    depends_on: str | None = None
    hx_get: str | None = None
    hx_target: str | None = None
    hx_trigger: str = "change"
    hx_swap: str = "innerHTML"
    value: Any = None
    max_length: int | None = None
    number_type: type = int
    min_value: float | int | Decimal | None = None
    max_value: float | int | Decimal | None = None
    enum: type[Enum] | None = None
    coerce: Callable[[str], Any] | None = None
    validate: Validator | None = None
    option_label: Callable[[Any], str | None] | None = None
    foreign_key: str | None = None
    ajax_url: str | None = None
    accept: str | None = None
    max_size: int | None = None
    rows: int = 3
    searchable: bool = False
    attrs: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.label:
            self.label = column_label(self.name)
        if self.enum is not None:
            if self.type == "text":
                self.type = "select"
            if self.choices is None:
                self.choices = [(member, enum_label(member)) for member in self.enum]
        if self.choices is not None:
            self.choices = [c if isinstance(c, tuple) else (c, str(c)) for c in self.choices]

    @property
    def options(self) -> list[tuple[str, str]]:
        """The choices as (option value, label) strings, ready for `<option>` tags."""
        return [(choice_key(value), str(label)) for value, label in self.choices or ()]

    @property
    def input_attrs(self) -> list[tuple[str, Any]]:
        """`attrs` as (name, value) pairs to render: valid names only, False and None left out."""
        return [(name, value) for name, value in self.attrs.items()
                if ATTRIBUTE_NAME_RE.fullmatch(name) and value is not False and value is not None]

    @property
    def step(self) -> str:
        """The `step` attribute of a number input: whole numbers or any."""
        return "1" if self.number_type is int else "any"

    def label_of(self, value: Any) -> str:
        """The label `option_label` gives for `value` (its submitted text or Python value);
        "" when there is no value, no `option_label`, or no such option."""
        if value is None or value == "" or self.option_label is None:
            return ""
        return self.option_label(value) or ""

    def display(self, value: Any) -> str:
        """The text an input shows for a Python value (a date, an enum member, …)."""
        if value is None:
            return ""
        if self.type == "checkbox":
            return "on" if value else ""
        if isinstance(value, Enum):
            return value.name
        if isinstance(value, datetime):
            return value.strftime("%Y-%m-%dT%H:%M:%S" if value.second else "%Y-%m-%dT%H:%M")
        if isinstance(value, (date, time)):
            return value.isoformat()
        return str(value)


def with_overrides(spec: FieldSpec, overrides: Mapping[str, Any]) -> FieldSpec:
    """A copy of `spec` with a widget-override dict merged in (the reference's
    `form_widget_overrides`): keys naming FieldSpec fields replace them (`type`, `choices`,
    `label`, `required`, `hx_get`, `depends_on`, `description`, …); any other key becomes an
    HTML attribute of the input.
    """
    known = {f.name for f in dataclass_fields(FieldSpec)} - {"name", "attrs"}
    changes = {key: value for key, value in overrides.items() if key in known}
    extra = {key: value for key, value in overrides.items() if key not in known and key != "name"}
    return replace(spec, **changes, attrs={**spec.attrs, **extra})


@dataclass
class ParsedForm:
    """What `parse_form` found: typed values, per-field errors and the raw strings."""

    values: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    raw: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """True when no field has an error."""
        return not self.errors


class FieldError(ValueError):
    """A submitted value that cannot be accepted; the message is shown to the user."""


def parse_form(
    fields: Iterable[FieldSpec],
    data: Mapping[str, Any],
    *,
    validators: Mapping[str, Validator] | None = None,
) -> ParsedForm:
    """Parse submitted form data (Starlette `FormData` or any mapping) field by field.

    An absent checkbox is False. A field whose `depends_on` checkbox is unchecked is hidden
    in the browser, so it is skipped: it gets no value and no error. `validators` adds
    per-call checks (a foreign key lookup needing this request's session) after each
    field's own `validate`.
    """
    fields = list(fields)
    validators = validators or {}
    result = ParsedForm()
    submitted = {spec.name: submitted_values(data, spec.name) for spec in fields}
    for spec in fields:
        values = submitted[spec.name]
        result.raw[spec.name] = raw_text(spec, values)
        controller = spec.depends_on
        if controller is not None and controller in submitted and not checkbox_value(submitted[controller]):
            continue
        try:
            value = parse_field(spec, values)
            for check in (spec.validate, validators.get(spec.name)):
                if check is not None and value is not None and (message := check(value)):
                    raise FieldError(message)
        except FieldError as error:
            result.errors[spec.name] = str(error)
        else:
            result.values[spec.name] = value
    return result


def form_response(
    request: Request,
    fields: Sequence[FieldSpec],
    *,
    action: str,
    values: Mapping[str, Any] | None = None,
    parsed: ParsedForm | None = None,
    error: str = "",
    status_code: int | None = None,
    **props: Any,
) -> HTMLResponse:
    """The Form component as a response: the page's form re-rendered after a post.

    With `parsed` it keeps what the user typed and shows each field's error; the status
    is 422 when there is any error (htmx swaps it in, the form shows a danger toast),
    200 otherwise. Extra `props` go to the component (sections, labels, submit_label…).
    """
    errors = parsed.errors if parsed else {}
    status = status_code or (422 if errors or error else 200)
    return ui_for(request).fragment(
        request, "ui:Form", status_code=status, fields=list(fields), action=action, values=dict(values or {}),
        raw=parsed.raw if parsed else {}, errors=errors, error=error, **props,
    )


def parse_field(spec: FieldSpec, values: list[Any]) -> Any:
    """Turn one field's submitted values into its Python value, or raise `FieldError`."""
    if spec.type == "checkbox":
        return checkbox_value(values)
    if spec.type == "file":
        return parse_upload(spec, values)
    text = values[-1] if values else ""
    if not isinstance(text, str):
        raise FieldError("Expected text, not a file.")
    if "\x00" in text:
        raise FieldError("Contains a character that is not allowed.")
    if spec.type in TEXT_TYPES:
        stripped = text.strip()
        if not stripped:
            return required_empty(spec)
        return parse_text(spec, text if spec.type in UNTRIMMED_TYPES else stripped)
    stripped = text.strip()
    if not stripped:
        return required_empty(spec)
    if spec.type == "number":
        return parse_number(spec, stripped)
    if spec.type in TEMPORAL_TYPES:
        return parse_temporal(spec.type, stripped)
    if spec.type in CHOICE_TYPES:
        return parse_choice(spec, stripped)
    return parse_text(spec, text)


def required_empty(spec: FieldSpec) -> None:
    """An empty field: an error when required, otherwise None."""
    if spec.required:
        raise FieldError("This field is required.")
    return None


def parse_text(spec: FieldSpec, text: str) -> Any:
    """Text-like inputs: length limit, email shape, optional coercion."""
    if spec.max_length is not None and len(text) > spec.max_length:
        raise FieldError(f"Use at most {spec.max_length} characters (this has {len(text)}).")
    if spec.type == "email" and not EMAIL_RE.match(text):
        raise FieldError("Enter a valid email address, like name@example.com.")
    if spec.coerce is not None:
        try:
            return spec.coerce(text)
        except (ValueError, TypeError):
            raise FieldError("Enter a valid value.") from None
    return text


def parse_number(spec: FieldSpec, text: str) -> int | float | Decimal:
    """Whole numbers for int fields, finite numbers otherwise, within min/max."""
    if spec.number_type is int:
        if not re.fullmatch(r"[+-]?[0-9]+", text):
            if re.fullmatch(r"[+-]?([0-9]+\.[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?", text):
                raise FieldError("Enter a whole number.")
            raise FieldError("Enter a number.")
        if len(text) > 40:
            raise FieldError("This number is too large.")
        number: int | float | Decimal = int(text)
    else:
        try:
            number = spec.number_type(text)
        except (ValueError, InvalidOperation):
            raise FieldError("Enter a number.") from None
        if not math.isfinite(number):
            raise FieldError("Enter a finite number.")
    if spec.min_value is not None and number < spec.min_value:
        raise FieldError(f"Enter a number no smaller than {spec.min_value}.")
    if spec.max_value is not None and number > spec.max_value:
        raise FieldError(f"Enter a number no larger than {spec.max_value}.")
    return number


def parse_temporal(input_type: str, text: str) -> date | datetime | time:
    """ISO dates, datetime-local values (`2024-05-01T13:45`) and times."""
    kind = TEMPORAL_TYPES[input_type]
    try:
        if kind is date:
            return date.fromisoformat(text)
        if kind is datetime:
            return datetime.fromisoformat(text)
        return time.fromisoformat(text)
    except ValueError:
        pass
    examples = {"date": "a date like 2024-05-31", "datetime-local": "a date and time like 2024-05-31T14:30",
                "time": "a time like 14:30"}
    raise FieldError(f"Enter {examples[input_type]}.")


def parse_choice(spec: FieldSpec, text: str) -> Any:
    """A select: the value must be one of the offered choices (or pass `coerce`)."""
    if spec.enum is not None:
        member = enum_member(spec.enum, text)
        if member is None:
            allowed = ", ".join(m.name for m in spec.enum)
            raise FieldError(f"“{text[:50]}” is not one of: {allowed}.")
        return member
    if spec.choices is not None:
        for value, _label in spec.choices:
            if choice_key(value) == text:
                return value
        raise FieldError("Select one of the offered options.")
    if spec.coerce is not None:
        try:
            return spec.coerce(text)
        except (ValueError, TypeError):
            raise FieldError("Select one of the offered options.") from None
    return text


def parse_upload(spec: FieldSpec, values: list[Any]) -> UploadFile | None:
    """A file input: the upload, None when no file was chosen, size checked."""
    upload = next((v for v in reversed(values) if isinstance(v, UploadFile) and v.filename), None)
    if upload is None:
        return required_empty(spec)
    if spec.max_size is not None and upload.size is not None and upload.size > spec.max_size:
        raise FieldError(f"The file is too large (at most {spec.max_size:,} bytes).")
    return upload


def checkbox_value(values: list[Any]) -> bool:
    """A checkbox is on when any submitted value says so; absent means False."""
    return any(isinstance(v, str) and v.strip().lower() in TRUE_STRINGS for v in values)


def submitted_values(data: Mapping[str, Any], name: str) -> list[Any]:
    """Every value submitted under `name`, from FormData, a multi-dict or a plain dict."""
    getlist = getattr(data, "getlist", None)
    if getlist is not None:
        return list(getlist(name))
    value = data.get(name)
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


def raw_text(spec: FieldSpec, values: list[Any]) -> str:
    """The string to show again in a re-rendered form (files cannot be shown again)."""
    if spec.type == "checkbox":
        return "on" if checkbox_value(values) else ""
    texts = [v for v in values if isinstance(v, str)]
    return texts[-1] if texts else ""


def choice_key(value: Any) -> str:
    """The `<option value>` string of a choice: an Enum member's name, else str()."""
    return value.name if isinstance(value, Enum) else str(value)


def enum_member(enum_class: type[Enum], text: str) -> Enum | None:
    """The member named `text`, or whose value's string is `text`; None if neither."""
    member = enum_class.__members__.get(text)
    if member is not None:
        return member
    return next((m for m in enum_class if str(m.value) == text), None)


def enum_label(member: Enum) -> str:
    """A readable label: a string value as is, otherwise the member name."""
    return member.value if isinstance(member.value, str) else member.name.replace("_", " ").title()


def int_in_range(low: int, high: int) -> Callable[[str], int]:
    """A coercer to int that rejects values outside [low, high] (a column's range)."""

    def to_int(text: str) -> int:
        if not re.fullmatch(r"[+-]?[0-9]{1,40}", text.strip()):
            raise ValueError(text)
        number = int(text)
        if not low <= number <= high:
            raise ValueError(text)
        return number

    return to_int


def numeric_limit(column_type: sa.Numeric) -> Decimal | None:
    """The largest value a NUMERIC(precision, scale) column holds, None when unbounded."""
    if column_type.precision is None:
        return None
    scale = column_type.scale or 0
    return Decimal(10) ** (column_type.precision - scale) - Decimal(1).scaleb(-scale)


def column_coercer(column: sa.Column) -> Callable[[str], Any] | None:
    """How to turn a submitted string into a value this column accepts, or None for text.

    Integers are range-checked so a huge number is a field error, not a database error.
    """
    column_type = column.type
    if (bounds := int_range(column_type)) is not None:
        return int_in_range(*bounds)
    if isinstance(column_type, sa.Uuid):
        return uuid.UUID
    if isinstance(column_type, sa.String):
        return None
    try:
        python_type = column_type.python_type
    except NotImplementedError:
        return None
    return None if python_type is str else python_type


def fields_from_model(
    model: type,
    *,
    include: Sequence[str] | None = None,
    exclude: Sequence[str] = (),
) -> list[FieldSpec]:
    """Field specs from a SQLAlchemy model's columns (type, nullability, length, Enum, FK).

    By default every column except auto-incremented primary keys, in declaration order;
    `include` picks and orders columns. Column types a form cannot edit (JSON, binary,
    arrays) are left out. Foreign keys become selects with `foreign_key` set to the target
    ("table.column") and `choices=None`: the caller supplies the options and an existence
    check.
    """
    columns = {column.key: column for column in sa.inspect(model).columns}
    names = list(include) if include is not None else [
        key for key, column in columns.items() if not (column.primary_key and column.autoincrement in (True, "auto"))
    ]
    specs = []
    for name in names:
        if name in exclude or name not in columns:
            continue
        spec = field_from_column(columns[name])
        if spec is not None:
            spec.name = name
            specs.append(spec)
    return specs


def field_from_column(column: sa.Column) -> FieldSpec | None:
    """One column's field spec, or None for a type a form cannot edit."""
    column_type = column.type
    has_default = column.default is not None or column.server_default is not None
    required = not column.nullable and not has_default
    common = {"required": required, "description": column.doc or ""}
    if column.foreign_keys:
        target = next(iter(column.foreign_keys)).target_fullname
        return FieldSpec(column.key, "select", coerce=column_coercer(column),
                         foreign_key=target, searchable=True, **common)
    if isinstance(column_type, sa.Boolean):
        return FieldSpec(column.key, "checkbox", description=column.doc or "")
    if isinstance(column_type, sa.Enum):
        if column_type.enum_class is not None:
            return FieldSpec(column.key, "select", enum=column_type.enum_class, **common)
        return FieldSpec(column.key, "select", choices=list(column_type.enums), **common)
    if (bounds := int_range(column_type)) is not None:
        return FieldSpec(column.key, "number", min_value=bounds[0], max_value=bounds[1], **common)
    if isinstance(column_type, sa.Float):
        return FieldSpec(column.key, "number", number_type=float, **common)
    if isinstance(column_type, sa.Numeric):
        largest = numeric_limit(column_type)
        return FieldSpec(column.key, "number", number_type=Decimal, min_value=-largest if largest else None,
                         max_value=largest, **common)
    if isinstance(column_type, sa.DateTime):
        return FieldSpec(column.key, "datetime-local", **common)
    if isinstance(column_type, sa.Date):
        return FieldSpec(column.key, "date", **common)
    if isinstance(column_type, sa.Time):
        return FieldSpec(column.key, "time", **common)
    if isinstance(column_type, sa.Uuid):
        return FieldSpec(column.key, "text", coerce=uuid.UUID, **common)
    if isinstance(column_type, sa.Text):
        return FieldSpec(column.key, "textarea", **common)
    if isinstance(column_type, sa.String):
        return FieldSpec(column.key, "text", max_length=column_type.length, **common)
    return None

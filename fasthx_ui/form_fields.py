"""What a form field is: `FieldSpec` (input type, label, validation rules, htmx hooks)
and `with_overrides`, which merges the reference's widget-override dicts into a spec.
A spec also builds its control's HTML attributes (escaped here, once), so the Field
parts (FieldInput, FieldSelect, FieldCheckbox, FieldTextarea) stay short templates.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import KW_ONLY, dataclass, field, replace
from dataclasses import fields as dataclass_fields
from datetime import date, datetime, time
from decimal import Decimal
from enum import Enum
from typing import Any

from markupsafe import Markup

from fasthx_ui.ui import safe_url
from fasthx_ui.values import column_label

Validator = Callable[[Any], str | None]
"""Checks a parsed value; returns an error message, or None when the value is fine."""

ATTRIBUTE_NAME_RE = re.compile(r"[A-Za-z_:][-A-Za-z0-9_:.]*")
TYPED_INPUTS = frozenset({"number", "date", "datetime-local", "time"})
"""Input types whose browser control cannot show text it rejects (a number input shows "abc" as empty)."""


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

    def control_attrs(self, *, invalid: bool = False, describedby: str = "") -> Markup:
        """The attributes every control of this field carries: id and name (the field name, so
        `hx_target="#site_id"` reaches it), required, aria state, hx hooks and `attrs`."""
        pairs: list[tuple[str, Any]] = [("id", self.name), ("name", self.name)]
        if self.required and self.type != "checkbox":
            pairs += [("required", True), ("aria-required", "true")]
        pairs += [("aria-invalid", "true" if invalid else None), ("aria-describedby", describedby or None)]
        if self.hx_get:
            pairs += [("hx-get", safe_url(self.hx_get)), ("hx-trigger", self.hx_trigger), ("hx-swap", self.hx_swap),
                      ("hx-target", self.hx_target or None)]
        return html_attrs([*pairs, *self.input_attrs])

    def input_type(self, text: str, invalid: bool) -> str:
        """The `<input type>` to render: after an error, a typed input (number, date, …) holding
        text becomes a text input, so the user sees and fixes what they typed."""
        return "text" if invalid and text and self.type in TYPED_INPUTS else self.type

    def type_attrs(self, input_type: str) -> Markup:
        """The attributes of this field's type for an `<input type=input_type>` or textarea:
        accept (file); step, min, max (number) or inputmode (a typed input shown as text);
        maxlength and placeholder."""
        if self.type == "file":
            return html_attrs([("accept", self.accept)])
        pairs: list[tuple[str, Any]] = []
        if input_type != self.type:
            pairs.append(("inputmode", "decimal" if self.type == "number" else "text"))
        elif self.type == "number":
            pairs += [("step", self.step), ("min", self.min_value), ("max", self.max_value)]
        return html_attrs([*pairs, ("maxlength", self.max_length or None), ("placeholder", self.placeholder or None)])

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


def html_attrs(pairs: Sequence[tuple[str, Any]]) -> Markup:
    """` name="value"` for each pair, values escaped; True gives a bare attribute, None and
    False leave it out."""
    return Markup("").join(
        Markup(f" {name}") if value is True else Markup(' {}="{}"').format(name, value)
        for name, value in pairs if value is not None and value is not False
    )


def choice_key(value: Any) -> str:
    """The `<option value>` string of a choice: an Enum member's name, else str()."""
    return value.name if isinstance(value, Enum) else str(value)


def enum_label(member: Enum) -> str:
    """A readable label: a string value as is, otherwise the member name."""
    return member.value if isinstance(member.value, str) else member.name.replace("_", " ").title()

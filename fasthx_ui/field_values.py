"""Submitted form text to typed values, one field at a time: `parse_field` and a parser per
input type, each raising `FieldError` with the message the user sees. Never raises anything
else for user input.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import Any

from starlette.datastructures import UploadFile

from fasthx_ui.form_fields import FieldSpec, choice_key

TEXT_TYPES = frozenset({"text", "textarea", "email", "password", "url", "tel", "search", "hidden"})
UNTRIMMED_TYPES = frozenset({"textarea", "password"})
CHOICE_TYPES = frozenset({"select", "ajax_select"})
TEMPORAL_TYPES = {"date": date, "datetime-local": datetime, "time": time}

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$")
TRUE_STRINGS = frozenset({"on", "true", "1", "yes", "y"})


class FieldError(ValueError):
    """A submitted value that cannot be accepted; the message is shown to the user."""


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


def enum_member(enum_class: type[Enum], text: str) -> Enum | None:
    """The member named `text`, or whose value's string is `text`; None if neither."""
    member = enum_class.__members__.get(text)
    if member is not None:
        return member
    return next((m for m in enum_class if str(m.value) == text), None)

"""Forms: parse a submitted form into typed values and answer a post with the Form component.

`parse_form` turns a submitted form into Python values, one clear message per bad field,
and keeps the raw strings so a re-rendered form shows exactly what the user typed. It never
raises for user input. `form_response` answers a post with the Form component (422 and the
errors when the input was bad). The family's other names are importable from here too:
`FieldSpec` and `with_overrides` (form_fields.py), `parse_field` and `FieldError`
(field_values.py), `fields_from_model`, `field_from_column` and `column_coercer` (form_model.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse

from fasthx_ui.field_values import FieldError, checkbox_value, parse_field, raw_text, submitted_values
from fasthx_ui.form_fields import FieldSpec, Validator, with_overrides
from fasthx_ui.form_model import column_coercer, field_from_column, fields_from_model
from fasthx_ui.ui import ui_for

__all__ = [
    "FieldError",
    "FieldSpec",
    "ParsedForm",
    "Validator",
    "column_coercer",
    "field_from_column",
    "fields_from_model",
    "form_response",
    "parse_field",
    "parse_form",
    "with_overrides",
]


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

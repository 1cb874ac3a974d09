"""Field stories: every field type with its label, required mark and info tooltip; every
type showing an error with the text the user typed; and a playground whose controls build
the FieldSpec. Fields are built in Python, so each story loads its route."""

from __future__ import annotations

import enum

from fastapi import Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from fasthx_ui import FieldSpec
from fasthx_ui.ui import ui_for
from storybook.book import Stories
from storybook.stories import ajax_select

stories = Stories("Field", "One form field of any type: label, required mark, info tooltip, error and hx attributes.", category="Forms")

TYPES = ("text", "number", "email", "textarea", "checkbox", "select", "date", "datetime-local", "time", "file", "password")


class Level(enum.Enum):
    LOW = "low"
    HIGH = "high"


def every_type(request: Request) -> list[FieldSpec]:
    """One spec per field type the toolkit knows (the AjaxSelect asks the ajax_select stories' servers)."""
    return [
        FieldSpec("text_field", label="Text", required=True, placeholder="e.g. edge-001", max_length=30,
                  description="Plain text, at most 30 characters"),
        FieldSpec("int_field", "number", label="Whole number", min_value=0, max_value=100),
        FieldSpec("float_field", "number", label="Decimal number", number_type=float),
        FieldSpec("email_field", "email", label="Email", placeholder="ops@example.com"),
        FieldSpec("textarea_field", "textarea", label="Text area", rows=2),
        FieldSpec("switch_field", "checkbox", label="Switch", description=Markup("A <b>boolean</b> column")),
        FieldSpec("select_field", "select", label="Select", choices=[("a", "Choice A"), ("b", "Choice B")]),
        FieldSpec("enum_field", label="Enum select", enum=Level),
        FieldSpec("fk_field", "select", label="Foreign key", choices=[(1, "Oslo"), (2, "Lima")], coerce=int, searchable=True),
        FieldSpec("ajax_field", "ajax_select", label="Ajax select", ajax_url=ajax_select.stories.url(request, "/servers"),
                  coerce=int),
        FieldSpec("date_field", "date", label="Date"),
        FieldSpec("datetime_field", "datetime-local", label="Date and time"),
        FieldSpec("file_field", "file", label="File", accept=".txt"),
    ]


BAD_TEXT = {
    "text_field": ("x" * 31, "Use at most 30 characters (this has 31)."),
    "int_field": ("twelve", "Enter a number."),
    "float_field": ("1,5", "Enter a number."),
    "email_field": ("ops@", "Enter a valid email address, like name@example.com."),
    "textarea_field": ("", "This field is required."),
    "select_field": ("", "This field is required."),
    "enum_field": ("", "This field is required."),
    "date_field": ("31/12/2024", "Enter a date like 2024-05-31."),
    "datetime_field": ("noon", "Enter a date and time like 2024-05-31T14:30."),
}


def fields_html(request: Request, fields: list[FieldSpec], **state: dict) -> HTMLResponse:
    ui = ui_for(request)
    raw, errors = state.get("raw", {}), state.get("errors", {})
    parts = [ui.component("ui:Field", request, field=spec, raw=raw.get(spec.name), error=errors.get(spec.name, ""))
             for spec in fields]
    return HTMLResponse(Markup('<div class="fhx-field-gallery">') + Markup("").join(parts) + Markup("</div>"))


def labelled_part(request: Request, component: str, spec: FieldSpec, *, error: str = "", **props) -> Markup:
    """One Field part alone, as a page of yours would place it: its label, the control and
    its error text (the part stories use it)."""
    control = ui_for(request).component(component, request, field=spec, invalid=bool(error),
                                        describedby=f"{spec.name}-error" if error else "", **props)
    label = Markup('<label class="{}" for="{}">{}</label>')
    if component == "ui:FieldCheckbox":
        html = Markup('<div class="form-check form-switch">{}{}</div>').format(control, label.format("form-check-label", spec.name, spec.label))
    else:
        html = label.format("form-label", spec.name, spec.label) + control
    if error:
        html += Markup('<div id="{}-error" class="invalid-feedback d-block">{}</div>').format(spec.name, error)
    return Markup('<div class="mb-3">{}</div>').format(html)


def part_gallery(request: Request, component: str, specs: list[tuple[FieldSpec, dict]]) -> HTMLResponse:
    """Several specs drawn by one Field part, each with the part's props (text, error, …)."""
    parts = [labelled_part(request, component, spec, **props) for spec, props in specs]
    return HTMLResponse(Markup('<div class="fhx-part-gallery">') + Markup("").join(parts) + Markup("</div>"))


@stories.story()
def all_types():
    """Text, whole and decimal numbers, email, text area, switch, select, enum, foreign key
    (searchable), AjaxSelect, date, date-time and file."""
    return '<div hx-get="{{ api }}/all" hx-trigger="load" hx-swap="outerHTML">Loading…</div>'


@stories.story()
def with_errors():
    """Each field as it comes back from a failed post: the error, and the text that was typed."""
    return '<div hx-get="{{ api }}/errors" hx-trigger="load" hx-swap="outerHTML">Loading…</div>'


@stories.story(args={"type": "text", "label": "Hostname", "required": True, "placeholder": "e.g. edge-001",
                     "description": "Short DNS name", "value": "", "error": ""})
def playground():
    """Change the controls to build another FieldSpec."""
    return """
<div hx-get="{{ api }}/one" hx-trigger="load" hx-swap="outerHTML"
     hx-vals='{{ {"type": type, "label": label, "required": required, "placeholder": placeholder,
                 "description": description, "value": value, "error": error} | tojson }}'>Loading…</div>
"""


@stories.router.get("/all", response_class=HTMLResponse)
def all_fields(request: Request):
    return fields_html(request, every_type(request))


@stories.router.get("/errors", response_class=HTMLResponse)
def error_fields(request: Request):
    fields = [spec for spec in every_type(request) if spec.name in BAD_TEXT]
    return fields_html(request, fields, raw={name: text for name, (text, _) in BAD_TEXT.items()},
                       errors={name: message for name, (_, message) in BAD_TEXT.items()})


@stories.router.get("/one", response_class=HTMLResponse)
def one_field(request: Request, type: str = "text", label: str = "", required: bool = False, placeholder: str = "",
              description: str = "", value: str = "", error: str = ""):
    choices = [("a", "Choice A"), ("b", "Choice B")] if type == "select" else None
    spec = FieldSpec("playground", type if type in TYPES else "text", label=label, required=required,
                     placeholder=placeholder, description=description, choices=choices)
    return fields_html(request, [spec], raw={"playground": value}, errors={"playground": error})

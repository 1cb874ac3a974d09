"""FieldInput stories: the `<input>` part of Field for each input type, and a number and a
date input after an error, shown as text inputs holding what was typed."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import HTMLResponse

from fasthx_ui import FieldSpec
from storybook.book import Stories
from storybook.stories.field import part_gallery

stories = Stories("FieldInput", "The <input> of a Field: type, value, limits, aria state and hx hooks from the FieldSpec.",
                  category="Forms")


@stories.story()
def input_types():
    """Text, number (1–65535), decimal, email, password, date, time and file inputs, each with a label of its own."""
    return '<div hx-get="{{ api }}/types" hx-trigger="load" hx-swap="outerHTML">Loading…</div>'


@stories.story()
def kept_text():
    """After a failed post a number or date input holding text becomes a text input
    (`inputmode` kept), so the user sees and fixes what they typed."""
    return '<div hx-get="{{ api }}/kept" hx-trigger="load" hx-swap="outerHTML">Loading…</div>'


@stories.router.get("/types", response_class=HTMLResponse)
def types(request: Request):
    return part_gallery(request, "ui:FieldInput", [
        (FieldSpec("hostname", required=True, max_length=20, placeholder="e.g. edge-001"), {"text": "edge-001"}),
        (FieldSpec("port", "number", min_value=1, max_value=65535), {"text": "443"}),
        (FieldSpec("weight", "number", number_type=float), {}),
        (FieldSpec("email", "email", placeholder="ops@example.com"), {}),
        (FieldSpec("secret", "password"), {}),
        (FieldSpec("installed", "date"), {"text": "2024-02-29"}),
        (FieldSpec("window", "time"), {}),
        (FieldSpec("config", "file", accept=".cfg"), {}),
    ])


@stories.router.get("/kept", response_class=HTMLResponse)
def kept(request: Request):
    return part_gallery(request, "ui:FieldInput", [
        (FieldSpec("port", "number"), {"text": "eighty", "error": "Enter a number."}),
        (FieldSpec("installed", "date"), {"text": "31/12/2024", "error": "Enter a date like 2024-05-31."}),
    ])

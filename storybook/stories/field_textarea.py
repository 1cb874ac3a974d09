"""FieldTextarea stories: the `<textarea>` part of Field, filled and empty."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import HTMLResponse

from fasthx_ui import FieldSpec
from storybook.book import Stories
from storybook.stories.field import part_gallery

stories = Stories("FieldTextarea", "The <textarea> of a Field: rows, length limit and placeholder; text kept as typed.",
                  category="Forms")


@stories.story()
def textareas():
    """Notes with two lines of text (at most 200 characters) and an empty one with a placeholder and an error."""
    return '<div hx-get="{{ api }}/textareas" hx-trigger="load" hx-swap="outerHTML">Loading…</div>'


@stories.router.get("/textareas", response_class=HTMLResponse)
def textareas_html(request: Request):
    return part_gallery(request, "ui:FieldTextarea", [
        (FieldSpec("notes", "textarea", rows=4, max_length=200), {"text": "Rack 4, top.\nSpare PSU."}),
        (FieldSpec("reason", "textarea", required=True, placeholder="Why the change?"), {"error": "This field is required."}),
    ])

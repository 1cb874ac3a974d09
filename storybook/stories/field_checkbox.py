"""FieldCheckbox stories: the switch part of Field, off and on."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import HTMLResponse

from fasthx_ui import FieldSpec
from storybook.book import Stories
from storybook.stories.field import part_gallery

stories = Stories("FieldCheckbox", "The switch of a checkbox Field: value \"on\" when checked, never required.", category="Forms")


@stories.story()
def switches():
    """Two switches, one off and one on; Space toggles the focused one."""
    return '<div hx-get="{{ api }}/switches" hx-trigger="load" hx-swap="outerHTML">Loading…</div>'


@stories.router.get("/switches", response_class=HTMLResponse)
def switches_html(request: Request):
    return part_gallery(request, "ui:FieldCheckbox", [
        (FieldSpec("is_ha", "checkbox", label="High availability"), {"checked": False}),
        (FieldSpec("active", "checkbox", required=True), {"checked": True}),
    ])

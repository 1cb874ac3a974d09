"""FieldSelect stories: the `<select>` part of Field with its choices, as a searchable Tom
Select, and without choices (options loaded later) showing the current value's label."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import HTMLResponse

from fasthx_ui import FieldSpec
from storybook.book import Stories
from storybook.stories.field import part_gallery

stories = Stories("FieldSelect", "The <select> of a Field: its choices, the current one selected, Tom Select when searchable.",
                  category="Forms")

SITES = [(1, "Oslo"), (2, "Lima"), (3, "Kyoto")]


@stories.story()
def select_kinds():
    """Choices with the current one selected; the same choices searchable; no choices known
    here (a dependent dropdown): the current value with the label `option_label` gives."""
    return '<div hx-get="{{ api }}/kinds" hx-trigger="load" hx-swap="outerHTML">Loading…</div>'


@stories.router.get("/kinds", response_class=HTMLResponse)
def kinds(request: Request):
    return part_gallery(request, "ui:FieldSelect", [
        (FieldSpec("firmware", "select", choices=[("7.2", "Version 7.2"), ("7.4", "Version 7.4")]), {"text": "7.4"}),
        (FieldSpec("site_id", "select", label="Site", choices=SITES, coerce=int, searchable=True), {"text": "2"}),
        (FieldSpec("device_id", "select", label="Device", option_label=lambda value: f"Device #{value}"), {"text": "12"}),
    ])

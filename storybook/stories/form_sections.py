"""FormSections stories: a form grouped into accordion sections (the first open), and the
same form after a failed post, where the section holding the error opens too."""

from __future__ import annotations

from fastapi import Request

from fasthx_ui import FieldSpec, form_response, parse_form, toast_payload, trigger
from storybook.book import Stories

stories = Stories(
    "FormSections",
    "Form fields grouped into collapsible accordion sections; the first is open, and any with an error.",
    category="Forms",
)

FIELDS = [
    FieldSpec("hostname", required=True, max_length=30, placeholder="e.g. edge-001"),
    FieldSpec("ip_address", label="IP address", max_length=45, description="Must be a public routable IP address"),
    FieldSpec("status", "select", required=True, choices=[("online", "Online"), ("offline", "Offline")]),
    FieldSpec("monitored", "checkbox"),
    FieldSpec("site_id", "select", label="Site", choices=[(1, "Oslo"), (2, "Lima"), (3, "Kyoto")], coerce=int),
    FieldSpec("notes", "textarea"),
]
SECTIONS = {"Device info": ["hostname", "ip_address"], "Status": ["status", "monitored"], "Relationships": ["site_id"]}


@stories.story()
def accordion():
    """Three sections, the first open; "Notes" is in no section and follows the accordion.
    Submit with no status: the form comes back with "Status" open at its error."""
    return '<div hx-get="{{ api }}/device" hx-trigger="load" hx-swap="outerHTML">Loading the form…</div>'


@stories.router.get("/device")
def device_form(request: Request):
    return form_response(request, FIELDS, action=stories.url(request, "/device"), sections=SECTIONS, id="sections-form")


@stories.router.post("/device")
async def check_device(request: Request):
    parsed = parse_form(FIELDS, await request.form())
    response = form_response(request, FIELDS, action=stories.url(request, "/device"), parsed=parsed, values=parsed.values,
                             sections=SECTIONS, id="sections-form")
    if parsed.ok:
        trigger(response, "showToast", toast_payload("Device saved.", "success"))
    return response

"""Form stories: a form with every field type saving to SQLite (the validation round-trip),
an edit form with its values and AjaxSelect label pre-filled (`AjaxSelectSource.field`), `depends_on` switches, a
form-wide error, and a sign-in form (a plain POST whose error is about both fields).

Each form is served by a route of this module (`{api}/device` …), written the way an app writes it:
parse with `parse_form`, answer `form_response(...)` (422 with the errors and the user's
text) or save and answer a fresh form with a success toast. The stories load the route.
"""

from __future__ import annotations

from datetime import date, datetime

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, JSONResponse
from sqlalchemy import select
from sqlalchemy.orm import Session

from fasthx_ui import (
    AjaxSelectSource,
    FieldSpec,
    form_response,
    parse_form,
    toast_payload,
    trigger,
)
from storybook.book import Stories
from storybook.form_data import Device, Server, Site, Status, device_count, get_session

stories = Stories(
    "Form",
    "A create/edit form from field specs: posts with htmx and CSRF, keeps what was typed and shows each field's error on a 422.",
    category="Forms",
)

SERVERS = AjaxSelectSource(Server, search=["hostname"], page_size=20)
FIRMWARE = [("6.4", "Version 6.4"), ("7.2", "Version 7.2"), ("7.4", "Version 7.4")]


def load(path: str) -> str:
    """A story template that loads the form from its route, as a page would include it."""
    return f'<div hx-get="{{{{ api }}}}{path}" hx-trigger="load" hx-swap="outerHTML">Loading the form…</div>'


def device_fields(request: Request, session: Session) -> list[FieldSpec]:
    """One field of every type, as a device form would have them."""
    sites = [(site.id, site.name) for site in session.scalars(select(Site).order_by(Site.id))]
    return [
        FieldSpec("hostname", required=True, max_length=20, placeholder="e.g. edge-001",
                  description="Short DNS name, at most 20 characters"),
        FieldSpec("port", "number", required=True, min_value=1, max_value=65535),
        FieldSpec("weight", "number", number_type=float, description="Any decimal number, e.g. 2.5"),
        FieldSpec("email", "email", placeholder="ops@example.com"),
        FieldSpec("notes", "textarea", max_length=500),
        FieldSpec("active", "checkbox"),
        FieldSpec("firmware", "select", choices=FIRMWARE),
        FieldSpec("status", enum=Status, required=True),
        FieldSpec("installed", "date"),
        FieldSpec("seen_at", "datetime-local", label="Last seen"),
        FieldSpec("site_id", "select", label="Site", required=True, choices=sites),
        SERVERS.field("server_id", url=stories.url(request, "/servers"), session=session, label="Server",
                      placeholder="Type to search 10,000 servers", description="Searchable, loaded page by page"),
        FieldSpec("config", "file", accept=".txt,.cfg", max_size=10_000, description="Optional, at most 10,000 bytes"),
    ]


@stories.story()
def validation_round_trip():
    """Every field type. Submit it empty or with bad values: the form comes back (422) with each
    field's error, everything you typed, and a danger toast; nothing is saved until all is valid."""
    return load("/device")


@stories.story()
def edit_prefilled():
    """An edit form: values shown as the inputs expect them, the AjaxSelect showing its label."""
    return load("/device/edit")


@stories.story()
def depends_on():
    """The HA fields appear when the switch is on and hide when it is off, with no round-trip."""
    return load("/ha")


@stories.story()
def form_error():
    """A check of the whole form (like `ValidationError` in `on_model_change`) refuses the save:
    the message shows in the form and as a danger toast, the values stay."""
    return load("/customer")


@stories.story()
def sign_in_error():
    """A plain POST form (`htmx=False`, works without JavaScript) after a wrong password: the error
    in an alert both fields point to (`error_fields`), no toast (`toast=False`), the username kept
    and focused. Submitting it posts the whole page, as a sign-in page does."""
    return load("/sign-in")


@stories.router.get("/device")
def device_form(request: Request, session: Session = Depends(get_session)):
    return form_response(request, device_fields(request, session), action=stories.url(request, "/device"))


@stories.router.post("/device")
async def save_device(request: Request, session: Session = Depends(get_session)):
    fields = device_fields(request, session)
    parsed = parse_form(fields, await request.form())
    if not parsed.ok:
        return form_response(request, fields, action=stories.url(request, "/device"), parsed=parsed)
    values = dict(parsed.values)
    upload = values.pop("config")
    device = Device(**values, config_name=upload.filename if upload else None)
    session.add(device)
    session.commit()
    response = form_response(request, fields, action=stories.url(request, "/device"))
    return trigger(response, "showToast", toast_payload(f"Saved device #{device.id} ({device.hostname}).", "success"))


@stories.router.get("/devices/count")
def devices_saved(session: Session = Depends(get_session)):
    return JSONResponse({"count": device_count(session)})


@stories.router.get("/servers")
def servers(request: Request, session: Session = Depends(get_session)):
    return SERVERS.response(request, session)


EDIT_VALUES = {
    "hostname": "edge-042", "port": 8443, "weight": 2.5, "email": "noc@example.com", "notes": "Rack 4, top.",
    "active": True, "firmware": "7.2", "status": Status.DEPLOYING, "installed": date(2024, 2, 29),
    "seen_at": datetime(2024, 5, 31, 14, 30), "site_id": 3, "server_id": 4242,
}


@stories.router.get("/device/edit")
def edit_form(request: Request, session: Session = Depends(get_session)):
    return form_response(request, device_fields(request, session), action=stories.url(request, "/check"), values=EDIT_VALUES,
                         id="edit-form", submit_label="Update")


@stories.router.post("/check")
async def check_device(request: Request, session: Session = Depends(get_session)):
    """Validate without saving (the edit story)."""
    fields = device_fields(request, session)
    parsed = parse_form(fields, await request.form())
    response = form_response(request, fields, action=stories.url(request, "/check"), parsed=parsed,
                             values=parsed.values, id="edit-form", submit_label="Update")
    if parsed.ok:
        trigger(response, "showToast", toast_payload("All values are valid.", "success"))
    return response


HA_FIELDS = [
    FieldSpec("name", required=True, max_length=40),
    FieldSpec("is_ha", "checkbox", label="High availability", description="Run two appliances as a pair"),
    FieldSpec("ha_mode", "select", label="HA mode", required=True, depends_on="is_ha",
              choices=[("active-standby", "Active-Standby"), ("active-active", "Active-Active")]),
    FieldSpec("ha_switch_mode", "select", label="Switch-over", required=True, depends_on="is_ha",
              choices=[("manual", "Manual"), ("automatic", "Automatic")]),
]


@stories.router.get("/ha")
def ha_form(request: Request):
    return form_response(request, HA_FIELDS, action=stories.url(request, "/ha"), id="ha-form")


@stories.router.post("/ha")
async def check_ha(request: Request):
    parsed = parse_form(HA_FIELDS, await request.form())
    response = form_response(request, HA_FIELDS, action=stories.url(request, "/ha"), parsed=parsed, values=parsed.values, id="ha-form")
    if parsed.ok:
        trigger(response, "showToast", toast_payload(f"Saved with {sorted(parsed.values)}.", "success"))
    return response


CUSTOMER_FIELDS = [FieldSpec("name", required=True, max_length=40), FieldSpec("sid", label="SID", max_length=12)]


@stories.router.get("/customer")
def customer_form(request: Request):
    return form_response(request, CUSTOMER_FIELDS, action=stories.url(request, "/customer"), id="customer-form")


@stories.router.post("/customer")
async def save_customer(request: Request):
    parsed = parse_form(CUSTOMER_FIELDS, await request.form())
    error = ""
    if parsed.ok and len(parsed.values["name"]) < 2:
        error = "Customer name must be at least 2 characters."
    elif parsed.ok and not parsed.values["sid"]:
        error = "SID is required for new customers."
    response = form_response(request, CUSTOMER_FIELDS, action=stories.url(request, "/customer"), parsed=parsed, error=error,
                             values=parsed.values, id="customer-form")
    if parsed.ok and not error:
        trigger(response, "showToast", toast_payload("Customer saved.", "success"))
    return response


SIGN_IN_FIELDS = [
    FieldSpec("username", required=True, attrs={"autocomplete": "username"}),
    FieldSpec("password", "password", required=True, attrs={"autocomplete": "current-password"}),
]


def sign_in_form(request: Request, username: str) -> HTMLResponse:
    return form_response(
        request, SIGN_IN_FIELDS, action=stories.url(request, "/sign-in"), values={"username": username},
        error="Wrong username or password.", error_fields=["username", "password"], toast=False, htmx=False,
        status_code=200, submit_label="Sign in", id="sign-in-form",
    )


@stories.router.get("/sign-in")
def sign_in_page(request: Request):
    return sign_in_form(request, "ada")


@stories.router.post("/sign-in")
async def sign_in_again(request: Request):
    typed = (await request.form()).get("username")
    return sign_in_form(request, typed.strip() if isinstance(typed, str) else "")

"""Dependent dropdowns: choosing a customer loads the options of other selects. One target
swaps `partials/dropdown_options.html` into a plain select; several targets use
`partials/dropdown_options_multi.html`, the extra ones out-of-band, into Tom Selects that are
re-synced after each swap."""

from __future__ import annotations

from fastapi import Depends, Request
from sqlalchemy import select
from sqlalchemy.orm import Session

from fasthx_ui import FieldSpec, form_response
from fasthx_ui.ui import ui_for
from storybook.book import Stories
from storybook.form_data import Customer, Orchestrator, Region, Site, get_session

stories = Stories(
    "Field",
    "Selects whose change loads other selects' options (hx_get + hx_target), one target or several.",
    category="Forms",
    label="Dependent selects",
)


def customers(session: Session) -> list[tuple[int, str]]:
    return [(c.id, c.name) for c in session.scalars(select(Customer).order_by(Customer.id))]


def options(session: Session, model: type, customer_id: str) -> list[dict]:
    """The rows of `model` belonging to the customer; none for a blank or bad id."""
    if not customer_id.isdecimal() or len(customer_id) > 9:
        return []
    rows = session.scalars(select(model).where(model.customer_id == customer_id).order_by(model.id))
    return [{"id": row.id, "label": row.name} for row in rows]


@stories.story()
def single_target():
    """Pick a customer: the Site select gets that customer's sites."""
    return '<div hx-get="{{ api }}/single" hx-trigger="load" hx-swap="outerHTML">Loading…</div>'


@stories.story()
def multi_target():
    """Pick a customer: Orchestrator is the main target, Region is swapped out-of-band; both are
    Tom Selects and show the new options at once."""
    return '<div hx-get="{{ api }}/multi" hx-trigger="load" hx-swap="outerHTML">Loading…</div>'


@stories.router.get("/single")
def single_form(request: Request, session: Session = Depends(get_session)):
    fields = [
        FieldSpec("customer_id", "select", label="Customer", choices=customers(session), coerce=int,
                  hx_get=stories.url(request, "/sites-for-customer"), hx_target="#site_id"),
        FieldSpec("site_id", "select", label="Site", choices=[], coerce=int),
    ]
    return form_response(request, fields, action=stories.url(request, "/noop"), id="single-form")


@stories.router.get("/multi")
def multi_form(request: Request, session: Session = Depends(get_session)):
    fields = [
        FieldSpec("customer_id", "select", label="Customer", choices=customers(session), coerce=int, searchable=True,
                  hx_get=stories.url(request, "/options-for-customer"), hx_target="#orchestrator_id"),
        FieldSpec("orchestrator_id", "select", label="Orchestrator", choices=[], coerce=int, searchable=True),
        FieldSpec("region_id", "select", label="Region", choices=[], coerce=int, searchable=True),
    ]
    return form_response(request, fields, action=stories.url(request, "/noop"), id="multi-form")


@stories.router.get("/sites-for-customer")
def sites_for_customer(request: Request, customer_id: str = "", session: Session = Depends(get_session)):
    context = {"options": options(session, Site, customer_id), "selected": None}
    return ui_for(request).page(request, "partials/dropdown_options.html", context)


@stories.router.get("/options-for-customer")
def options_for_customer(request: Request, customer_id: str = "", session: Session = Depends(get_session)):
    orchestrators = options(session, Orchestrator, customer_id)
    regions = options(session, Region, customer_id)
    context = {
        "options": orchestrators,
        "selected": orchestrators[0]["id"] if orchestrators else None,
        "oob_targets": [{"id": "region_id", "options": regions, "selected": None}],
    }
    return ui_for(request).page(request, "partials/dropdown_options_multi.html", context)

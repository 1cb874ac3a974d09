"""DetailList stories: a record's detail page built from table columns (formatter links,
a status badge, code), plain pairs, a mapping, missing values, no items and hostile text.

The record is built in Python with `detail_items`, so its story loads a route; the others
take their items from a JSON control."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from fastapi import Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from fasthx_ui import Column, detail_items
from fasthx_ui.ui import ui_for
from storybook.book import Stories

stories = Stories("DetailList", "A record's fields as a read-only list of label and value.", category="Data")

SITES = {3: ("Oslo HQ", "Europe"), 4: ("Kyoto Lab", "Asia")}
PAGE = '<ui:Layout title={{ title }} sidebar={{ false }}><ui:DetailList items={{ items }} /></ui:Layout>'


@dataclass
class Device:
    id: int
    hostname: str
    ip_address: str
    status: str
    site_id: int
    backup_site_id: int
    installed: date
    notes: str | None


DEVICE = Device(7, "edge-007", "10.0.7.21", "deploying", 3, 4, date(2024, 5, 31), None)


def site_link(api: str):
    """A column formatter: the site's name linking to its page under `api` (trusted HTML)."""
    def link(site_id: int, obj: object) -> Markup:
        return Markup('<a href="{}/sites/{}">{}</a>').format(api, site_id, SITES[site_id][0])

    return link


def device_columns(api: str) -> list:
    """The device's columns, as a CRUD detail page would list them."""
    return [
        Column("id", label="ID"),
        "hostname",
        Column("ip_address", label="IP address", formatter=lambda value, obj: Markup("<code>{}</code>").format(value)),
        Column("status", status=True),
        Column("site_id", formatter=site_link(api)),
        Column("backup_site_id", label="Backup site", formatter=site_link(api)),
        "installed",
        "notes",
    ]


@stories.router.get("/device", response_class=HTMLResponse)
def device_details(request: Request):
    """The device's details as its CRUD detail page shows them."""
    items = detail_items(DEVICE, device_columns(stories.api(request)))
    return ui_for(request).fragment(request, "ui:DetailList", items=items, id="device-7")


@stories.router.get("/sites/{site_id}", response_class=HTMLResponse)
def site_page(request: Request, site_id: int):
    """Where a site link leads: the site's own details, as a whole page."""
    if site_id not in SITES:
        return HTMLResponse("No such site.", status_code=404)
    name, region = SITES[site_id]
    ui = ui_for(request)
    context = {"title": name, "items": [("Name", name), ("Region", region)]}
    return HTMLResponse(ui.render(request, ui.env.from_string(PAGE), context))


@stories.story()
def record():
    """A device from table columns: a code formatter, a status badge, two links to sites
    (trusted formatter output), a date and an empty note."""
    return '<div hx-get="{{ api }}/device" hx-trigger="load" hx-swap="outerHTML">Loading…</div>'


@stories.story(args={"items": [["Hostname", "edge-001"], ["Region", "Europe"], ["Firmware", "7.4"]], "missing": "—"})
def pairs():
    """(label, value) pairs; edit them in the items control."""
    return "<ui:DetailList items={{ items }} missing={{ missing }} />"


@stories.story(args={"items": {"Hostname": "edge-002", "Owner": "Ops team", "Notes": ""}})
def mapping():
    """A {label: value} mapping, in its own order; the empty note shows the missing mark."""
    return "<ui:DetailList items={{ items }} />"


@stories.story(args={"items": [], "empty": "This record has no fields."})
def empty():
    """No items: one line of text instead of an empty list."""
    return "<ui:DetailList items={{ items }} empty={{ empty }} />"


@stories.story(args={"items": [["<script>alert('label')</script>", "<img src=x onerror=alert(1)>"],
                               ["Link", "<a href='javascript:alert(2)'>click</a>"], ["{{ 7*7 }}", "<b>bold</b>"]]})
def hostile():
    """Labels and values full of markup: all of it shows as text."""
    return "<ui:DetailList items={{ items }} />"

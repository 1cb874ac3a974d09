"""Table stories: a 10,000-row in-memory table, a SQLAlchemy table with a foreign key,
row and bulk actions with selection across pages, polling status cells, an empty
table and hostile data.

Each table lives at its own route of this module (`{api}/people` …), written the way an app would
write it: the whole page for a normal GET (reload, back, a shared link) and only the
table region when htmx asks for it. The stories load that route into the preview.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from functools import cache

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from markupsafe import Markup, escape
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from fasthx_ui import (
    Column,
    DataSource,
    InProcessProgressStore,
    ListSource,
    Polling,
    SQLSource,
    TableSpec,
    polling_cell_id,
    progress_poll_response,
    progress_response,
    records_text,
    table_response,
    toast_response,
)
from storybook import table_data
from storybook.book import Stories
from storybook.table_data import Device, DeviceStatus, get_session

stories = Stories(
    "Table",
    "A data table: sortable headers, search, filters, paging, row and bulk actions; every change is one htmx round-trip.",
    category="Data",
)

PAGE = "<ui:Layout title={{ title }} sidebar={{ false }}>{% block table %}{{ table }}{% endblock %}</ui:Layout>"

FIRST = ["Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Ken", "Margaret", "Linus", "Guido", "Radia", "Frances"]
LAST = ["Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Knuth", "Thompson", "Hamilton", "Torvalds", "Perlman"]
CITIES = ["Oslo", "Lagos", "Lima", "Kyoto", "Quito", "Perth", "Turin", "Dakar"]
STATES = ["online", "offline", "deploying", "error"]


@cache
def people() -> list[dict]:
    """10,000 made-up people, the same on every run."""
    rng = random.Random(7)
    start = date(2020, 1, 1)
    rows = []
    for i in range(1, 10_001):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        rows.append(
            {
                "id": i,
                "name": f"{first} {last}",
                "email": f"{first}.{last}{i}@example.org".lower(),
                "city": rng.choice(CITIES),
                "status": rng.choice(STATES),
                "age": rng.randint(18, 90),
                "joined": start + timedelta(days=rng.randint(0, 1800)),
            }
        )
    return rows


PEOPLE = TableSpec(
    columns=[
        Column("id", label="ID"),
        Column("name", header_filter=True),
        Column("email", header_filter=True),
        Column("city", filter=True),
        Column("status", choices=STATES, status=True),
        Column("age"),
        Column("joined", searchable=False),
    ],
    default_sort="id",
)


def respond(request: Request, source: DataSource, title: str, **props) -> HTMLResponse:
    """The table region for htmx, the whole page otherwise: one route serves both."""
    page = request.app.state.fasthx_ui.env.from_string(PAGE)
    return table_response(request, source, template=page, context={"title": title}, caption=title, **props)


@stories.router.get("/people", response_class=HTMLResponse)
def people_table(request: Request):
    return respond(request, ListSource(people(), PEOPLE), "People", url=stories.url(request, "/people"), id="people")


@stories.router.get("/empty", response_class=HTMLResponse)
def empty_table(request: Request):
    return respond(request, ListSource([], PEOPLE), "Nobody", url=stories.url(request, "/empty"), id="nobody", empty="Nobody here yet.")


HOSTILE = [
    {"id": 1, "name": "<script>alert('name')</script>", "email": '"><img src=x onerror=alert(1)>', "city": "<b>bold</b>", "status": "<i>x</i>", "age": 1, "joined": None},
    {"id": 2, "name": "Robert'); DROP TABLE people;--", "email": "javascript:alert(2)", "city": "{{ 7*7 }}", "status": "online", "age": 2, "joined": None},
]


@stories.router.get("/hostile", response_class=HTMLResponse)
def hostile_table(request: Request):
    spec = TableSpec(columns=[Column("id"), Column("name", header_filter=True), Column("email"), Column("city", filter=True), Column("status", status=True)])
    return respond(request, ListSource(HOSTILE, spec), "Hostile data", url=stories.url(request, "/hostile"), id="hostile")


def loader(path: str) -> str:
    """A story template that loads the table's route into the preview."""
    return f'<div hx-get="{{{{ api }}}}/{path}" hx-trigger="load" hx-swap="outerHTML" aria-busy="true">Loading…</div>'


@stories.story()
def memory():
    """10,000 people in memory: sort, search, header filters, dropdown filters, paging, page size."""
    return loader("people")


@stories.story()
def empty():
    """No rows: the empty state and a zero summary."""
    return loader("empty")


@stories.story()
def hostile():
    """Rows full of XSS payloads: every value comes out as text."""
    return loader("hostile")


DEVICES = TableSpec(
    columns=[
        Column("id", label="ID"),
        Column("hostname", header_filter=True),
        Column("ip_address", label="IP address", header_filter=True),
        Column("status", choices=DeviceStatus, status=True, header_filter=True),
        Column("site.name", label="Site", header_filter=True, filter=True),
        Column("site.region", label="Region", filter=True),
    ],
    default_sort="id",
)

DEVICE_ACTIONS = [
    {"label": "View", "icon": "eye", "href": "{api}/devices/{id}", "class": "btn-outline-secondary"},
    {"label": "Ping", "icon": "broadcast", "hx_post": "{api}/devices/{id}/ping", "hx_swap": "none", "class": "btn-outline-success"},
    {"label": "Delete", "icon": "trash", "hx_post": "{api}/devices/{id}/delete", "hx_swap": "outerHTML", "class": "btn-outline-danger", "confirm": "Delete device {id}?"},
]

BULK_ACTIONS = [
    {"label": "Mark offline", "icon": "power", "hx_post": "{api}/devices/bulk-offline", "confirm": "Mark {count} devices offline?"},
    {"label": "Delete selected", "icon": "trash", "hx_post": "{api}/devices/bulk-delete", "confirm": "Delete {count} devices?", "class": "text-danger"},
]


def device_source(session: Session) -> SQLSource:
    return SQLSource(session, select(Device), DEVICES)


@stories.router.get("/devices", response_class=HTMLResponse)
def devices_table(request: Request, session: Session = Depends(get_session)):
    return respond(
        request,
        device_source(session),
        "Devices",
        url=stories.url(request, "/devices"),
        id="devices",
        row_actions=stories.resolve(request, DEVICE_ACTIONS),
        bulk_actions=stories.resolve(request, BULK_ACTIONS),
        select_all_url=stories.url(request, "/devices/select-all-ids"),
    )


def site_name(value, device: Device) -> Markup:
    """The Site column's cell: the site's name for the key it holds (escaped)."""
    return escape(device.site.name) if device.site else Markup('<span class="text-body-secondary">none</span>')


ASSETS = TableSpec(
    columns=[
        Column("id", label="ID"),
        Column("hostname"),
        Column("site_id", label="Site", formatter=site_name, filter_key="site_id.name", param="site_id.name", header_filter=True),
        Column("status", choices=DeviceStatus, status=True),
        Column("site_id.region", label="Region", display=False, filter=True, searchable=False),
        Column("ip_address", label="IP address", display=False, header_filter=True),
    ],
    default_sort="id",
)


@stories.router.get("/assets", response_class=HTMLResponse)
def assets_table(request: Request, session: Session = Depends(get_session)):
    """A foreign key column shown through a formatter and filtered by the related name
    (`cf_site_id.name`), plus two filter-only columns (Region, IP address)."""
    source = SQLSource(session, select(Device), ASSETS, eager=["site"])
    return respond(request, source, "Assets", url=stories.url(request, "/assets"), id="assets")


@stories.router.get("/uncounted", response_class=HTMLResponse)
def uncounted_table(request: Request, session: Session = Depends(get_session)):
    """The rows first, without a count; the summary asks for the count afterwards."""
    source = SQLSource(session, select(Device), DEVICES, count="deferred")
    return respond(request, source, "Devices, counted later", url=stories.url(request, "/uncounted"), id="uncounted", count_url=stories.url(request, "/uncounted/count"))


@stories.router.get("/uncounted/count", response_class=PlainTextResponse)
def uncounted_count(request: Request, session: Session = Depends(get_session)):
    return records_text(device_source(session).count(DEVICES.parse(request.query_params)))


@stories.router.get("/devices/select-all-ids")
def devices_select_all(request: Request, session: Session = Depends(get_session)):
    ids = device_source(session).ids(DEVICES.parse(request.query_params))
    return JSONResponse({"ids": ids, "total": len(ids)})


def posted_ids(form) -> list[int]:
    return [int(v) for v in form.getlist("ids") if str(v).isdigit()]


@stories.router.post("/devices/bulk-offline")
async def devices_bulk_offline(request: Request, session: Session = Depends(get_session)):
    ids = posted_ids(await request.form())
    session.execute(update(Device).where(Device.id.in_(ids)).values(status=DeviceStatus.OFFLINE))
    session.commit()
    return toast_response(f"Marked {len(ids)} devices offline.", type="success")


@stories.router.post("/devices/bulk-delete")
async def devices_bulk_delete(request: Request, session: Session = Depends(get_session)):
    ids = posted_ids(await request.form())
    session.execute(delete(Device).where(Device.id.in_(ids)))
    session.commit()
    return toast_response(f"Deleted {len(ids)} devices.", type="success")


@stories.router.post("/devices/reset")
def devices_reset(session: Session = Depends(get_session)):
    """Put the story's data back (the browser tests start from it)."""
    table_data.seed(session)
    return Response(status_code=204)


@stories.router.post("/devices/{device_id}/delete", response_class=HTMLResponse)
def device_delete(device_id: int, session: Session = Depends(get_session)):
    """Deletes the device; the empty answer replaces (removes) its row."""
    session.execute(delete(Device).where(Device.id == device_id))
    session.commit()
    return HTMLResponse("")


@stories.router.post("/devices/{device_id}/ping")
def device_ping(device_id: int, session: Session = Depends(get_session)):
    device = session.get(Device, device_id)
    if device is None:
        return toast_response("No such device.", type="danger", status_code=404)
    return toast_response(f"{device.hostname} answered.", type="success")


@stories.router.get("/devices/{device_id}", response_class=HTMLResponse)
def device_detail(request: Request, device_id: int, session: Session = Depends(get_session)):
    device = session.get(Device, device_id)
    ui = request.app.state.fasthx_ui
    body = "<p>No such device.</p>" if device is None else "<p>{{ d.hostname }} at {{ d.site.name if d.site else 'no site' }}</p>"
    html = ui.render(request, ui.env.from_string(f"<ui:Layout title=\"Device\" sidebar={{{{ false }}}}>{body}</ui:Layout>"), {"d": device})
    return HTMLResponse(html, status_code=200 if device else 404)


def edges_spec(request: Request) -> TableSpec:
    """Edges whose status cells poll this module's status route until a terminal state."""
    polling = Polling(stories.url(request, "/edges/{id}/status"), every=2, terminal_states=("online", "offline", "error"))
    return TableSpec(
        columns=[Column("id", label="ID"), Column("hostname"), Column("status", status=True, polling=polling)],
        default_sort="id",
        page_size=10,
    )


EDGE_ACTIONS = [
    {"label": "Deploy", "icon": "rocket", "hx_post": "{api}/edges/{id}/deploy", "hx_target": "#" + polling_cell_id("edges", "status", "{id}"),
     "hx_swap": "outerHTML", "class": "btn-outline-success"},
    {"label": "Deploy with progress", "icon": "speedometer2", "hx_post": "{api}/edges/{id}/deploy-progress", "class": "btn-outline-primary"},
]
EDGE_PROGRESS = InProcessProgressStore()


@stories.router.get("/edges", response_class=HTMLResponse)
def edges_table(request: Request, session: Session = Depends(get_session)):
    source = SQLSource(session, select(Device).where(Device.id <= 10), edges_spec(request))
    actions = stories.resolve(request, EDGE_ACTIONS)
    return respond(request, source, "Edges", url=stories.url(request, "/edges"), id="edges", search=False, row_actions=actions)


def edge_cell(request: Request, device: Device) -> HTMLResponse:
    return HTMLResponse(edges_spec(request).column("status").polling_cell(device.id, device, table_id="edges"))


def edge_progress_url(request: Request, device_id: int) -> str:
    return stories.url(request, f"/edges/{device_id}/progress")


@stories.router.post("/edges/{device_id}/deploy-progress", response_class=HTMLResponse)
def edge_deploy_progress(request: Request, device_id: int, session: Session = Depends(get_session)):
    """The row action inserts a progress row below its row and, out of band, restarts
    the row's status cell (its polling moves the deployment on)."""
    device = session.get(Device, device_id)
    if device is None:
        return toast_response("No such device.", type="danger", status_code=404)
    device.status, device.polls = DeviceStatus.DEPLOYING, 0
    session.commit()
    EDGE_PROGRESS.clear("edges", device_id)
    cell = edges_spec(request).column("status").polling_cell(device.id, device, table_id="edges", oob=True)
    return progress_response(request, edge_progress_url(request, device_id), oob=[cell], colspan=4)


@stories.router.get("/edges/{device_id}/progress", response_class=HTMLResponse)
def edge_progress(request: Request, device_id: int):
    return progress_poll_response(request, EDGE_PROGRESS, "edges", device_id, edge_progress_url(request, device_id), colspan=4)


@stories.router.post("/edges/{device_id}/deploy", response_class=HTMLResponse)
def edge_deploy(request: Request, device_id: int, session: Session = Depends(get_session)):
    device = session.get(Device, device_id)
    if device is None:
        return toast_response("No such device.", type="danger", status_code=404)
    device.status, device.polls = DeviceStatus.DEPLOYING, 0
    session.commit()
    return edge_cell(request, device)


@stories.router.get("/edges/{device_id}/status", response_class=HTMLResponse)
def edge_status(request: Request, device_id: int, session: Session = Depends(get_session)):
    """Each poll moves a deploying device on; the third one finds it online."""
    device = session.get(Device, device_id)
    if device is None:
        return toast_response("No such device.", type="danger", status_code=404)
    if device.status is DeviceStatus.DEPLOYING:
        device.polls += 1
        if device.polls >= 3:
            device.status = DeviceStatus.ONLINE
        session.commit()
        EDGE_PROGRESS.set("edges", device_id, 100 if device.status is DeviceStatus.ONLINE else 33 * device.polls)
    return edge_cell(request, device)


@stories.story()
def sqlalchemy():
    """2,000 devices in SQLite with a site foreign key: related columns sorted, searched and filtered through one join; row actions."""
    return loader("devices")


@stories.story()
def filter_only_columns():
    """`display=False` columns are searched and filtered from the toolbar but not shown;
    the Site column's header filter looks at `site_id.name` through the foreign key."""
    return loader("assets?flt_site_id.region=Europe")


@stories.story()
def counted_later():
    """Count strategy "deferred": the page shows at once, the total arrives in a second request."""
    return loader("uncounted")


@stories.story()
def bulk_selection():
    """Check rows across pages, or select all matching; "With selected" posts the ids."""
    return loader("devices?flt_site.name=Oslo+HQ")


@stories.story()
def polling():
    """Status cells that refresh every 2 s until a terminal state; Deploy restarts one;
    Deploy with progress adds a progress row and restarts the cell out of band."""
    return loader("edges")

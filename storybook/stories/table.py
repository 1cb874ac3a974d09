"""Table stories: a 10,000-row in-memory table, an empty table and hostile data.

Each table lives at its own route under `/api/table/…`, written the way an app would
write it: the whole page for a normal GET (reload, back, a shared link) and only the
table region when htmx asks for it. The stories load that route into the preview.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from functools import cache

from fastapi import Request
from fastapi.responses import HTMLResponse

from fasthx_ui.htmx import is_partial
from fasthx_ui.table import Column, ListSource, TableSpec
from storybook.book import Stories

stories = Stories("Table", "A data table: sortable headers, search, filters, paging; every change is one htmx round-trip.")

PAGE = '<ui:Layout title={{ title }} sidebar={{ false }}>{{ table }}</ui:Layout>'

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


def respond(request: Request, title: str, **props) -> HTMLResponse:
    """The table region for htmx, the whole page otherwise: one route serves both."""
    ui = request.app.state.fasthx_ui
    table = ui.component("ui:Table", request, caption=title, **props)
    if is_partial(request):
        return HTMLResponse(table)
    return HTMLResponse(ui.render(request, ui.env.from_string(PAGE), {"title": title, "table": table}))


@stories.router.get("/people", response_class=HTMLResponse)
def people_table(request: Request):
    source = ListSource(people(), PEOPLE)
    state = PEOPLE.parse(request.query_params)
    page = source.page(state)
    choices = {c.key: source.choices(c) for c in PEOPLE.filter_columns}
    return respond(request, "People", page=page, url="/api/table/people", id="people", choices=choices)


@stories.router.get("/empty", response_class=HTMLResponse)
def empty_table(request: Request):
    page = ListSource([], PEOPLE).page(PEOPLE.parse(request.query_params))
    return respond(request, "Nobody", page=page, url="/api/table/empty", id="nobody", empty="Nobody here yet.")


HOSTILE = [
    {"id": 1, "name": "<script>alert('name')</script>", "email": '"><img src=x onerror=alert(1)>', "city": "<b>bold</b>", "status": "<i>x</i>", "age": 1, "joined": None},
    {"id": 2, "name": "Robert'); DROP TABLE people;--", "email": "javascript:alert(2)", "city": "{{ 7*7 }}", "status": "online", "age": 2, "joined": None},
]


@stories.router.get("/hostile", response_class=HTMLResponse)
def hostile_table(request: Request):
    spec = TableSpec(columns=[Column("id"), Column("name", header_filter=True), Column("email"), Column("city", filter=True), Column("status", status=True)])
    source = ListSource(HOSTILE, spec)
    page = source.page(spec.parse(request.query_params))
    choices = {"city": source.choices(spec.column("city"))}
    return respond(request, "Hostile data", page=page, url="/api/table/hostile", id="hostile", choices=choices)


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

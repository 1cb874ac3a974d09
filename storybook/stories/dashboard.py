"""Dashboard stories: the reference's full dashboard on SQLAlchemy rows, the same sections
from JSON controls (dict rows, a minimal one, empty sections, hostile text, a shape that
cannot be shown), and the pages its links lead to.

The customers live in an in-memory SQLite database of this module. Each story loads a
route that builds the sections the way an app does, with `dashboard_page(...)`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import cache

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup
from sqlalchemy import ForeignKey, String, create_engine, func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship, selectinload
from sqlalchemy.pool import StaticPool

from fasthx_ui import Column, dashboard_actions, dashboard_cards, dashboard_page, dashboard_stats, dashboard_table, detail_items
from fasthx_ui.ui import ui_for
from storybook.book import Stories

stories = Stories(
    "Dashboard",
    "A data-driven dashboard: summary cards, a recent-items table, a status breakdown and quick actions.",
    category="Data",
)

NAMES = ["Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Ken", "Margaret", "Linus", "Guido", "Radia", "Frances"]
REGIONS = ["Europe", "Asia", "Americas"]
STATES = ["active", "active", "inactive", "pending"]
PAGE = "<ui:Layout title={{ title }} sidebar={{ false }}>{{ body }}</ui:Layout>"


class Base(DeclarativeBase):
    pass


class Region(Base):
    __tablename__ = "regions"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(30))


class Customer(Base):
    __tablename__ = "customers"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60))
    email: Mapped[str] = mapped_column(String(80))
    status: Mapped[str] = mapped_column(String(20))
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"))
    region: Mapped[Region] = relationship()


@cache
def engine() -> Engine:
    """24 customers in three regions, the same on every run."""
    db = create_engine("sqlite://", poolclass=StaticPool, connect_args={"check_same_thread": False})
    Base.metadata.create_all(db)
    with Session(db) as session:
        session.add_all(Region(id=i, name=name) for i, name in enumerate(REGIONS, 1))
        session.add_all(
            Customer(id=i, name=f"{NAMES[i % len(NAMES)]} {i:02d}", email=f"customer{i:02d}@example.org",
                     status=STATES[i % len(STATES)], region_id=i % len(REGIONS) + 1)
            for i in range(1, 25)
        )
        session.commit()
    return db


def get_session() -> Iterator[Session]:
    with Session(engine()) as session:
        yield session


COLUMNS = [
    {"key": "name", "label": "Name", "link": "{api}/customers/{id}"},
    {"key": "email", "label": "Email", "code": True},
    {"key": "region.name", "label": "Region"},
    {"key": "status", "label": "Status", "status": True},
]


def page(request: Request, title: str, body: str, status_code: int = 200) -> HTMLResponse:
    """A whole page around `body`, for the routes the dashboard's links open."""
    ui = ui_for(request)
    return HTMLResponse(ui.render(request, ui.env.from_string(PAGE), {"title": title, "body": body}), status_code)


@stories.router.get("/full", response_class=HTMLResponse)
def full(request: Request, session: Session = Depends(get_session)):
    """The reference's full example: counts from the database, SQLAlchemy rows."""
    counts = dict(session.execute(select(Customer.status, func.count()).group_by(Customer.status)).all())
    total = sum(counts.values())
    regions = session.scalar(select(func.count()).select_from(Region))
    recent = session.scalars(select(Customer).options(selectinload(Customer.region)).order_by(Customer.id.desc()).limit(10)).all()
    dashboard = dashboard_page(*stories.resolve(request, [
        [
            {"label": "Total", "value": total, "icon": "people", "link": "{api}/customers"},
            {"label": "Active", "value": counts["active"], "icon": "check-circle", "color": "text-success",
             "icon_color": "text-success", "bg": "bg-success-subtle", "link": "{api}/customers?q=active"},
            {"label": "Inactive", "value": counts["inactive"], "icon": "pause-circle", "icon_color": "text-secondary",
             "bg": "bg-secondary-subtle", "link": "{api}/customers?q=inactive"},
            {"label": "Pending", "value": counts["pending"], "icon": "hourglass-split", "icon_color": "text-warning",
             "bg": "bg-warning-subtle", "link": "{api}/customers?q=pending"},
            {"label": "Regions", "value": regions, "icon": "globe", "link": "{api}/customers"},
        ],
        {"title": "Recent Customers", "link": "{api}/customers", "columns": COLUMNS, "rows": recent},
        {"status_breakdown": counts, "counters_title": "Summary",
         "counters": [{"label": "Total Customers", "value": total}, {"label": "Total Regions", "value": regions}]},
        [
            {"label": "All Customers", "url": "{api}/customers", "icon": "list-ul", "class": "btn-primary"},
            {"label": "Pending Customers", "url": "{api}/customers?q=pending", "icon": "hourglass-split"},
            {"label": "Storybook", "url": "{root}/", "icon": "house"},
        ],
    ]))
    return ui_for(request).fragment(request, "ui:Dashboard", dashboard=dashboard, id="customers-dashboard")


@stories.router.get("/customers", response_class=HTMLResponse)
def customers(request: Request, q: str = "", session: Session = Depends(get_session)):
    """Where the cards and "View All" lead: every customer, or those of one status."""
    query = select(Customer).options(selectinload(Customer.region)).order_by(Customer.id)
    rows = session.scalars(query.where(Customer.status == q) if q else query).all()
    title = f"{q.capitalize()} customers" if q else "All customers"
    table = dashboard_table({"title": title, "columns": stories.resolve(request, COLUMNS), "rows": rows})
    return page(request, title, ui_for(request).component("ui:RecordTable", request, table=table, id="customers"))


@stories.router.get("/customers/{customer_id}", response_class=HTMLResponse)
def customer(request: Request, customer_id: int, session: Session = Depends(get_session)):
    """Where a name in the table leads: the customer's details."""
    found = session.get(Customer, customer_id)
    if found is None:
        return page(request, "Not found", "<p>No such customer.</p>", status_code=404)
    items = detail_items(found, ["name", "email", Column("region.name", label="Region"), Column("status", status=True)])
    return page(request, found.name, ui_for(request).component("ui:DetailList", request, items=items, id="customer"))


@stories.router.get("/board", response_class=HTMLResponse)
def board(request: Request, data: str = "{}"):
    """The sections of a JSON object {cards, table, stats, actions}, or what is wrong with it."""
    try:
        sections = json.loads(data)
        if not isinstance(sections, dict):
            raise TypeError("the story's data should be a JSON object")
        dashboard = dashboard_page(*(sections.get(key) for key in ("cards", "table", "stats", "actions")))
    except (TypeError, ValueError) as error:
        message = Markup('<div class="alert alert-danger" role="alert">This dashboard cannot be shown: {}</div>')
        return HTMLResponse(message.format(str(error)), status_code=422)
    return ui_for(request).fragment(request, "ui:Dashboard", dashboard=dashboard)


BOARD = """<div hx-get="{{ api }}/board" hx-trigger="load" hx-swap="outerHTML"
     hx-vals='{{ {"data": {"cards": cards, "table": table, "stats": stats, "actions": actions} | tojson} | tojson }}'>Loading…</div>"""

ORDERS = {
    "title": "Recent Orders",
    "link": "{api}/customers",
    "columns": [
        {"key": "id", "label": "Order #", "link": "{api}/customers/{id}"},
        {"key": "customer_name", "label": "Customer"},
        {"key": "total", "label": "Total"},
        {"key": "status", "label": "Status", "status": True},
    ],
    "rows": [
        {"id": 3, "customer_name": "Grace 03", "total": "$120.00", "status": "pending"},
        {"id": 2, "customer_name": "Alan 02", "total": "$75.50", "status": "completed"},
        {"id": 1, "customer_name": "Ada 01", "total": "$9.99", "status": "refunded"},
    ],
}
XSS = "<script>alert('x')</script>"


@stories.story()
def full_example():
    """The reference's full example on SQLAlchemy rows: five cards (the fifth wraps), the ten
    newest customers, the status breakdown with counters, and quick actions."""
    return '<div hx-get="{{ api }}/full" hx-trigger="load" hx-swap="outerHTML">Loading…</div>'


@stories.story(args={
    "cards": [{"label": "Orders", "value": 3, "icon": "cart", "link": "{api}/customers"}],
    "table": ORDERS,
    "stats": {"title": "Orders by status", "status_breakdown": {"pending": 1, "completed": 1, "refunded": 1}},
    "actions": [{"label": "Customers", "url": "{api}/customers", "icon": "people", "class": "btn-primary"}],
})
def dict_rows():
    """The reference's dict-rows example (computed values); edit any section in its control.
    "refunded" is not a known state, so its badge is grey."""
    return BOARD


@stories.story(args={"cards": [{"label": "Total Devices", "value": 42, "icon": "shield", "link": "{api}/customers"},
                               {"label": "Online", "value": 40, "icon": "check-circle", "link": "{api}/customers"}],
                     "table": {}, "stats": {}, "actions": []})
def minimal():
    """Only the required keys of two cards; no other section is given, so none shows."""
    return BOARD


@stories.story(args={"cards": [], "table": {"columns": COLUMNS, "rows": []}, "stats": {"title": "Nothing counted"},
                     "actions": [{"label": "Back to the storybook", "url": "{root}/"}]})
def empty():
    """A table without rows and a panel without figures show their empty states."""
    return BOARD


@stories.story(args={
    "cards": [{"label": XSS, "value": "<img src=x onerror=alert(1)>", "icon": "x\" onmouseover=\"alert(2)", "link": "javascript:alert(3)"}],
    "table": {"title": XSS, "link": "javascript:alert(4)", "link_text": "<b>all</b>",
              "columns": [{"key": "name", "label": XSS, "link": "{api}/customers/{id}"}, {"key": "status", "label": "Status", "status": True}],
              "rows": [{"id": "1/../../x?<y>", "name": "<i>Robert'); DROP TABLE customers;--</i>", "status": XSS}]},
    "stats": {"title": "{{ 7*7 }}", "status_breakdown": {XSS: 1}, "counters_title": "<u>u</u>", "counters": [{"label": XSS, "value": XSS}]},
    "actions": [{"label": XSS, "url": "javascript:alert(5)", "class": "btn-outline-danger\" onclick=\"alert(6)"}],
})
def hostile():
    """Markup and script in every key: all of it shows as text, script links become '#'."""
    return BOARD


@stories.story(args={"cards": ["Total"], "table": {}, "stats": {}, "actions": []})
def bad_input():
    """A card that is a string instead of a dict: the route answers with what is wrong, not a crash."""
    return BOARD


PARTS = {
    "cards": ("ui:DashboardCards", "cards", dashboard_cards, [
        {"label": "Total Devices", "value": 1234, "icon": "shield", "link": "{api}/customers"},
        {"label": "Errors", "value": 3, "icon": "exclamation-triangle", "color": "text-danger",
         "icon_color": "text-danger", "bg": "bg-danger-subtle", "link": "{api}/customers?q=pending"},
    ]),
    "table": ("ui:RecordTable", "table", dashboard_table,
              {"title": "Recent Customers", "link": "{api}/customers", "columns": COLUMNS}),
    "stats": ("ui:StatsPanel", "stats", dashboard_stats,
              {"status_breakdown": {"online": 12, "deploying": 3, "error": 1, "retired": 4},
               "counters_title": "Summary", "counters": [{"label": "Total Customers", "value": 24}]}),
    "actions": ("ui:QuickActions", "actions", dashboard_actions, [
        {"label": "All Customers", "url": "{api}/customers", "icon": "list-ul", "class": "btn-primary"},
        {"label": "Storybook", "url": "{root}/", "icon": "house"},
    ]),
}
"""Each part of the dashboard alone: its component, prop, converter and data."""


@stories.router.get("/part/{name}", response_class=HTMLResponse)
def part(request: Request, name: str, session: Session = Depends(get_session)):
    if name not in PARTS:
        return HTMLResponse("No such part.", status_code=404)
    component, prop, convert, data = PARTS[name]
    data = stories.resolve(request, data)
    if name == "table":
        data = {**data, "rows": session.scalars(select(Customer).options(selectinload(Customer.region)).limit(3)).all()}
    return ui_for(request).fragment(request, component, **{prop: convert(data)})


def part_story(name: str) -> str:
    return '<div hx-get="{{ api }}/part/' + name + '" hx-trigger="load" hx-swap="outerHTML">Loading…</div>'


@stories.story()
def cards_alone():
    """`<ui:DashboardCards>` on its own: link cards, the second coloured as an alarm."""
    return part_story("cards")


@stories.story()
def record_table_alone():
    """`<ui:RecordTable>` on its own: a link, a code and a plain column over model rows."""
    return part_story("table")


@stories.story()
def stats_panel_alone():
    """`<ui:StatsPanel>` on its own: known states in their colours, an unknown one grey."""
    return part_story("stats")


@stories.story()
def quick_actions_alone():
    """`<ui:QuickActions>` on its own: a primary and an outline shortcut."""
    return part_story("actions")

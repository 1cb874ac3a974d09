"""The dashboard helpers and components: the reference's defaults, dict and object rows
(SQLAlchemy instances too), every kind of cell, escaping, status colours from the one
table, clear errors for shapes that cannot be shown, and dashboard.html's sections."""

from __future__ import annotations

import enum
import re
from collections.abc import Callable

import jinja2
import pytest
import sqlalchemy as sa
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.testclient import TestClient
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from fasthx_ui import (
    STATUS_COLORS,
    UI,
    DashboardCard,
    QuickAction,
    RecordColumn,
    dashboard_actions,
    dashboard_cards,
    dashboard_page,
    dashboard_stats,
    dashboard_table,
    status_badge,
)
from fasthx_ui.crud import auth
from fasthx_ui.crud.admin import Admin

XSS = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'


@pytest.fixture(scope="module")
def ui() -> UI:
    return UI(secret_key="test")


class Status(enum.Enum):
    ONLINE = "online"
    RETIRED = "retired"


class Base(DeclarativeBase):
    pass


class Device(Base):
    __tablename__ = "devices"
    id: Mapped[str] = mapped_column(primary_key=True)
    name: Mapped[str]
    serial: Mapped[str | None]
    status: Mapped[Status] = mapped_column(sa.Enum(Status))


COLUMNS = [
    {"key": "name", "label": "Name", "link": "/devices/{id}"},
    {"key": "serial", "label": "Serial", "code": True},
    {"key": "status", "label": "Status", "status": True},
]


def cells(html: str) -> list[str]:
    return re.findall(r"<td>(.*?)</td>", html)


def test_cards_take_the_reference_defaults():
    (card,) = dashboard_cards([{"label": "Total", "value": 7, "icon": "shield", "link": "/devices"}])
    assert card == DashboardCard("Total", 7, "shield", "/devices", "", "text-primary", "bg-primary-subtle")
    (styled,) = dashboard_cards([{"label": "Errors", "value": 0, "icon": "bi-x", "link": "/e", "color": "text-danger",
                                  "icon_color": "text-danger", "bg": "bg-danger-subtle"}])
    assert (styled.icon, styled.text, styled.color, styled.icon_color, styled.bg) == ("x", "0", "text-danger", "text-danger", "bg-danger-subtle")


def test_table_stats_and_actions_take_the_reference_defaults():
    table = dashboard_table({"columns": [{"key": "site_id"}], "rows": []})
    assert (table.title, table.link, table.link_text, table.rows) == ("Recent Items", "", "View All", ())
    assert table.columns == (RecordColumn("site_id", "Site"),)
    stats = dashboard_stats({"status_breakdown": {"online": 2}})
    assert (stats.title, stats.counters_title, stats.counters) == ("Status Breakdown", "", ())
    assert dashboard_actions([{"label": "Add", "url": "/add"}]) == (QuickAction("Add", "/add", "", "btn-outline-secondary"),)
    assert dashboard_actions([{"label": "Go", "url": "/go", "icon": "magic", "class": "btn-primary"}])[0].css_class == "btn-primary"


def test_normalised_values_pass_through_unchanged():
    cards = dashboard_cards([{"label": "A", "value": 1}])
    table = dashboard_table({"columns": COLUMNS})
    stats = dashboard_stats({"counters": [{"label": "Sites", "value": 4}]})
    assert dashboard_cards(cards) == cards and dashboard_table(table) is table and dashboard_stats(stats) is stats
    assert dashboard_page(cards, table, stats).table is table


def test_dict_rows_and_sqlalchemy_rows_render_the_same_cells(ui, tmp_path):
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'd.db'}")
    Base.metadata.create_all(engine)
    with Session(engine) as session:
        session.add(Device(id="edge/1", name="Edge <1>", serial="SN-1", status=Status.ONLINE))
        session.commit()
        objects = session.scalars(sa.select(Device)).all()
        from_objects = str(ui.component("ui:RecordTable", table=dashboard_table({"columns": COLUMNS, "rows": objects})))
    as_dicts = [{"id": "edge/1", "name": "Edge <1>", "serial": "SN-1", "status": "online"}]
    from_dicts = str(ui.component("ui:RecordTable", table=dashboard_table({"columns": COLUMNS, "rows": as_dicts})))
    assert cells(from_objects) == cells(from_dicts) == [
        '<a href="/devices/edge%2F1">Edge &lt;1&gt;</a>',
        "<code>SN-1</code>",
        '<span class="badge text-bg-success" data-status="online">online</span>',
    ]


def test_a_cell_is_a_link_code_a_badge_or_text_and_empty_values_are_empty():
    row = {"id": 3, "name": "n", "serial": None}
    assert RecordColumn("name").cell(row) == "n"
    assert RecordColumn("name", link="/x/{id}/edit", code=True).cell(row) == '<a href="/x/3/edit"><code>n</code></a>'
    assert RecordColumn("serial", link="/x/{id}", status=True).cell(row) == ""
    assert RecordColumn("name", link="/x/{id}").cell({"name": "no id"}) == "no id"
    assert RecordColumn("name", link="/all").cell({"name": "fixed"}) == '<a href="/all">fixed</a>'
    assert RecordColumn("site.name").cell({"site": {"name": "Oslo"}}) == "Oslo"


@pytest.mark.parametrize("state", [*STATUS_COLORS, "Online", "retired", "something new", XSS])
def test_status_colours_come_from_the_one_table(ui, state):
    stats = dashboard_stats({"status_breakdown": {state: 3}})
    html = str(ui.component("ui:StatsPanel", stats=stats))
    assert status_badge(state) in html
    assert ("text-bg-secondary" in html) == (state.lower() not in STATUS_COLORS)
    assert RecordColumn("s", status=True).cell({"s": state}) == status_badge(state)


def test_every_value_is_escaped_and_unsafe_links_are_neutralised(ui):
    dashboard = dashboard_page(
        cards=[{"label": XSS, "value": XSS, "icon": XSS, "link": "javascript:alert(3)", "color": XSS, "icon_color": XSS, "bg": XSS}],
        table={"title": XSS, "link": "javascript:alert(4)", "link_text": XSS,
               "columns": [{"key": "name", "label": XSS, "link": "/d/{id}"}, {"key": "s", "label": XSS, "status": True}],
               "rows": [{"id": XSS, "name": XSS, "s": XSS}]},
        stats={"title": XSS, "status_breakdown": {XSS: XSS}, "counters_title": XSS, "counters": [{"label": XSS, "value": XSS}]},
        actions=[{"label": XSS, "url": "javascript:alert(5)", "icon": XSS, "class": XSS}],
    )
    html = str(ui.component("ui:Dashboard", dashboard=dashboard))
    assert "<script>" not in html and "<img" not in html and "javascript:" not in html
    assert html.count('href="#"') == 3
    assert '<a href="/d/%3Cscript%3Ealert%281%29%3C%2Fscript%3E%22%3E%3Cimg%20src%3Dx%20onerror%3Dalert%282%29%3E">' in html


def test_cards_are_links_four_a_row_and_a_card_without_link_is_not(ui):
    html = str(ui.component("ui:DashboardCards", cards=dashboard_cards([
        {"label": "Total", "value": 1200, "icon": "shield", "link": "/devices"},
        {"label": "Plain", "value": None},
    ])))
    assert html.count('<li class="col-12 col-sm-6 col-md-3">') == 2
    assert '<a class="card fhx-dashboard-card" href="/devices">' in html
    assert '<div class="card fhx-dashboard-card"><span class="fhx-card-text">' in html
    assert '<i class="bi bi-shield"></i>' in html and "1200" in html
    assert str(ui.component("ui:DashboardCards", cards=())).strip() == ""


def test_empty_states(ui):
    table = str(ui.component("ui:RecordTable", table=dashboard_table({"columns": COLUMNS, "rows": []}), empty="None yet"))
    assert '<tr class="fhx-record-table-empty"><td colspan="3">None yet</td></tr>' in table
    stats = str(ui.component("ui:StatsPanel", stats=dashboard_stats({"title": "Figures"})))
    assert "Figures" in stats and "No figures yet." in stats and "<dl" not in stats


def test_counters_have_their_heading_after_the_breakdown(ui):
    stats = dashboard_stats({"status_breakdown": [("online", 12), ("error", 1)], "counters_title": "Summary",
                             "counters": [{"label": "Total Customers", "value": 40}]})
    html = str(ui.component("ui:StatsPanel", stats=stats, id="s1"))
    assert re.findall(r"<dd>(.*?)</dd>", html) == ["12", "1", "40"]
    assert html.index("fhx-stats-breakdown") < html.index('<h3 class="fhx-stats-subtitle">Summary</h3>') < html.index("Total Customers")
    assert 'aria-labelledby="s1-title"' in html and 'id="s1-title"' in html


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: dashboard_cards({"label": "x"}), "dashboard_cards should be a list, got dict"),
        (lambda: dashboard_cards(["Total"]), "dashboard_cards\\[0\\] should be a dict, got 'Total'"),
        (lambda: dashboard_table({"rows": []}), "dashboard_table needs 'columns'"),
        (lambda: dashboard_table({"columns": [{"label": "Name"}]}), "dashboard_table column 0 needs a 'key'"),
        (lambda: dashboard_table({"columns": COLUMNS, "rows": "abc"}), "dashboard_table rows should be a list, got str"),
        (lambda: dashboard_stats({"counters": [5]}), "dashboard_stats counters\\[0\\] should be a dict, got 5"),
        (lambda: dashboard_actions([None]), "dashboard_actions\\[0\\] should be a dict, got None"),
    ],
)
def test_shapes_that_cannot_be_shown_say_which_entry_is_wrong(call, message):
    with pytest.raises((TypeError, ValueError), match=message):
        call()


def test_missing_sections_are_left_out_including_jinja_undefined():
    undefined = jinja2.Undefined()
    page = dashboard_page(undefined, None, {}, [])
    assert (page.cards, page.table, page.stats, page.actions, page.has_side) == ((), None, None, (), False)
    assert dashboard_page(actions=[{"label": "A", "url": "/a"}]).has_side


def admin_client(monkeypatch, context: dict | Callable[[], dict]) -> TestClient:
    """An Admin app (sign-in off) whose /dashboard answers the reference's way:
    admin.templates.TemplateResponse("dashboard.html", {"request": request, **context})
    (`context()` per request when it is a function)."""
    monkeypatch.setattr(auth, "AUTH_DISABLED", True)
    app = FastAPI()
    admin = Admin(app, title="Ops")
    admin.add_link("dashboard", "/dashboard", "Dashboard", icon="speedometer2", category="Main")

    @app.get("/dashboard", response_class=HTMLResponse)
    def dashboard(request: Request):
        values = context() if callable(context) else context
        return admin.templates.TemplateResponse("dashboard.html", {"request": request, "active_page": "dashboard", **values})

    return TestClient(app)


SECTIONS = {
    "dashboard_cards": ([{"label": "Total", "value": 3, "icon": "people", "link": "/customers"}], "fhx-dashboard-cards"),
    "dashboard_table": ({"columns": COLUMNS, "rows": [{"id": 1, "name": "a", "status": "online"}]}, "fhx-record-table"),
    "dashboard_stats": ({"status_breakdown": {"active": 2}}, "fhx-stats-panel"),
    "dashboard_actions": ([{"label": "Add", "url": "/add"}], "fhx-quick-actions"),
}


def shown(html: str) -> list[str]:
    return [name for name, (_, css) in SECTIONS.items() if f'class="{css}' in html or f'class="card {css}' in html]


@pytest.mark.parametrize("given", list(SECTIONS))
def test_dashboard_page_renders_only_the_sections_it_is_given(monkeypatch, given):
    html = admin_client(monkeypatch, {given: SECTIONS[given][0]}).get("/dashboard").text
    assert "<title>Dashboard · Ops</title>" in html
    assert shown(html) == [given]
    assert "col-lg-" not in html, "a column alone takes the whole width"
    assert 'class="fhx-nav-link active"' in html and 'aria-current="page"' in html


def test_dashboard_page_without_sections_is_an_empty_page(monkeypatch):
    html = admin_client(monkeypatch, {}).get("/dashboard").text
    assert shown(html) == [] and '<div class="fhx-dashboard">\n</div>' in html


def test_dashboard_page_puts_cards_on_top_and_the_table_beside_the_side_column(monkeypatch):
    html = admin_client(monkeypatch, {name: value for name, (value, _) in SECTIONS.items()}).get("/dashboard").text
    markers = ("fhx-dashboard-cards", 'class="col-lg-8"', "fhx-record-table", 'class="col-lg-4', "fhx-stats-panel", "fhx-quick-actions")
    order = [html.index(marker) for marker in markers]
    assert order == sorted(order)


def test_dashboard_page_with_sqlalchemy_rows(monkeypatch, tmp_path):
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'r.db'}")
    Base.metadata.create_all(engine)
    with Session(engine) as session:
        session.add_all(Device(id=str(i), name=f"edge-{i}", serial=None, status=Status.RETIRED) for i in range(3))
        session.commit()

    def recent() -> dict:
        with Session(engine) as session:
            rows = session.scalars(sa.select(Device).order_by(Device.id.desc())).all()
        return {"dashboard_table": {"title": "Recent Devices", "link": "/devices", "columns": COLUMNS, "rows": rows}}

    html = admin_client(monkeypatch, recent).get("/dashboard").text
    assert re.findall(r'<a href="(/devices/\d)">', html) == ["/devices/2", "/devices/1", "/devices/0"]
    assert html.count('data-status="retired"') == 3 and "Recent Devices" in html

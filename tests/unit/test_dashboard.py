"""The dashboard helpers and components: the reference's defaults, dict and object rows
(SQLAlchemy instances too), every kind of cell, escaping, status colours from the one
table, clear errors for shapes that cannot be shown, and dashboard.html's sections."""

from __future__ import annotations

import enum
import re
from pathlib import Path

import jinja2
import pytest
import sqlalchemy as sa
from fastapi import FastAPI, Request
from fastapi.testclient import TestClient
from markupsafe import Markup
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from fasthx_ui import (
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
from fasthx_ui.dashboard import TEMPLATE_GLOBALS
from fasthx_ui.table import STATUS_COLORS

XSS = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'
CRUD_TEMPLATES = Path(__file__).parents[2] / "fasthx_ui" / "crud" / "templates"


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


@pytest.fixture
def dashboard_ui(tmp_path) -> UI:
    """A UI with dashboard.html and a stand-in for the CRUD preset's base.html."""
    (tmp_path / "base.html").write_text("<title>{% block title %}{% endblock %}</title><main>{% block content %}{% endblock %}</main>")
    ui = UI(secret_key="test", templates=[tmp_path, CRUD_TEMPLATES])
    ui.env.globals.update(TEMPLATE_GLOBALS)
    return ui


SECTIONS = {
    "dashboard_cards": ([{"label": "Total", "value": 3, "icon": "people", "link": "/customers"}], "fhx-dashboard-cards"),
    "dashboard_table": ({"columns": COLUMNS, "rows": [{"id": 1, "name": "a", "status": "online"}]}, "fhx-record-table"),
    "dashboard_stats": ({"status_breakdown": {"active": 2}}, "fhx-stats-panel"),
    "dashboard_actions": ([{"label": "Add", "url": "/add"}], "fhx-quick-actions"),
}


@pytest.mark.parametrize("given", list(SECTIONS))
def test_dashboard_page_renders_only_the_sections_it_is_given(dashboard_ui, given):
    value, marker = SECTIONS[given]
    html = str(dashboard_ui.render(None, "dashboard.html", {given: value}))
    assert "<title>Dashboard</title>" in html
    assert [name for name, (_, css) in SECTIONS.items() if f'class="{css}' in html or f'class="card {css}' in html] == [given]
    assert "col-lg-" not in html


def test_dashboard_page_puts_cards_on_top_and_the_table_beside_the_side_column(dashboard_ui):
    context = {name: value for name, (value, _) in SECTIONS.items()}
    html = str(dashboard_ui.render(None, "dashboard.html", context))
    order = [html.index(marker) for marker in ("fhx-dashboard-cards", 'class="col-lg-8"', "fhx-record-table", 'class="col-lg-4',
                                               "fhx-stats-panel", "fhx-quick-actions")]
    assert order == sorted(order)


def test_dashboard_route_with_sqlalchemy_rows(dashboard_ui, tmp_path):
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'r.db'}")
    Base.metadata.create_all(engine)
    with Session(engine) as session:
        session.add_all(Device(id=str(i), name=f"edge-{i}", serial=None, status=Status.RETIRED) for i in range(3))
        session.commit()
    app = FastAPI()
    dashboard_ui.install(app)

    @app.get("/dashboard")
    def dashboard(request: Request):
        with Session(engine) as session:
            rows = session.scalars(sa.select(Device).order_by(Device.id.desc())).all()
            table = {"title": "Recent Devices", "link": "/devices", "columns": COLUMNS, "rows": rows}
            return dashboard_ui.page(request, "dashboard.html", {"dashboard_table": table})

    html = TestClient(app).get("/dashboard").text
    assert re.findall(r'<a href="(/devices/\d)">', html) == ["/devices/2", "/devices/1", "/devices/0"]
    assert html.count('data-status="retired"') == 3 and "Recent Devices" in html
    assert isinstance(dashboard_ui.render(None, "dashboard.html", {}), Markup)

"""Table components rendered through a real UI: escaping, aria-sort, empty state,
warnings, row actions, status badges, polling cells and the one-route page/fragment."""

from __future__ import annotations

import re

import pytest
from fastapi import FastAPI, Request
from fastapi.testclient import TestClient
from markupsafe import Markup

from fasthx_ui import UI
from fasthx_ui import (
    STATUS_COLORS,
    Column,
    ListSource,
    Polling,
    TableSpec,
    polling_cell_id,
    status_badge,
    status_color,
    table_response,
)
from fasthx_ui.ui import COMPONENTS_DIR as COMPONENTS

XSS = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'

SPEC = TableSpec(
    columns=[
        Column("id"),
        Column("name", header_filter=True),
        Column("city", filter=True),
        Column("status", status=True),
        Column("link", formatter=lambda value, obj: f'<a href="/p/{obj["id"]}">open</a>', sortable=False),
    ],
    default_sort="id",
)
ROWS = [{"id": i, "name": f"n{i}" if i != 3 else XSS, "city": "Oslo" if i % 2 else XSS, "status": "online", "link": ""} for i in range(1, 31)]


@pytest.fixture(scope="module")
def ui() -> UI:
    return UI(secret_key="test")


def render_table(ui: UI, query: str = "", rows=ROWS, **props) -> str:
    source = ListSource(rows, SPEC)
    page = source.page(SPEC.parse(query))
    choices = {"city": source.choices(SPEC.column("city"))}
    return str(ui.component("ui:Table", page=page, url="/people", id="people", choices=choices, **props))


def test_table_escapes_every_value_and_trusts_formatters(ui):
    html = render_table(ui, "page_size=50", row_actions=[{"label": "Go", "href": "javascript:alert(3)"}], bulk_actions=[{"label": "X", "hx_post": "/x"}])
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert '<a href="/p/1">open</a>' in html
    assert 'href="#"' in html and "javascript:" not in html


def test_hostile_search_and_filters_come_back_escaped(ui):
    html = render_table(ui, "q=%3Cscript%3E%22%3E%3Cimg&cf_name=%22%3E%3Cb%3E&flt_city=%3Cscript%3E")
    assert "<script>" not in html and "<b>" not in html and "<img" not in html
    assert 'name="q" value="&lt;script&gt;&#34;&gt;&lt;img"' in html
    assert 'name="cf_name"\n           value="&#34;&gt;&lt;b&gt;"' in html


def test_aria_sort_on_the_sorted_header_only(ui):
    html = render_table(ui, "sort=name&order=desc")
    assert len(re.findall(r"aria-sort=", html)) == 1
    assert re.search(r'aria-sort="descending"[^>]*>\s*<button type="button" id="people-sort-name"', html)
    sort_link = re.search(r'id="people-sort-name"[^>]*hx-get="([^"]+)"', html).group(1)
    assert sort_link == "/people?sort=name"


def test_empty_state_summary_and_warnings(ui):
    html = render_table(ui, "page=abc&sort=nope", rows=[], empty="Nothing yet.")
    assert 'class="fhx-table-empty"><td colspan="5">Nothing yet.</td>' in html
    assert "0 records" in html
    assert html.count("<li>") == 2 and "not a whole number" in html


def test_pagination_links_keep_the_filters(ui):
    html = render_table(ui, "cf_name=n&flt_city=Oslo&sort=name&page_size=10")
    next_link = re.search(r'id="people-page-next" href="([^"]+)"', html).group(1)
    assert next_link == "/people?cf_name=n&amp;flt_city=Oslo&amp;sort=name&amp;page=2&amp;page_size=10"
    assert 'aria-current="page">1<' in html


def test_row_actions_replace_the_id_safely(ui):
    actions = [
        {"label": "Deploy", "hx_post": "/d/{id}/deploy", "confirm": "Deploy {id}?"},
        {"label": "File", "href": "/f/{id}", "download": True, "target": "_blank"},
    ]
    html = str(ui.component("ui:RowActions", actions=actions, row_id="a/b c<"))
    assert 'hx-post="/d/a%2Fb%20c%3C/deploy"' in html  # one path segment: `../x` cannot climb out
    assert 'hx-confirm="Deploy a/b c&lt;?"' in html
    assert 'href="/f/a%2Fb%20c%3C"' in html and " download" in html and 'rel="noopener"' in html
    assert 'hx-target="closest tr" hx-swap="afterend"' in html


@pytest.mark.parametrize("state", [*STATUS_COLORS, "Online", "in progress", "something else", XSS, ""])
def test_status_badge_component_draws_the_python_badge(ui, state):
    component = str(ui.component("ui:StatusBadge", value=state)).strip()
    assert component == str(status_badge(state))


def test_status_colours_live_in_python_only(ui):
    source = (COMPONENTS / "StatusBadge.jinja").read_text()
    assert not any(f'"{state}"' in source for state in STATUS_COLORS)
    assert status_color("In progress") == "warning" and status_color("nope") == "secondary"
    assert 'class="badge text-bg-danger"' in str(ui.component("ui:StatusBadge", value="online", color="danger"))
    assert ui.env.from_string("{{ status_color(s) }}").render(s="Deploying") == "warning"


def test_polling_cell_stops_at_terminal_states():
    column = Column("status", status=True, polling=Polling("/e/{id}/status", every=3, terminal_states=("online",)))
    polling = column.polling_cell(5, {"status": "deploying"}, table_id="t")
    assert 'hx-trigger="every 3s"' in polling and 'hx-get="/e/5/status"' in polling and 'id="t-poll-status-5"' in polling
    done = column.polling_cell(5, {"status": "online"}, table_id="t")
    assert "hx-trigger" not in done and "hx-get" not in done and 'id="t-poll-status-5"' in done
    assert isinstance(done, Markup) and "hx-swap-oob" not in polling + done


def test_polling_cell_out_of_band_has_the_tables_id(ui):
    column = Column("site.status", status=True, polling=Polling("/e/{id}/status", terminal_states=("online",)))
    spec = TableSpec(columns=[Column("id"), column])
    page = ListSource([{"id": 'a"b', "site": {"status": "deploying"}}], spec).page(spec.parse(""))
    table = str(ui.component("ui:Table", page=page, url="/e", id="edges"))
    cell_id = polling_cell_id("edges", "site.status", 'a"b')
    assert cell_id == 'edges-poll-site-status-a"b' and 'id="edges-poll-site-status-a&#34;b"' in table
    oob = column.polling_cell('a"b', {"site": {"status": "online"}}, table_id="edges", oob=True)
    assert oob.startswith('<span id="edges-poll-site-status-a&#34;b" class="fhx-poll" data-state="done" hx-swap-oob="true">')
    with pytest.raises(ValueError, match="has no polling"):
        Column("status").polling_cell(1, {}, table_id="edges")


def test_one_route_serves_page_and_fragment(ui):
    app = FastAPI()
    ui.install(app)
    layout = ui.env.from_string("<ui:Layout title='People'>{% block table %}{{ table }}{% endblock %}</ui:Layout>")

    @app.get("/people")
    def people(request: Request):
        return table_response(request, ListSource(ROWS, SPEC), url="/people", id="people", template=layout)

    client = TestClient(app)
    full = client.get("/people?page=2&page_size=10")
    part = client.get("/people?page=2&page_size=10", headers={"HX-Request": "true"})
    restore = client.get("/people?page=2", headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert full.status_code == part.status_code == restore.status_code == 200
    assert full.text.startswith("<!doctype html>") and restore.text.startswith("<!doctype html>")
    assert part.text.lstrip().startswith('<div class="fhx-table"') and 'id="people"' in part.text and "<html" not in part.text
    assert 'data-id="11"' in part.text and 'data-id="21"' not in part.text
    bad = client.get("/people?page=-5&page_size=zzz&sort=%3Cx%3E&flt_nope=1", headers={"HX-Request": "true"})
    assert bad.status_code == 200 and bad.text.count("<li>") == 4


def test_select_all_matching_writes_the_count_as_the_summary_does(ui):
    html = str(ui.component("ui:BulkActions", actions=[{"label": "Mark", "hx_post": "/b"}], table_id="people",
                            total=3000, select_all_url="/people/select-all-ids"))
    assert "Select all 3,000 matching" in html


def test_row_actions_as_a_function_of_the_row_give_each_row_its_own(ui):
    def actions(row):
        return [{"label": f"Ping {row['name']}", "hx_post": "/p/{id}/ping"}] if row["id"] % 2 else []

    html = render_table(ui, "page_size=4", row_actions=actions)
    rows = re.findall(r'<tr data-id="(\d+)">(.*?)</tr>', html, re.S)
    assert [row_id for row_id, _ in rows] == ["1", "2", "3", "4"]
    for row_id, cells in rows:
        cell = re.search(r'<td class="fhx-actions-col">(.*)</td>', cells, re.S).group(1)
        row = ROWS[int(row_id) - 1]
        assert cell == str(ui.component("ui:RowActions", actions=actions(row), row_id=int(row_id)))
    assert 'hx-post="/p/1/ping"' in html and 'hx-post="/p/2/ping"' not in html
    assert "Ping &lt;script&gt;" in html  # row 3's name, escaped


def test_a_page_without_rows_shows_the_empty_state_across_every_column(ui):
    html = render_table(ui, rows=[], row_actions=[{"label": "Go", "href": "/g/{id}"}], bulk_actions=[{"label": "X", "hx_post": "/x"}])
    assert '<tbody>\n          <tr class="fhx-table-empty"><td colspan="7">No records found.</td></tr>\n        </tbody>' in html

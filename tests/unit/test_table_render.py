"""render_table / table_response: one call from query string to the rendered Table, the
fragment or the page (its block for htmx), through the UI of the request's app; hidden
columns and params as the components draw them."""

from __future__ import annotations

import re

import pytest
from fastapi import FastAPI, Request
from fastapi.testclient import TestClient

from fasthx_ui import UI, Choice, Column, ListSource, TableSpec, render_table, table_response

SPEC = TableSpec(
    columns=[
        Column("id"),
        Column("name", header_filter=True),
        Column("site_id", label="Site", filter_key="site_id.name", param="site_id.name", header_filter=True),
        Column("city", filter=True),
        Column("region", display=False, filter=True),
        Column("serial", display=False, header_filter=True),
    ],
    default_sort="id",
)
ROWS = [
    {"id": i, "name": f"n{i}", "site_id": i % 3, "site": {"name": f"Site {i % 3}"}, "city": ["Oslo", "Lima"][i % 2],
     "region": ["North", "South", "East"][i % 3], "serial": f"S-{i:03d}"}
    for i in range(1, 41)
]
PAGE = """<!doctype html><title>{{ title }}</title><main>{% block table %}{{ table }}<p id="n">{{ page.total }}</p>{% endblock %}</main>"""


@pytest.fixture(scope="module")
def client() -> TestClient:
    app = FastAPI()
    ui = UI(secret_key="render-table-tests")
    ui.install(app)
    page_template = ui.env.from_string(PAGE)

    @app.get("/fragment")
    def fragment(request: Request):
        return table_response(request, ListSource(ROWS, SPEC), url="/fragment", id="people", caption="People")

    @app.get("/page")
    def page(request: Request):
        return table_response(
            request, ListSource(ROWS, SPEC), url="/page", template=page_template, context={"title": "People"}, id="people"
        )

    @app.get("/given-choices")
    def given(request: Request):
        source = ListSource(ROWS, SPEC)
        table, page = render_table(request, source, url="/given-choices", choices={"city": [Choice("Oslo", "The capital")]})
        return {"html": str(table), "total": page.total, "q": page.state.q}

    return TestClient(app)


def test_fragment_is_the_table_for_the_query_string(client):
    html = client.get("/fragment?cf_name=n1&sort=name&order=desc").text
    assert html.lstrip().startswith('<div class="fhx-table"') and 'id="people"' in html
    assert re.findall(r'data-id="(\d+)"', html)[:3] == ["19", "18", "17"]
    assert "<caption" in html and "People" in html


def test_page_is_whole_for_a_get_and_only_its_block_for_htmx(client):
    full = client.get("/page?flt_city=Oslo").text
    part = client.get("/page?flt_city=Oslo", headers={"HX-Request": "true"}).text
    assert full.startswith("<!doctype html><title>People</title><main>") and '<p id="n">20</p>' in full
    assert part.lstrip().startswith('<div class="fhx-table"') and '<p id="n">20</p>' in part and "<title>" not in part


def test_choices_come_from_the_source_unless_given(client):
    html = client.get("/fragment").text
    assert re.findall(r'name="flt_region">\s*<option value="">Region: all</option>\s*(.*?)</select>', html, re.S)
    assert 'value="North" >Region: North</option>' in html and 'value="Lima" >City: Lima</option>' in html
    given = client.get("/given-choices?q=n2").json()
    assert 'value="Oslo" >City: The capital</option>' in given["html"] and "City: Lima" not in given["html"]
    assert given["total"] == 11 and given["q"] == "n2"


def test_hidden_columns_have_no_cells_but_filter_inputs_in_the_bar(client):
    html = client.get("/fragment?flt_region=South&cf_serial=s-00").text
    header = re.search(r"<thead>.*?</thead>", html, re.S).group(0)
    assert "Region" not in header and "Serial" not in header
    assert len(re.findall(r"<th scope=\"col\"", header)) == 4
    bar = re.search(r'<div class="fhx-filter-bar">.*?</div>\s*</div>\s*</div>', html, re.S).group(0)
    assert 'id="people-flt-region"' in bar and 'id="people-cf-serial" name="cf_serial"' in bar
    assert 'value="s-00"' in bar
    assert re.findall(r'data-id="(\d+)"', html) == ["1", "4", "7"]
    assert 'class="fhx-table-empty"' not in html and "<td>South</td>" not in html


def test_a_param_header_filter_sits_in_its_column(client):
    html = client.get("/fragment?cf_site_id.name=site 2").text
    row = re.search(r'<tr class="fhx-header-filters">(.*?)</tr>', html, re.S).group(1)
    cells = re.findall(r"<td>(.*?)</td>", row, re.S)
    assert len(cells) == 4 and 'name="cf_site_id.name"' in cells[2] and 'id="people-cf-site_id-name"' in cells[2]
    assert 'value="site 2"' in cells[2]
    assert {int(i) % 3 for i in re.findall(r'data-id="(\d+)"', html)} == {2}

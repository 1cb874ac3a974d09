"""The Table renders RowActions once per page and fills in each row's id: the HTML of
every row must be exactly what a RowActions call of its own would give, for ids that
need escaping or URL encoding, in both display modes and for every kind of action."""

from __future__ import annotations

import re

import pytest

from fasthx_ui import UI, Action, ListSource, TableSpec, Column
from fasthx_ui.row_fill import ROW_ID_SLOT, fill_row_id

ACTIONS = [
    {"label": "Deploy", "icon": "rocket", "hx_post": "/d/{id}/deploy", "confirm": "Deploy {id}?"},
    {"label": "Logs", "hx_get": "/d/{id}/logs", "hx_target": "#logs-{id}", "hx_swap": "innerHTML"},
    {"label": "File", "href": "/f/{id}?x=1", "download": True, "target": "_blank", "confirm": "Get {id}?"},
    {"label": "Progress", "hx_post": "/d/{id}/run", "progress": True, "class": "btn-outline-danger"},
    Action("Edit", icon="pencil", href="/d/{id}/edit"),
]
IDS = [7, "a/b c<", '"><script>alert(1)</script>', "../up", "é ü/ä&amp;", "javascript:alert(1)", "%2F", "x{id}y"]


@pytest.fixture(scope="module")
def ui():
    return UI(secret_key="test")


@pytest.mark.parametrize("display", ["icons", "dropdown"])
@pytest.mark.parametrize("row_id", IDS)
def test_a_filled_row_is_the_html_of_its_own_component_call(ui, row_id, display):
    once = ui.component("ui:RowActions", actions=ACTIONS, row_id=ROW_ID_SLOT, display=display)
    own = ui.component("ui:RowActions", actions=ACTIONS, row_id=row_id, display=display)
    assert str(fill_row_id(once, row_id)) == str(own)
    assert ROW_ID_SLOT not in str(fill_row_id(once, row_id))


@pytest.mark.parametrize("display", ["icons", "dropdown"])
def test_the_table_gives_each_row_its_own_actions(ui, display):
    spec = TableSpec(columns=[Column("id"), Column("name")])
    rows = [{"id": row_id, "name": f"row {n}"} for n, row_id in enumerate(IDS)]
    page = ListSource(rows, spec).page(spec.parse("page_size=50"))
    table = str(ui.component("ui:Table", page=page, url="/t", id="t", row_actions=ACTIONS, row_actions_display=display))
    cells = re.findall(r'<td class="fhx-actions-col">(.*?)</td>\s*</tr>', table, re.S)
    assert len(cells) == len(IDS)
    for cell, row_id in zip(cells, [r["id"] for r in page.rows]):
        assert cell == str(ui.component("ui:RowActions", actions=ACTIONS, row_id=row_id, display=display))

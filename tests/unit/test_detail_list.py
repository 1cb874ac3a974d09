"""DetailList and detail_items: escaped text, trusted Markup, missing values, mappings,
the empty state, and pairs built from table columns."""

from __future__ import annotations

import enum
from dataclasses import dataclass

import pytest
from markupsafe import Markup

from fasthx_ui import UI, Column, detail_items

XSS = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;&#34;&gt;&lt;img src=x onerror=alert(2)&gt;"


@pytest.fixture(scope="module")
def ui() -> UI:
    return UI(secret_key="test")


def rows(html: str) -> list[tuple[str, str]]:
    """The (dt, dd) contents of a rendered DetailList, in order."""
    out = []
    for chunk in html.split("<dt>")[1:]:
        label, rest = chunk.split("</dt>", 1)
        value = rest.split("<dd>", 1)[1].split("</dd>", 1)[0]
        out.append((label, value))
    return out


def test_text_is_escaped_and_markup_is_trusted(ui):
    html = str(ui.component("ui:DetailList", items=[(XSS, XSS), ("Site", Markup('<a href="/sites/3">HQ</a>'))]))
    assert "<script>" not in html and "<img" not in html
    assert rows(html) == [
        (ESCAPED, ESCAPED),
        ("Site", '<a href="/sites/3">HQ</a>'),
    ]


def test_none_and_empty_show_the_missing_mark_but_zero_and_false_do_not(ui):
    items = [("a", None), ("b", ""), ("c", Markup("")), ("d", 0), ("e", False)]
    html = str(ui.component("ui:DetailList", items=items, missing="n/a"))
    mark = '<span class="fhx-detail-missing">n/a</span>'
    assert [value for _, value in rows(html)] == [mark, mark, mark, "0", "False"]


def test_a_mapping_keeps_its_order(ui):
    html = str(ui.component("ui:DetailList", items={"Zeta": 1, "Alpha": 2}))
    assert rows(html) == [("Zeta", "1"), ("Alpha", "2")]


def test_no_items_is_one_line_of_text_with_the_callers_attributes(ui):
    html = str(ui.component("ui:DetailList", items=[], empty="Nothing <here>", id="d1"))
    assert "<dl" not in html
    assert '<p class="fhx-detail-list fhx-detail-empty" id="d1">Nothing &lt;here&gt;</p>' in html


class Status(enum.Enum):
    UP = "online"


@dataclass
class Device:
    id: int
    hostname: str
    status: Status
    site: dict


def test_detail_items_render_like_table_cells():
    device = Device(7, XSS, Status.UP, {"name": "Oslo"})
    link = Column("id", label="Open", formatter=lambda value, obj: f'<a href="/d/{value}">open</a>')
    items = detail_items(device, ["hostname", Column("status", status=True), "site.name", link])
    assert [label for label, _ in items] == ["Hostname", "Status", "Site name", "Open"]
    assert all(isinstance(value, Markup) for _, value in items)
    assert "<script>" not in items[0][1]
    assert items[1][1] == '<span class="badge text-bg-success" data-status="online">online</span>'
    assert items[2][1] == "Oslo"
    assert items[3][1] == '<a href="/d/7">open</a>'


def test_detail_items_reject_a_bad_key_clearly():
    with pytest.raises(ValueError, match="invalid column key 'a..b'"):
        detail_items({}, ["a..b"])

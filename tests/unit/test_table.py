"""Table protocol: state parsing and normalisation, query strings, pages, ListSource."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from urllib.parse import parse_qsl

import pytest
from markupsafe import Markup
from starlette.datastructures import QueryParams

from fasthx_ui import Choice, Column, ListSource, Page, Polling, TableSpec, TableState
from fasthx_ui.table_values import cell_text, resolve


class Color(enum.Enum):
    RED = "red"
    DARK_BLUE = "blue"


SPEC = TableSpec(
    columns=[
        Column("id"),
        Column("name", header_filter=True),
        Column("color", choices=Color),
        Column("size", choices=["S", "M", ("L", "Large")]),
        Column("city.name", label="City", header_filter=True, filter=True),
        Column("notes", sortable=False),
    ],
    page_size=20,
    page_sizes=(10, 20, 50),
)


def parse(query: str) -> TableState:
    return SPEC.parse(query)


def test_parses_a_full_query_string():
    state = parse("q=  ab  c &sort=name&order=desc&page=3&page_size=50&cf_name=x&flt_color=red&flt_city.name=Oslo")
    assert (state.q, state.sort, state.order, state.page, state.page_size) == ("ab c", "name", "desc", 3, 50)
    assert state.header_filters == {"name": "x"}
    assert state.filters == {"color": "red", "city.name": "Oslo"}
    assert state.warnings == ()


def test_accepts_starlette_query_params_and_mappings():
    params = QueryParams("q=a&page=2&cf_name=b")
    assert SPEC.parse(params) == SPEC.parse({"q": "a", "page": "2", "cf_name": "b"}) == parse("q=a&page=2&cf_name=b")


def test_defaults():
    state = parse("")
    assert (state.q, state.sort, state.order, state.page, state.page_size) == ("", None, "asc", 1, 20)
    assert state.warnings == () and not state.is_filtered


@pytest.mark.parametrize(
    ("query", "field", "expected", "message"),
    [
        ("page=-1", "page", 1, "Page -1 does not exist"),
        ("page=0", "page", 1, "Page 0 does not exist"),
        ("page=abc", "page", 1, 'Page "abc" is not a whole number'),
        ("page=1.5", "page", 1, "not a whole number"),
        ("page=" + "9" * 40, "page", 1, "does not exist"),
        ("page_size=1000000000", "page_size", 50, "too large"),
        ("page_size=0", "page_size", 20, "too small"),
        ("page_size=ten", "page_size", 20, "not a whole number"),
        ("sort=password", "sort", None, 'Cannot sort by "password"'),
        ("sort=notes", "sort", None, 'Cannot sort by "notes"'),
        ("sort=name&order=sideways", "order", "asc", 'Sort order "sideways"'),
        ("cf_secret=1", "header_filters", {}, 'no filter "secret"'),
        ("cf_color=red", "header_filters", {}, 'no filter "color"'),
        ("flt_secret=1", "filters", {}, 'no filter "secret"'),
        ("flt_name=x", "filters", {}, 'no filter "name"'),
        ("flt_color=purple", "filters", {}, '"purple" is not a choice of Color'),
        ("flt_color=RED", "filters", {}, "not a choice"),
        ("flt_size=XL", "filters", {}, "not a choice of Size"),
        ("q=" + "x" * 500, "q", "x" * 200, "cut to 200"),
    ],
)
def test_bad_values_are_normalised_with_a_message(query, field, expected, message):
    state = parse(query)
    assert getattr(state, field) == expected
    assert len(state.warnings) == 1 and message in state.warnings[0]


def test_long_bad_values_are_clipped_in_messages():
    state = parse("sort=" + "y" * 500)
    assert len(state.warnings[0]) < 100


def test_nul_characters_are_dropped_from_every_value():
    state = parse("q=a%00b&cf_na%00me=x%00&flt_city.name=%00Oslo&sort=na%00me&page=2%00")
    assert (state.q, state.sort, state.page) == ("ab", "name", 2)
    assert state.header_filters == {"name": "x"} and state.filters == {"city.name": "Oslo"} and state.warnings == ()


def test_empty_filters_are_dropped_silently():
    state = parse("cf_name=&flt_color=&q=")
    assert state.header_filters == {} and state.filters == {} and state.warnings == ()


def test_query_string_round_trips_and_omits_defaults():
    state = parse("q=a b&cf_name=x&flt_size=L&sort=name&order=desc&page=2&page_size=50")
    assert parse(state.query_string()) == state
    assert parse("page=1&page_size=20&order=asc").query_string() == ""
    assert dict(parse_qsl(state.query_string(page=3, q=None))) == {
        "cf_name": "x",
        "flt_size": "L",
        "sort": "name",
        "order": "desc",
        "page": "3",
        "page_size": "50",
    }
    assert state.href("/t", page=1).startswith("/t?q=a+b&") and "page=" not in state.href("/t", page=1)
    assert parse("").href("/t") == "/t"


def test_sort_helpers_toggle_and_report_aria_sort():
    state = parse("sort=name")
    assert state.aria_sort("name") == "ascending" and state.aria_sort("id") is None
    assert dict(state.sort_params("name")) == {"sort": "name", "order": "desc"}
    assert dict(parse("sort=name&order=desc&page=4").sort_params("name")) == {"sort": "name"}
    assert dict(state.sort_params("id")) == {"sort": "id"}


def test_default_sort_is_reported_on_its_column():
    spec = TableSpec(columns=[Column("id"), Column("name")], default_sort="id", default_order="desc")
    state = spec.parse("")
    assert state.sort_key == "id" and state.aria_sort("id") == "descending"
    assert state.query_string() == ""
    assert dict(state.sort_params("id")) == {"sort": "id"}


def test_filter_signature_ignores_paging_and_sort_only():
    base = parse("q=a&cf_name=x&flt_size=M")
    assert base.filter_signature == parse("flt_size=M&cf_name=x&q=a&page=5&sort=name&page_size=50").filter_signature
    assert base.filter_signature != parse("q=a&cf_name=x").filter_signature
    assert base.filter_signature != parse("q=b&cf_name=x&flt_size=M").filter_signature
    assert len(base.filter_signature) == 16


def test_column_defaults_and_choices():
    assert Column("site_id").label == "Site"
    assert Column("site.name").label == "Site name"
    assert Column("site.name").filter_key == "site.name"
    assert Column("site_id", filter_key="site.name").filter_key == "site.name"
    assert SPEC.column("color").choice_list == (Choice("red", "Red"), Choice("blue", "Dark blue"))
    assert SPEC.column("size").choice_list == (Choice("S", "S"), Choice("M", "M"), Choice("L", "Large"))
    assert SPEC.column("color").filter and not SPEC.column("name").filter
    with pytest.raises(ValueError):
        Column("a..b")
    with pytest.raises(ValueError):
        TableSpec(columns=[Column("a"), Column("a")])


HIDDEN = TableSpec(
    columns=[
        Column("id"),
        Column("site_id", label="Site", filter_key="site_id.name", param="site_id.name", header_filter=True),
        Column("hostname"),
        Column("region", display=False, filter=True),
        Column("site_id", display=False, param="site", filter=True),
        Column("serial", display=False, header_filter=True, searchable=False),
    ],
    default_sort="id",
)
ROWS = [
    {"id": 1, "hostname": "edge-a", "region": "North", "serial": "S-100", "site_id": 7, "site": {"name": "Oslo HQ"}},
    {"id": 2, "hostname": "edge-b", "region": "South", "serial": "S-200", "site_id": 8, "site": {"name": "Lima POP"}},
    {"id": 3, "hostname": "core-c", "region": "North", "serial": "X-300", "site_id": None, "site": None},
]


def test_hidden_columns_filter_and_search_but_are_not_shown():
    assert [c.key for c in HIDDEN.visible_columns] == ["id", "site_id", "hostname"]
    assert len(HIDDEN.columns) == 6
    assert [c.param for c in HIDDEN.filter_bar_columns] == ["region", "site", "serial"]
    source = ListSource(ROWS, HIDDEN)
    page = source.page(HIDDEN.parse("flt_region=North&cf_serial=s-"))
    assert [r["id"] for r in page.rows] == [1] and page.columns == HIDDEN.visible_columns
    assert source.ids(HIDDEN.parse("q=south")) == [2]  # the hidden region is searched
    assert source.ids(HIDDEN.parse("q=x-300")) == []  # serial is not searchable
    assert [c.value for c in source.choices(HIDDEN.param_column("region"))] == ["North", "South"]
    assert source.ids(HIDDEN.parse("flt_site=8")) == [2]


def test_param_names_the_url_and_state_keys():
    state = HIDDEN.parse("cf_site_id.name=oslo&flt_site=7")
    assert state.header_filters == {"site_id.name": "oslo"} and state.filters == {"site": "7"}
    assert state.warnings == ()
    assert state.query_string() == "cf_site_id.name=oslo&flt_site=7"
    assert ListSource(ROWS, HIDDEN).ids(state) == [1]
    ignored = HIDDEN.parse("cf_site_id=oslo&flt_site_id=7&sort=region")
    assert ignored.header_filters == {} and ignored.filters == {} and ignored.sort is None
    assert len(ignored.warnings) == 3
    assert HIDDEN.column("site_id").display and HIDDEN.param_column("site").display is False


def test_column_params_are_checked():
    with pytest.raises(ValueError, match="used twice"):
        TableSpec(columns=[Column("a"), Column("b", param="a")])
    with pytest.raises(ValueError, match="URL parameter"):
        Column("a", param="a b")
    with pytest.raises(ValueError, match="cannot poll"):
        Column("a", display=False, polling=Polling("/x/{id}"))
    with pytest.raises(ValueError, match="displayed columns must be unique"):
        TableSpec(columns=[Column("a"), Column("a", param="b")])
    assert Column("a").param == "a" and Column("a", param="b.c").param == "b.c"


def test_dotted_fk_paths_resolve_through_the_object_they_point_to():
    @dataclass
    class Server:
        hostname: str

    @dataclass
    class Offering:
        serverid: int
        server: Server

    assert resolve(Offering(3, Server("alpha")), "serverid.hostname") == "alpha"
    assert resolve(ROWS[0], "site_id.name") == "Oslo HQ"
    assert resolve(ROWS[2], "site_id.name") is None
    assert resolve({"city": "Oslo"}, "city.name") is None


def test_cell_render_escapes_values_and_trusts_formatters():
    row = {"name": '<script>alert(1)</script>"><img src=x onerror=alert(1)>'}
    plain = Column("name").render(row)
    assert "<script>" not in plain and "&lt;script&gt;" in plain and "&#34;&gt;&lt;img" in plain
    bold = Column("name", formatter=lambda v, obj: f"<b>{len(v)}</b>").render(row)
    assert isinstance(bold, Markup) and bold == Markup(f"<b>{len(row['name'])}</b>")
    assert cell_text(Color.RED) == "red" and cell_text(None) == ""


def test_polling_spec():
    polling = Polling("/edges/{id}/status", every=2, terminal_states=("online", "failed"))
    assert polling.url_for(7) == "/edges/7/status" and polling.trigger == "every 2s"
    assert polling.is_terminal("Online") and not polling.is_terminal("deploying")
    with pytest.raises(ValueError):
        Polling("/x/{id}", every=0)


def _page(total: int | None, page: int, has_next: bool = False, capped: bool = False) -> Page:
    state = parse(f"page={page}&page_size=10")
    rows = list(range(10))
    return Page(rows, state, total, has_next, total_capped=capped)


def test_page_window_and_summary():
    assert _page(45, 1).window() == [1, 2, 3, 4, 5]
    assert _page(1000, 1).window() == [1, 2, 3, 4, None, 100]
    assert _page(1000, 50).window() == [1, None, 49, 50, 51, None, 100]
    assert _page(1000, 100).window() == [1, None, 97, 98, 99, 100]
    assert _page(None, 6, has_next=True).window() == [3, 4, 5, 6, 7]
    assert _page(1000, 50).summary == "1,000 records"
    assert _page(1000, 50, capped=True).summary == "1,000+ records"
    assert _page(None, 3, has_next=True).summary == "Rows 21–30"
    assert _page(1000, 50).page_count == 100 and _page(1000, 50, capped=True).page_count is None
    assert (_page(45, 2).first_index, _page(45, 2).last_index) == (11, 20)


@dataclass
class City:
    name: str


@dataclass
class Person:
    id: int
    name: str
    color: Color
    size: str
    city: City | None
    notes: str = ""


PEOPLE = [
    Person(i, f"{'Ann' if i % 2 else 'bob'}-{i}", list(Color)[i % 2], "SML"[i % 3], City(["Oslo", "Rome"][i % 2]) if i % 5 else None)
    for i in range(1, 101)
]


def test_list_source_pages_sorts_and_filters():
    source = ListSource(PEOPLE, SPEC)
    page = source.page(parse("q=ann&sort=city.name&order=desc&page_size=10&page=2"))
    assert page.total == 50 and page.page_count == 5 and page.has_next
    cities = [p.city.name if p.city else None for p in source.stream(page.state)]
    assert cities[:40] == ["Rome"] * 40 and cities[-10:] == [None] * 10
    assert [p.id for p in page.rows] == source.ids(page.state)[10:20]


def test_list_source_search_covers_numbers_enums_and_paths():
    source = ListSource(PEOPLE, SPEC)
    assert source.ids(parse("q=42")) == [42]
    assert set(source.ids(parse("q=BLU"))) == {p.id for p in PEOPLE if p.color is Color.DARK_BLUE}
    assert set(source.ids(parse("q=osl"))) == {p.id for p in PEOPLE if p.city and p.city.name == "Oslo"}


def test_list_source_filters_combine_with_and():
    source = ListSource(PEOPLE, SPEC)
    state = parse("q=bob&flt_size=M&cf_city.name=OS&flt_color=red")
    expected = [
        p.id
        for p in PEOPLE
        if "bob" in p.name and p.size == "M" and p.city and "os" in p.city.name.lower() and p.color is Color.RED
    ]
    assert expected and source.ids(state) == expected
    assert [p.id for p in source.stream(state)] == expected and source.count(state) == len(expected)


def test_list_source_works_on_dicts_and_clamps_pages():
    rows = [{"id": i, "name": f"n{i}", "city": {"name": "X"}} for i in range(1, 26)]
    page = ListSource(rows, SPEC).page(parse("page=9&page_size=10"))
    assert page.page == 3 and [r["id"] for r in page.rows] == list(range(21, 26)) and not page.has_next
    assert any("Page 9 does not exist" in w for w in page.state.warnings)


def test_list_source_empty():
    page = ListSource([], SPEC).page(parse("q=x"))
    assert page.rows == [] and page.total == 0 and page.summary == "0 records" and page.page_count == 1


def test_list_source_choices_from_data_or_declared():
    source = ListSource(PEOPLE, SPEC)
    assert [c.value for c in source.choices(SPEC.column("city.name"))] == ["Oslo", "Rome"]
    assert source.choices(SPEC.column("size")) == SPEC.column("size").choice_list


def test_list_source_sorts_mixed_and_missing_values():
    rows = [{"id": 1, "name": None}, {"id": 2, "name": 5}, {"id": 3, "name": "b"}, {"id": 4, "name": "A"}]
    ids = ListSource(rows, SPEC).ids(parse("sort=name"))
    assert ids == [2, 4, 3, 1]

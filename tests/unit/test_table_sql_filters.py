"""SQLSource's search and filters: LIKE/ILIKE matching, literal wildcards, values of the
wrong type or out of range, enum and related-column filters, choices, and the statement's
own WHERE kept."""

import pytest
from sqlalchemy import select, text

from fasthx_ui import Column, SQLSource, TableSpec
from fasthx_ui.values import escape_like

from .table_sql_db import SPEC, Device, Statements, Status, engine, session, source  # noqa: F401 (engine, session are fixtures)


def test_related_path_joined_once_however_often_used(engine, session):
    state = SPEC.parse("q=Site&cf_site.name=site&flt_site.name=Site B&sort=site.name&order=desc")
    with Statements(engine) as stmts:
        page = source(session).page(state)
    assert page.rows and {r.site.name for r in page.rows} == {"Site B"}
    for sql in stmts.sql:
        assert sql.upper().count("JOIN SITES") <= 1
    assert stmts.sql[-1].upper().count("JOIN SITES") == 1


def test_search_uses_like_or_ilike_never_lower_cast(engine, session):
    with Statements(engine) as stmts:
        source(session).page(SPEC.parse("q=edge&cf_hostname=EDGE"))
    sql = " ".join(stmts.sql).upper()
    if engine.dialect.name == "postgresql":
        assert "ILIKE" in sql
    else:
        assert " LIKE " in sql and "ILIKE" not in sql
    assert "LOWER(" not in sql and "CAST(" not in sql


def test_search_is_case_insensitive(session):
    lower = source(session).ids(SPEC.parse("q=edge-007x"))
    upper = source(session).ids(SPEC.parse("q=EDGE-007X"))
    assert lower == upper == [7]


def test_like_wildcards_are_literal(session):
    assert [source(session).ids(SPEC.parse(f"cf_hostname={q}")) for q in ("web_1", "50%25", "k\\s")] == [
        [1],
        [3],
        [5],
    ]
    assert escape_like("a%b_c\\") == "a\\%b\\_c\\\\"


def test_nul_characters_in_searches_and_filters_are_dropped(session):
    state = SPEC.parse("q=web%00_1&cf_hostname=w%00eb&cf_site.name=%00&flt_site.name=Site%00 B")
    assert source(session).ids(state) == source(session).ids(SPEC.parse("q=web_1&cf_hostname=web&flt_site.name=Site B"))


@pytest.mark.parametrize(
    "query",
    [
        "q=99999999999999999999",
        "q=3000000000",
        "cf_port=3000000000",
        "cf_port=abc",
        "cf_port=1.5",
        "cf_price=abc",
        "cf_installed=yesterday",
        "q=1e999",
        "q=NaN",
    ],
)
def test_out_of_range_or_wrong_type_text_matches_nothing(session, query):
    page = source(session).page(SPEC.parse(query))
    assert page.total == 0 and page.rows == [] and not page.has_next


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("flt_port=abc", "not a valid Port"),
        ("flt_port=99999999999", "not a valid Port"),
        ("flt_active=maybe", "not a valid Active"),
        ("cf_active=yes", "cannot be filtered by text"),
        ("sort=label", "Cannot sort"),
    ],
)
def test_unusable_values_are_ignored_with_a_message(session, query, message):
    page = source(session).page(SPEC.parse(query))
    assert page.total == 120
    assert any(message in w for w in page.state.warnings)
    assert source(session).ids(SPEC.parse(query)) == list(range(1, 121))


def test_enum_filter_and_bad_enum_value(session):
    online = source(session).page(SPEC.parse("flt_status=online"))
    assert online.total == 40 and {r.status for r in online.rows} == {Status.ONLINE}
    bad = source(session).page(SPEC.parse("flt_status=sideways"))
    assert bad.total == 120 and bad.state.warnings


def test_choices_from_distinct_values(session):
    src = source(session)
    assert [c.value for c in src.choices(SPEC.column("site.name"))] == [f"Site {c}" for c in "ABCDEF"]
    assert [c.value for c in src.choices(SPEC.column("status"))] == ["online", "offline", "error"]
    assert [c.value for c in src.choices(SPEC.column("port"))] == [str(p) for p in range(8000, 8010)]


def test_filter_key_and_relationship_paths(session):
    spec = TableSpec(
        columns=[
            Column("id"),
            Column("site_id", label="Site", filter_key="site.name", header_filter=True, searchable=False),
            Column("site", sortable=False, searchable=True),
        ]
    )
    src = SQLSource(session, select(Device), spec, eager=["site"])
    by_name = src.ids(spec.parse("cf_site_id=site b"))
    expected = source(session).ids(SPEC.parse("cf_site.name=site b"))
    assert by_name == expected and len(by_name) > 5
    assert set(src.ids(spec.parse("q=site b"))) == set(expected)
    assert any("Cannot sort" in w for w in src.page(spec.parse("sort=site")).state.warnings)


def test_source_keeps_the_statements_own_filter(session):
    src = SQLSource(session, select(Device).where(Device.active.is_(True)), SPEC)
    page = src.page(SPEC.parse("q=edge"))
    assert page.total == len(src.ids(SPEC.parse("q=edge"))) and all(r.active for r in page.rows)
    assert page.total < source(session).count(SPEC.parse("q=edge"))


def test_rejects_a_statement_without_a_mapped_class(session):
    with pytest.raises(ValueError, match="mapped class"):
        SQLSource(session, select(text("1")), SPEC)

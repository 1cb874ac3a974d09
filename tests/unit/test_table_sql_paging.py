"""SQLSource's pages: the statements a page costs (related columns, collections), exact,
capped and deferred counts, deep pages read by id, pages past the end, and sorting by
related or not-null columns."""

import pytest
from sqlalchemy import select

from fasthx_ui import Column, SQLSource, TableSpec, table_sql

from .table_sql_db import SPEC, Device, Statements, engine, session, source  # noqa: F401 (engine, session are fixtures)


def test_page_with_related_columns_costs_two_statements(engine, session):
    with Statements(engine) as stmts:
        page = source(session).page(SPEC.parse("page=2"))
        names = [(row.site.name if row.site else None, row.site.region.name if row.site else None) for row in page.rows]
    assert len(page.rows) == 20 and page.total == 120
    assert any(n for n, _ in names) and any(r for _, r in names)
    assert len(stmts.sql) == 2


def test_collection_loaded_with_one_selectin(engine, session):
    with Statements(engine) as stmts:
        page = source(session, eager=["notes", "site"]).page(SPEC.parse(""))
        bodies = [n.body for row in page.rows for n in row.notes]
    assert bodies and len(stmts.sql) == 3


def test_exact_count_is_a_plain_filtered_count(engine, session):
    with Statements(engine) as stmts:
        page = source(session).page(SPEC.parse("q=edge&sort=hostname"))
    count_sql = stmts.sql[0].upper()
    assert count_sql.startswith("SELECT COUNT(*)")
    assert "ORDER BY" not in count_sql and "(SELECT" not in count_sql
    assert page.total == len(source(session).ids(SPEC.parse("q=edge")))


def test_capped_count_reports_a_lower_bound(engine, session):
    with Statements(engine) as stmts:
        page = source(session, count="capped", count_cap=30).page(SPEC.parse(""))
    assert page.total == 30 and page.total_capped and page.has_next
    assert page.summary == "30+ records" and page.page_count is None
    assert "LIMIT" in stmts.sql[0].upper()
    small = source(session, count="capped", count_cap=30).page(SPEC.parse("flt_site.name=Site A"))
    assert not small.total_capped and small.total == source(session).count(SPEC.parse("flt_site.name=Site A"))


def test_no_count_uses_one_extra_row(engine, session):
    src = source(session, count="deferred")
    with Statements(engine) as stmts:
        first = src.page(SPEC.parse("page_size=50"))
    assert len(stmts.sql) == 1
    assert first.total is None and first.has_next and len(first.rows) == 50
    last = src.page(SPEC.parse("page_size=50&page=3"))
    assert not last.has_next and len(last.rows) == 20
    past = src.page(SPEC.parse("page_size=50&page=9"))
    assert past.rows == [] and past.state.warnings
    assert src.count(SPEC.parse("")) == 120


@pytest.mark.parametrize("query", ["", "q=edge&sort=site.name&order=desc", "flt_active=true&sort=price", "sort=site.region.name"])
def test_deep_pages_read_the_same_rows(engine, session, monkeypatch, query):
    """Past DEEP_OFFSET, PostgreSQL skips over the ids first and then reads the page's
    rows by id (SQLite keeps its plain OFFSET): the same rows, in the same order, in one
    statement, with the related columns loaded."""
    monkeypatch.setattr(table_sql, "DEEP_OFFSET", 10)
    state = SPEC.parse(query + "&page_size=10&page=2")
    src = source(session, count="deferred")
    with Statements(engine) as stmts:
        page = src.page(state)
        labels = [row.site.region.name for row in page.rows if row.site]
    assert len(stmts.sql) == 1
    assert ("IN (SELECT" in stmts.sql[0]) == (engine.dialect.name == "postgresql")
    assert [row.id for row in page.rows] == src.ids(state)[10:20] and len(page.rows) == 10
    assert labels and page.has_next == (len(src.ids(state)) > 20)


def test_deep_pages_by_a_shared_id_keep_the_plain_offset(engine, session, monkeypatch):
    """An id_key that is not the primary key may be shared by rows: reading by it would
    bring more rows than the page, so such a table keeps OFFSET."""
    monkeypatch.setattr(table_sql, "DEEP_OFFSET", 10)
    spec = TableSpec([Column("port"), Column("hostname")], id_key="port", default_sort="hostname")
    src = SQLSource(session, select(Device), spec, count="deferred")
    with Statements(engine) as stmts:
        page = src.page(spec.parse("page_size=10&page=2"))
    assert "IN (SELECT" not in stmts.sql[0]
    assert [row.id for row in page.rows] == [row.id for row in source(session).stream(SPEC.parse("sort=hostname"))][10:20]


def test_page_past_the_end_moves_to_last_page(session):
    page = source(session).page(SPEC.parse("page=99&page_size=50"))
    assert page.page == 3 and len(page.rows) == 20 and not page.has_next
    assert any("Page 99" in w for w in page.state.warnings)


def test_related_sort_orders_by_related_value(session):
    rows = source(session).stream(SPEC.parse("sort=site.region.name&order=desc"))
    regions = [r.site.region.name if r.site else None for r in rows]
    named = [r for r in regions if r is not None]
    assert named == sorted(named, reverse=True) and named[0] == "South"
    assert regions == named + [None] * (len(regions) - len(named)) and regions[-1] is None
    ascending = list(source(session).stream(SPEC.parse("sort=site.region.name")))
    assert ascending[0].site.region.name == "East" and ascending[-1].site is None


def test_not_null_columns_sort_without_nulls_last(engine, session):
    with Statements(engine) as stmts:
        source(session).page(SPEC.parse("sort=id&order=desc"))
        source(session).page(SPEC.parse("sort=site.name&order=desc"))
    assert "NULLS LAST" not in stmts.sql[1].upper() and "DESC" in stmts.sql[1].upper()
    assert "NULLS LAST" in stmts.sql[3].upper()

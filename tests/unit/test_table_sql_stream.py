"""SQLSource's page, ids, stream and count agree with each other and with the in-memory
ListSource over the same rows, and stream reads in batches from a server-side cursor."""

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from fasthx_ui import ListSource

from .table_sql_db import SPEC, Device, engine, session, source  # noqa: F401 (engine, session are fixtures)


def as_dicts(session: Session) -> list[dict]:
    """The same data as plain dicts, for the in-memory source to agree with."""
    out = []
    for d in session.scalars(select(Device).order_by(Device.id)):
        site = {"name": d.site.name, "region": {"name": d.site.region.name}} if d.site else None
        out.append(
            {
                "id": d.id,
                "hostname": d.hostname,
                "status": d.status,
                "port": d.port,
                "price": d.price,
                "active": d.active,
                "installed": d.installed,
                "site": site,
                "label": None,
            }
        )
    return out


AGREEMENT_QUERIES = [
    "",
    "q=edge",
    "q=EDGE-01&sort=site.name&order=desc",
    "q=south",
    "q=onl",
    "q=8003",
    "q=7.5",
    "cf_hostname=x&flt_status=error",
    "cf_site.region.name=north&cf_port=8004",
    "flt_site.name=Site C&q=edge&sort=port",
    "flt_active=true&cf_price=12.5",
    "cf_installed=2024-02-02",
    "flt_port=8001&sort=price&order=desc",
]


@pytest.mark.parametrize("query", AGREEMENT_QUERIES)
def test_page_ids_stream_and_memory_agree(session, query):
    state = SPEC.parse(query + "&page_size=10")
    assert not state.warnings
    src = source(session)
    page = src.page(state)
    ids = src.ids(state)
    streamed = [row.id for row in src.stream(state, batch_size=7)]
    assert {r.id for r in page.rows} <= set(ids)
    assert ids == streamed
    assert len(ids) == page.total == src.count(state)
    assert [r.id for r in page.rows] == ids[:10]
    memory = ListSource(as_dicts(session), SPEC)
    assert set(memory.ids(state)) == set(ids)


def test_agreement_queries_are_not_trivial(session):
    sizes = {len(source(session).ids(SPEC.parse(q))) for q in AGREEMENT_QUERIES}
    assert 120 in sizes and all(0 < n for n in sizes) and len(sizes) > 5


def test_stream_reads_in_batches_from_a_server_side_cursor(engine, session):
    src = source(session)
    rows = src.stream(SPEC.parse("q=edge"), batch_size=10)
    first = next(rows)
    if engine.dialect.name == "postgresql":
        assert session.scalar(text("SELECT count(*) FROM pg_cursors")) >= 1
    rest = list(rows)
    assert [first.id] + [r.id for r in rest] == src.ids(SPEC.parse("q=edge"))

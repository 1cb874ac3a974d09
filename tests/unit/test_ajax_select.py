"""AjaxSelect paging protocol served from SQL, on SQLite and on the real PostgreSQL."""

import asyncio
from collections.abc import Iterator

import httpx
import pytest
import sqlalchemy as sa
from fastapi import FastAPI, Request
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from fasthx_ui import UI, parse_form
from fasthx_ui.ajax_select import AjaxSelectSource, parse_page

from ..databases import KINDS, database_engine

ROWS = 250


class Base(DeclarativeBase):
    pass


class Server(Base):
    __tablename__ = "ajax_server"
    id: Mapped[int] = mapped_column(primary_key=True)
    hostname: Mapped[str] = mapped_column(sa.String(60))
    rack: Mapped[int] = mapped_column(sa.Integer)
    active: Mapped[bool] = mapped_column(sa.Boolean, default=True)

    def __repr__(self) -> str:
        return f"Server {self.hostname}"


def seed(engine: sa.Engine) -> None:
    Base.metadata.create_all(engine)
    rows = [{"id": i, "hostname": f"host-{i:04d}", "rack": i % 7, "active": i % 5 != 0} for i in range(1, ROWS + 1)]
    rows += [
        {"id": 901, "hostname": "Edge_Box 100%", "rack": 1, "active": True},
        {"id": 902, "hostname": "EDGEBOX-upper", "rack": 2, "active": True},
        {"id": 903, "hostname": "same-name", "rack": 3, "active": True},
        {"id": 904, "hostname": "same-name", "rack": 3, "active": True},
    ]
    with Session(engine) as session:
        session.execute(sa.insert(Server), rows)
        session.commit()


@pytest.fixture(scope="module", params=KINDS)
def engine(request, tmp_path_factory) -> Iterator[sa.Engine]:
    with database_engine(request.param, tmp_path_factory.mktemp("ajax")) as engine:
        seed(engine)
        yield engine


@pytest.fixture
def session(engine) -> Iterator[Session]:
    with Session(engine) as session:
        yield session


def source(**options) -> AjaxSelectSource:
    return AjaxSelectSource(Server, search=options.pop("search", ["hostname"]), **options)


def test_runs_on_both_databases(engine):
    assert engine.dialect.name in ("sqlite", "postgresql")


def test_first_page(session):
    result = source().fetch(session, url="/devices/ajax/server_id")
    first_two = sorted(result["items"][:2], key=lambda item: item["value"])
    assert first_two == [{"value": "901", "label": "Server Edge_Box 100%"},
                         {"value": "902", "label": "Server EDGEBOX-upper"}]
    assert result["items"][2] == {"value": "1", "label": "Server host-0001"}
    assert len(result["items"]) == 10
    assert result["more"] is True
    assert result["next"] == "/devices/ajax/server_id?q=&page=2"


def test_paging_visits_every_row_once(session):
    ajax = source(page_size=37)
    seen, page, pages = [], 1, 0
    while True:
        result = ajax.fetch(session, page=page, url="/x")
        seen += [item["value"] for item in result["items"]]
        pages += 1
        if not result["more"]:
            assert result["next"] is None
            break
        assert result["next"] == f"/x?q=&page={page + 1}"
        page += 1
    assert len(seen) == len(set(seen)) == ROWS + 4
    assert pages == -(-(ROWS + 4) // 37)


def test_duplicate_labels_keep_a_stable_order(session):
    ajax = source(page_size=1)
    first = ajax.fetch(session, q="same-name", page=1)
    second = ajax.fetch(session, q="same-name", page=2)
    assert [first["items"][0]["value"], second["items"][0]["value"]] == ["903", "904"]
    assert second["more"] is False


def test_search_is_case_insensitive(session):
    result = source().fetch(session, q="edgebox", url="/x")
    assert [item["value"] for item in result["items"]] == ["902"]
    assert result == {"items": [{"value": "902", "label": "Server EDGEBOX-upper"}], "more": False, "next": None}


def test_wildcards_in_the_term_are_literal(session):
    ajax = source()
    assert [i["value"] for i in ajax.fetch(session, q="100%")["items"]] == ["901"]
    assert [i["value"] for i in ajax.fetch(session, q="_")["items"]] == ["901"]
    assert ajax.fetch(session, q="%%%")["items"] == []


def test_search_over_several_columns_including_a_number(session):
    ajax = source(search=["hostname", "rack"], order_by=["id"], page_size=500)
    values = {item["value"] for item in ajax.fetch(session, q="6")["items"]}
    assert {"6", "13", "20", "60"} <= values
    assert "2" not in values


def test_next_keeps_other_parameters_and_the_term(session):
    result = source(page_size=5).fetch(session, q="host-00", url="/api/servers?site=3&q=old&page=1")
    assert result["next"] == "/api/servers?site=3&q=host-00&page=2"


def test_base_query_filters_rows(session):
    ajax = AjaxSelectSource(sa.select(Server).where(Server.active), search=["hostname"], page_size=500,
                            label=lambda s: s.hostname)
    values = [item["value"] for item in ajax.fetch(session, q="host")["items"]]
    assert len(values) == ROWS - ROWS // 5
    assert "5" not in values and "6" in values
    assert ajax.label_for(session, 5) is None
    assert ajax.label_for(session, 6) == "host-0006"


def test_with_query_narrows_a_copy_for_one_request(session):
    ajax = source(page_size=500)
    rack_one = ajax.with_query(sa.select(Server).where(Server.rack == 1))
    values = {item["value"] for item in rack_one.fetch(session, q="host")["items"]}
    assert values == {str(i) for i in range(1, ROWS + 1) if i % 7 == 1}
    assert rack_one.label_for(session, 8) == "Server host-0008" and rack_one.label_for(session, 9) is None
    assert rack_one.check(session)(9) == "Select one of the offered options."
    assert ajax.label_for(session, 9) == "Server host-0009"  # the source itself is unchanged
    with pytest.raises(ValueError, match="needs a select"):
        ajax.with_query(sa.select(Server.id))


def test_page_past_the_end_is_empty(session):
    assert source().fetch(session, page=999) == {"items": [], "more": False, "next": None}


@pytest.mark.parametrize("page", [0, -3, 10**12])
def test_out_of_range_page_argument_is_page_one(session, page):
    assert source().fetch(session, page=page)["items"] == source().fetch(session, page=1)["items"]


def test_nul_and_very_long_terms(session):
    ajax = source()
    assert [i["value"] for i in ajax.fetch(session, q="EDGEBOX\x00")["items"]] == ["902"]
    assert ajax.fetch(session, q="x" * 10_000)["items"] == []


def test_label_for(session):
    ajax = source()
    assert ajax.label_for(session, 42) == "Server host-0042"
    assert ajax.label_for(session, "42") == "Server host-0042"
    for bad in ["abc", "", None, str(2**40), 2**40, "4.2", "99999"]:
        assert ajax.label_for(session, bad) is None


def test_check_and_coerce_for_the_form_field(session):
    ajax = source()
    check = ajax.check(session)
    assert check(42) is None and check("42") is None
    assert check(99999) == "Select one of the offered options."
    assert check(2**40) == "Select one of the offered options."
    assert ajax.check(session, "No such server.")("abc") == "No such server."
    assert ajax.coerce("42") == 42
    with pytest.raises(ValueError):
        ajax.coerce(str(2**31))


def test_label_by_another_value_column(session):
    ajax = source(value="hostname", label=lambda s: f"{s.hostname} (rack {s.rack})")
    assert ajax.fetch(session, q="host-0042")["items"] == [{"value": "host-0042", "label": "host-0042 (rack 0)"}]
    assert ajax.label_for(session, "host-0042") == "host-0042 (rack 0)"


def test_field_with_a_session_checks_and_labels_its_values(session):
    spec = source().field("server_id", url="/ajax/servers", session=session, required=True)
    assert (spec.type, spec.ajax_url, spec.label, spec.required, spec.placeholder) == (
        "ajax_select", "/ajax/servers", "Server", True, "Type to search...")
    parsed = parse_form([spec], {"server_id": "42"})
    assert parsed.values == {"server_id": 42}
    assert parse_form([spec], {"server_id": "99999"}).errors == {"server_id": "Select one of the offered options."}
    assert parse_form([spec], {"server_id": str(2**40)}).errors == {"server_id": "Select one of the offered options."}
    assert spec.label_of(42) == "Server host-0042" and spec.label_of("") == "" and spec.label_of("99999") == ""


def test_field_without_a_session_is_bound_per_request(session):
    ajax = source()
    spec = ajax.field("server_id", url="/ajax/servers", label="uCPE", placeholder="Please select uCPE",
                      description="The box on site", autofocus=True)
    assert (spec.label, spec.placeholder, spec.description, spec.attrs) == ("uCPE", "Please select uCPE", "The box on site",
                                                                           {"autofocus": True})
    assert spec.validate is None and spec.label_of(42) == ""
    assert parse_form([spec], {"server_id": "99999"}).ok
    bound = ajax.bind(spec, session)
    assert bound.label_of("42") == "Server host-0042" and bound.description == "The box on site"
    assert not parse_form([bound], {"server_id": "99999"}).ok


def test_form_shows_the_label_of_the_value_and_of_what_was_typed(session):
    ui = UI(secret_key="test")
    spec = source().field("server_id", url="/ajax/servers", session=session)
    edit = str(ui.component("ui:Form", None, fields=[spec], action="/save", values={"server_id": 42}))
    assert '<option value="42" selected>Server host-0042</option>' in edit
    again = str(ui.component("ui:Form", None, fields=[spec], action="/save", raw={"server_id": "43"}, errors={"server_id": "x"}))
    assert '<option value="43" selected>Server host-0043</option>' in again
    given = str(ui.component("ui:Form", None, fields=[spec], action="/save", values={"server_id": 42}, labels={"server_id": "mine"}))
    assert '<option value="42" selected>mine</option>' in given
    unknown = str(ui.component("ui:Form", None, fields=[spec], action="/save", values={"server_id": 99999}))
    assert '<option value="99999" selected>99999</option>' in unknown


@pytest.mark.parametrize(
    ("text", "page"),
    [(None, 1), ("", 1), ("3", 3), (" 4 ", 4), ("0", 1), ("-2", 1), ("abc", 1), ("2.5", 1), ("²", 1),
     ("9" * 30, 1), ("1000000", 1_000_000), ("1000001", 1)],
)
def test_parse_page(text, page):
    assert parse_page(text) == page


def test_endpoint_over_http(engine):
    ajax = source(page_size=20)
    app = FastAPI()

    @app.get("/devices/ajax/server_id")
    def options(request: Request):
        with Session(engine) as db:
            return ajax.response(request, db)

    async def get_all(*urls):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://test") as client:
            return [await client.get(url) for url in urls]

    first, bad_page, followed, weird = asyncio.run(get_all(
        "/devices/ajax/server_id?q=HOST-01&page=1",
        "/devices/ajax/server_id?q=HOST-01&page=zzz",
        "/devices/ajax/server_id?q=HOST-01&page=6",
        "/devices/ajax/server_id?q=%00%25'%22;drop&page=-1",
    ))
    assert first.status_code == 200
    body = first.json()
    assert body["more"] is True and len(body["items"]) == 20
    assert body["items"][0] == {"value": "100", "label": "Server host-0100"}
    assert body["next"] == "/devices/ajax/server_id?q=HOST-01&page=2"
    assert bad_page.json() == body
    assert followed.json() == {"items": [], "more": False, "next": None}
    assert weird.status_code == 200 and weird.json()["items"] == []

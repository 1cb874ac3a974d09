"""`ToolRegistry.execute` runs sync tools in a worker thread and async ones on the loop,
injects db/user/request when declared, turns results into text, and never raises: an unknown
tool, arguments that do not fit, or an exception become the error text, and are logged."""

import logging
import threading

import pytest
import sqlalchemy as sa

from fasthx_ui.crud import ToolRegistry, init_db
from fasthx_ui.crud.db import open_session

pytestmark = pytest.mark.anyio


@pytest.fixture
def registry():
    registry = ToolRegistry()

    @registry.tool(description="Add two numbers")
    def add(a: int, b: float = 0.5) -> float:
        return a + b

    @registry.tool(description="Echo in structure")
    async def echo(words: list[str], meta: dict | None = None):
        return {"words": words, "meta": meta}

    return registry


async def test_sync_and_async_tools_results_as_text(registry):
    assert await registry.execute("add", {"a": 2}) == "2.5"
    assert await registry.execute("add", '{"a": 2, "b": 3}') == "5"
    assert await registry.execute("echo", {"words": ["é", "b"]}) == '{"words": ["é", "b"], "meta": null}'


async def test_sync_tools_run_off_the_event_loop_thread():
    registry = ToolRegistry()
    loop_thread = threading.get_ident()
    registry.tool(name="where")(lambda: "loop" if threading.get_ident() == loop_thread else "worker")
    assert await registry.execute("where", {}) == "worker"


async def test_other_results_become_text():
    registry = ToolRegistry()
    registry.tool(name="none")(lambda: None)
    registry.tool(name="obj")(lambda: object)
    assert await registry.execute("none", None) == "null"
    assert await registry.execute("obj", "") == '"<class \'object\'>"'


async def test_injection_of_declared_user_request_and_db():
    registry = ToolRegistry()
    seen = {}

    @registry.tool()
    def whoami(user, request, n: int):
        seen.update(user=user, request=request)
        return user["username"]

    assert await registry.execute("whoami", {"n": 1}, user={"username": "ann"}, request="req", db="unused") == "ann"
    assert seen == {"user": {"username": "ann"}, "request": "req"}
    # an injected name sent by the model is an argument it may not choose
    assert await registry.execute("whoami", {"n": 1, "user": {"username": "root"}}) == (
        "Error executing tool 'whoami': unexpected argument(s) user; expected n")


async def test_db_given_is_passed_and_missing_db_is_a_short_lived_session(tmp_path):
    init_db(f"sqlite:///{tmp_path / 'tools.db'}")
    registry = ToolRegistry()
    sessions = []

    @registry.tool()
    def answer(db) -> int:
        sessions.append(db)
        return db.execute(sa.text("SELECT 41 + 1")).scalar()

    mine = open_session()
    try:
        assert await registry.execute("answer", {}, db=mine) == "42"
        assert sessions[-1] is mine
    finally:
        mine.close()
    assert await registry.execute("answer", {}) == "42"
    own = sessions[-1]
    assert own is not mine and not own.in_transaction()  # closed after the call


@pytest.mark.parametrize("arguments, message", [
    ({}, "missing required argument(s) a"),
    ({"a": 1, "c": 2, "d": 3}, "unexpected argument(s) c, d; expected a, b"),
    ({"a": "1"}, "a must be an integer, not a string"),
    ({"a": True}, "a must be an integer, not a boolean"),
    ({"a": 1.5}, "a must be an integer, not a number"),
    ({"a": 1, "b": "x"}, "b must be a number, not a string"),
    ('{"a": 1', "arguments are not valid JSON (Expecting ',' delimiter)"),
    ("[1, 2]", "arguments must be a JSON object"),
])
async def test_arguments_that_do_not_fit_are_clear_errors(registry, caplog, arguments, message):
    with caplog.at_level(logging.WARNING, "fasthx_ui.crud.ai.tools"):
        assert await registry.execute("add", arguments) == f"Error executing tool 'add': {message}"
    assert message in caplog.text


async def test_nested_values_are_checked(registry):
    assert await registry.execute("echo", {"words": ["a", 2]}) == (
        "Error executing tool 'echo': words[1] must be a string, not an integer")
    assert await registry.execute("echo", {"words": "a"}) == (
        "Error executing tool 'echo': words must be an array, not a string")
    assert await registry.execute("echo", {"words": [], "meta": [1]}) == (
        "Error executing tool 'echo': meta must be an object, not an array")


async def test_literal_values_are_checked():
    registry = ToolRegistry()
    from typing import Literal

    @registry.tool()
    def pick(status: Literal["open", "paid"], level: Literal[1, 2] = 1):
        return f"{status}{level}"

    assert await registry.execute("pick", {"status": "paid", "level": 2}) == "paid2"
    assert await registry.execute("pick", {"status": "lost"}) == (
        "Error executing tool 'pick': status must be one of 'open', 'paid', not 'lost'")
    assert await registry.execute("pick", {"status": "open", "level": True}) == (
        "Error executing tool 'pick': level must be one of 1, 2, not True")


async def test_unknown_tool(registry, caplog):
    with caplog.at_level(logging.WARNING, "fasthx_ui.crud.ai.tools"):
        assert await registry.execute("drop_tables", {}) == "Error executing tool 'drop_tables': unknown tool"
    assert "unknown tool 'drop_tables'" in caplog.text


async def test_an_exception_becomes_the_error_text_and_is_logged():
    registry = ToolRegistry()

    @registry.tool()
    async def broken(n: int):
        raise LookupError(f"no customer {n}")

    @registry.tool()
    def silent():
        raise KeyError

    assert await registry.execute("broken", {"n": 7}) == "Error executing tool 'broken': LookupError: no customer 7"
    assert await registry.execute("silent", {}) == "Error executing tool 'silent': KeyError"


async def test_failures_are_logged_with_the_traceback(caplog):
    registry = ToolRegistry()
    registry.tool(name="boom")(lambda: 1 / 0)
    with caplog.at_level(logging.ERROR, "fasthx_ui.crud.ai.tools"):
        assert await registry.execute("boom", {}) == "Error executing tool 'boom': ZeroDivisionError: division by zero"
    record = next(r for r in caplog.records if r.name == "fasthx_ui.crud.ai.tools")
    assert "boom" in record.getMessage() and record.exc_info[0] is ZeroDivisionError


async def test_missing_database_is_an_error_text_not_an_exception(monkeypatch):
    from fasthx_ui.crud import db as crud_db

    monkeypatch.setattr(crud_db, "_sessions", None)
    registry = ToolRegistry()
    registry.tool(name="needs_db")(lambda db: "never")
    assert (await registry.execute("needs_db", {})).startswith(
        "Error executing tool 'needs_db': RuntimeError: No database yet")


async def test_booleans_and_nulls_are_checked():
    registry = ToolRegistry()

    @registry.tool()
    def flag(on: bool, n: int | None = None) -> str:
        return f"{on} {n}"

    assert await registry.execute("flag", {"on": False, "n": None}) == "False None"
    assert await registry.execute("flag", {"on": 1}) == "Error executing tool 'flag': on must be a boolean, not an integer"
    assert await registry.execute("flag", {"on": None}) == "Error executing tool 'flag': on must be a boolean, not null"
    assert await registry.execute("flag", {"on": True, "n": 2.0}) == (
        "Error executing tool 'flag': n must be an integer, not a number")

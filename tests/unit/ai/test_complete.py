"""`ai_complete` against the test AI provider process: a plain answer, one round of tool
calls (results back as `role: tool` messages), names not offered or unknown, a second round
not run, no connection, and the session reused or opened for the call only."""

import pytest
import sqlalchemy as sa

from fasthx_ui.crud import AIProviderError, ToolRegistry, ai_complete, init_db
from fasthx_ui.crud.ai.complete import NO_CONNECTION
from fasthx_ui.crud.ai.settings import save_settings
from fasthx_ui.crud.db import open_session

from ...databases import KINDS, database_settings

pytestmark = pytest.mark.anyio


@pytest.fixture(params=KINDS)
def database(request, tmp_path):
    with database_settings(request.param, tmp_path) as (url, kwargs):
        engine = init_db(url, **kwargs)
        try:
            yield engine
        finally:
            engine.dispose()


@pytest.fixture
def connected(database, ai_server):
    """Settings pointing at the test provider."""
    with open_session() as db:
        save_settings(db, base_url=ai_server.url, model="test-model", system_prompt="Chat only prompt")
    return ai_server


@pytest.fixture
def registry():
    registry = ToolRegistry()
    registry.ran = []

    @registry.tool(description="Open invoices of a customer")
    def open_invoices(customer_id: int, db) -> str:
        registry.ran.append(("open_invoices", customer_id, db))
        db.execute(sa.text("SELECT 1"))
        return f"{customer_id * 2} open invoices"

    @registry.tool(description="A customer's name")
    async def customer_name(customer_id: int) -> dict:
        registry.ran.append(("customer_name", customer_id))
        return {"name": f"Customer {customer_id}"}

    @registry.tool(description="Never offered in these tests")
    def delete_everything() -> str:
        registry.ran.append(("delete_everything",))
        return "deleted"

    return registry


def sent(request_body):
    return [(m["role"], m.get("content")) for m in request_body["messages"]]


async def test_plain_answer_with_the_given_system_prompt_only(connected):
    connected.script([{"content": "A loyal customer since 2019."}])
    assert await ai_complete("Summarize: pays on time", system="Be concise.") == "A loyal customer since 2019."
    [body] = connected.requests()
    assert sent(body) == [("system", "Be concise."), ("user", "Summarize: pays on time")]
    assert "tools" not in body and body["model"] == "test-model"


async def test_without_system_only_the_prompt_is_sent(connected):
    connected.script([{"content": "ok"}])
    assert await ai_complete("Hello") == "ok"
    assert sent(connected.requests()[0]) == [("user", "Hello")]


async def test_one_round_of_tool_calls_results_go_back_as_tool_messages(connected, registry):
    connected.script([
        {"content": "", "tool_calls": [{"id": "c1", "name": "open_invoices", "arguments": {"customer_id": 3}},
                                       {"id": "c2", "name": "customer_name", "arguments": {"customer_id": 3}}]},
        {"content": "Dear Customer 3, 6 invoices are open."},
    ])
    answer = await ai_complete("Draft a reminder for #3", tools=["open_invoices", "customer_name", "nope"],
                               registry=registry)
    assert answer == "Dear Customer 3, 6 invoices are open."
    first, second = connected.requests()
    assert [t["function"]["name"] for t in first["tools"]] == ["open_invoices", "customer_name"]
    assert first["tools"][0]["function"]["parameters"]["properties"] == {"customer_id": {"type": "integer"}}
    assert [m for m in second["messages"] if m["role"] == "tool"] == [
        {"role": "tool", "tool_call_id": "c1", "content": "6 open invoices"},
        {"role": "tool", "tool_call_id": "c2", "content": '{"name": "Customer 3"}'},
    ]
    assistant = second["messages"][1]
    assert assistant["role"] == "assistant"
    assert [(c["id"], c["function"]["name"]) for c in assistant["tool_calls"]] == [("c1", "open_invoices"),
                                                                                  ("c2", "customer_name")]
    assert "tools" not in second  # the final answer is asked for without tools
    assert [r[:2] for r in registry.ran] == [("open_invoices", 3), ("customer_name", 3)]


async def test_a_second_round_of_tool_calls_is_not_run(connected, registry):
    connected.script([
        {"content": "", "tool_calls": [{"name": "customer_name", "arguments": {"customer_id": 1}}]},
        {"content": "Final.", "tool_calls": [{"name": "customer_name", "arguments": {"customer_id": 2}}]},
    ])
    assert await ai_complete("Who is #1?", tools=["customer_name"], registry=registry) == "Final."
    assert registry.ran == [("customer_name", 1)] and len(connected.requests()) == 2


async def test_only_unknown_names_means_no_tools(connected, registry):
    connected.script([{"content": "no tools here"}])
    assert await ai_complete("Hi", tools=["nope", "missing"], registry=registry) == "no tools here"
    assert "tools" not in connected.requests()[0]


async def test_tools_as_one_string_is_a_clear_error(connected, registry):
    with pytest.raises(TypeError, match="tools must be a list of tool names, not the string 'open_invoices'"):
        await ai_complete("Count", tools="open_invoices", registry=registry)
    assert connected.requests() == []


async def test_a_tool_not_offered_to_this_call_does_not_run(connected, registry):
    connected.script([
        {"content": "", "tool_calls": [{"id": "x", "name": "delete_everything", "arguments": {}},
                                       {"id": "y", "name": "made_up", "arguments": {}}]},
        {"content": "I could not do that."},
    ])
    assert await ai_complete("Clean up", tools=["customer_name"], registry=registry) == "I could not do that."
    assert registry.ran == []
    results = [m["content"] for m in connected.requests()[1]["messages"] if m["role"] == "tool"]
    assert results == ["Error executing tool 'delete_everything': unknown tool",
                       "Error executing tool 'made_up': unknown tool"]


async def test_bad_arguments_from_the_model_go_back_as_error_text(connected, registry):
    connected.script([
        {"content": "", "tool_calls": [{"id": "a", "name": "open_invoices", "arguments": "{not json"},
                                       {"id": "b", "name": "open_invoices", "arguments": {"customer_id": "3"}}]},
        {"content": "Sorry."},
    ])
    assert await ai_complete("Count", tools=["open_invoices"], registry=registry) == "Sorry."
    results = [m["content"] for m in connected.requests()[1]["messages"] if m["role"] == "tool"]
    assert results[0].startswith("Error executing tool 'open_invoices': arguments are not valid JSON")
    assert results[1] == "Error executing tool 'open_invoices': customer_id must be an integer, not a string"
    assert registry.ran == []


async def test_no_connection_is_a_runtime_error_and_nothing_is_sent(database, ai_server):
    with pytest.raises(RuntimeError, match="No AI connection configured") as raised:
        await ai_complete("Hello")
    assert str(raised.value) == NO_CONNECTION
    assert ai_server.requests() == []


async def test_a_provider_failure_is_an_ai_provider_error(connected):
    connected.script([{"status": 500}])
    with pytest.raises(AIProviderError, match="500"):
        await ai_complete("Hello")


async def test_the_given_session_is_reused_and_left_open(connected, registry):
    connected.script([{"content": "", "tool_calls": [{"name": "open_invoices", "arguments": {"customer_id": 1}}]},
                      {"content": "done"}])
    mine = open_session()
    try:
        assert await ai_complete("Count", tools=["open_invoices"], db=mine, registry=registry) == "done"
        assert registry.ran[0][2] is mine
        assert mine.execute(sa.text("SELECT 1")).scalar() == 1  # still usable: the caller closes it
    finally:
        mine.close()


async def test_without_a_session_one_is_opened_for_the_call_and_closed(connected, registry, database):
    connected.script([{"content": "", "tool_calls": [{"name": "open_invoices", "arguments": {"customer_id": 1}}]},
                      {"content": "done"}])
    checked_out = []
    sa.event.listen(database, "checkout", lambda *args: checked_out.append(1))
    assert await ai_complete("Count", tools=["open_invoices"], registry=registry) == "done"
    own = registry.ran[0][2]
    assert own is not None and not own.in_transaction()
    assert checked_out and database.pool.checkedout() == 0  # every connection went back to the pool

"""crud.ai.provider against the test AI provider process: plain and streamed answers,
tool calls whole and in fragments, and every way the provider can fail, with the API
key never in an error or a log line."""

import logging
import time

import httpx
import pytest

from fasthx_ui.crud.ai.provider import AIProvider, AIProviderError, OpenAICompatibleProvider

from helpers import free_port

KEY = "sk-test-5f0c1b9e2d7a4c3b"
QUESTION = [{"role": "user", "content": "How many open invoices?"}]
TOOLS = [{"type": "function", "function": {"name": "lookup", "description": "Look up.",
                                           "parameters": {"type": "object", "properties": {}}}}]


@pytest.fixture
def anyio_backend():
    return "asyncio"


def provider(url: str, **kwargs) -> OpenAICompatibleProvider:
    return OpenAICompatibleProvider(url, **{"model": "test-model", **kwargs})


async def streamed(p: AIProvider, messages=QUESTION, tools=None) -> list[dict]:
    return [event async for event in p.stream(messages, tools)]


@pytest.mark.anyio
async def test_plain_answer_and_what_was_sent(ai_server):
    ai_server.script([{"content": "Three."}])
    answer = await provider(ai_server.url, temperature=0.2, max_tokens=50).chat(QUESTION)
    assert answer == {"response": "Three.", "tool_calls": None}
    [sent] = ai_server.requests()
    assert sent == {"model": "test-model", "messages": QUESTION, "temperature": 0.2, "max_tokens": 50}
    assert "authorization" not in ai_server.headers()[0]


@pytest.mark.anyio
async def test_the_key_goes_in_a_bearer_header_and_tools_in_the_body(ai_server):
    await provider(ai_server.url + "/", api_key=KEY).chat(QUESTION, TOOLS, tool_choice="auto")
    assert ai_server.headers()[0]["authorization"] == f"Bearer {KEY}"
    [sent] = ai_server.requests()
    assert sent["tools"] == TOOLS and sent["tool_choice"] == "auto"


@pytest.mark.anyio
async def test_streamed_tokens_arrive_one_by_one(ai_server):
    ai_server.script([{"content": "Three open invoices.", "chunk": 4}])
    events = await streamed(provider(ai_server.url))
    tokens = [e["text"] for e in events if e["type"] == "token"]
    assert tokens == ["Thre", "e op", "en i", "nvoi", "ces."]
    assert events[-1] == {"type": "done", "response": "Three open invoices."}
    assert ai_server.requests()[0]["stream"] is True


@pytest.mark.anyio
async def test_tool_calls_in_a_json_answer(ai_server):
    ai_server.script([{"content": None, "tool_calls": [
        {"id": "c1", "name": "lookup", "arguments": {"customer_id": 7}},
        {"id": "c2", "name": "lookup", "arguments": "{not json"},
        {"id": "c3", "name": "lookup", "arguments": "[1, 2]"},
    ]}])
    answer = await provider(ai_server.url).chat(QUESTION, TOOLS)
    assert answer["response"] == ""
    first, broken, listed = answer["tool_calls"]
    assert first == {"id": "c1", "name": "lookup", "arguments": {"customer_id": 7}}
    assert broken["arguments"] == {} and "not valid JSON" in broken["arguments_error"]
    assert listed["arguments"] == {} and "not a JSON object" in listed["arguments_error"]


@pytest.mark.anyio
async def test_streamed_tool_call_fragments_are_assembled_by_index(ai_server):
    ai_server.script([{"content": "Looking.", "chunk": 2, "tool_calls": [
        {"id": "a", "name": "lookup", "arguments": {"customer_id": 7, "note": "first one"}},
        {"id": "b", "name": "count", "arguments": {"status": "open"}},
    ]}])
    events = await streamed(provider(ai_server.url), tools=TOOLS)
    assert [e["type"] for e in events][-2:] == ["tool_calls", "done"]
    assert events[-2]["tool_calls"] == [
        {"id": "a", "name": "lookup", "arguments": {"customer_id": 7, "note": "first one"}},
        {"id": "b", "name": "count", "arguments": {"status": "open"}},
    ]
    assert events[-1]["response"] == "Looking."


@pytest.mark.anyio
async def test_normalised_tool_calls_in_the_history_go_back_in_wire_format(ai_server):
    history = [*QUESTION,
               {"role": "assistant", "content": "", "tool_calls": [{"id": "c1", "name": "lookup", "arguments": {"x": 1}}]},
               {"role": "tool", "tool_call_id": "c1", "content": "3"}]
    await provider(ai_server.url).chat(history)
    sent = ai_server.requests()[0]["messages"]
    assert sent[1]["tool_calls"] == [{"id": "c1", "type": "function",
                                      "function": {"name": "lookup", "arguments": '{"x": 1}'}}]
    assert sent[2] == history[2]


@pytest.mark.anyio
@pytest.mark.parametrize("streaming", [False, True])
async def test_provider_down(streaming):
    port = free_port()
    p = provider(f"http://127.0.0.1:{port}/v1")
    with pytest.raises(AIProviderError, match=f"^Cannot connect to the AI provider at 127.0.0.1:{port}$"):
        await (streamed(p) if streaming else p.chat(QUESTION))


@pytest.mark.anyio
@pytest.mark.parametrize("streaming", [False, True])
async def test_provider_too_slow(ai_server, streaming):
    ai_server.script([{"content": "late", "delay": 3}])
    p = provider(ai_server.url, timeout=0.5)
    with pytest.raises(AIProviderError, match=r"gave no answer within 0\.5 s$"):
        await (streamed(p) if streaming else p.chat(QUESTION))


@pytest.mark.anyio
async def test_malformed_json(ai_server):
    ai_server.script([{"malformed": True}])
    with pytest.raises(AIProviderError, match="answer was not understood"):
        await provider(ai_server.url).chat(QUESTION)


@pytest.mark.anyio
async def test_malformed_stream_fails_after_the_good_tokens(ai_server):
    ai_server.script([{"content": "Half an ans", "malformed": True}])
    seen = []
    with pytest.raises(AIProviderError, match="answer was not understood"):
        async for event in provider(ai_server.url).stream(QUESTION):
            seen.append(event)
    assert "".join(e["text"] for e in seen) == "Half an ans"


@pytest.mark.anyio
async def test_an_error_in_the_middle_of_a_stream(ai_server):
    ai_server.script([{"content": "Par", "stream_error": f"overloaded, key {KEY}"}])
    seen = []
    with pytest.raises(AIProviderError, match="^The AI provider reported an error in the middle of its answer$"):
        async for event in provider(ai_server.url, api_key=KEY).stream(QUESTION):
            seen.append(event)
    assert seen == [{"type": "token", "text": "Par"}]


@pytest.mark.anyio
async def test_tokens_are_given_as_they_arrive(ai_server):
    ai_server.script([{"content": "abcdef", "chunk": 2, "chunk_delay": 0.3}])
    arrivals = []
    async for event in provider(ai_server.url).stream(QUESTION):
        arrivals.append((event["type"], time.monotonic()))
    tokens = [at for kind, at in arrivals if kind == "token"]
    assert len(tokens) == 3
    assert all(later - earlier >= 0.25 for earlier, later in zip(tokens, tokens[1:]))


@pytest.mark.anyio
@pytest.mark.parametrize("streaming", [False, True])
@pytest.mark.parametrize(("status", "ending"), [(500, r"at 127\.0\.0\.1:\d+$"), (401, "check the API key$")])
async def test_http_error_status(ai_server, streaming, status, ending):
    ai_server.script([{"status": status, "content": "internal details"}])
    p = provider(ai_server.url)
    with pytest.raises(AIProviderError, match=f"^HTTP {status} from the AI provider") as caught:
        await (streamed(p) if streaming else p.chat(QUESTION))
    assert caught.match(ending)
    assert "internal details" not in str(caught.value)


@pytest.mark.anyio
@pytest.mark.parametrize("url", ["ftp://example.org/v1", "not a url"])
async def test_a_base_url_that_is_not_http(url):
    with pytest.raises(AIProviderError, match="not a valid"):
        await provider(url).chat(QUESTION)


@pytest.mark.anyio
async def test_the_key_is_never_in_an_error_or_a_log(ai_server, caplog):
    caplog.set_level(logging.DEBUG)
    ai_server.script([{"status": 401, "content": f"Incorrect API key provided: {KEY}"}, {"malformed": True},
                      {"content": "x", "malformed": True}, {"content": "late", "delay": 3}])
    p = provider(ai_server.url, api_key=KEY, timeout=0.5)
    errors = []
    for attempt in (p.chat(QUESTION), p.chat(QUESTION), streamed(p), p.chat(QUESTION),
                    provider(f"http://127.0.0.1:{free_port()}/v1", api_key=KEY).chat(QUESTION)):
        with pytest.raises(AIProviderError) as caught:
            await attempt
        errors.append(str(caught.value))
    assert len(set(errors)) == 4
    assert "fasthx_ui.crud.ai.provider" in {record.name for record in caplog.records}
    for text in [*errors, caplog.text, repr(p)]:
        assert KEY not in text


class OneShot(AIProvider):
    name = "one-shot"

    async def chat(self, messages, tools=None, **kwargs):
        return {"response": "whole", "tool_calls": [{"id": "1", "name": "t", "arguments": {}}]}


@pytest.mark.anyio
async def test_a_provider_with_only_chat_streams_its_answer_as_one_token():
    assert await streamed(OneShot()) == [
        {"type": "token", "text": "whole"},
        {"type": "tool_calls", "tool_calls": [{"id": "1", "name": "t", "arguments": {}}]},
        {"type": "done", "response": "whole"},
    ]
    assert OneShot().get_config_fields() == []


def test_config_fields_mark_the_key_secret():
    fields = {f["name"]: f for f in provider("http://x/v1").get_config_fields()}
    assert set(fields) == {"base_url", "api_key", "model", "temperature", "max_tokens", "timeout"}
    assert [name for name, f in fields.items() if f["secret"]] == ["api_key"]
    assert all(f["label"] and f["type"] for f in fields.values())


@pytest.mark.anyio
async def test_the_test_server_echoes_without_a_script_and_refuses_a_bad_one(ai_server):
    assert (await provider(ai_server.url).chat(QUESTION))["response"] == "echo: How many open invoices?"
    with pytest.raises(httpx.HTTPStatusError):
        ai_server.script({"content": "not a list"})
    ai_server.reset()
    assert ai_server.requests() == [] and ai_server.headers() == []

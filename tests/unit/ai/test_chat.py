"""One chat turn through the real routes against the test AI provider: answers, tool
calls and their rounds, the four hooks, confirm tools, and provider failures."""

import pytest
from helpers import free_port

from fasthx_ui.crud.ai.chat import DENIED, NOT_WAITING, SUPERSEDED

from .chat_app import ChatClient, app, chat_app, client, db_url, registry  # noqa: F401 (fixtures)


def kinds(events):
    return [kind for kind, _ in events]


def tools_of(events):
    return [(data["name"], data["status"], data["result"]) for kind, data in events if kind == "tool"]


def call(name, **arguments):
    return {"tool_calls": [{"name": name, "arguments": arguments}]}


def test_a_plain_answer_streams_token_by_token_then_comes_rendered(client, ai_server):
    ai_server.script([{"content": "Hello **there**, friend", "chunk": 4}])
    events = client.say("hi")
    assert kinds(events)[-2:] == ["message", "done"]
    tokens = [data["text"] for kind, data in events if kind == "token"]
    assert len(tokens) > 3 and "".join(tokens) == "Hello **there**, friend"
    assert "<strong>there</strong>" in events[-2][1]["html"]
    sent = ai_server.requests()[0]
    assert sent["stream"] is True and "tools" not in sent
    assert sent["messages"] == [{"role": "system", "content": "You are the test assistant."},
                                {"role": "user", "content": "hi"}]


def test_the_json_route_answers_in_the_reference_shape(client, ai_server, registry):
    @registry.tool(description="Count customers with a status")
    def count_customers(status: str) -> int:
        return {"active": 3}.get(status, 0)

    ai_server.script([call("count_customers", status="active"), {"content": "There are **3**."}])
    answer = client.post("/ai/chat", json={"message": "How many active?"}).json()
    assert answer == {"response": "There are **3**.",
                      "tool_calls": [{"name": "count_customers", "arguments": {"status": "active"}, "result": "3"}]}


def test_a_tool_runs_with_the_signed_in_user_and_its_result_goes_back_to_the_model(client, ai_server, registry):
    @registry.tool(description="Who asks")
    def whoami(shout: bool, user, request) -> str:
        name = f"{user['username']} via {request.url.path}"
        return name.upper() if shout else name

    ai_server.script([call("whoami", shout=True), {"content": "You are ADA."}])
    events = client.say("who am I?")
    assert tools_of(events) == [("whoami", "running", None), ("whoami", "done", "ADA VIA /AI/CHAT/STREAM")]
    first, second = ai_server.requests()
    assert [tool["function"]["name"] for tool in first["tools"]] == ["whoami"]
    assert "user" not in str(first["tools"][0]["function"]["parameters"])
    assert second["messages"][-1]["role"] == "tool" and second["messages"][-1]["content"] == "ADA VIA /AI/CHAT/STREAM"
    assert second["messages"][-2]["tool_calls"][0]["function"]["name"] == "whoami"
    assert events[-2] == ("message", {"html": "<p>You are ADA.</p>\n"})


def test_several_rounds_of_tool_calls_until_the_answer_and_no_more_than_five(client, ai_server, registry):
    seen = []

    @registry.tool(description="Step")
    def step(n: int) -> str:
        seen.append(n)
        return f"step {n} done"

    ai_server.script([call("step", n=1), call("step", n=2), {"content": "Two steps."}])
    assert client.say("go")[-2][0] == "message"
    assert seen == [1, 2] and len(ai_server.requests()) == 3

    ai_server.reset()
    seen.clear()
    ai_server.script([call("step", n=i) for i in range(1, 7)] + [{"content": "unused"}])
    events = client.say("loop forever")
    requests = ai_server.requests()
    assert seen == [1, 2, 3, 4, 5] and len(requests) == 6
    assert all("tools" in r for r in requests[:5]) and "tools" not in requests[5]
    assert kinds(events)[-2:] == ["message", "done"]


def test_pre_tool_use_blocks_a_call_and_its_text_is_the_result(client, ai_server, registry):
    ran = []

    @registry.tool(description="Delete everything")
    def delete_all() -> str:
        ran.append(True)
        return "deleted"

    @registry.on("pre_tool_use", description="Read-only mode")
    def read_only(tool_name):
        return "Refused: the app is read-only." if tool_name.startswith("delete") else None

    ai_server.script([call("delete_all"), {"content": "I could not."}])
    events = client.say("delete it all")
    assert ran == []
    assert tools_of(events) == [("delete_all", "blocked", "Refused: the app is read-only.")]
    assert ai_server.requests()[1]["messages"][-1]["content"] == "Refused: the app is read-only."


def test_user_prompt_submit_and_post_tool_use_hooks_chain(client, ai_server, registry):
    @registry.tool(description="Secret")
    def secret() -> str:
        return "s3cret"

    @registry.on("user_prompt_submit")
    def tag_a(message):
        return message + " [a]"

    @registry.on("user_prompt_submit")
    def tag_b(message, history, user):
        return f"{message} [b:{user['username']}:{len(history)}]"

    @registry.on("post_tool_use")
    def mask(result):
        return result.replace("s3cret", "******")

    @registry.on("post_tool_use")
    def sign(tool_name, result):
        return f"{result} (from {tool_name})"

    ai_server.script([call("secret"), {"content": "ok"}])
    events = client.say("hi")
    first, second = ai_server.requests()
    assert first["messages"][-1] == {"role": "user", "content": "hi [a] [b:ada:0]"}
    assert second["messages"][-1]["content"] == "****** (from secret)"
    assert tools_of(events)[-1] == ("secret", "done", "****** (from secret)")


def test_a_raising_hook_is_ignored_and_a_switched_off_hook_does_not_run(client, ai_server, registry):
    started = []

    @registry.on("session_start")
    def remember(session_id, user):
        started.append((session_id, user["username"]))

    @registry.on("user_prompt_submit")
    def broken(message):
        raise RuntimeError("hook bug")

    @registry.on("user_prompt_submit")
    def shout(message):
        return message.upper()

    from fasthx_ui.crud.ai.settings import save_settings
    from fasthx_ui.crud.db import open_session

    with open_session() as db:
        save_settings(db, disabled_hooks=["user_prompt_submit:test_a_raising_hook_is_ignored_and_a_switched_off_hook_does_not_run.<locals>.shout"])
    client.say("quiet please")
    assert ai_server.requests()[0]["messages"][-1]["content"] == "quiet please"
    assert len(started) == 1 and started[0][1] == "ada"
    client.say("again")
    assert len(started) == 1  # the conversation is not new any more


def test_a_confirm_tool_waits_for_allow_then_runs(client, ai_server, registry):
    closed = []

    @registry.tool(description="Close an order", confirm=True)
    def close_order(order_id: int, user) -> str:
        closed.append((order_id, user["username"]))
        return f"order {order_id} closed"

    ai_server.script([call("close_order", order_id=7), {"content": "Order 7 is closed."}])
    events = client.say("close order 7")
    assert kinds(events) == ["confirm", "done"]
    confirm = events[0][1]
    assert confirm["name"] == "close_order" and confirm["arguments"] == {"order_id": 7}
    assert closed == [] and len(ai_server.requests()) == 1

    events = client.chat({"confirm": confirm["id"], "allow": True})
    assert closed == [(7, "ada")]
    assert tools_of(events) == [("close_order", "running", None), ("close_order", "done", "order 7 closed")]
    assert events[-2][0] == "message"
    history = client.get("/ai/history").json()
    assert [entry["role"] for entry in history] == ["user", "assistant", "assistant"]
    assert history[1]["tool_calls"][0]["result"] == "order 7 closed"
    assert client.chat({"confirm": confirm["id"], "allow": True}) == [("error", {"message": NOT_WAITING}), ("done", {})]
    assert closed == [(7, "ada")]


def asked_to_drop(client, ai_server, registry, answer):
    """Register a confirm tool that must never run, have the model call it, and return
    the `confirm` event the turn paused on."""
    @registry.tool(description="Drop", confirm=True)
    def drop() -> str:
        raise AssertionError("must not run")

    ai_server.script([call("drop"), {"content": answer}])
    return client.say("drop it")[0][1]


def test_a_denied_confirm_tool_never_runs_and_the_model_is_told(client, ai_server, registry):
    confirm = asked_to_drop(client, ai_server, registry, "Not dropped.")
    events = client.chat({"confirm": confirm["id"], "allow": False})
    assert tools_of(events) == [("drop", "blocked", DENIED)]
    assert ai_server.requests()[1]["messages"][-1]["content"] == DENIED


def test_a_new_message_closes_a_waiting_call_without_running_it(client, ai_server, registry):
    confirm = asked_to_drop(client, ai_server, registry, "Fine, something else.")
    assert client.say("never mind")[-2][0] == "message"
    messages = ai_server.requests()[1]["messages"]
    assert [m["role"] for m in messages[1:]] == ["user", "assistant", "tool", "user"]
    assert messages[3] == {"role": "tool", "tool_call_id": confirm["id"], "content": SUPERSEDED}


def test_an_unknown_tool_name_from_the_model_is_an_error_result(client, ai_server, registry):
    @registry.tool(description="A tool the model could have called")
    def known() -> str:
        return "known"

    ai_server.script([call("launch_rockets", count=3), {"content": "No such tool."}])
    events = client.say("launch")
    assert tools_of(events)[-1] == ("launch_rockets", "error", "Error executing tool 'launch_rockets': unknown tool")
    assert events[-2][0] == "message"


def test_html_in_the_answer_is_escaped_in_the_message_event(client, ai_server):
    ai_server.script([{"content": 'Hi <script>alert(1)</script><img src=x onerror="alert(2)"> [x](javascript:alert(3))'}])
    html = client.say("hi")[-2][1]["html"]
    assert "<script" not in html and "<img" not in html and "href" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.parametrize(
    "answer, expected",
    [
        ({"malformed": True}, "not understood"),
        ({"status": 500}, "HTTP 500 from the AI provider"),
        ({"delay": 4, "content": "too late"}, "gave no answer within 2 s"),
    ],
    ids=["malformed", "http-error", "slow"],
)
def test_provider_failures_are_clear_errors_and_leave_the_history_alone(client, ai_server, answer, expected):
    ai_server.script([{"content": "first answer"}])
    client.say("first")
    ai_server.script([answer])
    events = client.say("second")
    assert kinds(events)[-2:] == ["error", "done"] and expected in events[-2][1]["message"]
    assert "message" not in kinds(events)
    history = client.get("/ai/history").json()
    assert [entry["content"] for entry in history] == ["first", "first answer"]
    reply = client.post("/ai/chat", json={"message": "third"})
    assert reply.status_code == 200
    assert [m["content"] for m in ai_server.requests()[-1]["messages"][1:]] == ["first", "first answer", "third"]


def test_a_provider_that_is_down_is_a_clear_error(db_url, registry):
    app = chat_app(db_url, f"http://127.0.0.1:{free_port()}/v1", registry)
    with ChatClient(app) as client:
        events = client.sign_in().say("hello?")
        assert events[-2][0] == "error" and "Cannot connect to the AI provider at 127.0.0.1" in events[-2][1]["message"]
        answer = client.post("/ai/chat", json={"message": "hello?"})
        assert answer.status_code == 502 and "Cannot connect" in answer.json()["error"]
        assert client.get("/ai/history").json() == []


def test_the_json_route_pauses_on_a_confirm_tool_and_takes_the_answer(client, ai_server, registry):
    @registry.tool(description="Archive", confirm=True)
    def archive(report: str) -> str:
        return f"{report} archived"

    ai_server.script([call("archive", report="q3"), {"content": "Archived."}])
    paused = client.post("/ai/chat", json={"message": "archive q3"}).json()
    assert paused["response"] == "" and paused["tool_calls"] == []
    assert paused["confirm"]["name"] == "archive" and paused["confirm"]["arguments"] == {"report": "q3"}
    done = client.post("/ai/chat", json={"confirm": paused["confirm"]["call_id"], "allow": True}).json()
    assert done == {"response": "Archived.", "tool_calls": [{"name": "archive", "arguments": {"report": "q3"}, "result": "q3 archived"}]}
    stale = client.post("/ai/chat", json={"confirm": paused["confirm"]["call_id"], "allow": True})
    assert stale.status_code == 409 and stale.json()["error"] == NOT_WAITING


def test_pre_tool_use_can_block_a_confirm_tool_before_the_user_is_asked(client, ai_server, registry):
    @registry.tool(description="Wipe", confirm=True)
    def wipe() -> str:
        raise AssertionError("must not run")

    @registry.on("pre_tool_use")
    def never_wipe(tool_name):
        return "Wiping is off." if tool_name == "wipe" else None

    ai_server.script([call("wipe"), {"content": "Not wiped."}])
    events = client.say("wipe")
    assert "confirm" not in kinds(events)
    assert tools_of(events) == [("wipe", "blocked", "Wiping is off.")]


def test_the_api_key_reaches_neither_an_answer_nor_the_log(client, ai_server, caplog):
    from fasthx_ui.crud.ai.settings import save_settings
    from fasthx_ui.crud.db import open_session

    key = "sk-test-very-secret-key"
    with open_session() as db:
        save_settings(db, api_key=key)
    ai_server.script([{"status": 401}, {"content": "fine"}])
    failed = client.say("hi")
    assert failed[-2][0] == "error" and "HTTP 401" in failed[-2][1]["message"]
    answer = client.post("/ai/chat", json={"message": "hi"})
    history = client.get("/ai/history")
    assert ai_server.headers()[-1]["authorization"] == f"Bearer {key}"  # it did go to the provider
    for text in (str(failed), answer.text, history.text, caplog.text):
        assert key not in text

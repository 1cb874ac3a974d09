"""The chat's routes: sign-in and CSRF on every one, request bodies checked, the chat
switched off, conversations per user and session (in-process and in Redis, seen by a
second app process), bounded and cleared; a paused tool call answered from two tabs at
once runs once."""

import asyncio
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from fasthx_ui.crud.ai.chat import NOT_WAITING
from fasthx_ui.crud.ai import routes
from fasthx_ui.crud.ai.history import InProcessHistory, RedisHistory
from fasthx_ui.crud.ai.routes import MISSING_EXTRA, NOT_CONNECTED, SWITCHED_OFF, require_ai_extra

from ...redis_keys import REDIS_URL
from .chat_app import ChatClient, app, chat_app, client, db_url, registry  # noqa: F401 (fixtures)

BODIES = {"/ai/chat": {"message": "hi"}, "/ai/chat/stream": {"message": "hi"}, "/ai/clear": None}


def ai_routes(app):
    found = [(method, route.path) for route in app.state.fasthx_ai_chat.router.routes for method in route.methods]
    assert sorted(found) == [("GET", "/ai/history"), ("POST", "/ai/chat"), ("POST", "/ai/chat/stream"), ("POST", "/ai/clear")]
    return found


def send(client, method, path, **options):
    return client.request(method, path, json=BODIES.get(path), **options)


def test_anonymous_users_are_refused_on_every_route(app, ai_server):
    with ChatClient(app, follow_redirects=False) as anonymous:
        for method, path in ai_routes(app):
            api = send(anonymous, method, path, headers={"Accept": "application/json"})
            assert api.status_code == 401, path
            page = send(anonymous, method, path, headers={"Accept": "text/html"})
            assert page.status_code == 303 and page.headers["location"].startswith("/login?next="), path
    assert ai_server.requests() == []


def test_posts_without_the_csrf_token_from_another_site_are_refused(client, ai_server):
    for path in ("/ai/chat", "/ai/chat/stream", "/ai/clear"):
        response = client.post(path, json=BODIES[path], headers={"Sec-Fetch-Site": "cross-site"})
        assert response.status_code == 403 and "CSRF token missing" in response.text, path
    assert ai_server.requests() == []
    assert client.get("/ai/history").json() == []


@pytest.mark.parametrize(
    "body, message",
    [
        (b"not json", "not valid JSON"),
        (b"[1, 2]", "Send a JSON object"),
        (b'{"message": "   "}', "non-empty"),
        (b'{"message": 42}', "non-empty"),
        (b'{"confirm": "call_1", "allow": "yes"}', '"allow" true or false'),
        (('{"message": "' + "x" * 8001 + '"}').encode(), "too long"),
    ],
)
def test_bad_bodies_get_a_clear_422(client, ai_server, body, message):
    for path in ("/ai/chat", "/ai/chat/stream"):
        response = client.post(path, content=body, headers={"Content-Type": "application/json"})
        assert response.status_code == 422 and message in response.json()["error"]
    assert ai_server.requests() == []


def test_a_chat_switched_off_or_without_a_connection_is_a_409(db_url, registry, ai_server):
    for ai_url, enabled, message in [(ai_server.url, False, SWITCHED_OFF), (None, True, NOT_CONNECTED)]:
        with ChatClient(chat_app(db_url, ai_url, registry, enabled=enabled)) as client:
            client.sign_in()
            for path in ("/ai/chat", "/ai/chat/stream"):
                response = client.post(path, json={"message": "hi"})
                assert response.status_code == 409 and response.json() == {"error": message}
    assert ai_server.requests() == []


def test_each_user_has_a_conversation_and_two_tabs_of_one_sign_in_share_it(app, ai_server):
    with ChatClient(app) as ada, ChatClient(app) as bob, ChatClient(app) as ada_again:
        ada.sign_in("ada").say("I am ada")
        bob.sign_in("bob").say("I am bob")
        assert [e["content"] for e in ada.get("/ai/history").json()] == ["I am ada", "echo: I am ada"]
        assert [e["content"] for e in bob.get("/ai/history").json()] == ["I am bob", "echo: I am bob"]
        with ChatClient(app, cookies=dict(ada.cookies)) as second_tab:
            assert second_tab.get("/ai/history").json() == ada.get("/ai/history").json()
        ada_again.sign_in("ada")  # a new sign-in is a new conversation
        assert ada_again.get("/ai/history").json() == []
        assert "echo: I am bob" not in str(ai_server.requests()[-1])


def test_history_shows_rendered_answers_and_clear_forgets_it(client, ai_server):
    ai_server.script([{"content": "**bold** <b>raw</b>"}])
    client.say("hi")
    history = client.get("/ai/history").json()
    assert history[1]["html"] == "<p><strong>bold</strong> &lt;b&gt;raw&lt;/b&gt;</p>\n"
    assert client.post("/ai/clear").json() == {"cleared": True}
    assert client.get("/ai/history").json() == []
    client.say("fresh start")
    assert [m["role"] for m in ai_server.requests()[-1]["messages"]] == ["system", "user"]


def test_the_history_is_bounded_and_a_cut_tool_exchange_is_not_sent(db_url, ai_server, registry):
    app = chat_app(db_url, ai_server.url, registry, ai_history_limit=3)
    assert isinstance(app.state.fasthx_ai_chat.history, InProcessHistory)

    @registry.tool(description="Ping")
    def ping() -> str:
        return "pong"

    with ChatClient(app) as client:
        client.sign_in()
        ai_server.script([{"tool_calls": [{"name": "ping", "arguments": {}}]}, {"content": "pinged"}])
        client.say("ping")  # stores user, assistant (tool call), tool, assistant: 4 > 3
        kept = client.get("/ai/history").json()
        assert len(kept) == 2 and kept[-1]["content"] == "pinged"
        client.say("next")
        roles = [m["role"] for m in ai_server.requests()[-1]["messages"]]
        assert roles == ["system", "user"]


def test_a_redis_history_is_seen_by_a_second_app_process(db_url, registry, ai_server, prefix):
    first = chat_app(db_url, ai_server.url, registry, ai_redis_url=REDIS_URL)
    second = chat_app(db_url, ai_server.url, registry, ai_redis_url=REDIS_URL)
    for app in (first, second):
        assert isinstance(app.state.fasthx_ai_chat.history, RedisHistory)
        app.state.fasthx_ai_chat.history.prefix = prefix
    with ChatClient(first) as one:
        one.sign_in("ada").say("remember me")
        with ChatClient(second, cookies=dict(one.cookies)) as two:
            assert [e["content"] for e in two.get("/ai/history").json()] == ["remember me", "echo: remember me"]
            two.say("and now?")
            sent = [m["content"] for m in ai_server.requests()[-1]["messages"][1:]]
            assert sent == ["remember me", "echo: remember me", "and now?"]
            two.post("/ai/clear")
        assert one.get("/ai/history").json() == []


def test_pages_of_a_signed_in_user_carry_the_widget_on_the_chat_routes(app):
    with ChatClient(app, follow_redirects=False) as client:
        assert client.get("/page").status_code == 303  # anonymous: no page, no widget
        page = client.sign_in().get("/page").text
    assert page.count("data-fhx-ai-chat") == 1
    assert 'data-stream-url="/ai/chat/stream"' in page and 'data-history-url="/ai/history"' in page
    assert 'data-clear-url="/ai/clear"' in page


@pytest.mark.parametrize("allowed", [{"ai_chat_allowed_users": ["ada"]}, {"ai_chat_allowed_groups": ["/NOC"]}])
def test_only_users_inside_the_chat_allow_lists_get_its_routes_and_widget(db_url, registry, ai_server, allowed):
    app = chat_app(db_url, ai_server.url, registry, **allowed)
    with ChatClient(app) as ada, ChatClient(app) as bob:
        ada.sign_in("ada", groups="/NOC")
        bob.sign_in("bob", groups="/Sales")
        for method, path in ai_routes(app):
            refused = send(bob, method, path, headers={"Accept": "application/json"})
            assert refused.status_code == 403 and "You do not have access to the AI assistant." in refused.text, path
            assert send(bob, method, path, headers={"HX-Request": "true"}).status_code == 403, path
        assert ai_server.requests() == []
        assert "data-fhx-ai-chat" not in bob.get("/page").text
        assert "data-fhx-ai-chat" in ada.get("/page").text
        ada.say("hello")
        assert [e["content"] for e in ada.get("/ai/history").json()] == ["hello", "echo: hello"]


def test_without_ai_chat_there_are_no_routes_and_no_widget(db_url):
    from fastapi import FastAPI

    from fasthx_ui.crud import Admin

    app = FastAPI()
    Admin(app, title="No chat")
    assert not hasattr(app.state, "fasthx_ai_chat")
    with ChatClient(app) as client:
        assert client.get("/ai/history").status_code == 404
        assert client.post("/ai/chat", json={"message": "hi"}).status_code == 404


def test_without_the_ai_extra_the_chat_says_what_to_install(monkeypatch):
    monkeypatch.setattr(routes, "EXTRA_MODULES", ("markdown_it", "surely_not_installed_module"))
    with pytest.raises(RuntimeError) as error:
        require_ai_extra()
    assert MISSING_EXTRA in str(error.value) and "pip install 'fasthx_ui[ai]'" in str(error.value)
    assert "surely_not_installed_module" in str(error.value)


def test_a_history_store_that_cannot_be_reached_ends_the_stream_with_an_error(app, caplog):
    from helpers import free_port

    from fasthx_ui.crud.ai.chat import FAILED

    app.state.fasthx_ai_chat.history = RedisHistory(f"redis://127.0.0.1:{free_port()}/0")
    with ChatClient(app) as client:
        events = client.sign_in().say("hello")
    assert events == [("error", {"message": FAILED}), ("done", {})]
    assert "AI chat turn failed" in caplog.text


def test_without_a_database_the_chat_says_so(client, monkeypatch):
    from fasthx_ui.crud import db

    monkeypatch.setattr(db, "_sessions", None)
    response = client.post("/ai/chat", json={"message": "hi"})
    assert response.status_code == 409 and response.json() == {"error": routes.NO_DATABASE}


PAUSED = {"new": [], "calls": [{"id": "call_1", "name": "refund", "arguments": {}}], "round": 1}


@pytest.mark.parametrize("kind", ["in-process", "redis"])
def test_a_paused_turn_is_taken_by_one_caller_only(kind, prefix):
    store = InProcessHistory() if kind == "in-process" else RedisHistory(REDIS_URL, prefix=prefix)
    asyncio.run(store.set_pending("k", PAUSED))
    assert asyncio.run(store.take_pending("k", "call_2")) is None  # another call: left waiting
    with ThreadPoolExecutor(8) as pool:
        taken = list(pool.map(lambda _: asyncio.run(store.take_pending("k", "call_1")), range(8)))
    assert [turn for turn in taken if turn is not None] == [PAUSED]
    assert asyncio.run(store.pending("k")) is None


@pytest.mark.parametrize("kind", ["in-process", "redis"])
def test_two_tabs_answering_one_paused_tool_call_run_it_once(db_url, registry, ai_server, prefix, kind):
    refunded = []

    @registry.tool(description="Refund an order", confirm=True)
    def refund(order_id: int) -> str:
        refunded.append(order_id)
        return f"order {order_id} refunded"

    app = chat_app(db_url, ai_server.url, registry, **({"ai_redis_url": REDIS_URL} if kind == "redis" else {}))
    app.state.fasthx_ai_chat.history.prefix = prefix
    ai_server.script([{"tool_calls": [{"name": "refund", "arguments": {"order_id": 7}}]}, {"content": "Refunded."}])
    with ChatClient(app) as tab:
        confirm = dict(tab.sign_in().say("refund order 7"))["confirm"]
        cookies = dict(tab.cookies)

    async def answer_in_two_tabs():
        transport = httpx.ASGITransport(app=app)
        tabs = [httpx.AsyncClient(transport=transport, base_url="http://testserver", cookies=cookies) for _ in range(2)]
        try:
            return await asyncio.gather(*(t.post("/ai/chat", json={"confirm": confirm["id"], "allow": True}) for t in tabs))
        finally:
            for t in tabs:
                await t.aclose()

    answers = sorted(asyncio.run(answer_in_two_tabs()), key=lambda answer: answer.status_code)
    assert [answer.status_code for answer in answers] == [200, 409]
    assert answers[0].json()["response"] == "Refunded." and answers[1].json()["error"] == NOT_WAITING
    assert refunded == [7]
    assert len(ai_server.requests()) == 2

"""console_stream_response over real HTTP (uvicorn in a thread), with real Redis."""

import queue
import subprocess
import sys
import uuid

import httpx
import pytest
from fastapi import FastAPI, Request

from fasthx_ui.console import CONSOLE_END_EVENT, console_html, console_stream_response
from fasthx_ui.console_channel import InProcessConsoleChannel, RedisConsoleChannel

from ..redis_keys import REDIS_URL, delete_prefixed
from .served import served
from .test_console import parse_sse
from .tcp_proxy import TcpProxy

PREFIX = f"fasthx-test-{uuid.uuid4().hex}:"

memory = InProcessConsoleChannel()
shared = RedisConsoleChannel(REDIS_URL, prefix=PREFIX)
broken = RedisConsoleChannel("redis://127.0.0.1:1/0", socket_timeout=0.5)
CHANNELS = {"memory": memory, "redis": shared, "broken": broken}
closes: "queue.Queue[tuple[str, str]]" = queue.Queue()

app = FastAPI()


@app.get("/stream/{kind}/{console_id}")
async def stream(request: Request, kind: str, console_id: str):
    return console_stream_response(
        request,
        CHANNELS[kind],
        console_id,
        wait=0.1,
        keepalive=0.3,
        on_close=lambda reason: closes.put((console_id, reason)),
    )


@pytest.fixture(scope="module")
def base_url():
    with served(app) as url:
        yield url
    delete_prefixed(PREFIX)


def close_reason(console_id: str) -> str:
    """The reason the server gave when the stream for ``console_id`` stopped."""
    while True:
        found, reason = closes.get(timeout=10)
        if found == console_id:
            return reason


@pytest.mark.parametrize("kind", ["memory", "redis"])
def test_stream_sends_history_then_ends(base_url, kind):
    console_id = uuid.uuid4().hex
    channel = CHANNELS[kind]
    channel.publish(console_id, "\x1b[32mready\x1b[0m\n")
    channel.publish(console_id, "<b>two</b>\n", css_class="ansi-bold")
    channel.end(console_id)
    response = httpx.get(f"{base_url}/stream/{kind}/{console_id}", timeout=10)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    assert response.headers["cache-control"] == "no-cache"
    messages = parse_sse(response.text)
    assert [m["event"] for m in messages] == ["output", "output", CONSOLE_END_EVENT]
    assert messages[0]["data"] == str(console_html("\x1b[32mready\x1b[0m\n"))
    assert messages[1]["data"] == str(console_html("<b>two</b>\n", css_class="ansi-bold"))
    assert all(m["id"] for m in messages)
    assert close_reason(console_id) == "end"


@pytest.mark.parametrize("kind", ["memory", "redis"])
def test_stream_resumes_after_last_event_id(base_url, kind):
    console_id = uuid.uuid4().hex
    channel = CHANNELS[kind]
    for number in range(4):
        channel.publish(console_id, f"line {number}\n")
    channel.end(console_id)
    url = f"{base_url}/stream/{kind}/{console_id}"
    first = parse_sse(httpx.get(url, timeout=10).text)
    again = parse_sse(httpx.get(url, headers={"Last-Event-ID": first[1]["id"]}, timeout=10).text)
    assert [m["data"] for m in again] == [m["data"] for m in first[2:]]


@pytest.mark.parametrize("kind", ["memory", "redis"])
def test_server_notices_the_client_leaving(base_url, kind):
    console_id = uuid.uuid4().hex
    CHANNELS[kind].publish(console_id, "first\n")
    with httpx.stream("GET", f"{base_url}/stream/{kind}/{console_id}", timeout=10) as response:
        assert next(response.iter_lines()).startswith("id: ")
    assert close_reason(console_id) == "disconnect"


def test_keepalive_comment_while_silent(base_url):
    console_id = uuid.uuid4().hex
    with httpx.stream("GET", f"{base_url}/stream/memory/{console_id}", timeout=10) as response:
        assert next(response.iter_lines()) == ": keep-alive"
    assert close_reason(console_id) == "disconnect"


def test_live_output_reaches_an_open_stream(base_url):
    console_id = uuid.uuid4().hex
    with httpx.stream("GET", f"{base_url}/stream/memory/{console_id}", timeout=10) as response:
        memory.publish(console_id, "live\n")
        memory.end(console_id)
        messages = parse_sse(response.read().decode())
    assert [m["data"] for m in messages if m["event"] == "output"] == [str(console_html("live\n"))]
    assert close_reason(console_id) == "end"


def test_output_from_another_process_through_redis(base_url):
    """A separate Python process publishes; this app process streams it to the client."""
    console_id = uuid.uuid4().hex
    producer = (
        "import sys\n"
        "from fasthx_ui import RedisConsoleChannel\n"
        "channel = RedisConsoleChannel(sys.argv[1], prefix=sys.argv[2])\n"
        "for n in range(3):\n"
        "    channel.publish(sys.argv[3], f'\\x1b[3{n + 1}mstep {n}\\x1b[0m\\n')\n"
        "channel.end(sys.argv[3])\n"
    )
    with httpx.stream("GET", f"{base_url}/stream/redis/{console_id}", timeout=10) as response:
        subprocess.run([sys.executable, "-c", producer, REDIS_URL, PREFIX, console_id], check=True)
        messages = parse_sse(response.read().decode())
    outputs = [m["data"] for m in messages if m["event"] == "output"]
    assert outputs == [str(console_html(f"\x1b[3{n + 1}mstep {n}\x1b[0m\n")) for n in range(3)]
    assert messages[-1]["event"] == CONSOLE_END_EVENT


def test_redis_down_is_a_message_not_a_500(base_url):
    console_id = uuid.uuid4().hex
    response = httpx.get(f"{base_url}/stream/broken/{console_id}", timeout=10)
    assert response.status_code == 200
    messages = parse_sse(response.text)
    assert "Console stream unavailable" in messages[0]["data"]
    assert 'class="console-line ansi-red"' in messages[0]["data"]
    assert messages[-1]["event"] == CONSOLE_END_EVENT
    assert close_reason(console_id) == "unavailable"


def test_redis_going_away_mid_stream_ends_with_a_message(base_url):
    """The stream's Redis vanishes while a client is connected: it is told, then the stream ends."""
    console_id = uuid.uuid4().hex
    with TcpProxy(REDIS_URL) as proxy:
        # Default timeouts: stopping the proxy closes the connection, which the reader sees
        # at once; a tight connect timeout only failed the stream early on a busy machine.
        CHANNELS["proxied"] = RedisConsoleChannel(proxy.url, prefix=PREFIX)
        CHANNELS["proxied"].publish(console_id, "before\n")
        with httpx.stream("GET", f"{base_url}/stream/proxied/{console_id}", timeout=10) as response:
            lines = response.iter_lines()
            assert next(lines).startswith("id: ")
            proxy.stop()
            messages = parse_sse("\n".join(lines) + "\n")
    assert "Console stream unavailable: Redis is unavailable" in messages[-2]["data"]
    assert messages[-1]["event"] == CONSOLE_END_EVENT
    assert close_reason(console_id) == "unavailable"

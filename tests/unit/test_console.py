"""Console: output fragments, SSE frames, in-process and Redis channels (real Redis)."""

import asyncio
import threading

import pytest
import redis

from fasthx_ui.console import CONSOLE_END_EVENT, console_html, console_sse_end, console_sse_message
from fasthx_ui.console_channel import (
    ConsoleEntry,
    ConsoleUnavailable,
    InProcessConsoleChannel,
    RedisConsoleChannel,
    console_channel,
)

from ..redis_keys import REDIS_URL

CLOSED_PORT_URL = "redis://127.0.0.1:1/0"


def parse_sse(stream: str) -> list[dict]:
    """Parse an event stream the way the SSE specification (and hx-sse) does."""
    messages, current = [], {"event": "", "data": [], "id": None}
    for line in stream.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if not line:
            if current["data"] or current["event"]:
                messages.append({**current, "data": "\n".join(current["data"])})
            current = {"event": "", "data": [], "id": None}
            continue
        if line.startswith(":"):
            continue
        name, _, value = line.partition(":")
        value = value.removeprefix(" ")
        if name == "data":
            current["data"].append(value)
        elif name in ("event", "id"):
            current[name] = value
    return messages


def test_console_html_escapes_and_colours():
    html = console_html("\x1b[31m<script>x</script>\x1b[0m\n")
    assert html == (
        '<pre class="console-line">\n'
        '<span class="ansi-red">&lt;script&gt;x&lt;/script&gt;</span>\n</pre>'
    )


def test_console_html_without_ansi_escapes_only():
    html = console_html("\x1b[31m<b>", ansi=False)
    assert html == '<pre class="console-line">\n\x1b[31m&lt;b&gt;</pre>'


def test_console_html_css_class_is_attribute_escaped():
    html = console_html("ok", css_class='ansi-green" onclick="x')
    assert html == '<pre class="console-line ansi-green&#34; onclick=&#34;x">\nok</pre>'


def test_console_html_normalises_line_ends():
    assert console_html("a\r\nb\rc") == '<pre class="console-line">\na\nb\nc</pre>'


def test_sse_message_frame_format():
    frame = console_sse_message("Starting diagnostics...\n", css_class="ansi-green")
    assert frame == (
        "event: output\n"
        'data: <pre class="console-line ansi-green">\n'
        "data: Starting diagnostics...\n"
        "data: </pre>\n"
        "\n"
    )


def test_sse_message_multi_line_round_trips():
    text = "line one\n\x1b[1mline two\x1b[0m\r\n<i>three</i>\rfour"
    frame = console_sse_message(text, event="log", event_id="7-0")
    assert frame.endswith("\n\n") and frame.count("\n\n") == 1
    [message] = parse_sse(frame)
    assert message == {"event": "log", "id": "7-0", "data": str(console_html(text))}
    assert "<i>" not in message["data"]


def test_sse_message_without_ansi():
    [message] = parse_sse(console_sse_message("\x1b[32mgreen", ansi=False))
    assert "ansi-green" not in message["data"]


@pytest.mark.parametrize("event", ["", "two\nlines", "cr\rname"])
def test_sse_event_name_must_be_one_line(event):
    with pytest.raises(ValueError, match="SSE event name"):
        console_sse_message("x", event=event)


def test_sse_end_frame():
    assert console_sse_end() == f"event: {CONSOLE_END_EVENT}\ndata: \n\n"
    assert parse_sse(console_sse_end("3"))[0] == {"event": CONSOLE_END_EVENT, "id": "3", "data": ""}


def test_factory():
    assert console_channel() is console_channel()
    assert isinstance(console_channel(), InProcessConsoleChannel)
    assert isinstance(console_channel(REDIS_URL), RedisConsoleChannel)


async def collect(channel, console_id, after=None, wait=0.05, idle_batches=3):
    """Read entries until the end marker or ``idle_batches`` empty batches in a row."""
    entries, idle = [], 0
    async for batch in channel.listen(console_id, after, wait):
        entries += batch
        if any(entry.end for entry in batch):
            break
        idle = 0 if batch else idle + 1
        if idle >= idle_batches:
            break
    return entries


def channels(prefix):
    return {"memory": InProcessConsoleChannel(), "redis": RedisConsoleChannel(REDIS_URL, prefix=prefix)}


@pytest.mark.anyio
@pytest.mark.parametrize("kind", ["memory", "redis"])
async def test_channel_keeps_history_and_end(kind, prefix):
    channel = channels(prefix)[kind]
    channel.publish("c1", "one\n")
    channel.publish("c1", "two\n", css_class="ansi-green")
    channel.publish("other", "not mine\n")
    channel.end("c1")
    entries = await collect(channel, "c1")
    assert [(e.text, e.css_class, e.end) for e in entries] == [
        ("one\n", None, False),
        ("two\n", "ansi-green", False),
        ("", None, True),
    ]
    assert len({entry.id for entry in entries}) == 3


@pytest.mark.anyio
@pytest.mark.parametrize("kind", ["memory", "redis"])
async def test_channel_resumes_after_an_id(kind, prefix):
    channel = channels(prefix)[kind]
    for number in range(5):
        channel.publish("c1", f"{number}\n")
    first = await collect(channel, "c1")
    rest = await collect(channel, "c1", after=first[1].id)
    assert [e.text for e in rest] == ["2\n", "3\n", "4\n"]


@pytest.mark.anyio
@pytest.mark.parametrize("kind", ["memory", "redis"])
@pytest.mark.parametrize("after", ["garbage", "<script>", "-1"])
async def test_channel_ignores_a_bad_resume_id(kind, after, prefix):
    channel = channels(prefix)[kind]
    channel.publish("c1", "a")
    assert [e.text for e in await collect(channel, "c1", after=after)] == ["a"]


@pytest.mark.anyio
@pytest.mark.parametrize("kind", ["memory", "redis"])
async def test_channel_empty_batches_while_silent(kind, prefix):
    channel = channels(prefix)[kind]
    batches = []
    async for batch in channel.listen("silent", wait=0.05):
        batches.append(batch)
        if len(batches) == 3:
            break
    assert batches == [[], [], []]


@pytest.mark.anyio
@pytest.mark.parametrize("kind", ["memory", "redis"])
async def test_channel_wakes_a_waiting_reader_from_a_thread(kind, prefix):
    channel = channels(prefix)[kind]

    def produce():
        for number in range(20):
            channel.publish("live", f"line {number}\n")
        channel.end("live")

    reader = asyncio.create_task(collect(channel, "live", wait=5, idle_batches=1))
    await asyncio.sleep(0.05)
    threading.Thread(target=produce).start()
    entries = await asyncio.wait_for(reader, 10)
    assert [e.text for e in entries[:-1]] == [f"line {n}\n" for n in range(20)]
    assert entries[-1].end


@pytest.mark.anyio
async def test_redis_channel_across_two_clients(prefix):
    """Output published through one client reaches a reader on a different client."""
    publisher = RedisConsoleChannel(REDIS_URL, prefix=prefix)
    reader = RedisConsoleChannel(REDIS_URL, prefix=prefix)
    task = asyncio.create_task(collect(reader, "shared", wait=5, idle_batches=1))
    await asyncio.sleep(0.05)
    publisher.publish("shared", "\x1b[32mhello\x1b[0m\n")
    publisher.end("shared")
    entries = await asyncio.wait_for(task, 10)
    assert entries[0] == ConsoleEntry(entries[0].id, "\x1b[32mhello\x1b[0m\n", None, False)
    assert entries[-1].end


def test_redis_channel_key_bounds_and_expiry(prefix):
    channel = RedisConsoleChannel(REDIS_URL, prefix=prefix, max_entries=10, ttl=120)
    for number in range(300):
        channel.publish("big", str(number))
    raw = redis.Redis.from_url(REDIS_URL)
    key = channel.key("big")
    assert key == f"{prefix}big"
    assert raw.xlen(key) < 300
    assert 0 < raw.ttl(key) <= 120
    channel.clear("big")
    assert raw.exists(key) == 0


@pytest.mark.anyio
async def test_in_process_channel_bounds_memory():
    channel = InProcessConsoleChannel(max_entries=3, max_consoles=2)
    for number in range(10):
        channel.publish("a", str(number))
    assert [e.text for e in await collect(channel, "a")] == ["7", "8", "9"]
    channel.publish("b", "b")
    channel.publish("c", "c")
    assert await collect(channel, "a", idle_batches=1) == []
    channel.clear("c")
    assert await collect(channel, "c", idle_batches=1) == []


def test_redis_down_publish_raises_a_clear_error():
    channel = RedisConsoleChannel(CLOSED_PORT_URL, socket_timeout=0.5)
    with pytest.raises(ConsoleUnavailable, match="Redis is unavailable"):
        channel.publish("c1", "x")
    with pytest.raises(ConsoleUnavailable):
        channel.end("c1")
    with pytest.raises(ConsoleUnavailable):
        channel.clear("c1")


@pytest.mark.anyio
async def test_redis_down_listen_raises_a_clear_error():
    channel = RedisConsoleChannel(CLOSED_PORT_URL, socket_timeout=0.5)
    with pytest.raises(ConsoleUnavailable, match="Redis is unavailable"):
        await collect(channel, "c1")


@pytest.mark.anyio
@pytest.mark.parametrize("kind", ["memory", "redis"])
async def test_reader_resuming_after_clear_sees_new_output(kind, prefix):
    channel = channels(prefix)[kind]
    for number in range(5):
        channel.publish("again", f"old {number}")
    last = (await collect(channel, "again"))[-1].id
    channel.clear("again")
    channel.publish("again", "new")
    assert [e.text for e in await collect(channel, "again", after=last)] == ["new"]

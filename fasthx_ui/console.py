"""Console server side: output fragments, SSE frames and the channels that carry output.

A console shows text chunks as ``<pre class="console-line">`` fragments. Output can be
given at once, streamed by any async generator of :func:`console_sse_message` frames, or
published to a *channel* by code running elsewhere (a background task, a worker, another
app process) and streamed to the browser by :func:`console_stream_response`.

Channels: :class:`InProcessConsoleChannel` (the embedded default, one process) and
:class:`RedisConsoleChannel` (a Redis stream per console id, shared by every process).
Entries carry ids, so a reconnecting browser resumes after the last line it saw.
"""

import asyncio
import re
import threading
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable
from contextlib import aclosing
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

import anyio
from markupsafe import Markup, escape
from starlette.requests import Request
from starlette.responses import HTMLResponse, StreamingResponse

from fasthx_ui.ansi import ansi_to_html
from fasthx_ui.htmx import retarget, trigger
from fasthx_ui.modal import MODAL_CONTENT, modal_size
from fasthx_ui.ui import current_ui

if TYPE_CHECKING:
    import redis

__all__ = [
    "CONSOLE_END_EVENT",
    "ConsoleChannel",
    "ConsoleEntry",
    "ConsoleUnavailable",
    "InProcessConsoleChannel",
    "RedisConsoleChannel",
    "console_channel",
    "console_html",
    "console_response",
    "console_sse_end",
    "console_sse_message",
    "console_stream",
    "console_stream_response",
]

CONSOLE_END_EVENT = "console-end"
"""SSE event that tells the browser the output is complete (the Console closes its stream)."""

_NEWLINES = re.compile(r"\r\n|\r|\n")


def console_html(text: str, ansi: bool = True, css_class: str | None = None) -> Markup:
    """Return one chunk of console output as a ``<pre class="console-line">`` fragment.

    The text is escaped (and its ANSI codes turned into spans when ``ansi``). Line ends
    are normalised to ``\\n``. A newline follows the opening tag because HTML parsers drop
    the first newline of a ``<pre>``: this keeps a chunk's own leading blank line.
    """
    text = _NEWLINES.sub("\n", text)
    body = ansi_to_html(text) if ansi else escape(text)
    classes = f"console-line {css_class}" if css_class else "console-line"
    return Markup('<pre class="{}">\n{}</pre>').format(classes, body)


def console_response(
    title: str,
    output: str = "",
    input_enabled: bool = False,
    input_action: str | None = None,
    input_placeholder: str = "$ ",
    stream_url: str | None = None,
    stream_event: str = "output",
    ansi: bool = True,
    size: str = "modal-xl",
    status_code: int = 200,
) -> HTMLResponse:
    """Open the page's modal with a Console titled ``title`` (text).

    ``output`` is shown first (escaped, ANSI codes coloured when ``ansi``). With
    ``stream_url`` the console appends the data of each ``stream_event`` SSE event
    (see :func:`console_sse_message`); with ``input_enabled`` a prompt POSTs
    ``command`` to ``input_action`` and appends the answer. The response goes into
    the modal whatever the request targeted, and ``showConsole`` opens it.
    """
    if input_enabled and not input_action:
        raise ValueError("console_response(input_enabled=True) needs an input_action URL")
    ui = current_ui()
    console = ui.component(
        "ui:Console",
        output=console_html(output, ansi) if output else "",
        stream_url=stream_url or "",
        stream_event=stream_event,
        input_enabled=input_enabled,
        input_action=input_action or "",
        input_placeholder=input_placeholder,
        label=f"{title} output",
    )
    html = ui.component("ui:ModalContent", title=title, body=console, actions=[])
    response = HTMLResponse(html, status_code=status_code)
    retarget(response, MODAL_CONTENT, "innerHTML")
    return trigger(response, "showConsole", {"size": modal_size(size)})


def _sse_frame(event: str, data: str, event_id: str | None = None) -> str:
    if not event or _NEWLINES.search(event):
        raise ValueError(f"SSE event name must be one non-empty line, got {event!r}")
    head = f"id: {_NEWLINES.sub('', event_id)}\n" if event_id else ""
    lines = "".join(f"data: {line}\n" for line in data.split("\n"))
    return f"{head}event: {event}\n{lines}\n"


def console_sse_message(
    text: str,
    event: str = "output",
    ansi: bool = True,
    css_class: str | None = None,
    event_id: str | None = None,
) -> str:
    """Return one SSE frame whose data is ``text`` as a console output fragment.

    ``event`` must match the Console's ``stream_event``. Multi-line text becomes several
    ``data:`` lines, which the browser joins back with newlines. ``event_id`` is
    optional; when given, the browser sends it back as ``Last-Event-ID`` on reconnect.
    """
    return _sse_frame(event, str(console_html(text, ansi, css_class)), event_id)


def console_sse_end(event_id: str | None = None) -> str:
    """Return the SSE frame that marks the end of the output."""
    return _sse_frame(CONSOLE_END_EVENT, "", event_id)


class ConsoleUnavailable(RuntimeError):
    """The channel's backing service cannot be reached."""


@dataclass(frozen=True)
class ConsoleEntry:
    """One published chunk of output, or the end marker when ``end`` is true."""

    id: str
    text: str = ""
    css_class: str | None = None
    end: bool = False


class ConsoleChannel(Protocol):
    """Where output for a console id is published and read back.

    ``publish`` and ``end`` are plain calls, usable from threads, workers and other
    processes. ``listen`` yields lists of new entries after ``after`` (an entry id), and
    an empty list whenever ``wait`` seconds pass without output, so a reader can check
    on its client in between.
    """

    def publish(self, console_id: str, text: str, css_class: str | None = None) -> None: ...

    def end(self, console_id: str) -> None: ...

    def clear(self, console_id: str) -> None: ...

    def listen(
        self, console_id: str, after: str | None = None, wait: float = 1.0
    ) -> AsyncIterator[list[ConsoleEntry]]: ...


@dataclass
class _Log:
    entries: list[ConsoleEntry] = field(default_factory=list)
    waiters: set[tuple[asyncio.AbstractEventLoop, asyncio.Event]] = field(default_factory=set)

    def after(self, after: int) -> list[ConsoleEntry]:
        return [entry for entry in self.entries if int(entry.id) > after]


class InProcessConsoleChannel:
    """Console output kept in this process's memory: the default without Redis.

    Thread-safe. Keeps the last ``max_entries`` chunks of each console and the
    ``max_consoles`` most recently used consoles, so memory stays bounded.
    """

    def __init__(self, max_entries: int = 1000, max_consoles: int = 256) -> None:
        self.max_entries = max_entries
        self.max_consoles = max_consoles
        self._lock = threading.Lock()
        self._logs: OrderedDict[str, _Log] = OrderedDict()
        self._last_id = 0  # shared by all consoles, so ids keep growing across clear()

    def _log(self, console_id: str) -> _Log:
        log = self._logs.get(console_id)
        if log is None:
            log = self._logs[console_id] = _Log()
            while len(self._logs) > self.max_consoles:
                self._logs.popitem(last=False)
        self._logs.move_to_end(console_id)
        return log

    def _add(self, console_id: str, text: str, css_class: str | None, end: bool) -> None:
        with self._lock:
            log = self._log(console_id)
            self._last_id += 1
            log.entries.append(ConsoleEntry(str(self._last_id), text, css_class, end))
            del log.entries[: -self.max_entries]
            waiters = list(log.waiters)
        for loop, event in waiters:
            if not loop.is_closed():
                loop.call_soon_threadsafe(event.set)

    def publish(self, console_id: str, text: str, css_class: str | None = None) -> None:
        """Append a chunk of output."""
        self._add(console_id, text, css_class, end=False)

    def end(self, console_id: str) -> None:
        """Mark the output complete: readers finish after this entry."""
        self._add(console_id, "", None, end=True)

    def clear(self, console_id: str) -> None:
        """Forget a console's output."""
        with self._lock:
            self._logs.pop(console_id, None)

    async def listen(
        self, console_id: str, after: str | None = None, wait: float = 1.0
    ) -> AsyncIterator[list[ConsoleEntry]]:
        """Yield new entries as they arrive (see :class:`ConsoleChannel`)."""
        last = int(after) if after and after.isdigit() else 0
        loop = asyncio.get_running_loop()
        while True:
            event = asyncio.Event()
            waiter = (loop, event)
            with self._lock:
                log = self._log(console_id)
                batch = log.after(last)
                if not batch:
                    log.waiters.add(waiter)
            if not batch:
                try:
                    with anyio.move_on_after(wait):
                        await event.wait()
                finally:
                    with self._lock:
                        log.waiters.discard(waiter)
                with self._lock:
                    batch = log.after(last)
            if batch:
                last = int(batch[-1].id)
            yield batch


_REDIS_ID = re.compile(r"\d+(-\d+)?")


class RedisConsoleChannel:
    """Console output in a Redis stream per console id, shared by every app process.

    The stream key is ``{prefix}{console_id}``; it keeps about ``max_entries`` chunks and
    expires ``ttl`` seconds after the last chunk. Redis errors surface as
    :class:`ConsoleUnavailable`.
    """

    def __init__(
        self,
        redis_url: str,
        *,
        prefix: str = "fasthx:console:",
        max_entries: int = 1000,
        ttl: int = 86400,
        socket_timeout: float = 5.0,
    ) -> None:
        import redis

        self.redis_url = redis_url
        self.prefix = prefix
        self.max_entries = max_entries
        self.ttl = ttl
        self.socket_timeout = socket_timeout
        self._redis: "redis.Redis" = redis.Redis.from_url(
            redis_url, decode_responses=True, socket_timeout=socket_timeout,
            socket_connect_timeout=socket_timeout,
        )

    def key(self, console_id: str) -> str:
        """The Redis key holding a console's stream."""
        return f"{self.prefix}{console_id}"

    def _add(self, console_id: str, fields: dict[str, str]) -> None:
        import redis

        key = self.key(console_id)
        try:
            with self._redis.pipeline() as pipe:
                pipe.xadd(key, fields, maxlen=self.max_entries, approximate=True)
                pipe.expire(key, self.ttl)
                pipe.execute()
        except redis.RedisError as exc:
            raise ConsoleUnavailable(f"Redis is unavailable: {exc}") from exc

    def publish(self, console_id: str, text: str, css_class: str | None = None) -> None:
        """Append a chunk of output; raises :class:`ConsoleUnavailable` if Redis is down."""
        self._add(console_id, {"text": text, "class": css_class or ""})

    def end(self, console_id: str) -> None:
        """Mark the output complete: readers finish after this entry."""
        self._add(console_id, {"end": "1"})

    def clear(self, console_id: str) -> None:
        """Forget a console's output."""
        import redis

        try:
            self._redis.delete(self.key(console_id))
        except redis.RedisError as exc:
            raise ConsoleUnavailable(f"Redis is unavailable: {exc}") from exc

    async def listen(
        self, console_id: str, after: str | None = None, wait: float = 1.0
    ) -> AsyncIterator[list[ConsoleEntry]]:
        """Yield new entries as they arrive (see :class:`ConsoleChannel`).

        Uses its own connection (a blocking read holds it), closed when the reader stops.
        """
        import redis
        import redis.asyncio

        key = self.key(console_id)
        last = after if after and _REDIS_ID.fullmatch(after) else "0-0"
        client = redis.asyncio.Redis.from_url(
            self.redis_url, decode_responses=True,
            socket_connect_timeout=self.socket_timeout,
        )
        try:
            while True:
                try:
                    reply = await client.xread({key: last}, count=100, block=max(1, int(wait * 1000)))
                except redis.RedisError as exc:
                    raise ConsoleUnavailable(f"Redis is unavailable: {exc}") from exc
                batch = [
                    ConsoleEntry(entry_id, fields.get("text", ""), fields.get("class") or None,
                                 fields.get("end") == "1")
                    for _, items in reply
                    for entry_id, fields in items
                ]
                if batch:
                    last = batch[-1].id
                yield batch
        finally:
            with anyio.CancelScope(shield=True):
                await client.aclose()


_default_channel = InProcessConsoleChannel()


def console_channel(redis_url: str | None = None, **options) -> ConsoleChannel:
    """Return a Redis channel for ``redis_url``, or the process-wide in-process channel."""
    if redis_url:
        return RedisConsoleChannel(redis_url, **options)
    return _default_channel


async def console_stream(
    request: Request,
    channel: ConsoleChannel,
    console_id: str,
    *,
    event: str = "output",
    ansi: bool = True,
    wait: float = 1.0,
    keepalive: float = 15.0,
    on_close: Callable[[str], object] | None = None,
) -> AsyncIterator[str]:
    """Yield SSE frames for a console's channel until its end marker or the client leaves.

    Resumes after the request's ``Last-Event-ID``. Sends a comment every ``keepalive``
    seconds of silence. ``on_close`` is called once with why the stream stopped:
    ``"end"`` (output complete), ``"disconnect"`` (the client went away) or
    ``"unavailable"`` (the channel failed; the client is told in the console).
    """
    reason = "disconnect"
    try:
        after = request.headers.get("last-event-id") or None
        idle = 0.0
        async with aclosing(channel.listen(console_id, after, wait)) as batches:
            async for batch in batches:
                if await request.is_disconnected():
                    return
                if not batch:
                    idle += wait
                    if idle >= keepalive:
                        idle = 0.0
                        yield ": keep-alive\n\n"
                    continue
                idle = 0.0
                for entry in batch:
                    if entry.end:
                        reason = "end"
                        yield console_sse_end(entry.id)
                        return
                    yield console_sse_message(entry.text, event, ansi, entry.css_class, entry.id)
    except ConsoleUnavailable as exc:
        reason = "unavailable"
        yield console_sse_message(f"Console stream unavailable: {exc}\n", event, False, "ansi-red")
        yield console_sse_end()
    finally:
        if on_close is not None:
            on_close(reason)


def console_stream_response(
    request: Request,
    channel: ConsoleChannel,
    console_id: str,
    **options,
) -> StreamingResponse:
    """Return a ``text/event-stream`` response of :func:`console_stream` (same options)."""
    return StreamingResponse(
        console_stream(request, channel, console_id, **options),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )

"""Console channels: where output for a console id is published and read back.

Code running anywhere (a background task, a worker, another app process) publishes
chunks of output for a console id; :func:`fasthx_ui.console.console_stream_response`
reads them back as an SSE stream for the browser. :class:`InProcessConsoleChannel` is
the embedded default (one process); :class:`RedisConsoleChannel` keeps a Redis stream
per console id, shared by every process. Entries carry ids, so a reader resumes after
the last entry it saw.
"""

import asyncio
import re
import threading
from collections import OrderedDict
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

import anyio

if TYPE_CHECKING:
    import redis

__all__ = [
    "ConsoleChannel",
    "ConsoleEntry",
    "ConsoleUnavailable",
    "InProcessConsoleChannel",
    "RedisConsoleChannel",
    "console_channel",
]


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
    """One console's recent entries and the readers waiting for the next one."""

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

"""Progress stores: where workers write progress and bars read it.

:class:`RedisProgressStore` shares progress with every process (a worker can write the key
with plain redis-py); :class:`InProcessProgressStore` is the embedded default. Reading
never raises: a store that cannot be reached gives the ``unavailable`` state.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import TYPE_CHECKING, Protocol

from fasthx_ui.progress_state import ProgressState, parse_progress, progress_key, stored_value

if TYPE_CHECKING:
    import redis

__all__ = [
    "InProcessProgressStore",
    "ProgressStore",
    "ProgressUnavailable",
    "RedisProgressStore",
    "progress_store",
]


class ProgressUnavailable(RuntimeError):
    """Progress could not be written because the store cannot be reached."""


class ProgressStore(Protocol):
    """Reads and writes progress for ``(name, item_id)`` pairs."""

    def get(self, name: str, item_id: object) -> ProgressState: ...

    def set(
        self, name: str, item_id: object, value: int | float | str, message: str | None = None
    ) -> None: ...

    def clear(self, name: str, item_id: object) -> None: ...


class InProcessProgressStore:
    """Progress kept in this process's memory (thread-safe): the default without Redis.

    Keeps the ``max_items`` most recently written items, so memory stays bounded.
    """

    def __init__(self, max_items: int = 10_000) -> None:
        self.max_items = max_items
        self._lock = threading.Lock()
        self._values: OrderedDict[str, tuple[str, str | None]] = OrderedDict()

    def get(self, name: str, item_id: object) -> ProgressState:
        """Return the current state; a never-set item is waiting."""
        with self._lock:
            value, message = self._values.get(progress_key(name, item_id), (None, None))
        return parse_progress(value, message)

    def set(
        self, name: str, item_id: object, value: int | float | str, message: str | None = None
    ) -> None:
        """Store a percentage (or ``"Error"``) and an optional message."""
        text = stored_value(value)
        key = progress_key(name, item_id)
        with self._lock:
            self._values[key] = (text, message)
            self._values.move_to_end(key)
            while len(self._values) > self.max_items:
                self._values.popitem(last=False)

    def clear(self, name: str, item_id: object) -> None:
        """Forget an item's progress (it reads as waiting again)."""
        with self._lock:
            self._values.pop(progress_key(name, item_id), None)


class RedisProgressStore:
    """Progress in Redis under ``{prefix}{name}:{item_id}:progress``, shared by all processes.

    ``ttl`` (seconds) lets finished keys expire; ``None`` keeps them, as a worker
    writing the key itself would. Redis errors make :meth:`get` return the
    ``unavailable`` state and :meth:`set` raise :class:`ProgressUnavailable`.
    """

    def __init__(
        self,
        redis_url: str,
        *,
        prefix: str = "",
        ttl: int | None = None,
        socket_timeout: float = 2.0,
    ) -> None:
        import redis

        self.redis_url = redis_url
        self.prefix = prefix
        self.ttl = ttl
        self._redis: redis.Redis = redis.Redis.from_url(
            redis_url, decode_responses=True, socket_timeout=socket_timeout,
            socket_connect_timeout=socket_timeout,
        )

    def key(self, name: str, item_id: object) -> str:
        """The Redis key holding an item's progress value."""
        return self.prefix + progress_key(name, item_id)

    def get(self, name: str, item_id: object) -> ProgressState:
        """Return the current state, or the ``unavailable`` state if Redis cannot answer."""
        import redis

        key = self.key(name, item_id)
        try:
            value, message = self._redis.mget(key, f"{key}:message")
        except redis.RedisError as exc:
            return ProgressState.unavailable(f"Cannot reach the progress store: {exc}")
        return parse_progress(value, message)

    def set(
        self, name: str, item_id: object, value: int | float | str, message: str | None = None
    ) -> None:
        """Store a percentage (or ``"Error"``) and an optional message."""
        import redis

        text = stored_value(value)
        key = self.key(name, item_id)
        try:
            with self._redis.pipeline() as pipe:
                pipe.set(key, text, ex=self.ttl)
                if message:
                    pipe.set(f"{key}:message", message, ex=self.ttl)
                else:
                    pipe.delete(f"{key}:message")
                pipe.execute()
        except redis.RedisError as exc:
            raise ProgressUnavailable(f"Cannot reach the progress store: {exc}") from exc

    def clear(self, name: str, item_id: object) -> None:
        """Forget an item's progress (it reads as waiting again)."""
        import redis

        key = self.key(name, item_id)
        try:
            self._redis.delete(key, f"{key}:message")
        except redis.RedisError as exc:
            raise ProgressUnavailable(f"Cannot reach the progress store: {exc}") from exc


_default_store = InProcessProgressStore()


def progress_store(redis_url: str | None = None, **options) -> ProgressStore:
    """Return a Redis store for ``redis_url``, or the process-wide in-process store."""
    if redis_url:
        return RedisProgressStore(redis_url, **options)
    return _default_store

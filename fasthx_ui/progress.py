"""ProgressBar server side: the progress state, its value convention and its stores.

A worker reports progress by writing one value under ``{name}:{item_id}:progress``:

============================  =========  ==========
value                         percent    status
============================  =========  ==========
missing                       0          waiting
``"Error"``                   100        failed
``"0"`` … ``"99"``            the value  running
``"100"`` or more             100        complete
============================  =========  ==========

An optional message sits beside it under ``{name}:{item_id}:progress:message``.
:class:`RedisProgressStore` shares this with every process (a worker can write the key
with plain redis-py); :class:`InProcessProgressStore` is the embedded default. Reading
never raises: a store that cannot be reached gives the ``unavailable`` state.

The ProgressBar component shows a state and polls its URL until the state is terminal;
:func:`progress_response` answers the request that starts a task and
:func:`progress_poll_response` answers each poll.
"""

import math
import re
import threading
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, Protocol

from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import HTMLResponse

from fasthx_ui.ui import current_ui

if TYPE_CHECKING:
    import redis

__all__ = [
    "InProcessProgressStore",
    "ProgressState",
    "ProgressStatus",
    "ProgressStore",
    "ProgressUnavailable",
    "RedisProgressStore",
    "oob_replace",
    "parse_progress",
    "progress_bar",
    "progress_key",
    "progress_poll_response",
    "progress_response",
    "progress_store",
]

ProgressStatus = Literal["waiting", "running", "complete", "failed", "unavailable"]

_PLAIN_ID = re.compile(r"[A-Za-z][\w-]*")
_INTERVAL = re.compile(r"\d+(\.\d+)?(ms|s|m)?")

LABELS: dict[str, str] = {
    "waiting": "Waiting…",
    "running": "Running…",
    "complete": "Complete",
    "failed": "Failed",
    "unavailable": "Progress unavailable",
}


@dataclass(frozen=True)
class ProgressState:
    """What a progress bar shows: a percentage, a status, its label and a message."""

    percent: int
    status: ProgressStatus
    label: str
    message: str = ""

    @property
    def terminal(self) -> bool:
        """True when the task is over (complete or failed): polling stops."""
        return self.status in ("complete", "failed")

    @classmethod
    def unavailable(cls, message: str) -> "ProgressState":
        """The state shown when the store cannot be read."""
        return cls(0, "unavailable", LABELS["unavailable"], message)


class ProgressUnavailable(RuntimeError):
    """Progress could not be written because the store cannot be reached."""


def progress_key(name: str, item_id: object) -> str:
    """The key convention: ``{name}:{item_id}:progress``."""
    return f"{name}:{item_id}:progress"


def parse_progress(value: str | bytes | None, message: str | None = None) -> ProgressState:
    """Turn a stored value into a :class:`ProgressState` (see the module's table).

    A running task's label is its message ("Deploying…") when it has one.
    Numbers may be fractional (rounded down) and are clamped to 0–100. A value that
    follows no convention gives the ``unavailable`` state, saying what was found.
    """
    message = message or ""
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    if value is None:
        return ProgressState(0, "waiting", LABELS["waiting"], message)
    text = value.strip()
    if text.lower() == "error":
        return ProgressState(100, "failed", LABELS["failed"], message)
    try:
        number = float(text)
    except ValueError:
        number = math.nan
    if not math.isfinite(number):
        return ProgressState.unavailable(f"Unrecognised progress value {text[:40]!r}.")
    if number >= 100:
        return ProgressState(100, "complete", LABELS["complete"], message)
    return ProgressState(max(0, math.floor(number)), "running", message or LABELS["running"], message)


def _stored_value(value: int | float | str) -> str:
    """Check a value before storing it, so a store never holds what it cannot read."""
    text = str(value).strip()
    if parse_progress(text).status == "unavailable":
        raise ValueError(f"Progress must be a number or 'Error', got {value!r}")
    return text


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
        text = _stored_value(value)
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
        self._redis: "redis.Redis" = redis.Redis.from_url(
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

        text = _stored_value(value)
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


def progress_bar(
    state: ProgressState,
    poll_url: str = "",
    *,
    request: Request | None = None,
    **options: Any,
) -> Markup:
    """Render the ProgressBar for ``state``; it polls ``poll_url`` unless the state is terminal.

    ``options`` are the component's other props (``interval``, ``name``, ``colspan``)
    and extra attributes for its root element. A malformed ``interval`` ("2s",
    "500ms") raises ``ValueError``.
    """
    interval = str(options.get("interval", "2s"))
    if not _INTERVAL.fullmatch(interval):
        raise ValueError(f"Polling interval must look like '2s' or '500ms', got {interval!r}")
    return current_ui().component(
        "ui:ProgressBar",
        request,
        percent=state.percent,
        status=state.status,
        label=state.label,
        message=state.message,
        poll_url=poll_url,
        **options,
    )


def progress_poll_response(
    request: Request,
    store: ProgressStore,
    name: str,
    item_id: object,
    poll_url: str,
    **options: Any,
) -> HTMLResponse:
    """Answer one poll: the bar for the stored state (never an error, see ``store.get``)."""
    return HTMLResponse(progress_bar(store.get(name, item_id), poll_url, request=request, **options))


def progress_response(
    request: Request,
    poll_url: str,
    *,
    progress: int = 0,
    status: str = "Starting…",
    oob: Iterable[str] = (),
    **options: Any,
) -> HTMLResponse:
    """Answer the request that started a task: the first bar, polling ``poll_url``.

    ``oob`` are trusted HTML fragments swapped elsewhere in the same response, such as
    :func:`oob_replace` of a row's status cells so that their own polling restarts.
    The polling route must render the bar with the same options (e.g. ``colspan``).
    """
    percent = max(0, min(99, int(progress)))
    state = ProgressState(percent, "running", status or LABELS["running"], status)
    html = progress_bar(state, poll_url, request=request, **options)
    return HTMLResponse(html + Markup("").join(Markup(fragment) for fragment in oob))


def oob_replace(element_id: str, html: str) -> Markup:
    """Wrap trusted ``html`` so that it replaces the element ``#element_id`` out of band.

    Uses htmx 4's ``<hx-partial>``, which keeps table cells and rows intact wherever
    they sit in the response. ``element_id`` must be a plain id (letters, digits, ``-_``).
    """
    if not _PLAIN_ID.fullmatch(element_id):
        raise ValueError(f"oob_replace needs a plain element id, got {element_id!r}")
    return Markup('<hx-partial hx-target="#{}" hx-swap="outerHTML">{}</hx-partial>').format(
        element_id, Markup(html)
    )

"""Chat history of the AI assistant, one conversation per (user, sign-in session).

Two stores with one interface: `InProcessHistory` (the default, this process only) and
`RedisHistory` (every app process sees the same conversation). Each keeps the last
`limit` messages (chat messages, tool calls in their normalised `{"id", "name",
"arguments"}` shape) and at most one paused turn, the tool call waiting for the user's
Allow or Deny (`pending`). `take_pending` removes that turn and hands it over in one
atomic step, so when two tabs answer the same call only the first gets the turn and the
tool runs at most once.

`conversation_key(request, user)` names the conversation: the username and the id kept
in the signed session cookie, so two tabs of one sign-in share it and two users never do.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import secrets
import threading
from collections import OrderedDict
from typing import Any, Protocol

from starlette.requests import Request

from fasthx_ui.crud.sessions import ID_KEY

DEFAULT_LIMIT = 50  # messages kept per conversation
DEFAULT_TTL = 7 * 24 * 60 * 60  # seconds a Redis conversation outlives its last message
OWN_ID_KEY = "ai_chat_id"  # the session key used when the session has no sign-in id
NO_SESSION = "no-session"

Message = dict[str, Any]
TAKE_PENDING = """
local value = redis.call('GET', KEYS[1])
if not value then return false end
local calls = cjson.decode(value)['calls']
if type(calls) == 'table' and calls[1] and calls[1]['id'] == ARGV[1] then
  redis.call('DEL', KEYS[1])
  return value
end
return false
"""
"""RedisHistory.take_pending: the paused turn (a JSON string), deleted, when the id of its
next call is ARGV[1]; nil otherwise."""


class ChatHistory(Protocol):
    """Where conversations live; every method takes the conversation's key."""

    async def messages(self, key: str) -> list[Message]: ...

    async def append(self, key: str, messages: list[Message]) -> None: ...

    async def pending(self, key: str) -> dict[str, Any] | None: ...

    async def set_pending(self, key: str, turn: dict[str, Any] | None) -> None: ...

    async def take_pending(self, key: str, call_id: str) -> dict[str, Any] | None: ...

    async def clear(self, key: str) -> None: ...


def conversation_key(request: Request, user: dict[str, Any]) -> str:
    """A stable opaque key for this user's conversation in this sign-in session."""
    session_id = NO_SESSION
    if "session" in request.scope:
        session = request.session
        session_id = session.get(ID_KEY) or session.get(OWN_ID_KEY)
        if not session_id:
            session_id = session[OWN_ID_KEY] = secrets.token_urlsafe(24)
    raw = json.dumps([str(user.get("username", "")), str(session_id)])
    return hashlib.sha256(raw.encode()).hexdigest()


class InProcessHistory:
    """Conversations in this process's memory (thread-safe); at most `max_conversations`,
    the least recently used dropped first."""

    def __init__(self, limit: int = DEFAULT_LIMIT, max_conversations: int = 10_000):
        if limit < 1:
            raise ValueError("the history limit must be at least one message")
        self.limit = limit
        self.max_conversations = max_conversations
        self._lock = threading.Lock()
        self._messages: OrderedDict[str, list[str]] = OrderedDict()
        self._pending: dict[str, str] = {}

    async def messages(self, key: str) -> list[Message]:
        with self._lock:
            return [json.loads(item) for item in self._messages.get(key, [])]

    async def append(self, key: str, messages: list[Message]) -> None:
        with self._lock:
            kept = self._messages.setdefault(key, [])
            kept.extend(json.dumps(message) for message in messages)
            del kept[: -self.limit]
            self._messages.move_to_end(key)
            while len(self._messages) > self.max_conversations:
                dropped, _ = self._messages.popitem(last=False)
                self._pending.pop(dropped, None)

    async def pending(self, key: str) -> dict[str, Any] | None:
        with self._lock:
            value = self._pending.get(key)
        return json.loads(value) if value is not None else None

    async def set_pending(self, key: str, turn: dict[str, Any] | None) -> None:
        with self._lock:
            if turn is None:
                self._pending.pop(key, None)
            else:
                self._pending[key] = json.dumps(turn)

    async def take_pending(self, key: str, call_id: str) -> dict[str, Any] | None:
        """The paused turn, removed, when its next call is `call_id`; else None, untouched."""
        with self._lock:
            value = self._pending.get(key)
            turn = json.loads(value) if value is not None else None
            if not waits_for(turn, call_id):
                return None
            del self._pending[key]
        return turn

    async def clear(self, key: str) -> None:
        with self._lock:
            self._messages.pop(key, None)
            self._pending.pop(key, None)


class RedisHistory:
    """Conversations in Redis: a JSON list per conversation (`RPUSH` + `LTRIM` to the
    last `limit`) and a JSON string for the paused turn, both expiring `ttl` seconds
    after the last write. Needs the `[redis]` extra.

    redis-py's blocking client runs in a worker thread: its connection pool is not tied
    to one event loop, so one store serves every loop the app runs on."""

    def __init__(self, url: str, *, limit: int = DEFAULT_LIMIT, ttl: int = DEFAULT_TTL, prefix: str = "fasthx:ai:"):
        if limit < 1:
            raise ValueError("the history limit must be at least one message")
        try:
            import redis
        except ImportError as error:  # pragma: no cover - depends on the installed extras
            raise RuntimeError("ai_redis_url needs redis-py: pip install 'fasthx_ui[redis]'") from error
        self._client = redis.Redis.from_url(url)
        self._take = self._client.register_script(TAKE_PENDING)
        self.limit = limit
        self.ttl = ttl
        self.prefix = prefix

    def _keys(self, key: str) -> tuple[str, str]:
        return f"{self.prefix}{key}:messages", f"{self.prefix}{key}:pending"

    async def messages(self, key: str) -> list[Message]:
        items = await asyncio.to_thread(self._client.lrange, self._keys(key)[0], 0, -1)
        return [json.loads(item) for item in items]

    async def append(self, key: str, messages: list[Message]) -> None:
        if messages:
            await asyncio.to_thread(self._append, self._keys(key)[0], [json.dumps(m) for m in messages])

    def _append(self, name: str, items: list[str]) -> None:
        with self._client.pipeline(transaction=True) as pipe:
            pipe.rpush(name, *items)
            pipe.ltrim(name, -self.limit, -1)
            pipe.expire(name, self.ttl)
            pipe.execute()

    async def pending(self, key: str) -> dict[str, Any] | None:
        value = await asyncio.to_thread(self._client.get, self._keys(key)[1])
        return json.loads(value) if value is not None else None

    async def set_pending(self, key: str, turn: dict[str, Any] | None) -> None:
        name = self._keys(key)[1]
        if turn is None:
            await asyncio.to_thread(self._client.delete, name)
        else:
            await asyncio.to_thread(self._client.set, name, json.dumps(turn), ex=self.ttl)

    async def take_pending(self, key: str, call_id: str) -> dict[str, Any] | None:
        """The paused turn, removed, when its next call is `call_id`; else None, untouched.
        One Lua script reads, compares and deletes, so no other process sees it between."""
        value = await asyncio.to_thread(self._take, keys=[self._keys(key)[1]], args=[call_id])
        return json.loads(value) if value is not None else None

    async def clear(self, key: str) -> None:
        await asyncio.to_thread(self._client.delete, *self._keys(key))


def waits_for(turn: dict[str, Any] | None, call_id: str) -> bool:
    """True when `turn` is paused on the call `call_id` (its next call)."""
    return turn is not None and bool(turn.get("calls")) and turn["calls"][0].get("id") == call_id


def history_store(redis_url: str | None, *, limit: int = DEFAULT_LIMIT) -> ChatHistory:
    """`RedisHistory` when a Redis URL is given, else `InProcessHistory`."""
    return RedisHistory(redis_url, limit=limit) if redis_url else InProcessHistory(limit)

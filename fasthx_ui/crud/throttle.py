"""Slowing down password guessing: failed sign-ins are counted per typed username and per
client address, and past a free number of failures each further attempt must wait twice as
long as the one before (1 s, 2 s, 4 s … up to `max_wait`). A key is forgotten `forget_after`
seconds after its last failure; a successful sign-in forgets its username's failures (not the
address's, so one good account cannot reset an attacker's address).

The counts live where every app process sees them: Redis when configured (`RedisFailures`),
else the app's database (`DatabaseFailures`, table `fasthx_login_failures`). A store that
cannot answer raises `ThrottleUnavailable`: sign-in then fails closed.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

import sqlalchemy as sa
from sqlalchemy.orm import Session

from fasthx_ui.crud.users import LoginFailure, create_tables

FORGET_AFTER = 60 * 60
KEY_MAX = 200

# KEYS[1]: the hash; ARGV: now, forget_after, ttl. Resets the count when the last failure is old.
REDIS_ADD = """
local last = tonumber(redis.call('HGET', KEYS[1], 'last'))
local count = tonumber(redis.call('HGET', KEYS[1], 'count')) or 0
if last == nil or tonumber(ARGV[1]) - last >= tonumber(ARGV[2]) then count = 0 end
redis.call('HSET', KEYS[1], 'count', count + 1, 'last', ARGV[1])
redis.call('EXPIRE', KEYS[1], ARGV[3])
return count + 1
"""


class ThrottleUnavailable(Exception):
    """The failure counts cannot be read or written (database or Redis down)."""


@dataclass(frozen=True)
class Limit:
    """`free` failures pass at once; then waits double from one second up to `max_wait` seconds."""

    free: int
    max_wait: float = 15 * 60

    def wait_after(self, failures: int) -> float:
        return 0.0 if failures < self.free else min(2.0 ** (failures - self.free), self.max_wait)


class FailureStore(Protocol):
    """Where failure counts live: `(count, time of the last failure)` per key."""

    def get(self, key: str) -> tuple[int, float]: ...

    def add(self, key: str, now: float, forget_after: float) -> None: ...

    def clear(self, key: str) -> None: ...


class DatabaseFailures:
    """Failure counts in the `fasthx_login_failures` table (`engine`: default the app's `init_db`)."""

    def __init__(self, engine: sa.Engine | Callable[[], sa.Engine]):
        self._engine = engine

    @property
    def engine(self) -> sa.Engine:
        engine = self._engine if isinstance(self._engine, sa.Engine) else self._engine()
        create_tables(engine)
        return engine

    def get(self, key: str) -> tuple[int, float]:
        try:
            with Session(self.engine) as session:
                row = session.get(LoginFailure, key)
                return (row.count, row.last) if row else (0, 0.0)
        except sa.exc.SQLAlchemyError as error:
            raise ThrottleUnavailable(str(error)) from error

    def add(self, key: str, now: float, forget_after: float) -> None:
        """One more failure, in one statement (two processes never lose a count)."""
        table = LoginFailure.__table__
        bump = (
            sa.update(table)
            .where(table.c.key == key)
            .values(count=sa.case((table.c.last <= now - forget_after, 1), else_=table.c.count + 1), last=now)
        )
        try:
            try:
                with Session(self.engine) as session:
                    if session.execute(bump).rowcount == 0:
                        session.execute(sa.insert(table).values(key=key, count=1, last=now))
                    session.commit()
            except sa.exc.IntegrityError:  # another process inserted the key first: count on its row
                with Session(self.engine) as session:
                    session.execute(bump)
                    session.commit()
        except sa.exc.SQLAlchemyError as error:
            raise ThrottleUnavailable(str(error)) from error

    def clear(self, key: str) -> None:
        try:
            with Session(self.engine) as session:
                session.execute(sa.delete(LoginFailure.__table__).where(LoginFailure.__table__.c.key == key))
                session.commit()
        except sa.exc.SQLAlchemyError as error:
            raise ThrottleUnavailable(str(error)) from error


class RedisFailures:
    """Failure counts in Redis hashes `{prefix}login-failures:{key}`, expiring with `forget_after`."""

    def __init__(self, redis_url: str, *, prefix: str = "", socket_timeout: float = 2.0):
        import redis

        self._redis = redis.Redis.from_url(
            redis_url, decode_responses=True, socket_timeout=socket_timeout, socket_connect_timeout=socket_timeout
        )
        self._add = self._redis.register_script(REDIS_ADD)
        self.prefix = prefix

    def _key(self, key: str) -> str:
        return f"{self.prefix}login-failures:{key}"

    def get(self, key: str) -> tuple[int, float]:
        import redis

        try:
            count, last = self._redis.hmget(self._key(key), "count", "last")
        except redis.RedisError as error:
            raise ThrottleUnavailable(str(error)) from error
        return (int(count), float(last)) if count and last else (0, 0.0)

    def add(self, key: str, now: float, forget_after: float) -> None:
        import redis

        try:
            self._add(keys=[self._key(key)], args=[repr(now), repr(forget_after), math.ceil(forget_after)])
        except redis.RedisError as error:
            raise ThrottleUnavailable(str(error)) from error

    def clear(self, key: str) -> None:
        import redis

        try:
            self._redis.delete(self._key(key))
        except redis.RedisError as error:
            raise ThrottleUnavailable(str(error)) from error


class LoginThrottle:
    """The per-username and per-address limits on one store; `clock` is injectable for tests."""

    def __init__(
        self,
        store: FailureStore,
        *,
        per_user: Limit = Limit(free=3),
        per_address: Limit = Limit(free=20),
        forget_after: float = FORGET_AFTER,
        clock: Callable[[], float] = time.time,
    ):
        self.store = store
        self.per_user = per_user
        self.per_address = per_address
        self.forget_after = forget_after
        self.clock = clock

    def keys(self, username: str, address: str) -> list[tuple[str, Limit]]:
        return [(f"user:{username.strip().lower()}"[:KEY_MAX], self.per_user), (f"ip:{address}"[:KEY_MAX], self.per_address)]

    def wait(self, username: str, address: str) -> float:
        """Seconds before this username may try again from this address (0: now)."""
        now = self.clock()
        longest = 0.0
        for key, limit in self.keys(username, address):
            count, last = self.store.get(key)
            if count and now - last < self.forget_after:
                longest = max(longest, last + limit.wait_after(count) - now)
        return max(longest, 0.0)

    def failed(self, username: str, address: str) -> None:
        now = self.clock()
        for key, _limit in self.keys(username, address):
            self.store.add(key, now, self.forget_after)

    def succeeded(self, username: str) -> None:
        self.store.clear(self.keys(username, "")[0][0])

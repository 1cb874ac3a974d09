"""Database helpers of the CRUD preset: the declarative `Base`, one engine and session
factory per process (`init_db`), the `get_db` dependency that hands each request its
own session and always closes it, and `with_session`, the preset's own read routes' way
to the same: the whole database part of a request in one thread-pool call, outside a
transaction on a server database (see `_read_engine`).

SQLite does not enforce foreign keys unless asked on every connection, so `init_db`
switches them on for SQLite engines: a bad foreign key is then an error, as on PostgreSQL.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from starlette.concurrency import run_in_threadpool
from starlette.requests import HTTPConnection

NOT_INITIALISED = "No database yet: call fasthx_ui.crud.init_db(url) at startup"

T = TypeVar("T")
POOL_SIZE = 10
"""Idle connections the pool keeps: SQLAlchemy's 5 is fewer than the requests a worker
serves at once under load, and a connection over the pool's size is closed when it is
handed back, so at 8 concurrent requests every few requests paid for a new connection (a
new server process on PostgreSQL; on SQLite a new file handle and its schema read again,
17 of 320 requests in-process, about 0.35 ms of CPU each)."""

_engine: sa.Engine | None = None
_sessions: sessionmaker[Session] | None = None
_read_sessions: sessionmaker[Session] | None = None


class Base(DeclarativeBase):
    """Declarative base for the models the CRUD views show."""


class ReadSession(Session):
    """The session of a read route (`with_session`): it refuses to write, since on a
    server database it runs in autocommit, where a flush would be committed at once."""


@sa.event.listens_for(ReadSession, "before_flush")
def _refuse_writes(session: Session, _context: Any, _instances: Any) -> None:
    raise RuntimeError("A read route's session does not write: save through a POST route and get_db")


def init_db(url: str | sa.URL, **kwargs: Any) -> sa.Engine:
    """Create the process's engine (`kwargs` go to `create_engine`) and its session factory.

    The pool keeps POOL_SIZE connections unless `kwargs` say otherwise."""
    global _engine, _sessions, _read_sessions
    url = sa.make_url(url)
    if not {"pool", "poolclass"} & kwargs.keys():
        kwargs.setdefault("pool_size", POOL_SIZE)
    engine = sa.create_engine(url, **kwargs)
    if engine.url.get_backend_name() == "sqlite":
        sa.event.listen(engine, "connect", _enforce_foreign_keys)
    _engine, _sessions = engine, sessionmaker(bind=engine)
    _read_sessions = sessionmaker(bind=_read_engine(engine), class_=ReadSession)
    return engine


def _read_engine(engine: sa.Engine) -> sa.Engine:
    """What the read routes' sessions run on: on a server database the same pool in
    autocommit, so a read is its one round trip (no BEGIN before it, no ROLLBACK after),
    and psycopg keeps the statements it has prepared, which every ROLLBACK throws away
    (PostgreSQL then plans each list query anew: 0.4 ms planning for 0.08 ms executing a
    20-row page). SQLite's driver already reads outside a transaction."""
    if engine.url.get_backend_name() == "sqlite":
        return engine
    return engine.execution_options(isolation_level="AUTOCOMMIT")


def get_engine() -> sa.Engine:
    """The engine `init_db` created; RuntimeError before it was called."""
    if _engine is None:
        raise RuntimeError(NOT_INITIALISED)
    return _engine


def open_session() -> Session:
    """A new session on the engine of `init_db`; the caller closes it."""
    if _sessions is None:
        raise RuntimeError(NOT_INITIALISED)
    return _sessions()


@contextmanager
def session_or_new(db: Session | None) -> Iterator[Session]:
    """`db` itself when given (its owner closes it), else a short-lived session of
    `init_db`'s engine, closed on leaving the block: for helpers callable with or without one."""
    if db is not None:
        yield db
        return
    with open_session() as session:
        yield session


def get_db() -> Iterator[Session]:
    """FastAPI dependency: a session for one request, closed (and rolled back if
    uncommitted) when the request is done, even when it failed."""
    session = open_session()
    try:
        yield session
    finally:
        session.close()


async def with_session(request: HTTPConnection, work: Callable[[Session], T]) -> T:
    """`work(session)` in the thread pool on a new read session, closed in the same thread.
    For routes that only read: on a server database each statement commits on its own.

    A sync route with `Depends(get_db)` crosses to the thread pool three times (opening
    the session, the route, closing it); under load each crossing waits for the event
    loop and the GIL. This crosses once, so the event loop never waits on the database.
    An app's `dependency_overrides[get_db]` is honoured (see `_overridden`)."""
    override = _get_db_override(request)
    if override is not None:
        return await _overridden(override, work)

    if _read_sessions is None:
        raise RuntimeError(NOT_INITIALISED)
    read_sessions = _read_sessions

    def call() -> T:
        session = read_sessions()
        try:
            return work(session)
        finally:
            session.close()

    return await run_in_threadpool(call)


def _get_db_override(request: HTTPConnection) -> Callable[..., Any] | None:
    """What the app that routed `request` puts in place of `get_db`, if anything (the
    route's override provider, as FastAPI looks it up, else the app)."""
    provider = getattr(request.scope.get("route"), "dependency_overrides_provider", None) or request.scope.get("app")
    overrides = getattr(provider, "dependency_overrides", None)
    return overrides.get(get_db) if overrides else None


async def _overridden(override: Callable[..., Any], work: Callable[[Session], T]) -> T:
    """`work` on the session of a `get_db` override called without arguments, as FastAPI
    would: a sync one (function or generator) in the same thread-pool call as `work`, an
    async one on the event loop; a generator sees `work`'s exception and is closed after it."""
    if any(p.default is inspect.Parameter.empty for p in inspect.signature(override).parameters.values()):
        raise TypeError(f"dependency_overrides[get_db] = {override!r}: the CRUD read routes call it without arguments")
    if inspect.isasyncgenfunction(override):
        async with asynccontextmanager(override)() as session:
            return await run_in_threadpool(work, session)
    if inspect.iscoroutinefunction(override):
        return await run_in_threadpool(work, await override())
    if inspect.isgeneratorfunction(override):

        def in_generator() -> T:
            with contextmanager(override)() as session:
                return work(session)

        return await run_in_threadpool(in_generator)
    return await run_in_threadpool(lambda: work(override()))


def _enforce_foreign_keys(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA foreign_keys=ON")
    finally:
        cursor.close()

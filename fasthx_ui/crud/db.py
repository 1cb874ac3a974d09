"""Stand-in for the ADMIN engineer's crud/db.py (contract: Base, init_db, get_db,
get_engine, open_session); replaced when that module lands on main."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker


class Base(DeclarativeBase):
    """Declarative base for the app's models."""


_engine: sa.Engine | None = None
_sessions: sessionmaker[Session] | None = None


def init_db(url: str, **kwargs: Any) -> sa.Engine:
    """Create the engine (kwargs to create_engine) and the session factory."""
    global _engine, _sessions
    engine = sa.create_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":
        sa.event.listen(engine, "connect", _sqlite_foreign_keys)
    _engine, _sessions = engine, sessionmaker(bind=engine)
    return engine


def _sqlite_foreign_keys(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def get_engine() -> sa.Engine:
    if _engine is None:
        raise RuntimeError("init_db() has not been called")
    return _engine


def open_session() -> Session:
    get_engine()
    assert _sessions is not None
    return _sessions()


def get_db() -> Iterator[Session]:
    """FastAPI dependency: a session, closed after the request."""
    session = open_session()
    try:
        yield session
    finally:
        session.close()

"""The databases the tests run on: a SQLite file, or the test PostgreSQL in a schema of
the test's own that is dropped afterwards, so runs never see each other's rows."""

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa

PG_URL = os.environ.get("FASTHX_UI_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
KINDS = ["sqlite", "postgresql"]


@contextmanager
def database_settings(kind: str, folder: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    """The URL and `create_engine` keyword arguments of an empty database of `kind`
    ("sqlite": a file in `folder`; "postgresql": a schema of its own, dropped afterwards)."""
    if kind == "sqlite":
        yield f"sqlite:///{folder / 'test.db'}", {}
        return
    schema = f"test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield PG_URL, {"connect_args": {"options": f"-csearch_path={schema}"}}
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@contextmanager
def database_engine(kind: str, folder: Path) -> Iterator[sa.Engine]:
    """An engine on an empty database of `kind` (see `database_settings`)."""
    with database_settings(kind, folder) as (url, kwargs):
        engine = sa.create_engine(url, **kwargs)
        try:
            yield engine
        finally:
            engine.dispose()

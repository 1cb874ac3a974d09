"""The databases the tests run on: a SQLite file, or the test PostgreSQL in a schema of
the test's own that is dropped afterwards, so runs never see each other's rows."""

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa

PG_URL = os.environ.get("FASTHX_UI_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
KINDS = ["sqlite", "postgresql"]


@contextmanager
def database_engine(kind: str, folder: Path) -> Iterator[sa.Engine]:
    """An empty database of `kind` ("sqlite" in `folder`, or "postgresql")."""
    if kind == "sqlite":
        engine = sa.create_engine(f"sqlite:///{folder / 'test.db'}")
        try:
            yield engine
        finally:
            engine.dispose()
        return
    schema = f"test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    engine = sa.create_engine(PG_URL, connect_args={"options": f"-csearch_path={schema}"})
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()

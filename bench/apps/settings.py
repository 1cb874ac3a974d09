"""What every benchmark app reads from its environment: the database URL (a copy of the
SQLite file, or the PostgreSQL bench database) and whether to count SQL statements."""

from __future__ import annotations

import os

DB_URL = os.environ.get("BENCH_DB_URL", "sqlite:///bench/data/bench.db")
COUNT_SQL = os.environ.get("BENCH_COUNT_SQL") == "1"
PAGE_SIZE = 20


def engine_kwargs() -> dict:
    return {"connect_args": {"check_same_thread": False}} if DB_URL.startswith("sqlite") else {}

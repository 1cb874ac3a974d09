"""Export of 100,000 rows over real HTTP: total and CPU time, time to first byte, peak RSS growth.

Standalone (not run by the test suite):

    .venv/bin/python bench/export_memory.py --rows 100000 --db sqlite
    .venv/bin/python bench/export_memory.py --rows 100000 --db postgresql

An app with one `SQLSource` + `export_response` route is served by uvicorn in a thread of
this process; an httpx client reads each download and throws the bytes away. Peak RSS
is reset before each export (`/proc/self/clear_refs`) and read after it (`VmHWM`), so
the growth is what the export itself cost (the client's share is a few 64 KB chunks).
CPU time is the whole process's (server and client; the client only counts bytes).
"""

from __future__ import annotations

import argparse
import socket
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path

import httpx
import sqlalchemy as sa
import uvicorn
from fastapi import Depends, FastAPI, Request
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship, sessionmaker

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fasthx_ui import Column, SQLSource, TableSpec, export_response  # noqa: E402

PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


class Base(DeclarativeBase):
    pass


class Site(Base):
    __tablename__ = "bench_export_sites"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(50))


class Device(Base):
    __tablename__ = "bench_export_devices"
    id: Mapped[int] = mapped_column(primary_key=True)
    hostname: Mapped[str] = mapped_column(sa.String(80))
    ip_address: Mapped[str] = mapped_column(sa.String(45))
    status: Mapped[str] = mapped_column(sa.String(20))
    firmware: Mapped[str] = mapped_column(sa.String(20))
    last_seen: Mapped[datetime]
    site_id: Mapped[int] = mapped_column(sa.ForeignKey("bench_export_sites.id"))
    site: Mapped[Site] = relationship()


SPEC = TableSpec(columns=[Column("id"), Column("hostname"), Column("ip_address"), Column("status"),
                          Column("firmware"), Column("last_seen"), Column("site.name", label="Site")])


@contextmanager
def database(kind: str) -> Iterator[sa.Engine]:
    if kind == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            engine = sa.create_engine(f"sqlite:///{folder}/bench.db")
            yield engine
            engine.dispose()
        return
    schema = f"bench_{uuid.uuid4().hex[:10]}"
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


def seed(engine: sa.Engine, rows: int) -> None:
    Base.metadata.create_all(engine)
    start = datetime(2025, 1, 1)
    with engine.begin() as conn:
        conn.execute(sa.insert(Site), [{"id": i, "name": f"Site {i}"} for i in range(1, 51)])
        batch = []
        for i in range(1, rows + 1):
            batch.append({"id": i, "hostname": f"edge-{i:06d}", "ip_address": f"10.{i // 65536}.{i // 256 % 256}.{i % 256}",
                          "status": ("online", "offline", "error")[i % 3], "firmware": f"7.{i % 5}.{i % 11}",
                          "last_seen": start + timedelta(minutes=i), "site_id": 1 + i % 50})
            if len(batch) == 10_000:
                conn.execute(sa.insert(Device), batch)
                batch = []
        if batch:
            conn.execute(sa.insert(Device), batch)


def make_app(sessions: sessionmaker[Session]) -> FastAPI:
    app = FastAPI()

    def get_db() -> Iterator[Session]:
        session = sessions()
        try:
            yield session
        finally:
            session.close()

    @app.get("/devices/export/{format}")
    def export(request: Request, format: str, db: Session = Depends(get_db)):
        source = SQLSource(db, sa.select(Device), SPEC, eager=["site"])
        return export_response(source, SPEC.parse(request.query_params), format, filename="devices")

    return app


@contextmanager
def served(app: FastAPI) -> Iterator[str]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:
        thread.join(0.02)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()


def status_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise KeyError(field)


def measure(client: httpx.Client, fmt: str) -> dict[str, float]:
    Path("/proc/self/clear_refs").write_text("5")  # peak RSS := current RSS
    before = status_kb("VmRSS")
    cpu = time.process_time()
    started = time.perf_counter()
    first = None
    size = 0
    with client.stream("GET", f"/devices/export/{fmt}") as response:
        response.raise_for_status()
        for chunk in response.iter_raw():
            if first is None:
                first = time.perf_counter() - started
            size += len(chunk)
    total = time.perf_counter() - started
    return {"total_s": total, "cpu_s": time.process_time() - cpu, "first_byte_ms": (first or total) * 1000, "peak_growth_mb": (status_kb("VmHWM") - before) / 1024,
            "size_mb": size / 1_048_576}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    args = parser.parse_args()
    with database(args.db) as engine:
        seed(engine, args.rows)
        with served(make_app(sessionmaker(bind=engine))) as base, httpx.Client(base_url=base, timeout=600) as client:
            client.get("/devices/export/csv", params={"q": "warm-up"}).raise_for_status()
            client.get("/devices/export/xlsx", params={"q": "warm-up"}).raise_for_status()
            print(f"{args.rows:,} rows, {args.db}")
            for fmt in ("csv", "xlsx"):
                m = measure(client, fmt)
                print(f"  {fmt:4}  total {m['total_s']:6.2f} s   CPU {m['cpu_s']:5.2f} s   first byte {m['first_byte_ms']:8.1f} ms   "
                      f"peak RSS +{m['peak_growth_mb']:5.1f} MB   file {m['size_mb']:5.1f} MB")


if __name__ == "__main__":
    main()

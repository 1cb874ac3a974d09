"""The frameworks under test and their uvicorn processes: one worker each on 127.0.0.1,
each on its own copy of the SQLite file (or the PostgreSQL bench database)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent
APPS, VENVS, DATA = BENCH / "apps", BENCH / ".venvs", BENCH / "data"
PG_URL = os.environ.get("BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/bench")


@dataclass(frozen=True)
class Framework:
    """A framework's app module, its venv and the URL of each measured page."""

    name: str
    label: str
    module: str
    customers: str  # list page of customers; page and search are query parameters
    orders: str
    page_param: str = "page"
    search_param: str = "q"
    exports: dict[str, str] = field(default_factory=dict)  # format -> URL
    order: str = "asc"  # the list's default order by id

    def url(self, scenario: str, search: str) -> str:
        return {
            "a": self.customers,
            "b": f"{self.customers}?{self.page_param}=4000",
            "c": f"{self.customers}?{self.search_param}={search}",
            "d": self.orders,
        }[scenario]


FRAMEWORKS = (
    Framework("fasthx_ui", "fasthx_ui", "fasthx_ui_app", "/customers", "/orders",
              exports={"csv": "/customers/export/csv", "xlsx": "/customers/export/xlsx"}),
    Framework("fasthx_admin", "fasthx-admin 0.6.6", "fasthx_admin_app", "/customers", "/orders", order="desc",
              exports={"csv": "/customers/export/csv", "xlsx": "/customers/export/xlsx"}),
    Framework("sqladmin", "sqladmin 0.32.0", "sqladmin_app", "/admin/customer/list", "/admin/order/list",
              search_param="search", exports={"csv": "/admin/customer/export/csv"}),
    Framework("starlette_admin", "starlette-admin 1.0.3", "starlette_admin_app", "/admin/customer/list",
              "/admin/order/list"),
    Framework("floor", "hand-written floor", "floor_app", "/customers", "/orders",
              exports={"csv": "/customers/export/csv"}),
)
PEERS = ("fasthx_admin", "sqladmin", "starlette_admin")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """One framework's uvicorn process; `db` is "sqlite" (a fresh copy of bench.db) or "pg"."""

    def __init__(self, framework: Framework, db: str, workdir: Path) -> None:
        self.framework, self.db = framework, db
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        if db == "sqlite":
            copy = workdir / f"{framework.name}.db"
            shutil.copyfile(DATA / "bench.db", copy)
            url = f"sqlite:///{copy}"
        else:
            url = PG_URL
        env = {**os.environ, "BENCH_DB_URL": url, "BENCH_COUNT_SQL": "1", "AUTH_DISABLED": "1",
               "SESSION_SECRET": "bench-secret",
               # BENCH_PYTHONPATH: a tree put first, e.g. an older fasthx_ui (git archive) to measure a fix
               "PYTHONPATH": os.pathsep.join(filter(None, (os.environ.get("BENCH_PYTHONPATH"), str(APPS))))}
        self.log = open(workdir / f"{framework.name}-{db}.log", "w")
        python = VENVS / framework.name / "bin" / "python"
        self.process = subprocess.Popen(
            [str(python), "-m", "uvicorn", f"{framework.module}:app", "--host", "127.0.0.1",
             "--port", str(self.port), "--workers", "1", "--no-access-log", "--log-level", "warning"],
            cwd=APPS, env=env, stdout=self.log, stderr=subprocess.STDOUT,
        )
        self.pid = self.process.pid

    def wait_ready(self, timeout: float = 60) -> None:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if self.process.poll() is not None:
                self.log.flush()
                tail = Path(self.log.name).read_text()[-2000:]
                raise RuntimeError(f"{self.framework.name} exited:\n{tail}")
            try:
                urllib.request.urlopen(self.base + "/__bench/sql", timeout=2).read()
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"{self.framework.name} did not answer within {timeout}s")

    def get(self, path: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(self.base + path, timeout=120) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace")

    def sql_total(self) -> int:
        return int(self.get("/__bench/sql")[1])

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


def start_all(frameworks, db: str, workdir: Path) -> list[Server]:
    """Every framework's server, answering; none left running if one fails to start."""
    servers = [Server(framework, db, workdir) for framework in frameworks]
    try:
        for server in servers:
            server.wait_ready()
    except BaseException:
        for server in servers:
            server.stop()
        raise
    return servers

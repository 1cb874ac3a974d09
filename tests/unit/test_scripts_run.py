"""`scripts/run` starts the demo (not the storybook) on a SQLite file, seeds it on first
start, prints the URL, signs in with its demo user, and turns sign-in off with AUTH_DISABLED=1."""

import os
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def run_script(database: Path, **env: str) -> Iterator[tuple[str, str]]:
    """`scripts/run --port N` with its own database; yields (base URL, the first line it printed)."""
    port = free_port()
    environment = {k: v for k, v in os.environ.items() if k not in ("AUTH_DISABLED", "DEMO_DATABASE_URL")}
    environment.update(DEMO_DATABASE_URL=f"sqlite:///{database}", **env)
    process = subprocess.Popen([str(ROOT / "scripts/run"), "--port", str(port)], cwd=ROOT, env=environment,
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        first_line = process.stdout.readline()
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, f"scripts/run exited with {process.returncode}"
            try:
                httpx.get(url + "/dashboard", timeout=2)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, f"scripts/run did not answer on {url}"
                time.sleep(0.1)
        yield url, first_line
    finally:
        process.terminate()
        process.wait(timeout=10)
        process.stdout.close()


def test_scripts_run_serves_the_seeded_demo_to_its_demo_user(tmp_path):
    database = tmp_path / "demo.db"
    with run_script(database) as (url, first_line):
        assert f"{url}/" in first_line
        with httpx.Client(base_url=url) as browser:
            anonymous = browser.get("/devices")
            assert anonymous.status_code == 303 and anonymous.headers["location"] == "/login?next=/devices"
            wrong = browser.post("/login", data={"username": "admin", "password": "wrong"})
            assert wrong.status_code == 401 and "Wrong username or password." in wrong.text
            signed = browser.post("/login?next=/devices", data={"username": "admin", "password": "fasthx-demo"})
            assert signed.status_code == 303 and signed.headers["location"] == "/devices"
            dashboard = browser.get("/", follow_redirects=True)
            devices = browser.get("/devices?q=edge-0042")
    assert dashboard.status_code == 200 and "Recent orders" in dashboard.text and 'href="/logout"' in dashboard.text
    assert devices.status_code == 200 and "edge-0042" in devices.text
    assert database.stat().st_size > 100_000

    with run_script(database, AUTH_DISABLED="1") as (url, _):
        response = httpx.get(url + "/devices?q=edge-0042")
    assert response.status_code == 200 and "edge-0042" in response.text

"""Two demo processes and an RQ worker sharing one Redis (a server of this test's own) and
one database: a "Set firmware" job started through process A runs in the worker, is
followed in a page served by process B, and is cancelled there; A's modal sees the end."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from helpers import free_port, serve

from .test_demo_jobs import start_set_firmware
from .two_processes import redis_server

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def demo_pair(tmp_path: Path) -> Iterator[tuple[str, str]]:
    port = free_port()
    env = {"AUTH_DISABLED": "1", "DEMO_DATABASE_URL": f"sqlite:///{tmp_path / 'demo.db'}",
           "DEMO_JOB_CHUNK_SECONDS": "0.6", "DEMO_JOBS_REDIS_URL": f"redis://127.0.0.1:{port}/0"}
    with redis_server(port):
        first, first_url = serve(["-m", "examples.demo"], env=env, timeout=90)  # seeds the database
        second, second_url = serve(["-m", "examples.demo"], env=env, timeout=90)
        worker = subprocess.Popen([sys.executable, "-m", "fasthx_ui.job_worker", "--app", "examples.demo.app:app"],
                                  cwd=ROOT, env={**os.environ, **env})
        try:
            yield first_url, second_url
        finally:
            for process in (worker, second, first):
                process.terminate()
                process.wait(timeout=15)


def test_job_started_on_one_process_is_followed_and_cancelled_from_the_other(page: Page, demo_pair):
    first, second = demo_pair
    total, job_id = start_set_firmware(page, first, "", "7.4")
    on_first = page.get_by_role("dialog").locator("[data-fhx-progress]")

    other = page.context.new_page()
    other.goto(f"{second}/devices/jobs/{job_id}")
    follower = other.locator(f"#job-{job_id} [data-fhx-progress]")
    expect(follower).to_have_attribute("data-status", "running", timeout=15_000)
    expect(other.get_by_role("log", name="Set firmware output")).to_contain_text("firmware 7.4 (500 devices)")
    other.get_by_role("button", name="Cancel").click()
    expect(follower).to_have_attribute("data-status", "cancelled", timeout=15_000)
    expect(other.locator("#fhx-toasts-status")).to_contain_text(f"of {total:,} records.")

    expect(on_first).to_have_attribute("data-status", "cancelled", timeout=15_000)  # A polls A: same end
    expect(page.locator("#fhx-toasts-status")).to_contain_text("Cancelled after")
    assert int(follower.get_attribute("data-percent")) < 100

"""The demo's "Set firmware" on all matching devices runs as a background job: the modal
shows its live progress bar and console output to 100 %, the result arrives as a toast
and the table reloads; a second job is cancelled between chunks. The demo runs in a
process of this module's own (chunks slowed to 1 s, in-process jobs)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from helpers import assert_accessible, serve, wait_ready

TABLE = "devices-table"
TOAST = "#fhx-toasts-status .fhx-toast-message"


@pytest.fixture(scope="module")
def demo_jobs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    database = tmp_path_factory.mktemp("demo-jobs") / "demo.db"
    env = {"AUTH_DISABLED": "1", "DEMO_DATABASE_URL": f"sqlite:///{database}", "DEMO_JOB_CHUNK_SECONDS": "1"}
    process, url = serve(["-m", "examples.demo"], env=env, timeout=90)
    yield url
    process.terminate()
    process.wait(timeout=10)


def start_set_firmware(page: Page, base: str, query: str, version: str) -> tuple[int, str]:
    """Select all devices matching `query`, run Set firmware on them; (total, job id)."""
    page.goto(f"{base}/devices{query}")
    wait_ready(page)
    total = int(page.locator(f"#{TABLE}-summary").inner_text().split()[0].replace(",", ""))
    page.locator(f"#{TABLE}-select-page").check()
    page.locator(f"#{TABLE} [data-fhx-select-all]").click()
    expect(page.locator(f"#{TABLE} [data-fhx-bulk-message]")).to_contain_text(f"All {total:,} matching")
    page.locator(f"#{TABLE}-bulk-menu").click()
    page.get_by_role("button", name="Set firmware").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text(re.compile(rf"Set the firmware of ({total}|{total:,}) devices\?"))
    dialog.get_by_label("Firmware").select_option(version)
    dialog.get_by_role("button", name="Set firmware").click()
    panel = dialog.locator("[data-fhx-job]")
    expect(panel).to_be_visible()
    return total, panel.get_attribute("data-fhx-job")


def test_set_firmware_on_all_matching_runs_as_a_job_to_100_percent(page: Page, demo_jobs: str):
    total, job_id = start_set_firmware(page, demo_jobs, "?flt_firmware_version=6.4", "7.2")
    assert total > 500  # more than one chunk
    dialog = page.get_by_role("dialog")
    bar = dialog.get_by_role("progressbar", name="Set firmware")
    expect(bar).to_have_attribute("aria-valuetext", re.compile(rf"^[\d,]+ of {total:,} records, \d\d?%$"))
    expect(dialog.get_by_role("button", name="Cancel")).to_be_visible()
    log = dialog.get_by_role("log", name="Set firmware output")
    expect(log).to_contain_text("firmware 7.2 (500 devices)")
    expect(bar).to_have_attribute("aria-valuenow", "100", timeout=30_000)
    expect(dialog.locator("[data-fhx-progress]")).to_have_attribute("data-status", "complete")
    expect(page.locator(TOAST)).to_have_text(f"Set firmware: {total:,} records done.")
    expect(dialog.get_by_role("button", name="Cancel")).to_have_count(0)
    expect(log.locator(".console-line")).to_have_count(-(-total // 500))
    expect(page.locator(f"#{TABLE}-summary")).to_have_text("0 records")  # the table reloaded: none left on 6.4
    assert_accessible(page, "#admin-modal")
    page.goto(f"{demo_jobs}/devices/jobs/{job_id}")  # the job's own page, for following it elsewhere
    expect(page.get_by_role("progressbar", name="Set firmware")).to_have_attribute("aria-valuenow", "100")


def test_cancel_stops_the_job_between_chunks(page: Page, demo_jobs: str):
    total, _ = start_set_firmware(page, demo_jobs, "", "6.4")
    assert total == 3000
    dialog = page.get_by_role("dialog")
    progress = dialog.locator("[data-fhx-progress]")
    expect(progress).to_have_attribute("data-status", "running")
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog.get_by_role("button", name="Cancelling...")).to_be_disabled()
    expect(progress).to_have_attribute("data-status", "cancelled", timeout=15_000)
    expect(progress.locator(".badge")).to_have_text("Cancelled")
    message = page.locator(TOAST)
    expect(message).to_have_text(re.compile(r"^Cancelled after [\d,]+ of 3,000 records\.$"))
    done = int(re.search(r"after ([\d,]+) of", message.inner_text())[1].replace(",", ""))
    assert 0 <= done < 3000 and done % 500 == 0
    page.goto(f"{demo_jobs}/devices?flt_firmware_version=6.4")
    wait_ready(page)
    summary = page.locator(f"#{TABLE}-summary").inner_text()
    assert int(summary.split()[0].replace(",", "")) >= done  # the chunks done before the cancel, no more

"""Jobs of a CRUD view in the browser: a `"progress": True` row action inserts its bar
after the row, the bar follows the task to 100 % while the row's status cell polls again,
a double click starts one task and a second start replaces the bar, and a view
endpoint's console streams in the modal."""

from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import Page, expect

from helpers import assert_accessible, serve, wait_ready


@pytest.fixture(scope="module")
def jobs(tmp_path_factory) -> Iterator[str]:
    db = tmp_path_factory.mktemp("jobs") / "jobs.db"
    process, url = serve(["tests/e2e/crud_jobs_app.py", "--db", str(db)], env={"AUTH_DISABLED": "1"})
    yield url
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def app(jobs: str) -> str:
    httpx.post(jobs + "/test/seed").raise_for_status()
    return jobs


def open_list(page: Page, app: str) -> None:
    page.goto(app + "/devices")
    wait_ready(page)


def test_deploy_shows_a_progress_bar_under_the_row_until_complete(page: Page, app: str):
    open_list(page, app)
    cell = page.locator("#devices-table-poll-status-2")
    expect(cell).to_have_attribute("data-state", "done")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Deploy row 2", exact=True).click()
    bar_row = page.locator('#devices-table tr[data-id="2"] + tr.fhx-progress-row')
    expect(bar_row).to_be_visible()
    expect(cell).to_contain_text("deploying")  # restarted out of band
    progressbar = bar_row.get_by_role("progressbar", name="Task progress")
    expect(progressbar).to_have_attribute("aria-valuenow", "100", timeout=15_000)
    expect(bar_row).to_have_attribute("data-status", "complete")
    expect(bar_row.locator(".badge")).to_have_text("Complete")
    expect(bar_row).not_to_have_attribute("hx-get", "/devices/2/progress")  # polling stopped
    expect(cell).to_contain_text("online", timeout=15_000)
    expect(cell).to_have_attribute("data-state", "done")
    assert page.locator("tr.fhx-progress-row").count() == 1
    assert_accessible(page)


def test_deploy_twice_keeps_one_bar_that_starts_over(page: Page, app: str):
    open_list(page, app)
    page.on("dialog", lambda dialog: dialog.accept())
    button = page.get_by_role("button", name="Deploy row 3", exact=True)
    button.dblclick()
    bar_rows = page.locator('#devices-table tr[data-id="3"] + tr.fhx-progress-row')
    expect(bar_rows).to_have_attribute("data-status", "complete", timeout=15_000)
    expect(page.locator("tr.fhx-progress-row")).to_have_count(1)
    assert httpx.get(app + "/test/deploys").json() == {"3": 1}  # the double click started one task
    expect(button).to_be_enabled()
    button.click()  # again, once the first run is over: its bar is replaced, not joined
    expect(bar_rows).to_have_attribute("data-status", "running")
    expect(page.locator("tr.fhx-progress-row")).to_have_count(1)
    expect(bar_rows).to_have_attribute("data-status", "complete", timeout=15_000)
    expect(page.locator("tr.fhx-progress-row")).to_have_count(1)
    assert httpx.get(app + "/test/deploys").json() == {"3": 2}


def test_checks_stream_a_console_in_the_modal(page: Page, app: str):
    open_list(page, app)
    page.get_by_role("button", name="Checks row 3", exact=True).click()
    dialog = page.get_by_role("dialog", name="Checks — device 3")
    log = dialog.get_by_role("log")
    expect(log).to_contain_text("Checking device 3...")
    expect(log).to_contain_text("Config... OK")
    expect(log).to_contain_text("All checks passed.")
    expect(dialog.get_by_role("status")).to_have_text("Output complete.")
    expect(log.locator(".ansi-green").first).to_have_text("Checking device 3...")
    assert_accessible(page)
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()

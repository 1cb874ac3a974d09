"""A console streams output produced in another app process: two storybook processes on
two ports share one Redis; the browser is connected to the second, the task runs in the first."""

import uuid

import httpx
from playwright.sync_api import Page, expect

from helpers import assert_accessible, open_story




def test_output_produced_in_one_process_streams_through_the_other(page: Page, pair):
    first_url, second_url = pair
    console = f"remote-{uuid.uuid4().hex}"
    open_story(page, second_url, "console", "attached", console_id=console)
    log = page.get_by_role("log", name="Remote task output")
    status = page.locator("#story-root").get_by_role("status")
    expect(status).to_have_text("Streaming…")

    token = page.get_attribute('meta[name="csrf-token"]', "content")
    response = page.request.post(
        f"{first_url}/api/console/produce/{console}",
        params={"lines": 4, "delay": 0.2},
        headers={"X-CSRF-Token": token},
    )
    assert response.status == 200
    first_pid = response.json()["pid"]
    assert first_pid != page.request.post(
        f"{second_url}/api/console/produce/other-{console}", params={"lines": 1, "delay": 0},
        headers={"X-CSRF-Token": token},
    ).json()["pid"]

    for step in range(1, 5):
        expect(log).to_contain_text(f"step   {step} of 4… OK")
    expect(log).to_contain_text("All checks passed.")
    expect(log.locator("span.ansi-green")).to_have_count(4)
    expect(status).to_have_text("Output complete.")
    assert httpx.get(f"{second_url}/api/console/closes/{console}").json() == ["end"]
    assert httpx.get(f"{first_url}/api/console/closes/{console}").json() == []
    assert_accessible(page)


def test_late_viewer_on_the_other_process_gets_the_whole_output(page: Page, pair):
    first_url, second_url = pair
    console = f"late-{uuid.uuid4().hex}"
    open_story(page, first_url, "console", "attached", console_id=console)
    page.get_by_role("button", name="Start a task for this console").click()
    expect(page.get_by_role("log")).to_contain_text("All checks passed.")

    open_story(page, second_url, "console", "attached", console_id=console)
    log = page.get_by_role("log", name="Remote task output")
    expect(log).to_contain_text("Starting diagnostics (6 steps)…")
    expect(log).to_contain_text("All checks passed.")
    expect(log.locator("pre.console-line")).to_have_count(8)

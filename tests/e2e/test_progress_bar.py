"""ProgressBar in the browser: states, a background task polled to Complete, a failed
task, the table-row variant with its status cell, an unreachable store, re-swaps."""

import re

from playwright.sync_api import Page, expect

from fasthx_ui import PROGRESS_LABELS
from helpers import assert_accessible, open_story


def bar(page: Page, scope: str = "#story-root"):
    return page.locator(f"{scope} [data-fhx-progress]")


def test_states_are_accessible_progressbars(page: Page, storybook: str):
    for status, percent in (("waiting", 0), ("running", 40), ("complete", 100), ("failed", 100), ("unavailable", 0)):
        label = PROGRESS_LABELS[status]
        open_story(page, storybook, "progress_bar", "states", status=status, percent=percent, label=label)
        progressbar = page.get_by_role("progressbar", name="Task progress")
        expect(progressbar).to_be_visible()
        expect(bar(page).locator(".badge")).to_have_text(label)
        if status == "unavailable":
            assert progressbar.get_attribute("aria-valuenow") is None
        else:
            expect(progressbar).to_have_attribute("aria-valuenow", str(percent))
        assert bar(page).get_attribute("hx-trigger") is None  # no poll_url: never polls
        assert_accessible(page)


def test_stored_values_follow_the_reference_convention(page: Page, storybook: str):
    cases = [
        ("", "Waiting...", "0", "bg-secondary"),
        ("Error", "Failed", "100", "bg-danger"),
        ("42", "Building...", "42", "progress-bar-animated"),
        ("100", "Complete", "100", "bg-success"),
    ]
    for value, label, percent, css in cases:
        open_story(page, storybook, "progress_bar", "stored_values", value=value, running_label="Building...")
        expect(bar(page).locator(".badge")).to_have_text(label)
        expect(page.get_by_role("progressbar")).to_have_attribute("aria-valuenow", percent)
        expect(bar(page).locator(".progress-bar")).to_have_class(re.compile(rf"\b{css}\b"))
    assert_accessible(page)


def poll_once(page: Page) -> str:
    """Move the page's clock one polling period on and return the status of the bar
    that the poll's answer put in place of the current one."""
    page.locator("#story-root [data-fhx-progress]").evaluate("element => { element.dataset.old = '1'; }")
    with page.expect_response("**/api/progress_bar/poll/**"):
        page.clock.run_for(2_000)
    fresh = page.locator("#story-root [data-fhx-progress]:not([data-old])")
    expect(fresh).to_have_count(1)
    return fresh.get_attribute("data-status")


def test_background_task_polls_until_complete_then_stops(page: Page, storybook: str):
    page.clock.install()  # the page's timers (the bar's `every 2s`) move only when the test says
    open_story(page, storybook, "progress_bar", "background_task", steps=3, delay=0.3)
    polls = []
    page.on("request", lambda request: polls.append(request.url) if "/api/progress_bar/poll/" in request.url else None)
    with page.expect_response("**/api/progress_bar/start**") as info:
        page.get_by_role("button", name="Start deployment").click()
    assert info.value.status == 200
    progress = bar(page)
    expect(progress).to_have_attribute("hx-trigger", "every 2s")
    expect(progress).to_have_attribute("hx-swap", "outerHTML")
    expect(progress).to_have_attribute("data-status", "running")
    expect(progress.locator(".badge")).to_have_text("Starting...")
    expect(page.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "0")
    statuses = [poll_once(page)]
    while statuses[-1] != "complete" and len(statuses) < 500:  # the task runs on the server meanwhile
        statuses.append(poll_once(page))
    assert statuses[-1] == "complete" and set(statuses) <= {"waiting", "running", "complete"}
    expect(page.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "100")
    expect(progress.locator(".badge")).to_have_text("Complete")
    assert progress.get_attribute("hx-trigger") is None
    seen = len(polls)
    page.clock.run_for(20_000)  # ten polling periods
    assert len(polls) == seen, "polling stopped at the terminal state"
    assert_accessible(page)


def test_failed_task_turns_red_and_stops(page: Page, storybook: str):
    open_story(page, storybook, "progress_bar", "failed_task", fail_at=40, delay=0.3)
    page.get_by_role("button", name="Start a task that fails").click()
    progress = bar(page)
    expect(progress).to_have_attribute("data-status", "failed", timeout=15_000)
    expect(progress.locator(".progress-bar")).to_have_class(re.compile(r"\bbg-danger\b"))
    expect(progress.locator(".badge")).to_have_text("Failed")
    expect(progress).to_contain_text("Disk full on edge-01")
    assert progress.get_attribute("hx-trigger") is None
    assert_accessible(page)


def test_table_row_bar_and_status_cell(page: Page, storybook: str):
    open_story(page, storybook, "progress_bar", "table_row", delay=0.3)
    status = page.locator("#status-edge-01")
    expect(status).to_have_text("idle")
    page.get_by_role("button", name="Deploy").click()
    row = page.locator("tbody tr.fhx-progress-row")
    expect(row).to_have_count(1)
    expect(row.locator("td")).to_have_attribute("colspan", "3")
    expect(status).to_have_text("deploying")
    expect(status).to_have_attribute("hx-trigger", "every 1s")
    expect(row).to_have_attribute("data-status", "complete", timeout=15_000)
    expect(status).to_have_text("online", timeout=5_000)
    assert status.get_attribute("hx-trigger") is None
    expect(page.locator("tbody tr")).to_have_count(2)
    assert_accessible(page)


def test_unreachable_store_shows_a_clear_state_and_keeps_polling(page: Page, storybook: str):
    responses = []
    page.on("response", lambda r: responses.append(r.status) if "/api/progress_bar/unavailable" in r.url else None)
    open_story(page, storybook, "progress_bar", "redis_unavailable", interval="500ms")
    progress = bar(page)
    expect(progress).to_have_attribute("data-status", "unavailable")
    expect(progress.locator(".badge")).to_have_text("Progress unavailable")
    expect(progress).to_contain_text("Cannot reach the progress store")
    expect(progress).to_have_attribute("hx-trigger", "every 500ms")
    expect(page.locator("#story-root [data-fhx-progress]")).to_have_count(1)
    for _ in range(2):  # it keeps polling: two more answers arrive
        with page.expect_response(lambda r: "/api/progress_bar/unavailable" in r.url):
            pass
    assert len(responses) >= 2 and set(responses) == {200}
    assert_accessible(page)


def test_bad_parameters_are_answered_not_crashed(page: Page, storybook: str):
    open_story(page, storybook, "progress_bar", "background_task")
    token = page.get_attribute('meta[name="csrf-token"]', "content")
    headers = {"X-CSRF-Token": token}
    for query in ("steps=0", "steps=abc", "interval=soon", "delay=-1"):
        response = page.request.post(f"{storybook}/api/progress_bar/start?{query}", headers=headers)
        assert response.status == 422, query
    assert page.request.get(f"{storybook}/api/progress_bar/poll/x?interval=2s%22").status == 422


def test_restarting_keeps_one_polling_bar(page: Page, storybook: str):
    open_story(page, storybook, "progress_bar", "background_task", steps=50, delay=0.2)
    for _ in range(10):
        with page.expect_response("**/api/progress_bar/start**"):
            page.get_by_role("button", name="Start deployment").click()
    expect(bar(page)).to_have_count(1)
    expect(page.locator("#story-root [hx-trigger^='every']")).to_have_count(1)

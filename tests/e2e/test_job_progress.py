"""JobProgress in the browser (the storybook's in-process jobs): a job counted to 100 %
with a live bar and its console output, a cancel, and the static states."""

import re

from playwright.sync_api import Page, expect

from helpers import assert_accessible, open_story


def start(page: Page, storybook: str, **args):
    open_story(page, storybook, "job_progress", "background_job", **args)
    page.get_by_role("button", name="Start counting").click()
    panel = page.locator("#job-slot [data-fhx-job]")
    expect(panel).to_be_visible()
    return panel


def test_a_job_runs_to_100_percent_with_a_live_bar_output_and_a_toast(page: Page, storybook: str):
    panel = start(page, storybook, steps=10, delay=0.3)
    bar = panel.get_by_role("progressbar", name="Counting to 10")
    expect(bar).to_have_attribute("aria-valuetext", re.compile(r"^Step [1-9] of 10, [1-9]0%$"))  # while it runs
    expect(bar).to_have_attribute("aria-valuenow", "100", timeout=15_000)
    expect(panel.locator("[data-fhx-progress]")).to_have_attribute("data-status", "complete")
    expect(panel.locator("[data-fhx-progress]")).not_to_have_attribute("hx-trigger", "every 1s")
    log = panel.get_by_role("log", name="Counting to 10 output")
    expect(log).to_contain_text("Step 10 of 10: ok")
    expect(log.locator(".console-line")).to_have_count(10)
    expect(panel.get_by_role("button", name="Cancel")).to_have_count(0)
    expect(page.locator("#fhx-toasts")).to_contain_text("Counted to 10.")
    assert_accessible(page)


def test_cancel_stops_the_job_and_says_so(page: Page, storybook: str):
    panel = start(page, storybook, steps=60, delay=0.2)
    progress = panel.locator("[data-fhx-progress]")
    expect(progress).to_have_attribute("data-status", "running", timeout=10_000)
    panel.get_by_role("button", name="Cancel").click()
    expect(panel.get_by_role("button", name="Cancelling...")).to_be_disabled()
    expect(progress).to_have_attribute("data-status", "cancelled", timeout=10_000)
    expect(progress.locator(".badge")).to_have_text("Cancelled")
    expect(progress).to_contain_text("Cancelled at step")
    expect(page.locator("#fhx-toasts")).to_contain_text("Cancelled at step")
    percent = int(progress.get_attribute("data-percent"))
    assert 0 <= percent < 100
    expect(panel.locator("[data-fhx-console-status]")).to_have_text("Output complete.")


def test_states_story_shows_each_status_and_the_cancel_button_only_while_running(page: Page, storybook: str):
    for status, has_cancel in (("running", 1), ("waiting", 1), ("complete", 0), ("failed", 0), ("cancelled", 0)):
        open_story(page, storybook, "job_progress", "states", status=status, percent=40, label=status.title())
        panel = page.locator("#story-root [data-fhx-job]")
        expect(panel.locator("[data-fhx-progress]")).to_have_attribute("data-status", status)
        expect(panel.get_by_role("button", name="Cancel")).to_have_count(has_cancel)
    assert_accessible(page)

"""Two storybook processes on two ports sharing one Redis: a task started through one is
polled through the other, and a Redis that goes away mid-poll shows as "Progress
unavailable" (never a 500) until it is back."""

import re
import time

import httpx
from playwright.sync_api import Page, expect

from helpers import free_port, open_story

from .two_processes import redis_server, storybooks



def start_task(page: Page, app: str, **params) -> str:
    """POST the start action to `app` with the page's CSRF token; return the task id."""
    token = page.get_attribute('meta[name="csrf-token"]', "content")
    response = page.request.post(f"{app}/api/progress_bar/start", params=params, headers={"X-CSRF-Token": token})
    assert response.status == 200, response.text()
    return re.search(r"/api/progress_bar/poll/([0-9a-f]+)", response.text())[1]


def test_task_started_on_one_process_is_polled_on_the_other(page: Page, pair):
    first, second = pair
    open_story(page, first, "progress_bar", "background_task")
    task_id = start_task(page, first, steps=6, delay=0.4)
    seen = []
    with httpx.Client(base_url=second) as client:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            html = client.get(f"/api/progress_bar/poll/{task_id}").text
            seen.append(int(re.search(r'data-percent="(\d+)"', html)[1]))
            if 'data-status="complete"' in html:
                break
            time.sleep(0.2)
    assert seen[-1] == 100 and 'hx-trigger' not in html
    assert seen == sorted(seen) and 0 < len(set(seen)) > 2, seen

    open_story(page, second, "progress_bar", "existing_task", task_id=task_id)
    expect(page.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "100")
    expect(page.locator("#story-root [data-fhx-progress] .badge")).to_have_text("Complete")


def test_browser_on_the_second_process_follows_a_task_of_the_first(page: Page, pair):
    first, second = pair
    open_story(page, second, "progress_bar", "background_task")
    task_id = start_task(page, first, steps=5, delay=0.5)  # token from B's page, accepted by A
    open_story(page, second, "progress_bar", "existing_task", task_id=task_id, interval="500ms")
    progress = page.locator("#story-root [data-fhx-progress]")
    expect(progress).to_have_attribute("data-status", "running")
    expect(progress).to_have_attribute("data-status", "complete", timeout=15_000)
    expect(progress).to_contain_text("Deploying: step 5 of 5")


def test_redis_going_away_mid_poll_shows_unavailable_then_recovers(page: Page):
    port = free_port()
    statuses = []
    page.on("response", lambda r: statuses.append(r.status) if "/api/progress_bar/poll/" in r.url else None)
    with redis_server(port) as server, storybooks(f"redis://127.0.0.1:{port}/0", "midpoll:") as (first, second):
        open_story(page, second, "progress_bar", "background_task")
        task_id = start_task(page, first, steps=60, delay=0.25)
        open_story(page, second, "progress_bar", "existing_task", task_id=task_id, interval="300ms")
        progress = page.locator("#story-root [data-fhx-progress]")
        expect(progress).to_have_attribute("data-status", "running")

        server.terminate()
        server.wait(timeout=10)
        expect(progress).to_have_attribute("data-status", "unavailable")
        expect(progress.locator(".badge")).to_have_text("Progress unavailable")
        expect(progress).to_contain_text("Cannot reach the progress store")
        expect(progress).to_have_attribute("hx-trigger", "every 300ms")

        with redis_server(port):
            expect(progress).to_have_attribute("data-status", "running", timeout=10_000)
            expect(progress).to_have_attribute("data-status", "complete", timeout=30_000)
    assert statuses and set(statuses) == {200}

"""ProgressBar stories: states, a task driven in the background, a failed task, a
table row with its status cell, and a store that cannot be reached.

Progress is kept in Redis when $REDIS_URL is set (any app process can poll a task
another one started), else in this process's memory. $FASTHX_UI_STORY_PREFIX
prefixes the Redis keys (default "storybook:").
"""

import asyncio
import os
import re
import uuid
from urllib.parse import urlencode

from fastapi import HTTPException, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from fasthx_ui import (
    PROGRESS_LABELS,
    RUNNING_LABEL,
    ProgressState,
    ProgressUnavailable,
    RedisProgressStore,
    oob_replace,
    parse_progress,
    progress_bar,
    progress_poll_response,
    progress_response,
    progress_store,
)
from storybook.book import Stories

stories = Stories("ProgressBar", "A task's progress that polls every 2 s and stops by itself when the task completes or fails.", category="Feedback")

REDIS_URL = os.environ.get("REDIS_URL")
PREFIX = os.environ.get("FASTHX_UI_STORY_PREFIX", "storybook:")
store = RedisProgressStore(REDIS_URL, prefix=PREFIX, ttl=3600) if REDIS_URL else progress_store()
unreachable = RedisProgressStore("redis://127.0.0.1:1/0", socket_timeout=0.5)
NAME = "deploys"
INTERVAL = re.compile(r"\d+(ms|s)")
tasks: set[asyncio.Task] = set()


@stories.story(args={"percent": 40, "status": "running", "label": PROGRESS_LABELS["running"], "message": "edge-01"})
def states():
    """The component with its data given, without polling: try each status (the labels
    Python gives are `fasthx_ui.PROGRESS_LABELS`)."""
    return '<ui:ProgressBar percent={{ percent }} status={{ status }} label={{ label }} message={{ message }} />'


@stories.story(args={"value": "40", "running_label": RUNNING_LABEL})
def stored_values():
    """A stored value read by the convention: nothing (Waiting...), "Error" (Failed),
    0–99 (the running label a view chose), 100 or more (Complete)."""
    return '<div hx-get="{{ api }}/value?value={{ value | urlencode }}&amp;running_label={{ running_label | urlencode }}" hx-trigger="load" hx-swap="innerHTML"></div>'


@stories.story(args={"steps": 5, "delay": 0.5, "interval": "2s"})
def background_task():
    """A button starts a task in the background; the bar it gets back polls until Complete."""
    return """
<button type="button" class="btn btn-primary" hx-post="{{ api }}/start?steps={{ steps }}&amp;delay={{ delay }}&amp;interval={{ interval }}"
        hx-target="#progress-slot">
  <i class="bi bi-rocket" aria-hidden="true"></i> Start deployment</button>
<div id="progress-slot" class="mt-3"></div>
"""


@stories.story(args={"fail_at": 40, "delay": 0.5})
def failed_task():
    """The task stops with "Error" and a message: the bar turns red and stops polling."""
    return """
<button type="button" class="btn btn-danger" hx-post="{{ api }}/start?fail_at={{ fail_at }}&amp;delay={{ delay }}"
        hx-target="#progress-slot">Start a task that fails</button>
<div id="progress-slot" class="mt-3"></div>
"""


@stories.story(args={"delay": 0.4})
def table_row():
    """A row action inserts the bar as a row below its row (hx-swap afterend) and, out of
    band, restarts the row's status cell, which polls until the task is over."""
    return """
<table class="table align-middle">
  <caption class="visually-hidden">Edges</caption>
  <thead><tr><th scope="col">Edge</th><th scope="col">Status</th><th scope="col">Actions</th></tr></thead>
  <tbody>
    <tr>
      <td>edge-01</td>
      <td id="status-edge-01">idle</td>
      <td><button type="button" class="btn btn-sm btn-outline-primary" hx-post="{{ api }}/deploy-row?delay={{ delay }}"
                  hx-target="closest tr" hx-swap="afterend">Deploy</button></td>
    </tr>
  </tbody>
</table>
"""


@stories.story(args={"task_id": "demo", "interval": "2s"})
def existing_task():
    """A bar for a task started elsewhere (by id): with Redis, any app process can show it."""
    return '<div hx-get="{{ api }}/poll/{{ task_id }}?interval={{ interval }}" hx-trigger="load" hx-swap="outerHTML"></div>'


@stories.story(args={"interval": "2s"})
def redis_unavailable():
    """The store's Redis cannot be reached: the bar says so, keeps polling, and the page never gets a 500."""
    return '<div hx-get="{{ api }}/unavailable?interval={{ interval }}" hx-trigger="load" hx-swap="outerHTML"></div>'


async def work(task_id: str, steps: int, delay: float, fail_at: int | None) -> None:
    """A stand-in for real work writing progress the way a worker would; a store that is
    briefly unreachable costs the steps written meanwhile, not the task."""
    for step in range(1, steps + 1):
        await asyncio.sleep(delay)
        percent = round(100 * step / steps)
        failed = fail_at is not None and percent >= fail_at
        try:
            if failed:
                store.set(NAME, task_id, "Error", "Disk full on edge-01")
            else:
                store.set(NAME, task_id, percent, f"Deploying: step {step} of {steps}")
        except ProgressUnavailable:
            continue
        if failed:
            return


class StoreDown(Exception):
    """The progress store refused the new task; carries the bar that says so."""


def launch(steps: int, delay: float, fail_at: int | None = None) -> str:
    if not 1 <= steps <= 100 or not 0 <= delay <= 10:
        raise HTTPException(422, "steps must be 1–100 and delay 0–10 seconds")
    task_id = uuid.uuid4().hex
    try:
        store.clear(NAME, task_id)
    except ProgressUnavailable as exc:
        state = ProgressState.unavailable(f"The task was not started: {exc}")
        raise StoreDown(progress_bar(state)) from exc
    task = asyncio.create_task(work(task_id, steps, delay, fail_at))
    tasks.add(task)
    task.add_done_callback(tasks.discard)
    return task_id


def poll_url(request: Request, task_id: str, interval: str = "2s", colspan: int = 0) -> str:
    """The bar's polling URL; it carries the bar's options so every answer looks the same."""
    return stories.url(request, f"/poll/{task_id}?{urlencode({'interval': interval, 'colspan': colspan})}")


def checked_interval(interval: str) -> str:
    if not INTERVAL.fullmatch(interval):
        raise HTTPException(422, "interval must look like 2s or 500ms")
    return interval


@stories.router.get("/value", response_class=HTMLResponse)
def value_bar(request: Request, value: str | None = None, running_label: str = RUNNING_LABEL):
    """The bar for one stored value (empty: no value stored)."""
    state = parse_progress(value or None).running_as(running_label[:40])
    return HTMLResponse(progress_bar(state, request=request))


@stories.router.post("/start")
async def start(request: Request, steps: int = 5, delay: float = 0.5, interval: str = "2s", fail_at: int | None = None):
    interval = checked_interval(interval)
    try:
        task_id = launch(steps, delay, fail_at)
    except StoreDown as down:
        return HTMLResponse(down.args[0], status_code=503)
    return progress_response(request, poll_url(request, task_id, interval), interval=interval)


@stories.router.get("/poll/{task_id}")
def poll(request: Request, task_id: str, interval: str = "2s", colspan: int = 0):
    interval = checked_interval(interval)
    colspan = max(0, min(colspan, 50))
    url = poll_url(request, task_id, interval, colspan)
    return progress_poll_response(request, store, NAME, task_id, url, interval=interval, colspan=colspan)


@stories.router.post("/deploy-row")
async def deploy_row(request: Request, delay: float = 0.4):
    try:
        task_id = launch(5, delay)
    except StoreDown as down:
        return HTMLResponse(Markup('<tr><td colspan="3">{}</td></tr>').format(down.args[0]), status_code=503)
    cell = status_cell(request, task_id, "deploying")
    url = poll_url(request, task_id, colspan=3)
    return progress_response(request, url, colspan=3, oob=[oob_replace("status-edge-01", cell)])


def status_cell(request: Request, task_id: str, text: str, polling: bool = True) -> Markup:
    url = stories.url(request, f"/status/{task_id}")
    trigger = Markup(' hx-get="{}" hx-trigger="every 1s" hx-swap="outerHTML"').format(url)
    return Markup('<td id="status-edge-01"{}>{}</td>').format(trigger if polling else "", text)


@stories.router.get("/status/{task_id}")
def status(request: Request, task_id: str):
    """The row's status cell: polls while the task runs, then settles (no trigger)."""
    state = store.get(NAME, task_id)
    text = {"complete": "online", "failed": "failed"}.get(state.status, "deploying")
    return HTMLResponse(status_cell(request, task_id, text, polling=not state.terminal))


@stories.router.get("/unavailable")
def unavailable(request: Request, interval: str = "2s"):
    interval = checked_interval(interval)
    return progress_poll_response(
        request, unreachable, NAME, "any", stories.url(request, f"/unavailable?{urlencode({'interval': interval})}"),
        interval=interval,
    )

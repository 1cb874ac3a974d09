"""JobProgress stories: a background job's panel in each state, and a job started by a
button that counts with console output and can be cancelled.

The stories' jobs run in this process (`Jobs()`, no service needed); give `Jobs` a Redis
URL and start `python -m fasthx_ui.job_worker --app …` to run them on RQ instead.
"""

import time

from fastapi import HTTPException, Request
from fastapi.responses import HTMLResponse, Response

from fasthx_ui import Jobs, console_stream_response, job_cancel_response, job_panel, job_poll_response, toast_response
from fasthx_ui.job_store import Job
from storybook.book import Stories

stories = Stories("JobProgress", "A background job followed from any app process: its progress bar, a Cancel button and its console output.",
                  category="Feedback")

jobs = Jobs()


def count(context) -> str:
    """Count to `steps`, a step every `delay` seconds, writing each step and stopping at a cancel."""
    steps, delay = context.payload["steps"], context.payload["delay"]
    for step in range(1, steps + 1):
        context.check_cancelled(f"Cancelled at step {step} of {steps}.")
        time.sleep(delay)
        context.write(f"Step {step} of {steps}: ok\n", "ansi-green" if step == steps else None)
        context.progress(step, steps, f"Step {step} of {steps}")
    return f"Counted to {steps}."


jobs.register("count", count)


@stories.story(args={"percent": 40, "status": "running", "label": "Step 2 of 5"})
def states():
    """The panel with its state given (`Jobs.state(job)` gives it), without polling:
    try each status; the Cancel button shows until the job is over."""
    return ('<ui:JobProgress job_id="story" name="Counting" cancel_url={{ api ~ "/still-cancel" }} '
            'state={{ {"percent": percent | int, "status": status, "label": label, '
            '"terminal": status in ["complete", "failed", "cancelled"]} }} />')


@stories.story(args={"steps": 8, "delay": 0.4})
def background_job():
    """A button starts a job; its panel polls until the job is over, streams the job's
    output and has a Cancel button. The end arrives as a toast."""
    return """
<button type="button" class="btn btn-primary" hx-post="{{ api }}/start?steps={{ steps }}&amp;delay={{ delay }}"
        hx-target="#job-slot"><i class="bi bi-play" aria-hidden="true"></i> Start counting</button>
<div id="job-slot" class="mt-3"></div>
"""


def story_job(job_id: str) -> Job:
    job = jobs.get(job_id)
    if job is None:
        raise HTTPException(404, "There is no such job.")
    return job


@stories.router.post("/still-cancel")
def still_cancel() -> Response:
    """The Cancel button of the `states` story, which has no job behind it."""
    return toast_response("This panel shows a state; there is no job to cancel.", type="info")


@stories.router.post("/start", response_class=HTMLResponse)
def start(request: Request, steps: int = 8, delay: float = 0.4):
    if not 1 <= steps <= 100 or not 0 <= delay <= 5:
        return toast_response("steps must be 1–100 and delay 0–5 seconds", type="danger", status_code=422)
    job = jobs.start("count", {"steps": steps, "delay": delay}, owner="story", title=f"Counting to {steps}")
    url = stories.url(request, f"/jobs/{job.id}")
    return HTMLResponse(job_panel(request, jobs, job, poll_url=url, cancel_url=f"{url}/cancel",
                                  stream_url=f"{url}/console"))


@stories.router.get("/jobs/{job_id}", response_class=HTMLResponse)
def poll(request: Request, job_id: str):
    return job_poll_response(request, jobs, story_job(job_id), stories.url(request, f"/jobs/{job_id}"))


@stories.router.post("/jobs/{job_id}/cancel")
def cancel(job_id: str) -> Response:
    return job_cancel_response(jobs, story_job(job_id))


@stories.router.get("/jobs/{job_id}/console")
def console(request: Request, job_id: str):
    story_job(job_id)
    return console_stream_response(request, jobs.console, jobs.console_id(job_id))

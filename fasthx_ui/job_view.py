"""JobProgress server side: the panel that follows a background job, and the answers
of its polls and of its Cancel button.

The panel polls `poll_url`; each poll answers with the bar for the job's state now
(:func:`job_poll_response`). The answer at the end (complete, failed, cancelled) stops
polling, removes the Cancel button and shows the job's message as a toast (success,
danger or warning), plus whatever htmx events the caller adds (e.g. ``refreshTable``);
a complete job with a redirect (``JobResult``) sends the browser there instead, the
message waiting there as a toast.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from fasthx_ui.htmx import trigger
from fasthx_ui.job_store import Job, JobStoreUnavailable
from fasthx_ui.jobs import Jobs
from fasthx_ui.progress import oob_replace, progress_bar
from fasthx_ui.progress_state import ProgressState
from fasthx_ui.toast import toast_payload, toast_response
from fasthx_ui.ui import ui_for

__all__ = ["JOB_TOASTS", "job_cancel_response", "job_panel", "job_poll_response", "job_state"]

JOB_TOASTS = {"complete": "success", "failed": "danger", "cancelled": "warning"}
"""The toast type of a job's final message, by its end state."""


def job_state(jobs: Jobs, job: Job) -> ProgressState:
    """The job's bar state; the ``unavailable`` state when its store cannot be read."""
    try:
        return jobs.state(job)
    except JobStoreUnavailable as exc:
        return ProgressState.unavailable(str(exc))


def job_panel(request: Request | None, jobs: Jobs, job: Job, *, poll_url: str, cancel_url: str = "",
              stream_url: str = "", **options: Any) -> Markup:
    """Render the JobProgress panel for `job` (``options``: its other props, attributes)."""
    return ui_for(request).component(
        "ui:JobProgress", request, job_id=job.id, state=job_state(jobs, job), poll_url=poll_url,
        cancel_url=cancel_url, stream_url=stream_url, name=job.title, **options,
    )


def job_poll_response(request: Request, jobs: Jobs, job: Job, poll_url: str, *, interval: str = "1s",
                      events: Mapping[str, dict[str, Any]] | None = None) -> Response:
    """Answer one poll of the panel's bar. At the job's end: no more polling, the Cancel
    button removed, the message as a toast, and the htmx `events` (e.g. `refreshTable`)."""
    state = job_state(jobs, job)
    if state.status == "complete" and job.redirect:
        return toast_response(job.message or state.label, JOB_TOASTS["complete"], job.title, redirect=job.redirect,
                              request=request)
    html = progress_bar(state, poll_url, request=request, interval=interval, name=job.title)
    if not state.terminal:
        return HTMLResponse(html)
    controls = f"job-{job.id}-controls"
    html += oob_replace(controls, Markup('<div class="fhx-job-controls mt-2" id="{}"></div>').format(controls))
    response = HTMLResponse(html)
    for event, detail in (events or {}).items():
        trigger(response, event, detail)
    message = job.message or state.label
    return trigger(response, "showToast", toast_payload(message, JOB_TOASTS[state.status], job.title))


def job_cancel_response(jobs: Jobs, job: Job) -> Response:
    """Answer the Cancel button: ask the job to stop; the button becomes a disabled
    "Cancelling..." (the next poll shows the end)."""
    job = jobs.cancel(job.id) or job
    text = "Cancelling..." if not job.terminal else job.message or job.state.capitalize()
    html = Markup('<button type="button" class="btn btn-outline-danger btn-sm" disabled>{}</button>').format(text)
    return HTMLResponse(html)

"""Background jobs: work that outlives a request, with progress, output and a cancel.

A :class:`Jobs` manager runs registered *runners* by kind. ``jobs.start(kind, payload,
owner=…, title=…)`` records a job and hands it to a backend: a thread pool in this
process when no Redis URL is given (the default, no service needed), or an RQ queue on
that Redis, worked by ``python -m fasthx_ui.job_worker --app module:app``. Either way
the runner gets a :class:`JobContext` to report progress (the progress store's
``job:{id}:progress`` convention), write console lines (a console channel) and check the
cancel flag; with Redis every app process reads all three, so any process can follow or
cancel any job. The rendering side is in :mod:`fasthx_ui.job_view`.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from fasthx_ui.console_channel import ConsoleChannel, InProcessConsoleChannel, RedisConsoleChannel
from fasthx_ui.job_store import (
    InProcessJobStore,
    Job,
    JobStore,
    RedisJobStore,
    new_job_id,
    valid_job_id,
)
from fasthx_ui.progress_state import PROGRESS_LABELS, ProgressState
from fasthx_ui.progress_store import InProcessProgressStore, ProgressStore, RedisProgressStore

__all__ = ["JobCancelled", "JobContext", "JobFailed", "JobResult", "Jobs", "install_jobs", "jobs_for", "run_queued"]

logger = logging.getLogger("fasthx_ui.jobs")

PROGRESS_NAME = "job"
QUEUED_LABEL = "Queued..."
RUNNING_LABEL = "Running..."
APP_STATE = "fasthx_jobs"

Runner = Callable[["JobContext"], "str | JobResult | None"]


class JobCancelled(Exception):
    """Raised inside a runner (by :meth:`JobContext.check_cancelled`) to stop at a
    cancel request; the job ends ``cancelled`` with this message."""


class JobFailed(Exception):
    """Raised by a runner to fail the job with a message meant for the user."""


@dataclass(frozen=True)
class JobResult:
    """What a runner may return instead of a message: the message, and `redirect`, a
    trusted path of this app that the browser following the complete job goes to (the
    message then shows there as a toast)."""

    message: str
    redirect: str = ""


class JobContext:
    """What a runner gets: its job, and ways to report progress, write output and see
    whether the user asked to cancel."""

    def __init__(self, jobs: Jobs, job: Job) -> None:
        self.jobs = jobs
        self.job = job
        self.payload = job.payload

    def progress(self, done: int, total: int, message: str | None = None) -> None:
        """Report `done` of `total` steps (shown below 100 % until the job is over)."""
        percent = 0 if total <= 0 else min(99, math.floor(done * 100 / total))
        self.jobs.progress.set(PROGRESS_NAME, self.job.id, percent, message)

    def write(self, text: str, css_class: str | None = None) -> None:
        """Append a chunk of output to the job's console."""
        self.jobs.console.publish(self.jobs.console_id(self.job.id), text, css_class)

    @property
    def cancelled(self) -> bool:
        """True once someone asked to cancel the job (read from the shared store)."""
        job = self.jobs.store.get(self.job.id)
        return job is None or job.cancel_requested

    def check_cancelled(self, message: str = "Cancelled.") -> None:
        """Raise :class:`JobCancelled` if a cancel was requested: call it between steps."""
        if self.cancelled:
            raise JobCancelled(message)


class _ThreadBackend:
    """Runs jobs on a small thread pool of this process."""

    def __init__(self, workers: int) -> None:
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="fasthx-job")

    def submit(self, jobs: Jobs, job_id: str) -> None:
        self._pool.submit(jobs.run, job_id)


class _RQBackend:
    """Puts jobs on an RQ queue; a worker (``python -m fasthx_ui.job_worker``) runs them."""

    def __init__(self, redis_url: str, queue: str) -> None:
        import redis
        import rq

        self.connection = redis.Redis.from_url(redis_url)
        self.queue = rq.Queue(queue, connection=self.connection)

    def submit(self, jobs: Jobs, job_id: str) -> None:
        self.queue.enqueue(run_queued, job_id, job_id=f"fasthx-{job_id}", job_timeout=-1,
                           result_ttl=0, failure_ttl=86400)


class Jobs:
    """Starts, runs, follows and cancels background jobs (see the module's text).

    ``redis_url``: None runs jobs in-process; a URL keeps records, progress and output
    in that Redis under ``prefix`` and queues jobs on the RQ queue ``queue``.
    """

    def __init__(self, redis_url: str | None = None, *, prefix: str = "fasthx:jobs:",
                 queue: str = "fasthx-jobs", workers: int = 2) -> None:
        self.redis_url = redis_url
        self.prefix = prefix
        self.queue_name = queue
        self.runners: dict[str, Runner] = {}
        self.store: JobStore
        self.progress: ProgressStore
        self.console: ConsoleChannel
        if redis_url:
            self.store = RedisJobStore(redis_url, prefix=f"{prefix}job:")
            self.progress = RedisProgressStore(redis_url, prefix=prefix, ttl=86400)
            self.console = RedisConsoleChannel(redis_url, prefix=f"{prefix}console:")
            self.backend: _ThreadBackend | _RQBackend = _RQBackend(redis_url, queue)
        else:
            self.store = InProcessJobStore()
            self.progress = InProcessProgressStore()
            self.console = InProcessConsoleChannel()
            self.backend = _ThreadBackend(workers)

    def register(self, kind: str, runner: Runner) -> None:
        """Name the function that runs jobs of `kind`; it returns the result message."""
        self.runners[kind] = runner

    def start(self, kind: str, payload: dict[str, Any], *, owner: str, title: str) -> Job:
        """Record a job of `kind` (JSON-able `payload`) and queue it; the new job."""
        if kind not in self.runners:
            raise ValueError(f"no runner registered for job kind {kind!r}")
        job = Job(new_job_id(), kind, owner, title, payload=payload)
        self.store.add(job)
        self.backend.submit(self, job.id)
        return job

    def get(self, job_id: str) -> Job | None:
        """The job `job_id` names, or None (a malformed id names none)."""
        return self.store.get(job_id) if valid_job_id(job_id) else None

    def cancel(self, job_id: str) -> Job | None:
        """Ask the job to stop at its next check (a queued job never starts)."""
        return self.store.request_cancel(job_id) if valid_job_id(job_id) else None

    def console_id(self, job_id: str) -> str:
        return f"job-{job_id}"

    def state(self, job: Job) -> ProgressState:
        """What the job's progress bar shows now."""
        if job.state == "queued":
            return ProgressState(0, "waiting", QUEUED_LABEL)
        if job.state == "complete":
            return ProgressState(100, "complete", PROGRESS_LABELS["complete"], job.message)
        stored = self.progress.get(PROGRESS_NAME, job.id)
        if job.state == "running":
            if stored.status == "unavailable":
                return stored
            return ProgressState(min(stored.percent, 99), "running", stored.message or RUNNING_LABEL, stored.message)
        return ProgressState(stored.percent, job.state, PROGRESS_LABELS[job.state], job.message)

    def run(self, job_id: str) -> None:
        """Run one job to its end (the backends call this); never raises."""
        try:
            job = self.store.get(job_id)
            if job is None or not self.store.begin(job_id):
                return
            runner = self.runners.get(job.kind)
            if runner is None:
                self.store.finish(job_id, "failed", f"No runner for job kind {job.kind!r} in this process.")
                return
            self._run(runner, JobContext(self, job))
        except Exception:
            logger.exception("background job %s could not be run", job_id)
        finally:
            try:
                self.console.end(self.console_id(job_id))
            except Exception:
                logger.exception("background job %s: its console could not be closed", job_id)

    def _run(self, runner: Runner, context: JobContext) -> None:
        job_id = context.job.id
        try:
            result = runner(context)
        except JobCancelled as stop:
            self.store.finish(job_id, "cancelled", str(stop) or "Cancelled.")
        except JobFailed as failure:
            self.store.finish(job_id, "failed", str(failure))
        except Exception as error:
            logger.exception("background job %s (%s) failed", job_id, context.job.kind)
            self.store.finish(job_id, "failed", f"The job stopped on an unexpected error ({type(error).__name__}).")
        else:
            if not isinstance(result, JobResult):
                result = JobResult(result or "")
            message = result.message or "Done."
            self.progress.set(PROGRESS_NAME, job_id, 100, message)
            self.store.finish(job_id, "complete", message, result.redirect)


def install_jobs(app: Any, jobs: Jobs) -> Jobs:
    """Make `jobs` the app's manager (``app.state.fasthx_jobs``), as the worker finds it."""
    setattr(app.state, APP_STATE, jobs)
    return jobs


def jobs_for(app: Any) -> Jobs:
    """The manager :func:`install_jobs` gave `app`; LookupError when it has none."""
    jobs = getattr(app.state, APP_STATE, None)
    if jobs is None:
        raise LookupError("this app has no background jobs manager (install_jobs(app, Jobs(...)))")
    return jobs


_worker_jobs: Jobs | None = None


def use_in_worker(jobs: Jobs) -> None:
    """Make `jobs` the manager of the RQ jobs this worker process runs."""
    global _worker_jobs
    _worker_jobs = jobs


def run_queued(job_id: str) -> None:
    """The function RQ runs: the job with the worker's manager (see :func:`use_in_worker`)."""
    if _worker_jobs is None:
        raise RuntimeError("start RQ workers with: python -m fasthx_ui.job_worker --app module:app")
    _worker_jobs.run(job_id)

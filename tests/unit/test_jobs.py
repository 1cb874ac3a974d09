"""Background jobs (fasthx_ui.jobs): the in-process backend, and RQ with a real worker
process on the test Redis (a queue and key prefix of the test's own)."""

import asyncio
import os
import threading
import time
import uuid
from dataclasses import replace

import pytest
from fastapi import FastAPI

from fasthx_ui import JobFailed, JobResult, Jobs, install_jobs, jobs_for
from fasthx_ui.job_store import RedisJobStore, valid_job_id
from fasthx_ui.jobs import PROGRESS_NAME

from ..redis_keys import REDIS_URL, own_prefix
from ..rq_worker import rq_worker, worker_settings

def wait_until(predicate, timeout=20.0):
    """Poll `predicate` until it is true (a job in another thread or process)."""
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.02)


def finished(jobs, job_id):
    wait_until(lambda: jobs.get(job_id).terminal)
    return jobs.get(job_id)


async def console_text(jobs, job_id):
    """Everything the job wrote, up to the console's end marker."""
    parts = []
    async for batch in jobs.console.listen(jobs.console_id(job_id), wait=0.2):
        for entry in batch:
            if entry.end:
                return "".join(parts)
            parts.append(entry.text)


def gated_runner(steps, gate, seen):
    """A runner that does `steps` steps, each after the test opens `gate`."""

    def run(context):
        for step in range(1, steps + 1):
            gate.acquire()
            context.check_cancelled(f"Stopped before step {step}.")
            seen.append(step)
            context.write(f"step {step}\n")
            context.progress(step, steps)
        return f"{steps} steps"

    return run


def test_in_process_job_reaches_complete_with_its_message_and_output():
    jobs = Jobs()
    gate, seen = threading.Semaphore(0), []
    jobs.register("steps", gated_runner(4, gate, seen))
    job = jobs.start("steps", {"n": 1}, owner="ann", title="Four steps")
    assert valid_job_id(job.id) and job.owner == "ann" and job.payload == {"n": 1}
    gate.release()
    wait_until(lambda: jobs.state(jobs.get(job.id)).percent == 25)
    state = jobs.state(jobs.get(job.id))
    assert (state.status, jobs.get(job.id).state) == ("running", "running")
    for _ in range(3):
        gate.release()
    done = finished(jobs, job.id)
    assert (done.state, done.message, seen) == ("complete", "4 steps", [1, 2, 3, 4])
    assert jobs.state(done).percent == 100 and jobs.state(done).status == "complete"
    assert jobs.progress.get(PROGRESS_NAME, job.id).percent == 100
    assert asyncio.run(console_text(jobs, job.id)) == "step 1\nstep 2\nstep 3\nstep 4\n"


def test_a_runner_may_end_with_a_redirect_that_both_stores_keep():
    jobs = Jobs()
    jobs.register("report", lambda context: JobResult("Report ready.", "/reports/7"))
    jobs.register("plain", lambda context: None)
    done = finished(jobs, jobs.start("report", {}, owner="ann", title="Report").id)
    assert (done.state, done.message, done.redirect) == ("complete", "Report ready.", "/reports/7")
    plain = finished(jobs, jobs.start("plain", {}, owner="ann", title="Plain").id)
    assert (plain.message, plain.redirect) == ("Done.", "")
    with own_prefix() as prefix:
        store = RedisJobStore(REDIS_URL, prefix=prefix)
        store.add(replace(done, state="running", redirect=""))
        store.finish(done.id, "complete", "Report ready.", "/reports/7")
        assert store.get(done.id).redirect == "/reports/7"


def test_cancel_stops_between_steps_and_no_step_runs_after_it():
    jobs = Jobs()
    gate, seen = threading.Semaphore(0), []
    jobs.register("steps", gated_runner(10, gate, seen))
    job = jobs.start("steps", {}, owner="ann", title="Ten steps")
    gate.release()
    gate.release()
    wait_until(lambda: len(seen) == 2)
    assert jobs.cancel(job.id).cancel_requested
    for _ in range(10):
        gate.release()
    done = finished(jobs, job.id)
    assert done.state == "cancelled" and done.message == "Stopped before step 3."
    assert seen == [1, 2]
    state = jobs.state(done)
    assert (state.status, state.label, state.percent) == ("cancelled", "Cancelled", 20)
    assert asyncio.run(console_text(jobs, job.id)) == "step 1\nstep 2\n"


def test_a_queued_job_cancelled_before_it_starts_never_runs():
    jobs = Jobs(workers=1)
    gate, seen = threading.Semaphore(0), []
    jobs.register("steps", gated_runner(1, gate, seen))
    first = jobs.start("steps", {}, owner="ann", title="First")
    second = jobs.start("steps", {}, owner="ann", title="Second")  # waits for the one worker
    assert jobs.get(second.id).state == "queued"
    cancelled = jobs.cancel(second.id)
    assert cancelled.state == "cancelled" and jobs.state(cancelled).status == "cancelled"
    gate.release()
    assert finished(jobs, first.id).state == "complete"
    jobs.backend._pool.shutdown(wait=True)  # the pool has taken the second job too, and skipped it
    assert seen == [1] and jobs.get(second.id).message == "Cancelled before it started."


def test_failures_end_failed_with_a_message_and_unexpected_errors_say_little():
    jobs = Jobs()

    def refuse(context):
        raise JobFailed("Nothing to do for 7 rows.")

    def crash(context):
        raise KeyError("secret-column")

    jobs.register("refuse", refuse)
    jobs.register("crash", crash)
    refused = finished(jobs, jobs.start("refuse", {}, owner="a", title="t").id)
    assert (refused.state, refused.message) == ("failed", "Nothing to do for 7 rows.")
    assert jobs.state(refused).status == "failed"
    crashed = finished(jobs, jobs.start("crash", {}, owner="a", title="t").id)
    assert crashed.state == "failed" and crashed.message == "The job stopped on an unexpected error (KeyError)."
    assert "secret-column" not in crashed.message


def test_unknown_and_malformed_ids_name_no_job_and_unknown_kinds_are_refused():
    jobs = Jobs()
    for job_id in ("", "nope", uuid.uuid4().hex, "../" + uuid.uuid4().hex, "A" * 32):
        assert jobs.get(job_id) is None and jobs.cancel(job_id) is None
    with pytest.raises(ValueError, match="no runner"):
        jobs.start("missing", {}, owner="a", title="t")
    app = FastAPI()
    with pytest.raises(LookupError):
        jobs_for(app)
    install_jobs(app, jobs)
    assert jobs_for(app) is jobs


# --- RQ with a real worker process ------------------------------------------------------


@pytest.fixture
def rq_jobs():
    """An RQ-backed manager on the test Redis (a prefix and queue of its own) and a worker
    process working that queue."""
    env = worker_settings()
    jobs = Jobs(REDIS_URL, prefix=env["JOBS_PREFIX"], queue=env["JOBS_QUEUE"])
    from tests.unit import jobs_app

    jobs.register("count", jobs_app.count)
    with rq_worker("tests.unit.jobs_app:app", env) as worker:
        yield jobs, worker


def test_rq_worker_process_runs_a_job_that_this_process_follows(rq_jobs):
    jobs, worker = rq_jobs
    job = jobs.start("count", {"steps": 5, "delay": 0.05}, owner="ann", title="Count")
    done = finished(jobs, job.id)
    assert done.state == "complete"
    assert done.message == f"Counted to 5 in process {worker.pid}." and worker.pid != os.getpid()
    assert jobs.state(done).percent == 100
    text = asyncio.run(console_text(jobs, job.id))
    assert text.splitlines() == [f"step {n} in process {worker.pid}" for n in range(1, 6)]


def test_rq_job_cancelled_from_this_process_stops_in_the_worker(rq_jobs):
    jobs, _ = rq_jobs
    job = jobs.start("count", {"steps": 400, "delay": 0.05}, owner="ann", title="Long count")
    wait_until(lambda: jobs.state(jobs.get(job.id)).percent >= 1)
    jobs.cancel(job.id)
    done = finished(jobs, job.id)
    assert done.state == "cancelled" and done.message.startswith("Cancelled at step ")
    stopped_at = int(done.message.split()[3])
    assert 2 <= stopped_at < 400
    lines = asyncio.run(console_text(jobs, job.id)).splitlines()
    assert len(lines) == stopped_at - 1  # no step after the cancel was seen


def test_rq_job_failure_reaches_the_follower(rq_jobs):
    jobs, _ = rq_jobs
    done = finished(jobs, jobs.start("count", {"steps": 2, "fail": True}, owner="ann", title="Fail").id)
    assert (done.state, done.message) == ("failed", "The count went wrong on purpose.")
    assert jobs.state(done).status == "failed"

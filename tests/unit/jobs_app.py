"""A small app whose background jobs run on RQ (`JOBS_REDIS_URL`, `JOBS_PREFIX`,
`JOBS_QUEUE` from the environment): the RQ worker tests start
`python -m fasthx_ui.job_worker --app tests.unit.jobs_app:app` against it."""

import os
import time

from fastapi import FastAPI

from fasthx_ui import JobFailed, Jobs, install_jobs

app = FastAPI()
jobs = install_jobs(app, Jobs(os.environ.get("JOBS_REDIS_URL"), prefix=os.environ.get("JOBS_PREFIX", "fasthx:jobs:"),
                              queue=os.environ.get("JOBS_QUEUE", "fasthx-jobs")))


def count(context):
    """Count to `steps`, a step every `delay` seconds, writing each and stopping at a cancel."""
    steps, delay = context.payload["steps"], context.payload.get("delay", 0)
    for step in range(1, steps + 1):
        context.check_cancelled(f"Cancelled at step {step} of {steps}.")
        context.write(f"step {step} in process {os.getpid()}\n")
        time.sleep(delay)
        context.progress(step, steps, f"step {step} of {steps}")
    if context.payload.get("fail"):
        raise JobFailed("The count went wrong on purpose.")
    return f"Counted to {steps} in process {os.getpid()}."


jobs.register("count", count)

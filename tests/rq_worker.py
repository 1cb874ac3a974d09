"""An RQ worker process of a test's own (`python -m fasthx_ui.job_worker`), on the test
Redis with a key prefix and queue of its own, removed afterwards."""

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import redis

from .redis_keys import REDIS_URL

ROOT = Path(__file__).resolve().parents[1]


def worker_settings(**extra: str) -> dict[str, str]:
    """The environment of a worker and its app: the test Redis, a fresh prefix and queue."""
    tag = uuid.uuid4().hex[:12]
    return {"JOBS_REDIS_URL": REDIS_URL, "JOBS_PREFIX": f"fasthx-test-{tag}:", "JOBS_QUEUE": f"fasthx-test-{tag}", **extra}


@contextmanager
def rq_worker(app: str, env: dict[str, str]) -> Iterator[subprocess.Popen]:
    """A worker for `app` ("module:attribute") started with `env`, once it works its queue;
    stopped afterwards (a traceback in its output fails the test), its keys removed."""
    worker = subprocess.Popen(
        [sys.executable, "-m", "fasthx_ui.job_worker", "--app", app],
        cwd=ROOT, env={**os.environ, **env}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        for line in worker.stdout:  # the app is imported: the worker works its queue
            if "job worker: working the queue" in line:
                break
        else:
            raise AssertionError(f"the worker exited with {worker.wait()}")
        yield worker
    finally:
        worker.terminate()
        output = worker.communicate(timeout=30)[0]
        client = redis.Redis.from_url(REDIS_URL)
        keys = [*client.scan_iter(match=f"{env['JOBS_PREFIX']}*"), *client.scan_iter(match=f"*{env['JOBS_QUEUE']}*")]
        if keys:
            client.delete(*keys)
        client.srem("rq:queues", f"rq:queue:{env['JOBS_QUEUE']}")
    assert "Traceback" not in output, output

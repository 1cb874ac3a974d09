"""The RQ worker of an app's background jobs:
``python -m fasthx_ui.job_worker --app examples.demo.app:app [--burst]``.

It imports the app (so its views, database and job runners are set up exactly as in
the web processes), takes the app's :class:`fasthx_ui.jobs.Jobs` manager and works its
queue on its Redis. It runs jobs in its own process, one at a time (RQ's
``SimpleWorker``: no fork, so the app's engine and connections stay as they are); start
as many workers as you want jobs running side by side.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from typing import Any

from fasthx_ui.jobs import jobs_for, use_in_worker


def load_app(target: str) -> Any:
    """The object `module.path:attribute` names (the app)."""
    module_name, _, attribute = target.partition(":")
    if not module_name or not attribute:
        raise SystemExit(f"--app must look like 'package.module:app', got {target!r}")
    module = importlib.import_module(module_name)
    try:
        return getattr(module, attribute)
    except AttributeError:
        raise SystemExit(f"{module_name} has no attribute {attribute!r}") from None


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m fasthx_ui.job_worker", description=__doc__.split("\n")[0])
    parser.add_argument("--app", required=True, help="the app as 'package.module:attribute'")
    parser.add_argument("--burst", action="store_true", help="stop once the queue is empty")
    options = parser.parse_args(argv)
    sys.path.insert(0, "")  # the current folder, as for `python -m` and uvicorn
    jobs = jobs_for(load_app(options.app))
    if not jobs.redis_url:
        raise SystemExit("this app runs its jobs in-process (no Redis URL configured): it needs no worker")
    import rq

    use_in_worker(jobs)
    worker = rq.SimpleWorker([jobs.backend.queue], connection=jobs.backend.connection)
    print(f"fasthx_ui job worker: working the queue {jobs.queue_name!r}", flush=True)
    worker.work(burst=options.burst, with_scheduler=False)


if __name__ == "__main__":
    main()

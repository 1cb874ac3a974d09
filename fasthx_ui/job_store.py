"""Job records: what a background job is and where its state lives.

A record holds the job's id, kind (which registered runner runs it), owner, title,
state, result message (and the path a complete job sends the browser to, if any), payload (plain JSON data for the runner) and a cancel flag.
:class:`RedisJobStore` keeps each record in a Redis hash ``{prefix}{id}`` that every
app process and worker reads; :class:`InProcessJobStore` is the embedded default.
"""

from __future__ import annotations

import json
import re
import threading
import time
import uuid
from collections import OrderedDict
from dataclasses import asdict, dataclass, field, replace
from typing import TYPE_CHECKING, Any, Literal, Protocol

if TYPE_CHECKING:
    import redis

__all__ = [
    "JOB_STATES",
    "InProcessJobStore",
    "Job",
    "JobState",
    "JobStore",
    "JobStoreUnavailable",
    "RedisJobStore",
    "new_job_id",
    "valid_job_id",
]

JobState = Literal["queued", "running", "complete", "failed", "cancelled"]
JOB_STATES: tuple[str, ...] = ("queued", "running", "complete", "failed", "cancelled")
TERMINAL_STATES = frozenset({"complete", "failed", "cancelled"})
_JOB_ID = re.compile(r"[0-9a-f]{32}")


class JobStoreUnavailable(RuntimeError):
    """The job store's service cannot be reached."""


def new_job_id() -> str:
    """A fresh, unguessable job id (32 hex digits)."""
    return uuid.uuid4().hex


def valid_job_id(value: object) -> bool:
    """True for a string shaped like a job id; anything else names no job."""
    return isinstance(value, str) and bool(_JOB_ID.fullmatch(value))


@dataclass(frozen=True)
class Job:
    """One background job as stored."""

    id: str
    kind: str
    owner: str
    title: str
    state: JobState = "queued"
    message: str = ""
    redirect: str = ""
    payload: dict[str, Any] = field(default_factory=dict)
    cancel_requested: bool = False
    created: float = field(default_factory=time.time)

    @property
    def terminal(self) -> bool:
        """True once the job is over (complete, failed or cancelled)."""
        return self.state in TERMINAL_STATES


class JobStore(Protocol):
    """Creates, reads and updates job records (thread- and process-safe per backend)."""

    def add(self, job: Job) -> None: ...

    def get(self, job_id: str) -> Job | None: ...

    def finish(self, job_id: str, state: JobState, message: str = "", redirect: str = "") -> None: ...

    def begin(self, job_id: str) -> bool: ...

    def request_cancel(self, job_id: str) -> Job | None: ...


class InProcessJobStore:
    """Job records in this process's memory: the default without Redis (bounded)."""

    def __init__(self, max_jobs: int = 1000) -> None:
        self.max_jobs = max_jobs
        self._lock = threading.Lock()
        self._jobs: OrderedDict[str, Job] = OrderedDict()

    def add(self, job: Job) -> None:
        with self._lock:
            self._jobs[job.id] = job
            while len(self._jobs) > self.max_jobs:
                self._jobs.popitem(last=False)

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def begin(self, job_id: str) -> bool:
        """Mark a queued job running; False when it was cancelled (or is gone) first."""
        with self._lock:
            job = self._jobs.get(job_id)
            if job is None or job.state != "queued":
                return False
            if job.cancel_requested:
                self._jobs[job_id] = replace(job, state="cancelled", message="Cancelled before it started.")
                return False
            self._jobs[job_id] = replace(job, state="running")
            return True

    def finish(self, job_id: str, state: JobState, message: str = "", redirect: str = "") -> None:
        with self._lock:
            job = self._jobs.get(job_id)
            if job is not None:
                self._jobs[job_id] = replace(job, state=state, message=message, redirect=redirect)

    def request_cancel(self, job_id: str) -> Job | None:
        """Raise the cancel flag (a queued job is cancelled at once); the updated job."""
        with self._lock:
            job = self._jobs.get(job_id)
            if job is None or job.terminal:
                return job
            if job.state == "queued":
                job = replace(job, cancel_requested=True, state="cancelled", message="Cancelled before it started.")
            else:
                job = replace(job, cancel_requested=True)
            self._jobs[job_id] = job
            return job


# Atomic transitions, so a worker starting a job and a user cancelling it never both win.
_BEGIN = """
if redis.call('HGET', KEYS[1], 'state') ~= 'queued' then return 0 end
if redis.call('HGET', KEYS[1], 'cancel_requested') == '1' then
  redis.call('HSET', KEYS[1], 'state', 'cancelled', 'message', ARGV[1]) return 0 end
redis.call('HSET', KEYS[1], 'state', 'running') return 1
"""
_CANCEL = """
local state = redis.call('HGET', KEYS[1], 'state')
if not state or state == 'complete' or state == 'failed' or state == 'cancelled' then return 0 end
redis.call('HSET', KEYS[1], 'cancel_requested', '1')
if state == 'queued' then redis.call('HSET', KEYS[1], 'state', 'cancelled', 'message', ARGV[1]) end
return 1
"""


class RedisJobStore:
    """Job records as Redis hashes ``{prefix}{id}``, expiring ``ttl`` seconds after the
    last change; errors surface as :class:`JobStoreUnavailable`."""

    def __init__(self, redis_url: str, *, prefix: str = "fasthx:job:", ttl: int = 86400,
                 socket_timeout: float = 5.0) -> None:
        import redis

        self.prefix = prefix
        self.ttl = ttl
        self._redis: redis.Redis = redis.Redis.from_url(
            redis_url, decode_responses=True, socket_timeout=socket_timeout,
            socket_connect_timeout=socket_timeout,
        )
        self._begin = self._redis.register_script(_BEGIN)
        self._cancel = self._redis.register_script(_CANCEL)

    def key(self, job_id: str) -> str:
        return f"{self.prefix}{job_id}"

    def _call(self, func: Any, *args: Any, **kwargs: Any) -> Any:
        import redis

        try:
            return func(*args, **kwargs)
        except redis.RedisError as exc:
            raise JobStoreUnavailable(f"Cannot reach the job store: {exc}") from exc

    def add(self, job: Job) -> None:
        fields = {**asdict(job), "payload": json.dumps(job.payload), "cancel_requested": "0",
                  "created": repr(job.created)}
        with self._redis.pipeline() as pipe:
            pipe.hset(self.key(job.id), mapping=fields)
            pipe.expire(self.key(job.id), self.ttl)
            self._call(pipe.execute)

    def get(self, job_id: str) -> Job | None:
        data = self._call(self._redis.hgetall, self.key(job_id))
        if not data:
            return None
        return Job(
            id=data["id"], kind=data["kind"], owner=data["owner"], title=data["title"],
            state=data["state"], message=data.get("message", ""), redirect=data.get("redirect", ""), payload=json.loads(data["payload"]),
            cancel_requested=data.get("cancel_requested") == "1", created=float(data["created"]),
        )

    def begin(self, job_id: str) -> bool:
        return bool(self._call(self._begin, keys=[self.key(job_id)], args=["Cancelled before it started."]))

    def finish(self, job_id: str, state: JobState, message: str = "", redirect: str = "") -> None:
        with self._redis.pipeline() as pipe:
            pipe.hset(self.key(job_id), mapping={"state": state, "message": message, "redirect": redirect})
            pipe.expire(self.key(job_id), self.ttl)
            self._call(pipe.execute)

    def request_cancel(self, job_id: str) -> Job | None:
        self._call(self._cancel, keys=[self.key(job_id)], args=["Cancelled before it started."])
        return self.get(job_id)

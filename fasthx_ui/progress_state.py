"""Progress values: the key and value convention of the reference, and the state a bar shows.

A worker reports progress by writing one value under ``{name}:{item_id}:progress``:

============================  =========  =====================================
value                         percent    status (label)
============================  =========  =====================================
missing                       0          waiting ("Waiting...")
``"Error"``                   100        failed ("Failed", red)
``"0"`` … ``"99"``            the value  running (the running label, animated)
``"100"`` or more             100        complete ("Complete", green)
============================  =========  =====================================

An optional message sits beside it under ``{name}:{item_id}:progress:message``; a running
task shows it instead of the running label (default "Deploying...", a view may set its
own). The labels live here once; the ProgressBar component receives them as data.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Literal

__all__ = [
    "PROGRESS_LABELS",
    "RUNNING_LABEL",
    "STARTING_LABEL",
    "ProgressState",
    "ProgressStatus",
    "parse_progress",
    "progress_key",
    "stored_value",
]

ProgressStatus = Literal["waiting", "running", "complete", "failed", "cancelled", "unavailable"]

RUNNING_LABEL = "Deploying..."
"""What a running bar says when the task wrote no message (the reference's wording)."""
STARTING_LABEL = "Starting..."
"""The first bar's text, in the answer of the request that starts a task."""
PROGRESS_LABELS: dict[str, str] = {
    "waiting": "Waiting...",
    "running": RUNNING_LABEL,
    "complete": "Complete",
    "failed": "Failed",
    "cancelled": "Cancelled",
    "unavailable": "Progress unavailable",
}


@dataclass(frozen=True)
class ProgressState:
    """What a progress bar shows: a percentage, a status, its label and a message."""

    percent: int
    status: ProgressStatus
    label: str
    message: str = ""

    @property
    def terminal(self) -> bool:
        """True when the task is over (complete, failed or cancelled): polling stops."""
        return self.status in ("complete", "failed", "cancelled")

    @classmethod
    def unavailable(cls, message: str) -> ProgressState:
        """The state shown when the store cannot be read."""
        return cls(0, "unavailable", PROGRESS_LABELS["unavailable"], message)

    def running_as(self, label: str) -> ProgressState:
        """This state with `label` as the running label (a running task without a
        message of its own shows it); other states are returned as they are."""
        if self.status != "running" or self.message or not label:
            return self
        return replace(self, label=label)


def progress_key(name: str, item_id: object) -> str:
    """The key convention: ``{name}:{item_id}:progress``."""
    return f"{name}:{item_id}:progress"


def parse_progress(
    value: str | bytes | None, message: str | None = None, *, running_label: str = RUNNING_LABEL
) -> ProgressState:
    """Turn a stored value into a :class:`ProgressState` (see the module's table).

    A running task's label is its message when it has one, else `running_label`.
    Numbers may be fractional (rounded down) and are clamped to 0–100. A value that
    follows no convention gives the ``unavailable`` state, saying what was found.
    """
    message = message or ""
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    if value is None:
        return ProgressState(0, "waiting", PROGRESS_LABELS["waiting"], message)
    text = value.strip()
    if text.lower() == "error":
        return ProgressState(100, "failed", PROGRESS_LABELS["failed"], message)
    try:
        number = float(text)
    except ValueError:
        number = math.nan
    if not math.isfinite(number):
        return ProgressState.unavailable(f"Unrecognised progress value {text[:40]!r}.")
    if number >= 100:
        return ProgressState(100, "complete", PROGRESS_LABELS["complete"], message)
    return ProgressState(max(0, math.floor(number)), "running", message or running_label, message)


def stored_value(value: int | float | str) -> str:
    """Check a value before storing it, so a store never holds what it cannot read."""
    text = str(value).strip()
    if parse_progress(text).status == "unavailable":
        raise ValueError(f"Progress must be a number or 'Error', got {value!r}")
    return text

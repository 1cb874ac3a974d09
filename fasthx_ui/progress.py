"""ProgressBar server side: rendering a bar for a state, and the responses of the
request that starts a task and of each poll.

The value convention and the labels are in :mod:`fasthx_ui.progress_state`, the stores in
:mod:`fasthx_ui.progress_store`; their names are importable from here too. The bar polls
its URL until the state is terminal: :func:`progress_response` answers the request that
starts a task, :func:`progress_poll_response` answers each poll.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable
from typing import Any

from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import HTMLResponse

from fasthx_ui.htmx import PLAIN_ID
from fasthx_ui.progress_state import (
    PROGRESS_LABELS,
    RUNNING_LABEL,
    STARTING_LABEL,
    ProgressState,
    ProgressStatus,
    parse_progress,
    progress_key,
)
from fasthx_ui.progress_store import (
    InProcessProgressStore,
    ProgressStore,
    ProgressUnavailable,
    RedisProgressStore,
    progress_store,
)
from fasthx_ui.ui import ui_for

__all__ = [
    "PROGRESS_LABELS",
    "RUNNING_LABEL",
    "STARTING_LABEL",
    "InProcessProgressStore",
    "ProgressState",
    "ProgressStatus",
    "ProgressStore",
    "ProgressUnavailable",
    "RedisProgressStore",
    "oob_replace",
    "parse_progress",
    "progress_bar",
    "progress_key",
    "progress_poll_response",
    "progress_response",
    "progress_store",
]

_INTERVAL = re.compile(r"\d+(\.\d+)?(ms|s|m)?")


def progress_bar(
    state: ProgressState,
    poll_url: str = "",
    *,
    request: Request | None = None,
    **options: Any,
) -> Markup:
    """Render the ProgressBar for ``state``; it polls ``poll_url`` unless the state is terminal.

    ``options`` are the component's other props (``interval``, ``name``, ``colspan``)
    and extra attributes for its root element. A malformed ``interval`` ("2s",
    "500ms") raises ``ValueError``.
    """
    interval = str(options.get("interval", "2s"))
    if not _INTERVAL.fullmatch(interval):
        raise ValueError(f"Polling interval must look like '2s' or '500ms', got {interval!r}")
    return ui_for(request).component(
        "ui:ProgressBar",
        request,
        percent=state.percent,
        status=state.status,
        label=state.label,
        message=state.message,
        poll_url=poll_url,
        **options,
    )


def progress_poll_response(
    request: Request,
    store: ProgressStore,
    key_name: str | None = None,
    item_id: object = None,
    poll_url: str | None = None,
    *,
    running_label: str = RUNNING_LABEL,
    **options: Any,
) -> HTMLResponse:
    """Answer one poll: the bar for the stored state (never an error, see ``store.get``).

    ``key_name`` and ``item_id`` name the stored value (``{key_name}:{item_id}:progress``);
    ``options`` are the bar's, as for :func:`progress_bar`, ``name`` (its accessible name)
    included. ``running_label`` is what a running task without a message says
    ("Deploying..." by default; a view sets its own, e.g. "Building...").

    The store's name used to be the keyword ``name``: a call that passes ``name=`` without
    ``key_name`` still means the store's name (with a DeprecationWarning)."""
    if key_name is None and "name" in options:
        warnings.warn("progress_poll_response(name=...) is now key_name=...; name= is the bar's accessible name",
                      DeprecationWarning, stacklevel=2)
        key_name = options.pop("name")
    if key_name is None or item_id is None or poll_url is None:
        raise TypeError("progress_poll_response needs key_name, item_id and poll_url")
    state = store.get(key_name, item_id).running_as(running_label)
    return HTMLResponse(progress_bar(state, poll_url, request=request, **options))


def progress_response(
    request: Request,
    poll_url: str,
    *,
    progress: int = 0,
    status: str = STARTING_LABEL,
    oob: Iterable[str] = (),
    **options: Any,
) -> HTMLResponse:
    """Answer the request that started a task: the first bar (``progress`` percent,
    ``status`` as its text), polling ``poll_url``.

    ``oob`` are trusted HTML fragments swapped elsewhere in the same response: the
    polling cells of the row (``column.polling_cell(row_id, obj, table_id=…, oob=True)``)
    so that their polling restarts, or any :func:`oob_replace`. The polling route must
    render the bar with the same options (e.g. ``colspan``, ``id``). A bar with an ``id``
    (a plain one) replaces an earlier bar of that id: the answer removes it, so a task
    started twice still shows one bar.
    """
    percent = max(0, min(99, int(progress)))
    state = ProgressState(percent, "running", status or RUNNING_LABEL, status)
    html = progress_bar(state, poll_url, request=request, **options)
    earlier = _remove(str(options["id"])) if "id" in options else Markup("")
    return HTMLResponse(earlier + html + Markup("").join(Markup(fragment) for fragment in oob))


def _remove(element_id: str) -> Markup:
    """An `<hx-partial>` deleting the element ``#element_id`` if the page has one (its
    target is found before the answer's own content is inserted)."""
    if not PLAIN_ID.fullmatch(element_id):
        raise ValueError(f"a progress bar's id must be a plain element id, got {element_id!r}")
    return Markup('<hx-partial hx-target="#{}" hx-swap="delete"></hx-partial>').format(element_id)


def oob_replace(element_id: str, html: str) -> Markup:
    """Wrap trusted ``html`` so that it replaces the element ``#element_id`` out of band.

    Uses htmx 4's ``<hx-partial>``, which keeps table cells and rows intact wherever
    they sit in the response. ``element_id`` must be a plain id (letters, digits, ``-_``).
    """
    if not PLAIN_ID.fullmatch(element_id):
        raise ValueError(f"oob_replace needs a plain element id, got {element_id!r}")
    return Markup('<hx-partial hx-target="#{}" hx-swap="outerHTML">{}</hx-partial>').format(
        element_id, Markup(html)
    )

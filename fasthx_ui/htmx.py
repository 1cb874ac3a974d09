"""Request and response helpers for htmx 4.

htmx dispatches the events named in ONE `HX-Trigger` response header; several
headers get comma-joined by proxies and clients and no longer parse as JSON.
`trigger()` therefore merges every event a response triggers into that one header.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

TRIGGER_HEADER = "HX-Trigger"


def is_htmx(request: Request) -> bool:
    """True when htmx sent the request (any kind, including history restores)."""
    return request.headers.get("HX-Request") == "true"


def is_partial(request: Request) -> bool:
    """True when htmx asks for a fragment, not for a whole page.

    htmx 4 marks requests that replace the body, and history restores after a
    cache miss, as full requests: those must get the whole page.
    """
    return (
        is_htmx(request)
        and request.headers.get("HX-Request-Type", "partial") == "partial"
        and request.headers.get("HX-History-Restore-Request") != "true"
    )


def trigger(response: Response, event: str, detail: dict[str, Any] | None = None) -> Response:
    """Add `event` to the response's single `HX-Trigger` JSON header.

    The event is dispatched on `<body>`, so it still reaches document listeners
    when the element that made the request was swapped out by the response.
    """
    existing = response.headers.get(TRIGGER_HEADER)
    events: dict[str, Any] = json.loads(existing) if existing else {}
    events[event] = {**(detail or {}), "target": "body"}
    response.headers[TRIGGER_HEADER] = json.dumps(events, separators=(",", ":"))
    return response


def retarget(response: Response, selector: str, swap: str = "innerHTML") -> Response:
    """Send the response's content to `selector` whatever the request targeted."""
    response.headers["HX-Retarget"] = selector
    response.headers["HX-Reswap"] = swap
    return response

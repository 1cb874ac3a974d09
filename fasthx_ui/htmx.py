"""Request and response helpers for htmx 4.

htmx dispatches the events named in ONE `HX-Trigger` response header; several
headers get comma-joined by proxies and clients and no longer parse as JSON.
`trigger()` therefore merges every event a response triggers into that one header,
written by `header_json()`: ASCII only (a header cannot carry other text safely) and
without a raw `<`, `>` or `&`, so user text in it never reads as markup anywhere.
"""

from __future__ import annotations

import json
import re
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

TRIGGER_HEADER = "HX-Trigger"
PLAIN_ID = re.compile(r"[A-Za-z][\w-]*")
"""An element id that can be an htmx target (`#id`) as it is: letters, digits, - and _."""
_MARKUP_ESCAPES = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


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
    response.headers[TRIGGER_HEADER] = header_json(events)
    return response


def header_json(value: Any) -> str:
    """`value` as compact JSON for a response header: ASCII, `<` `>` `&` as `\\u` escapes."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=True).translate(_MARKUP_ESCAPES)


def retarget(response: Response, selector: str, swap: str = "innerHTML") -> Response:
    """Send the response's content to `selector` whatever the request targeted."""
    response.headers["HX-Retarget"] = selector
    response.headers["HX-Reswap"] = swap
    return response

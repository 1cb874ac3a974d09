"""Where a CRUD page sends the user back to.

The list's URL (with its search, filters, sort and page) travels through the detail and
form pages as a `next` value, so saving, deleting or cancelling lands on the same list.
Only paths of the view itself are accepted: `next` can never send anyone elsewhere.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import quote, urlsplit

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from fasthx_ui.htmx import is_htmx
from fasthx_ui.toast import flash, toast_response

NEXT_PARAM = "next"
MAX_NEXT_LENGTH = 2000


def current_path(request: Request) -> str:
    """The request's path and query, as a `next` value pointing back at it."""
    query = request.url.query
    return request.url.path + (f"?{query}" if query else "")


def safe_next(view: Any, value: Any) -> str | None:
    """`value` when it is a path of `view` (`/devices`, `/devices?q=x`, `/devices/7`),
    else None: no scheme, no host, no backslash, nothing outside the view."""
    if not isinstance(value, str) or not value or len(value) > MAX_NEXT_LENGTH:
        return None
    if "\\" in value or any(ord(ch) < 32 for ch in value):
        return None
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or parts.fragment:
        return None
    base = view.list_url
    if parts.path != base and not parts.path.startswith(base + "/"):
        return None
    return value


def back_url(view: Any, request: Request, form: Mapping[str, Any] | None = None) -> str:
    """Where to go back to: a valid `next` from the query string or the posted form, else
    the list's first page."""
    for source in (request.query_params, form or {}):
        found = safe_next(view, source.get(NEXT_PARAM))
        if found is not None:
            return found
    return view.list_url


def with_next(url: str, back: str, view: Any) -> str:
    """`url` carrying `back` as its `next` (left out when back is the bare list URL)."""
    if back == view.list_url:
        return url
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}{NEXT_PARAM}={quote(back, safe='')}"


def done(request: Request, back: str, message: str) -> Response:
    """After a successful change: go to `back` and show `message` there as a success toast
    (htmx: `HX-Redirect`; a plain form post: a 303 redirect)."""
    if is_htmx(request):
        return toast_response(message, type="success", redirect=back)
    return flash(RedirectResponse(back, status_code=303), message, type="success")


def refused(request: Request, back: str, message: str, status_code: int) -> Response:
    """A change that was refused: a danger toast in place (htmx), or back to `back` with it."""
    if is_htmx(request):
        return toast_response(message, type="danger", status_code=status_code)
    return flash(RedirectResponse(back, status_code=303), message, type="danger")

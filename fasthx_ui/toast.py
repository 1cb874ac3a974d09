"""Toast: server helpers for the notifications shown by the `Toast` component.

A toast travels as the `showToast` event of the response's `HX-Trigger` header and
is drawn by `toast.js` into the page's live region as text, never as HTML. A toast
that must survive a redirect goes into a signed flash cookie instead, which the
next page renders and clears. Either way the `X-Toast` header states it as JSON
for clients that are not browsers (scripts, API tests).
"""

from __future__ import annotations

from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import Response

from fasthx_ui.flash import FLASH_COOKIE
from fasthx_ui.htmx import header_json, trigger
from fasthx_ui.ui import secure_cookies, ui_for

TOAST_TYPES = ("success", "danger", "warning", "info")
TOAST_HEADER = "X-Toast"
_URL_SAFE = ":/?#[]@!$&'()*+,;=%~"


def toast_payload(message: str, type: str = "info", title: str | None = None) -> dict[str, str]:
    """The event detail of one toast; an unknown type falls back to 'info'."""
    kind = type if type in TOAST_TYPES else "info"
    return {"message": str(message), "type": kind, "title": title if title is not None else kind.capitalize()}


def toast_response(
    message: str,
    type: str = "info",
    title: str | None = None,
    redirect: str | None = None,
    status_code: int = 200,
    *,
    request: Request | None = None,
) -> Response:
    """An htmx response that shows a toast, optionally after navigating to `redirect`.

    The response swaps nothing (`HX-Reswap: none`), so the page stays as it is.
    With `redirect`, the toast waits in the flash cookie for the next page.
    `request` picks the UI (and so the secret) that signs that cookie.
    """
    toast = toast_payload(message, type, title)
    response = Response(toast["message"], status_code=status_code, media_type="text/plain")
    response.headers["HX-Reswap"] = "none"
    response.headers[TOAST_HEADER] = header_json(toast)
    if redirect:
        response.headers["HX-Redirect"] = quote(redirect, safe=_URL_SAFE)
        flash(response, **toast, request=request)
    else:
        trigger(response, "showToast", toast)
    return response


def flash(
    response: Response,
    message: str,
    type: str = "info",
    title: str | None = None,
    *,
    request: Request | None = None,
) -> Response:
    """Keep a toast in a signed cookie until the next page is rendered."""
    value = ui_for(request).flash_serializer.dumps([toast_payload(message, type, title)])
    response.set_cookie(FLASH_COOKIE, value, path="/", httponly=True, samesite="lax", secure=secure_cookies(request))
    return response

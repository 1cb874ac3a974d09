"""CSRF protection for every unsafe request (POST, PUT, PATCH, DELETE).

An unsafe request passes when either of these holds, else it is answered 403
before the route runs, so nothing changes:

- It carries the page's token. The browser keeps a random value in an HttpOnly
  cookie; pages carry a token derived from it with the app's secret
  (`<meta name="csrf-token">`). htmx sends it in the `X-CSRF-Token` header (set
  once by the Layout's script), plain forms in a hidden `csrf_token` field. Every
  app process that shares the secret accepts the same token.
- The browser says it is not cross-origin (Fetch Metadata), so users' own plain
  forms work without the token: `Sec-Fetch-Site: same-origin` or `none` (the user
  typed the URL); without that header, an `Origin` equal to the request's own
  (scheme://host[:port]). A request with neither header does not come from a
  browser and cannot be forged by another site: it passes too. This is the rule
  of Go's `net/http.CrossOriginProtection`. `cross-site`, `same-site` and a
  foreign or opaque ("null") Origin need the token.

`rotate_csrf(request)` replaces the cookie's value (and so the token) for the rest of the
request and in the browser: signing in and out call it, so a token seen before either
(on a shared computer, or planted) stops working.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from http.cookies import SimpleCookie

from markupsafe import Markup, escape
from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from fasthx_ui.htmx import trigger

COOKIE_NAME = "fasthx_csrf"
HEADER_NAME = "X-CSRF-Token"
FIELD_NAME = "csrf_token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
NOT_CROSS_ORIGIN_SITES = frozenset({"same-origin", "none"})
DEFAULT_PORTS = {"http": "80", "https": "443"}
_STATE_KEY = "fasthx_csrf_token"
_ROTATE_KEY = "fasthx_csrf_rotate"


def _sign(secret: str, raw: str) -> str:
    return hmac.new(secret.encode(), raw.encode(), hashlib.sha256).hexdigest()


def is_cross_origin(scope: Scope, headers: Headers) -> bool:
    """True when the browser marks the request as coming from another origin or site."""
    site = headers.get("sec-fetch-site")
    if site:
        return site.lower() not in NOT_CROSS_ORIGIN_SITES
    origin = headers.get("origin")
    if origin is None:
        return False
    return _normal_origin(origin) != _normal_origin(f"{scope.get('scheme', 'http')}://{_host(scope, headers)}")


def _host(scope: Scope, headers: Headers) -> str:
    if "host" in headers:
        return headers["host"]
    host, port = scope.get("server") or ("", None)
    return f"{host}:{port}" if port else host


def _normal_origin(origin: str) -> str:
    """scheme://host[:port] in lower case, without the scheme's default port."""
    scheme, _, host = origin.strip().lower().partition("://")
    default = DEFAULT_PORTS.get(scheme)
    if default and host.endswith(f":{default}"):
        host = host[: -len(default) - 1]
    return f"{scheme}://{host}"


def csrf_token(request: Request) -> str:
    """The token to put in the page for this request ('' outside the middleware)."""
    return request.scope.get("state", {}).get(_STATE_KEY, "")


def rotate_csrf(request: Request) -> None:
    """Give the browser a new CSRF cookie with this response; pages rendered later in
    this request carry the new token. A no-op outside the middleware."""
    rotate = request.scope.get("state", {}).get(_ROTATE_KEY)
    if rotate is not None:
        rotate()


def csrf_input(request: Request) -> Markup:
    """A hidden form field carrying the token, for plain (non-htmx) forms."""
    return Markup('<input type="hidden" name="{}" value="{}">').format(FIELD_NAME, escape(csrf_token(request)))


class CSRFMiddleware:
    """ASGI middleware that issues the cookie and refuses cross-origin unsafe requests without the token."""

    def __init__(self, app: ASGIApp, secret: str, *, secure_cookie: bool = False, exempt_paths: tuple[str, ...] = ()):
        self.app = app
        self.secret = secret
        self.secure_cookie = secure_cookie
        self.exempt_paths = exempt_paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        cookie = SimpleCookie(headers.get("cookie", ""))
        raw = cookie[COOKIE_NAME].value if COOKIE_NAME in cookie else ""
        is_new = len(raw) != 43  # not a value we issued (token_urlsafe(32) is 43 characters)
        if is_new:
            raw = secrets.token_urlsafe(32)
        expected = _sign(self.secret, raw)
        state = scope.setdefault("state", {})
        state[_STATE_KEY] = expected
        cookie_value = {"raw": raw, "send": is_new}

        def rotate() -> None:
            cookie_value.update(raw=secrets.token_urlsafe(32), send=True)
            state[_STATE_KEY] = _sign(self.secret, cookie_value["raw"])

        state[_ROTATE_KEY] = rotate

        exempt = any(scope["path"].startswith(path) for path in self.exempt_paths)
        if scope["method"] not in SAFE_METHODS and not exempt and is_cross_origin(scope, headers):
            sent, receive = await self._submitted_token(scope, receive, headers)
            if is_new or not hmac.compare_digest(sent.encode(), expected.encode()):
                await self._reject(scope, receive, send, headers)
                return

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start" and cookie_value["send"]:
                flags = "Path=/; HttpOnly; SameSite=Lax" + ("; Secure" if self.secure_cookie else "")
                cookie = f"{COOKIE_NAME}={cookie_value['raw']}; {flags}"
                message.setdefault("headers", []).append((b"set-cookie", cookie.encode()))
            await send(message)

        await self.app(scope, receive, send_with_cookie)

    async def _submitted_token(self, scope: Scope, receive: Receive, headers: Headers) -> tuple[str, Receive]:
        """The token from the header, else from the form body (which is then replayed to the app)."""
        if HEADER_NAME in headers:
            return headers[HEADER_NAME], receive
        if not headers.get("content-type", "").startswith(FORM_TYPES):
            return "", receive
        messages: list[Message] = []
        while True:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request" or not message.get("more_body"):
                break
        try:
            form = await Request(scope, _replay(messages, _end_of_body)).form()
            sent = form.get(FIELD_NAME)
            await form.close()
        except Exception:  # a malformed body has no valid token; the route never sees it
            sent = None
        return (sent if isinstance(sent, str) else ""), _replay(messages, receive)

    async def _reject(self, scope: Scope, receive: Receive, send: Send, headers: Headers) -> None:
        message = "Your session has expired or the form is out of date. Reload the page and try again."
        response = PlainTextResponse("CSRF token missing or invalid. " + message, status_code=403)
        if headers.get("HX-Request") == "true":
            trigger(response, "showToast", {"message": message, "type": "danger", "title": "Request refused"})
            response.headers["HX-Reswap"] = "none"
        await response(scope, receive, send)


async def _end_of_body() -> Message:
    return {"type": "http.request", "body": b"", "more_body": False}


def _replay(messages: list[Message], then: Receive) -> Receive:
    """A `receive` that hands out the already-read body messages again, then defers to `then`."""
    pending = iter(list(messages))

    async def receive() -> Message:
        message = next(pending, None)
        return message if message is not None else await then()

    return receive

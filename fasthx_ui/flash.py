"""Flash toasts: toasts that survive a redirect in a signed cookie.

`toast_response(..., redirect=…)` and `flash()` write the cookie; the next page's
ToastRegion takes the toasts (`flashes.take()`), and `FlashMiddleware` deletes the
cookie on that response, so each flash shows exactly once.
"""

from __future__ import annotations

from typing import Any

from itsdangerous import BadSignature, URLSafeSerializer
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

FLASH_COOKIE = "fasthx_flash"
_TAKEN_KEY = "fasthx_flash_taken"


def cookie_flags(secure: bool) -> str:
    """The flash cookie's attributes: HttpOnly, SameSite=Lax, and Secure behind HTTPS."""
    return "Path=/; HttpOnly; SameSite=Lax" + ("; Secure" if secure else "")


def flash_serializer(secret_key: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret_key, salt="fasthx-flash")


class Flashes:
    """The flash toasts waiting for one request's page."""

    def __init__(self, request: Request | None, serializer: URLSafeSerializer):
        self.request = request
        self.serializer = serializer

    def take(self) -> list[dict[str, Any]]:
        """The waiting toasts (a tampered cookie holds none); the cookie goes with this response."""
        raw = self.request.cookies.get(FLASH_COOKIE) if self.request is not None else None
        if not raw:
            return []
        self.request.scope.setdefault("state", {})[_TAKEN_KEY] = True
        try:
            toasts = self.serializer.loads(raw)
        except BadSignature:
            return []
        return [t for t in toasts if isinstance(t, dict)] if isinstance(toasts, list) else []


class FlashMiddleware:
    """Deletes the flash cookie on the response whose page took the flashes."""

    def __init__(self, app: ASGIApp, *, secure_cookie: bool = False):
        self.app = app
        self.expired = f"{FLASH_COOKIE}=; Max-Age=0; {cookie_flags(secure_cookie)}".encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_clearing(message: Message) -> None:
            if message["type"] == "http.response.start" and scope.get("state", {}).get(_TAKEN_KEY):
                message.setdefault("headers", []).append((b"set-cookie", self.expired))
            await send(message)

        await self.app(scope, receive, send_clearing)

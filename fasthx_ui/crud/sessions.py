"""Sign-in sessions of the CRUD preset: renewal on sign-in, clearing on sign-out, an idle
and an absolute lifetime, the cookie's flags, and the one rule for `next=` redirects.

The session is Starlette's signed cookie (`SessionMiddleware`): every process that shares
the secret reads the same session, and nothing is stored on the server. `sign_in` clears
the session before writing the user with a fresh random id and its timestamps, so a cookie
captured before sign-in (a planted one too) never becomes a signed-in one; `sign_in` and
`sign_out` also give the browser a new CSRF cookie (`fasthx_ui.csrf.rotate_csrf`), so a
CSRF token from before does not outlive the change of user either.
`get_current_user` asks `session_alive` on every read and ends a session that outlived
either lifetime; a session written without `sign_in` (an app's own `/login` setting
`request.session["user"]`, as in the reference) has no timestamps and only the cookie's
own lifetime.
"""

from __future__ import annotations

import base64
import json
import logging
import os
import secrets
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import urlsplit

from starlette.applications import Starlette
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request

from fasthx_ui.csrf import rotate_csrf

if TYPE_CHECKING:
    from fasthx_ui.crud.admin import Admin

SECURE_VARIABLE = "SESSION_COOKIE_SECURE"
TRUE_WORDS = {"1", "true", "yes"}
USER_KEY = "user"
ID_KEY = "session_id"
ISSUED_KEY = "issued_at"
SEEN_KEY = "seen_at"
DEFAULT_IDLE = 60 * 60  # seconds without a request before the session ends
DEFAULT_ABSOLUTE = 12 * 60 * 60  # seconds after sign-in the session ends, however busy
SEEN_STEP = 60  # the last-seen time moves at most once a minute (each move rewrites the cookie)
COOKIE_LIMIT = 4000
"""Bytes a session cookie may take: browsers drop a cookie over 4096 bytes without a word."""
SIGNING_BYTES = 50  # the cookie's name and what Starlette's signature adds to the value (timestamp, HMAC)

logger = logging.getLogger("fasthx_ui.crud")


class SignIn(Protocol):
    """What `Admin(sign_in=...)` takes: `install(admin)` adds the app's `/login` and `/logout`."""

    def install(self, admin: Admin) -> None: ...


@dataclass
class SessionPolicy:
    """The lifetimes (seconds) and the clock of one app's sessions; `clock` is injectable for tests."""

    idle: float = DEFAULT_IDLE
    absolute: float = DEFAULT_ABSOLUTE
    clock: Callable[[], float] = field(default=time.time)


def policy_of(request: Request) -> SessionPolicy:
    """The app's policy (set by `install_sessions`), else the defaults."""
    policy = getattr(request.app.state, "fasthx_sessions", None) if "app" in request.scope else None
    return policy if isinstance(policy, SessionPolicy) else SessionPolicy()


def sign_in(request: Request, user: Mapping[str, Any]) -> None:
    """Start a new session for `user` (`{"username", "groups", …}`): everything the old
    session held is dropped, then the user, a fresh random id and the issued/seen times are set."""
    now = policy_of(request).clock()
    request.session.clear()
    request.session.update({USER_KEY: dict(user), ID_KEY: secrets.token_urlsafe(24), ISSUED_KEY: now, SEEN_KEY: now})
    size = cookie_size(request.session)
    if size > COOKIE_LIMIT:
        logger.error("fasthx_ui.crud: the session of %r takes about %d bytes, over the %d a browser keeps: "
                     "that browser will not stay signed in (fewer groups?)", user.get("username"), size, COOKIE_LIMIT)
    rotate_csrf(request)


def cookie_size(session: Mapping[str, Any]) -> int:
    """About how many bytes the signed session cookie holding `session` takes (base64 of its JSON, signed)."""
    return len(base64.b64encode(json.dumps(session).encode("utf-8"))) + SIGNING_BYTES


def sign_out(request: Request) -> None:
    """End the session: the cookie is emptied (and so removed) with the response; the
    CSRF token is renewed."""
    request.session.clear()
    rotate_csrf(request)


def session_alive(request: Request) -> bool:
    """True unless the session was started by `sign_in` and outlived its idle or absolute
    lifetime; an ended session is cleared. A live one has its last-seen time moved to now
    (at most once a `SEEN_STEP`, or a tenth of a shorter idle lifetime)."""
    session = request.session
    issued, seen = session.get(ISSUED_KEY), session.get(SEEN_KEY)
    if issued is None and seen is None:
        return True
    policy = policy_of(request)
    now = policy.clock()
    numbers = isinstance(issued, int | float) and isinstance(seen, int | float)
    if not numbers or now - issued >= policy.absolute or now - seen >= policy.idle:
        session.clear()
        return False
    if now - seen >= min(SEEN_STEP, policy.idle / 10):
        session[SEEN_KEY] = now
    return True


def safe_next(value: Any, default: str = "/") -> str:
    """`value` when it is a path of this app (`/orders?page=2`), else `default`.

    Refused: anything not starting with exactly one "/" (`//evil.example`, `https://…`,
    `javascript:…`, a bare word, a still-encoded `%2F%2F…`), a backslash (`/\\evil.example`
    is another host to browsers), control characters and spaces that browsers strip or
    fold (`/\\t/evil.example` becomes `//evil.example`), and anything with a scheme or host.
    """
    if not isinstance(value, str) or not value.startswith("/") or value.startswith("//"):
        return default
    if "\\" in value or any(ord(char) <= 0x20 or ord(char) == 0x7F for char in value):
        return default
    parts = urlsplit(value)
    return default if parts.scheme or parts.netloc else value


def secure_from_env() -> bool:
    """`SESSION_COOKIE_SECURE` as a flag (`1`, `true` or `yes`, any case): set it behind HTTPS."""
    return os.environ.get(SECURE_VARIABLE, "").strip().lower() in TRUE_WORDS


def install_sessions(
    app: Starlette,
    secret: str,
    *,
    https_only: bool | None = None,
    idle: float = DEFAULT_IDLE,
    absolute: float = DEFAULT_ABSOLUTE,
    clock: Callable[[], float] = time.time,
) -> SessionPolicy:
    """Add the session cookie to `app` (HttpOnly, SameSite=Lax, Secure when `https_only`,
    default `SESSION_COOKIE_SECURE`) and set its policy; returns the policy.

    An app that already added a `SessionMiddleware` keeps its own (and its cookie flags);
    only the policy is set then.
    """
    if idle <= 0 or absolute <= 0:
        raise ValueError("session lifetimes must be positive numbers of seconds")
    policy = SessionPolicy(idle=idle, absolute=absolute, clock=clock)
    app.state.fasthx_sessions = policy
    if any(entry.cls is SessionMiddleware for entry in app.user_middleware):
        logger.info("fasthx_ui.crud: the app has its own SessionMiddleware; its cookie settings are kept")
        return policy
    secure = secure_from_env() if https_only is None else https_only
    app.add_middleware(
        SessionMiddleware, secret_key=secret, max_age=int(absolute), same_site="lax", https_only=secure
    )
    return policy

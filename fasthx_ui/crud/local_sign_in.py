"""`LocalSignIn`: signing in with the app's own users (`fasthx_ui.crud.users`), the embedded
default. `Admin(app, sign_in=LocalSignIn())` adds:

- `GET /login`: the sign-in page (`login.html`), or straight to `next` when signed in;
- `POST /login`: checks the password, renews the session (`sessions.sign_in`) and sends the
  browser to `next` (a path of this app only) or `home`; otherwise the page again, the typed
  username kept, with one message for an unknown user, a wrong password and an inactive user;
- `GET|POST /logout`: ends the session and goes back to the sign-in page.

Failed attempts are slowed per username and per client address (`fasthx_ui.crud.throttle`),
counted in Redis when `redis_url` is given, else in the database.
"""

from __future__ import annotations

import logging
import math
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from argon2 import PasswordHasher
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from fasthx_ui.crud.access import LOGIN_URL, LOGOUT_URL
from fasthx_ui.crud.auth import get_current_user
from fasthx_ui.crud.db import get_engine
from fasthx_ui.crud.sessions import safe_next, sign_in, sign_out
from fasthx_ui.crud.throttle import DatabaseFailures, LoginThrottle, RedisFailures, ThrottleUnavailable
from fasthx_ui.crud.users import Passwords, check_password, create_tables

if TYPE_CHECKING:
    from fasthx_ui.crud.admin import Admin

LOGIN_TEMPLATE = "login.html"
WRONG = "Wrong username or password."
MISSING = "Enter your username and password."
UNAVAILABLE = "Signing in is not possible right now. Try again in a minute."

logger = logging.getLogger("fasthx_ui.crud")


class SignInRefused(Exception):
    """A sign-in that did not succeed: the page's `message` and the response status."""

    def __init__(self, message: str, status_code: int, retry_after: int | None = None):
        super().__init__(message)
        self.message = message
        self.status_code = status_code
        self.retry_after = retry_after


class LocalSignIn:
    """Sign-in against the `fasthx_users` table; see the module docstring.

    `engine`: the database of the users (default: the app's `init_db` engine).
    `hasher`: argon2-cffi's `PasswordHasher` (its parameters are the cost; stored hashes made
    with other parameters are renewed at the next sign-in). `redis_url`/`redis_prefix`: keep
    the failure counts in Redis. `throttle`: a `LoginThrottle` of your own (limits, clock).
    `home`: where a sign-in without `next` lands.
    """

    def __init__(
        self,
        *,
        engine: sa.Engine | None = None,
        hasher: PasswordHasher | None = None,
        redis_url: str | None = None,
        redis_prefix: str = "",
        throttle: LoginThrottle | None = None,
        home: str = "/",
    ):
        self._engine = engine
        self.passwords = Passwords(hasher)
        store = RedisFailures(redis_url, prefix=redis_prefix) if redis_url else DatabaseFailures(self._users_engine)
        self.throttle = throttle or LoginThrottle(store)
        self.home = safe_next(home)

    def _users_engine(self) -> sa.Engine:
        return self._engine or get_engine()

    @property
    def engine(self) -> sa.Engine:
        """The users' database, with the sign-in tables created."""
        engine = self._users_engine()
        create_tables(engine)
        return engine

    def authenticate(self, username: str, password: str, address: str) -> dict[str, Any]:
        """The session user for these credentials, or `SignInRefused` (blocking: call it in a thread)."""
        if not username or not password:
            raise SignInRefused(MISSING, 422)
        try:
            wait = self.throttle.wait(username, address)
            if wait > 0:
                raise SignInRefused(too_many(wait), 429, math.ceil(wait))
            with Session(self.engine) as session:
                user = check_password(session, self.passwords, username, password)
            if user is None:
                self.throttle.failed(username, address)
                logger.warning("fasthx_ui.crud: failed sign-in for %r from %s", username, address)
                raise SignInRefused(WRONG, 401)
            self.throttle.succeeded(username)
        except (ThrottleUnavailable, sa.exc.SQLAlchemyError) as error:
            logger.error("fasthx_ui.crud: sign-in unavailable: %s", error.__class__.__name__)
            raise SignInRefused(UNAVAILABLE, 503) from error
        return user

    def install(self, admin: Admin) -> None:
        """Add the sign-in routes to `admin.app` (called by `Admin(sign_in=...)`)."""
        admin.public_pages.add(LOGIN_TEMPLATE)
        app = admin.app

        def page(request: Request, error: str | None = None, username: str = "", status_code: int = 200) -> Response:
            context = {"title": "Sign in", "error": error, "username": username}
            return admin.templates.TemplateResponse(request, LOGIN_TEMPLATE, context, status_code=status_code)

        async def login_page(request: Request) -> Response:
            if get_current_user(request) is not None:
                return RedirectResponse(safe_next(request.query_params.get("next"), self.home), status_code=303)
            return page(request)

        async def login_submit(request: Request) -> Response:
            form = await request.form()
            username = _text(form.get("username")).strip()
            password = _text(form.get("password"))
            address = request.client.host if request.client else "unknown"
            try:
                user = await run_in_threadpool(self.authenticate, username, password, address)
            except SignInRefused as refused:
                response = page(request, refused.message, username, refused.status_code)
                if refused.retry_after:
                    response.headers["Retry-After"] = str(refused.retry_after)
                return response
            sign_in(request, user)
            return RedirectResponse(safe_next(request.query_params.get("next"), self.home), status_code=303)

        async def logout(request: Request) -> Response:
            sign_out(request)
            return RedirectResponse(LOGIN_URL, status_code=303)

        app.add_api_route(LOGIN_URL, login_page, methods=["GET"], include_in_schema=False)
        app.add_api_route(LOGIN_URL, login_submit, methods=["POST"], include_in_schema=False)
        app.add_api_route(LOGOUT_URL, logout, methods=["GET", "POST"], include_in_schema=False)


def too_many(wait: float) -> str:
    """The message for a throttled attempt: the wait rounded up to seconds or minutes."""
    seconds = math.ceil(wait)
    if seconds < 90:
        return f"Too many failed sign-ins. Try again in {seconds} second{'s' if seconds != 1 else ''}."
    return f"Too many failed sign-ins. Try again in {math.ceil(seconds / 60)} minutes."


def _text(value: Any) -> str:
    """A form value as text (an uploaded file where text belongs counts as empty)."""
    return value if isinstance(value, str) else ""

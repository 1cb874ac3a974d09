"""Access control of the CRUD preset, attached to each route as a dependency.

`guard(view, permission)` is the one check every route of a view passes: a signed-in
user, inside the view's `allowed_users`/`allowed_groups`, and the view's
`can_create`/`can_edit`/`can_delete` flag for that kind of route. It raises
`NotSignedIn` or `Forbidden`; `install_access_handlers(app)` turns those into answers
a browser page, htmx and an API client each understand. Nothing matches path prefixes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any
from urllib.parse import quote, urlsplit

from fastapi import FastAPI
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response

from fasthx_ui.crud.auth import get_current_user
from fasthx_ui.crud.sessions import safe_next
from fasthx_ui.htmx import is_htmx
from fasthx_ui.toast import toast_response

READ, CREATE, EDIT, DELETE = "read", "create", "edit", "delete"
PERMISSION_FLAGS = {CREATE: "can_create", EDIT: "can_edit", DELETE: "can_delete"}
PERMISSION_VERBS = {CREATE: "Creating", EDIT: "Editing", DELETE: "Deleting"}
LOGIN_URL = "/login"
LOGOUT_URL = "/logout"
HTML_TYPES = ("text/html", "application/xhtml+xml", "text/*", "*/*")

ForbiddenPage = Callable[[Request, str], Response]


class NotSignedIn(Exception):
    """The route needs a signed-in user and the request has none."""


class Forbidden(Exception):
    """The signed-in user may not do this; `message` says what was refused."""

    def __init__(self, message: str = "You do not have access to this page."):
        super().__init__(message)
        self.message = message


def user_allowed(user: Mapping[str, Any] | None, allowed_users: Iterable[str] | None, allowed_groups: Iterable[str] | None) -> bool:
    """True when `user` is signed in and, if any allow list is set, matches one of them."""
    if user is None:
        return False
    if allowed_users is None and allowed_groups is None:
        return True
    if allowed_users is not None and user.get("username") in set(allowed_users):
        return True
    groups = set(user.get("groups") or ())
    return allowed_groups is not None and not groups.isdisjoint(allowed_groups)


class Guard:
    """FastAPI dependency checking one permission on one view (see `guard`).

    The view's lists and flags are read on every request, so changing them on a
    running view takes effect at once.
    """

    def __init__(self, view: Any, permission: str = READ):
        if permission not in (READ, *PERMISSION_FLAGS):
            raise ValueError(f"unknown permission {permission!r}; use one of read, create, edit, delete")
        self.view = view
        self.permission = permission

    async def __call__(self, request: Request) -> None:
        user = get_current_user(request)
        if user is None:
            raise NotSignedIn()
        view = self.view
        name = getattr(view, "display_name", None) or getattr(view, "name", "this page")
        if not user_allowed(user, getattr(view, "allowed_users", None), getattr(view, "allowed_groups", None)):
            raise Forbidden(f"You do not have access to {name}.")
        flag = PERMISSION_FLAGS.get(self.permission)
        if flag and not getattr(view, flag, True):
            raise Forbidden(f"{PERMISSION_VERBS[self.permission]} is not allowed in {name}.")


def guard(view: Any, permission: str = READ) -> Guard:
    """The access check of `view` for routes of kind `permission` (READ, CREATE, EDIT, DELETE)."""
    return Guard(view, permission)


def login_url(request: Request) -> str:
    """The sign-in page, with `next` the page the user was on (this app's paths only).

    For htmx that is the page in the browser (`HX-Current-URL`), not the fragment's URL.
    """
    if is_htmx(request) and request.headers.get("HX-Current-URL"):
        current = urlsplit(request.headers["HX-Current-URL"])
        here = current.path + (f"?{current.query}" if current.query else "")
    else:
        here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return f"{LOGIN_URL}?next={quote(safe_next(here), safe='/')}"


def wants_html(request: Request) -> bool:
    """True for a browser asking for a page (an Accept naming HTML or a wildcard, or none)."""
    accept = request.headers.get("accept")
    return accept is None or any(kind in accept for kind in HTML_TYPES)


def sign_in_response(request: Request) -> Response:
    """Send an anonymous request to sign in: a page is redirected (303); htmx and API
    clients get a 401 whose `HX-Redirect` header htmx follows."""
    target = login_url(request)
    if wants_html(request) and not is_htmx(request):
        return RedirectResponse(target, status_code=303)
    headers = {"HX-Redirect": target, "HX-Reswap": "none"}
    return PlainTextResponse("Sign in required.", status_code=401, headers=headers)


def forbidden_response(request: Request, message: str, page: ForbiddenPage | None = None) -> Response:
    """A 403: a danger toast for htmx (nothing swapped), `page` (or text) otherwise."""
    if is_htmx(request):
        return toast_response(message, type="danger", title="Not allowed", status_code=403)
    if page is not None and wants_html(request):
        return page(request, message)
    return PlainTextResponse(message, status_code=403)


def install_access_handlers(app: FastAPI, forbidden_page: ForbiddenPage | None = None) -> None:
    """Answer `NotSignedIn` and `Forbidden` raised anywhere in `app` (see the two responses
    above); `forbidden_page(request, message)` renders the 403 page for browsers."""

    async def on_not_signed_in(request: Request, _exc: Exception) -> Response:
        return sign_in_response(request)

    async def on_forbidden(request: Request, exc: Exception) -> Response:
        message = exc.message if isinstance(exc, Forbidden) else str(exc)
        return forbidden_response(request, message, forbidden_page)

    app.add_exception_handler(NotSignedIn, on_not_signed_in)
    app.add_exception_handler(Forbidden, on_forbidden)

"""Stand-in for the ADMIN engineer's crud/access.py (contract: READ/CREATE/EDIT/DELETE,
user_allowed, guard, install_access_handlers); replaced when that module lands on main."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response

from fasthx_ui.crud import auth

READ, CREATE, EDIT, DELETE = "read", "create", "edit", "delete"
FLAGS = {CREATE: "can_create", EDIT: "can_edit", DELETE: "can_delete"}


class NotSignedIn(Exception):
    """Nobody is signed in."""


class Forbidden(Exception):
    """The signed-in user may not do this."""


def user_allowed(user: dict[str, Any] | None, allowed_users: Sequence[str] | None,
                 allowed_groups: Sequence[str] | None) -> bool:
    if user is None:
        return False
    if allowed_users is None and allowed_groups is None:
        return True
    if allowed_users and user.get("username") in allowed_users:
        return True
    return bool(allowed_groups and set(user.get("groups") or ()) & set(allowed_groups))


def guard(view: Any, permission: str = READ) -> Callable[[Request], Any]:
    async def check(request: Request) -> None:
        user = auth.get_current_user(request)
        if user is None:
            raise NotSignedIn()
        if not user_allowed(user, view.allowed_users, view.allowed_groups):
            raise Forbidden()
        flag = FLAGS.get(permission)
        if flag and not getattr(view, flag, True):
            raise Forbidden()

    return check


def install_access_handlers(app: Any) -> None:
    async def not_signed_in(request: Request, _exc: Exception) -> Response:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        login = f"/login?next={quote(target, safe='')}"
        if request.headers.get("HX-Request") == "true" or "text/html" not in request.headers.get("accept", ""):
            return PlainTextResponse("Sign in first.", 401, headers={"HX-Redirect": login})
        return RedirectResponse(login, 303)

    async def forbidden(_request: Request, _exc: Exception) -> Response:
        return PlainTextResponse("You may not do this.", 403, headers={"HX-Reswap": "none"})

    app.add_exception_handler(NotSignedIn, not_signed_in)
    app.add_exception_handler(Forbidden, forbidden)

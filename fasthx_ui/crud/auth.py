"""Who is signed in: the user dict kept in the session, or the development user when
`AUTH_DISABLED` is set; and the rules every sign-in shares: `AuthError` and the groups
a user must be in (`ALLOWED_GROUPS`). Sign-in itself (the login form, OIDC) lives
elsewhere; the session's lifetimes are `fasthx_ui.crud.sessions`.

`AUTH_DISABLED` is read once, when this module is imported, from the environment
variable of the same name (`1`, `true` or `yes`, any case).
"""

from __future__ import annotations

import copy
import os
from collections.abc import Iterable
from typing import Any

from starlette.requests import Request

from fasthx_ui.crud.sessions import USER_KEY, session_alive

TRUE_WORDS = {"1", "true", "yes"}
AUTH_DISABLED: bool = os.environ.get("AUTH_DISABLED", "").strip().lower() in TRUE_WORDS
DEV_USER: dict[str, Any] = {"username": "dev", "groups": ["/Edge-Admins"]}
ALLOWED_GROUPS: list[str] = ["/Edge-Admins"]
"""Groups (Keycloak group paths) whose members may sign in; edit the list in place at
startup. Empty: anyone the provider signs in. The default is the development user's group."""
NOT_IN_GROUP = "Your account is not in a group that may use this application."


class AuthError(Exception):
    """Sign-in failed; `str(error)` is a message meant for the person signing in."""


def check_groups(groups: Iterable[str], allowed: Iterable[str] | None = None) -> None:
    """Raise AuthError unless `groups` meets `allowed` (ALLOWED_GROUPS when None; empty allows all)."""
    wanted = set(ALLOWED_GROUPS if allowed is None else allowed)
    if wanted and wanted.isdisjoint(groups):
        raise AuthError(NOT_IN_GROUP)


def get_current_user(request: Request) -> dict[str, Any] | None:
    """The signed-in user (`{"username", "groups", …}`), or None; never raises.

    With AUTH_DISABLED every request gets its own copy of DEV_USER. Otherwise the user
    is `request.session["user"]`, which needs a SessionMiddleware: without one nobody
    is signed in. A session past its idle or absolute lifetime is ended here.
    """
    if AUTH_DISABLED:
        return copy.deepcopy(DEV_USER)
    if "session" not in request.scope:
        return None
    user = request.session.get(USER_KEY)
    if not isinstance(user, dict) or not session_alive(request):
        return None
    return user

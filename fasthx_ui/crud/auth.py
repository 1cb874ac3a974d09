"""Who is signed in: the user dict kept in the session, or the development user when
`AUTH_DISABLED` is set. Sign-in itself (the login form, OIDC) lives elsewhere; the
session's lifetimes are `fasthx_ui.crud.sessions`.

`AUTH_DISABLED` is read once, when this module is imported, from the environment
variable of the same name (`1`, `true` or `yes`, any case).
"""

from __future__ import annotations

import copy
import os
from typing import Any

from starlette.requests import Request

from fasthx_ui.crud.sessions import USER_KEY, session_alive

TRUE_WORDS = {"1", "true", "yes"}
AUTH_DISABLED: bool = os.environ.get("AUTH_DISABLED", "").strip().lower() in TRUE_WORDS
DEV_USER: dict[str, Any] = {"username": "dev", "groups": ["/Edge-Admins"]}


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

"""Stand-in for the ADMIN engineer's crud/auth.py (contract: AUTH_DISABLED, DEV_USER,
get_current_user); replaced when that module lands on main."""

from __future__ import annotations

import copy
import os
from typing import Any

from starlette.requests import Request

AUTH_DISABLED: bool = os.environ.get("AUTH_DISABLED", "").strip().lower() in ("1", "true", "yes")
DEV_USER = {"username": "dev", "groups": ["/Edge-Admins"]}


def get_current_user(request: Request | None) -> dict[str, Any] | None:
    if AUTH_DISABLED:
        return copy.deepcopy(DEV_USER)
    if request is None or "session" not in request.scope:
        return None
    user = request.session.get("user")
    return user if isinstance(user, dict) else None

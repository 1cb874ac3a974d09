"""The model lifecycle of CRUD views: `ValidationError`, calling the view's hooks, and the
message a user reads when the database refuses a change.

Save: the form's values are set on the row, `on_model_change(item, form_data, is_new,
db, request)` may still change or refuse it (raise ValidationError), the session
commits, then `after_model_change(...)` runs. Delete: `on_model_delete(item, db)` may
refuse, the row is deleted and committed, then `after_model_delete(item, db)` runs.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

from sqlalchemy.exc import DataError, IntegrityError

DATABASE_REFUSALS = (IntegrityError, DataError)
"""Errors a database raises for the data itself (a duplicate, a missing related row,
a value too long): the user can fix them, so they are answered, not crashed on."""


class ValidationError(Exception):
    """Raised in `on_model_change` or `on_model_delete` to refuse a change; the message
    is shown to the user and nothing is written."""


def call_hook(hook: Callable[..., Any], *args: Any, request: Any = None) -> Any:
    """Call a change hook, passing `request` only when the hook accepts it (hooks written
    before it was added take the positional arguments only)."""
    if accepts_request(hook):
        return hook(*args, request=request)
    return hook(*args)


def accepts_request(hook: Callable[..., Any]) -> bool:
    try:
        params = inspect.signature(hook).parameters.values()
    except (TypeError, ValueError):
        return False
    return any(p.name == "request" or p.kind is inspect.Parameter.VAR_KEYWORD for p in params)


def database_message(error: Exception, action: str = "save") -> str:
    """A short, clear sentence for a refused change, with the database's own first line."""
    detail = str(getattr(error, "orig", error)).strip().splitlines()
    reason = detail[0][:200] if detail else type(error).__name__
    if isinstance(error, IntegrityError):
        return f"Could not {action}: the database refused it because of a duplicate or a missing related row ({reason})."
    return f"Could not {action}: a value does not fit its column ({reason})."

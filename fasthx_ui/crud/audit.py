"""The audit log of CRUD views: one event per successful create, update, delete or
audited endpoint, handed to `Admin(audit_logger=...)`.

An event is `{"action", "model_name", "view_name", "item_id", "user", "data", "request"}`.
`data` is the new row's snapshot (create), `{"old", "new"}` holding only the columns that
changed (update), the row's snapshot taken before it went (delete), or the path and query
parameters of an endpoint registered with `audit=True`. Snapshots leave out the view's
`audit_log_exclude` columns. Events fire only after the commit (and the `after_*` hook);
a refused or failed save fires none. A sink that raises is logged on the
`fasthx_ui.audit` logger and never reaches the user. Nothing happens, and nothing is
snapshotted, unless the view says `audit_log = True` and the Admin has an `audit_logger`.
"""

from __future__ import annotations

import functools
import inspect
import logging
from collections.abc import Callable
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from fasthx_ui.crud.auth import get_current_user

logger = logging.getLogger("fasthx_ui.audit")

REQUEST_PARAM = "fasthx_audit_request"
"""The parameter an audited endpoint's wrapper adds when the endpoint takes no Request."""


def sink(view: Any) -> Callable[[dict[str, Any]], Any] | None:
    """The callable events go to, or None when the view does not audit."""
    if not getattr(view, "audit_log", False):
        return None
    return getattr(view.admin, "audit_logger", None)


def snapshot(view: Any, item: Any) -> dict[str, Any]:
    """The row's column values (`{column: value}`), less `audit_log_exclude`."""
    excluded = set(getattr(view, "audit_log_exclude", None) or ())
    return {key: getattr(item, key) for key in view.model_info.columns if key not in excluded}


def emit(
    view: Any,
    action: str,
    *,
    item: Any = None,
    request: Request | None = None,
    data: Any = None,
    item_id: Any = None,
) -> None:
    """Send one event (`data` defaults to the item's snapshot); a no-op when the view
    does not audit, and never raises."""
    send = sink(view)
    if send is None:
        return
    if item_id is None and item is not None:
        item_id = view.model_info.pk_of(item)
    if data is None:
        data = snapshot(view, item) if item is not None else {}
    event = {
        "action": action, "model_name": view.model.__name__, "view_name": view.name, "item_id": item_id,
        "user": get_current_user(request) if request is not None else None, "data": data, "request": request,
    }
    try:
        send(event)
    except Exception:
        logger.exception("audit_logger failed on %s %s[%s]; the change itself was saved",
                         action, view.model.__name__, item_id)


def before_change(view: Any, item: Any) -> dict[str, Any] | None:
    """A row's snapshot before an edit or a delete, when the view audits (else None)."""
    return snapshot(view, item) if item is not None and sink(view) is not None else None


def saved(view: Any, request: Request, item: Any, before: dict[str, Any] | None, is_new: bool) -> None:
    """After a committed save: `create` with the new row, or `update` with what changed."""
    if sink(view) is None:
        return
    after = snapshot(view, item)
    if is_new:
        emit(view, "create", item=item, request=request, data=after)
        return
    before = before or {}
    changed = [key for key in after if before.get(key) != after[key]]
    data = {"old": {key: before.get(key) for key in changed}, "new": {key: after[key] for key in changed}}
    emit(view, "update", item=item, request=request, data=data)


def deleted(view: Any, request: Request, item_id: Any, before: dict[str, Any] | None) -> None:
    """After a committed delete: `delete` with the snapshot taken before it."""
    if before is not None:
        emit(view, "delete", request=request, data=before, item_id=item_id)


def audited_endpoint(view: Any, endpoint: Callable[..., Any], action: str) -> Callable[..., Any]:
    """Wrap a view's endpoint so that a 2xx answer emits `action` with the path and query
    parameters as data (the body is left alone: the endpoint may read it). The wrapper
    keeps the endpoint's signature for FastAPI, adding a Request parameter if it has none."""
    signature = inspect.signature(endpoint, eval_str=True)
    request_name = next((name for name, p in signature.parameters.items()
                         if isinstance(p.annotation, type) and issubclass(p.annotation, Request)), None)
    params = list(signature.parameters.values())
    if request_name is None:
        params.append(inspect.Parameter(REQUEST_PARAM, inspect.Parameter.KEYWORD_ONLY, annotation=Request))

    @functools.wraps(endpoint)
    async def wrapper(*args: Any, **kwargs: Any) -> Any:
        request = kwargs.pop(REQUEST_PARAM) if request_name is None else kwargs[request_name]
        if inspect.iscoroutinefunction(endpoint):
            result = await endpoint(*args, **kwargs)
        else:
            result = await run_in_threadpool(endpoint, *args, **kwargs)
        if 200 <= getattr(result, "status_code", 200) < 300:
            data = {"path_params": dict(request.path_params), "query_params": query_data(request)}
            item_id = kwargs.get("item_id", request.path_params.get("item_id"))
            emit(view, action, request=request, data=data, item_id=item_id)
        return result

    wrapper.__signature__ = signature.replace(parameters=params)  # type: ignore[attr-defined]
    return wrapper


def query_data(request: Request) -> dict[str, Any]:
    """The query string as a dict: one value as is, a repeated parameter as a list."""
    query = request.query_params
    return {key: values[0] if len(values) == 1 else values for key in query for values in [query.getlist(key)]}

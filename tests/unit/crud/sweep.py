"""Helpers of the route sweeps: every route of every view of the test app (read from the
routers, never listed by hand), its path filled with a real id, the permission its guard
checks, the three kinds of client (page, htmx, API), and a snapshot of every row of the
database to prove a refused request wrote nothing."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa
from fastapi.routing import APIRoute

from fasthx_ui.crud import Base, CRUDView
from fasthx_ui.crud.access import READ, Guard

PAGE = {"Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8"}
HTMX = {"HX-Request": "true", "Accept": "text/html"}
API = {"Accept": "application/json"}
KINDS = {"page": PAGE, "htmx": HTMX, "api": API}
PARAM = re.compile(r"\{[^}]+\}")
FLAGS = {"create": "can_create", "edit": "can_edit", "delete": "can_delete"}
BATCH_CONFIRM = re.compile(r"/action/[^/]+/confirm$")
FILLED = {"{format}": "csv"}  # path parameters that are not ids: the export's format


class Route:
    """One method of one route of a view."""

    def __init__(self, view: Any, route: APIRoute, method: str) -> None:
        self.view, self.route, self.method = view, route, method
        self.path = route.path

    @property
    def has_id(self) -> bool:
        return any(param not in FILLED for param in PARAM.findall(self.path))

    @property
    def enabled(self) -> bool:
        """False for a create, edit or delete route of a view that turned that operation off."""
        flag = FLAGS.get(self.permission)
        return flag is None or bool(getattr(self.view, flag))

    @property
    def permission(self) -> str:
        """What the route's guard checks (READ, CREATE, EDIT or DELETE)."""
        guards = [d.dependency for d in self.route.dependencies if isinstance(d.dependency, Guard)]
        assert len(guards) == 1, f"{self} carries {len(guards)} access checks"
        return guards[0].permission

    @property
    def needs_selection(self) -> bool:
        """True for a batch action's dialog, which shows the rows given as `?ids=`."""
        return BATCH_CONFIRM.search(self.path) is not None

    def url(self, item_id: Any = None) -> str:
        """The path with every id parameter filled with `item_id` (the others as `FILLED`
        says); a batch action's dialog also selects that row (`?ids=`)."""
        path = PARAM.sub(lambda found: FILLED.get(found.group(0), str(item_id)), self.path)
        return f"{path}?ids={item_id}" if self.needs_selection else path

    def __repr__(self) -> str:
        return f"{self.method} {self.path}"


def view_routes(admin: Any) -> Iterator[Route]:
    """Every method of every route of every view the admin has, in registration order."""
    for view in admin.views.values():
        for route in view.router.routes:
            assert isinstance(route, APIRoute), f"{view.name}: {route!r} is not an API route"
            for method in sorted(route.methods):
                yield Route(view, route, method)


def is_scoped(view: Any) -> bool:
    """True when the view narrows its statements (overrides `scope`)."""
    return type(view).scope is not CRUDView.scope


def documented_permission(path: str) -> str:
    """The permission the route table documents for a path (create, edit, delete, else read)."""
    if path.endswith("/create"):
        return "create"
    if path.endswith("/{item_id}/edit"):
        return "edit"
    if path.endswith("/{item_id}/delete") or re.search(r"/action/delete(/confirm)?$", path):
        return "delete"
    if "/action/" in path or "/row-action/" in path:
        return "edit"
    return READ


def send(client: Any, route: Route, url: str, kind: str, data: dict[str, str] | None = None) -> Any:
    """`route` called at `url` as a page, htmx or API client would (posts carry the CSRF token)."""
    headers = dict(KINDS[kind])
    if route.method == "POST":
        headers["X-CSRF-Token"] = client.token
        return client.request("POST", url, headers=headers, data=data or {})
    return client.request(route.method, url, headers=headers)


def snapshot(engine: sa.Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, sorted: equal snapshots mean nothing was written."""
    found = {}
    with engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            rows = conn.execute(sa.select(table)).all()
            found[table.name] = sorted((tuple(row) for row in rows), key=repr)
    return found


def count(engine: sa.Engine, model: Any) -> int:
    with engine.connect() as conn:
        return conn.scalar(sa.select(sa.func.count()).select_from(model)) or 0

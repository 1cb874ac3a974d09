"""CRUDView: the configuration of one model's CRUD pages, and the wiring of its routes.

Subclass it, set class attributes (the reference's names), and give the class to
`Admin.add_view`. Everything a view does lives in the modules it wires together:
columns (the list table), form_fields, list_page, forms_page, detail_page, polling,
routes. Every route it owns, including `@CRUDView.endpoint` methods and routes a
subclass adds in `setup_endpoints()`, carries the view's access check.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any, ClassVar

from fastapi import APIRouter, Depends
from fastapi.routing import APIRoute
from sqlalchemy import Select
from starlette.requests import Request

from fasthx_ui import Action, as_actions
from fasthx_ui.crud import access, audit, routes
from fasthx_ui.crud import progress as progress_bars
from fasthx_ui.crud.action_buttons import row_setup
from fasthx_ui.crud.action_routes import register_actions
from fasthx_ui.crud.actions import BatchAction, RowActionsDisplayType, action, collect_batch_actions, display_type
from fasthx_ui.crud.ai import complete
from fasthx_ui.crud.columns import eager_paths, table_spec
from fasthx_ui.crud.detail_page import detail_columns
from fasthx_ui.crud.view_fields import FormFields
from fasthx_ui.crud.introspect import ModelInfo
from fasthx_ui.crud.items import get_item
from fasthx_ui.crud.selection import delete_rows, parse_ids, scoped_items

ENDPOINT_SPECS = "_crud_endpoint_specs"
COUNT_STRATEGIES = ("exact", "capped", "deferred")
NAME_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")


class GuardedRouter(APIRouter):
    """The view's router: a route added without an access check of the view (by a
    subclass's `setup_endpoints`, `@self.router.post(...)`) gets the READ check."""

    def __init__(self, view: CRUDView) -> None:
        super().__init__()
        self.view = view

    def add_api_route(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        dependencies = list(kwargs.pop("dependencies", None) or ())
        if not any(self.view.is_guard(dependency) for dependency in dependencies):
            dependencies.insert(0, self.view.guard(access.READ))
        super().add_api_route(path, endpoint, dependencies=dependencies, **kwargs)


class CRUDView:
    """List, detail, create, edit and delete pages for one SQLAlchemy model."""

    model: ClassVar[Any] = None
    name: str | None = None
    display_name: str | None = None
    category: str | None = None
    icon: str | None = None
    page_size: int = 20
    count_strategy: str = "exact"  # the list's count: "exact", "capped" or "deferred"

    column_list: Sequence[str] | None = None
    column_exclude: Sequence[str] | None = None
    column_labels: dict[str, str] = {}
    column_searchable: Sequence[str] | None = None
    column_sortable: Sequence[str] | None = None
    column_formatters: dict[str, Callable[[Any, Any], str]] = {}
    column_filters: Sequence[str] = ()
    column_header_filters: Sequence[str] = ()
    column_eager: Sequence[str] | None = None  # relationships to load with the list's rows
    htmx_columns: dict[str, dict[str, Any]] = {}

    detail_columns: Sequence[str] | None = None
    detail_columns_exclude: Sequence[str] | None = None

    form_columns: Sequence[str] | None = None
    form_sections: dict[str, list[str]] | None = None
    form_widget_overrides: dict[str, dict[str, Any]] = {}
    form_ajax_refs: dict[str, dict[str, Any]] = {}

    row_actions: Sequence[dict[str, Any] | str] = ()
    row_actions_display_type: RowActionsDisplayType | str = RowActionsDisplayType.ICON_LIST
    actions: Sequence[str] | None = None  # names of the @action batch actions, in menu order
    multi_row_actions: Sequence[dict[str, Any]] = ()
    multi_row_select_all_pages: bool = False
    job_chunk_size: int = 500  # ids per handler call when an action runs on all matching rows (docs/jobs.md)
    export_types: Sequence[str] = ()
    progress_redis_url: str | None = None  # progress bars of "progress" row actions (else the Admin's, else in-process)

    audit_log: bool = False  # send create/update/delete events to Admin(audit_logger=...)
    audit_log_exclude: Sequence[str] = ()

    can_create: bool = True
    can_edit: bool = True
    can_delete: bool = True
    allowed_users: Sequence[str] | None = None
    allowed_groups: Sequence[str] | None = None

    admin: Any = None  # the Admin that added this view

    def __init__(self, templates: Any) -> None:
        if self.model is None:
            raise TypeError(f"{type(self).__name__} needs a `model`")
        self.templates = templates
        self._guards: dict[str, Any] = {}
        self.router = GuardedRouter(self)
        self.model_info = ModelInfo(self.model)
        table = self.model_info.mapper.local_table.name
        self.name = self.name or table
        if not NAME_RE.fullmatch(self.name):
            raise ValueError(f"{type(self).__name__}.name {self.name!r}: use letters, digits, '_' and '-' (a URL prefix and page ids)")
        self.display_name = self.display_name or getattr(self.model, "__admin_name__", None) or table.replace("_", " ").title()
        self.category = self.category or getattr(self.model, "__admin_category__", None) or "Other"
        self.icon = self.icon or getattr(self.model, "__admin_icon__", None) or "table"
        self.list_url = f"/{self.name}"
        self.table_id = f"{self.name}-table"
        self.form_id = f"{self.name}-form"
        self.select_all_url = f"{self.list_url}/select-all-ids" if self.multi_row_select_all_pages else ""
        if self.count_strategy not in COUNT_STRATEGIES:
            raise ValueError(f"{type(self).__name__}.count_strategy must be one of {', '.join(COUNT_STRATEGIES)}")
        self.count_url = f"{self.list_url}/count" if self.count_strategy != "exact" else ""
        self.row_action_layout, self.extra_row_actions, self.decorated_row_actions = row_setup(self)
        self.bulk_actions = _actions(self, "multi_row_actions")
        self.batch_actions: dict[str, BatchAction] = collect_batch_actions(self)
        self.row_actions_display = display_type(self.row_actions_display_type)
        self.table_spec = table_spec(self)
        self.eager_paths = eager_paths(self)
        self.detail_columns_spec = detail_columns(self)
        self.form_fields = FormFields(self)
        routes.register_collection(self)
        register_actions(self)
        self._register_endpoints()
        self.setup_endpoints()
        routes.register_items(self)
        self._check_guarded()

    # --- routes and their access check -------------------------------------------------

    def guard(self, permission: str) -> Any:
        """The FastAPI dependency checking `permission` on this view (one per permission)."""
        if permission not in self._guards:
            self._guards[permission] = Depends(access.guard(self, permission))
        return self._guards[permission]

    def is_guard(self, dependency: Any) -> bool:
        return any(dependency is guard for guard in self._guards.values())

    def add_route(
        self,
        path: str,
        endpoint: Callable[..., Any],
        *,
        methods: Sequence[str] = ("GET",),
        permission: str = access.READ,
        **kwargs: Any,
    ) -> APIRoute:
        """Register a route of this view with the access check for `permission`."""
        dependencies = [self.guard(permission), *kwargs.pop("dependencies", ())]
        self.router.add_api_route(path, endpoint, methods=list(methods), dependencies=dependencies, **kwargs)
        return self.router.routes[-1]

    @staticmethod
    def endpoint(path: str, methods: Sequence[str] | None = None, **kwargs: Any) -> Callable[[Any], Any]:
        """Mark a method as a route of the view: `{name}` in `path` becomes the view's
        name; `kwargs` go to FastAPI's `add_api_route`; `permission=` picks the access
        check (default READ); `audit=True` (`audit_action=`, default the method's
        name) sends an audit event after each 2xx answer."""

        def mark(func: Any) -> Any:
            specs = [*getattr(func, ENDPOINT_SPECS, ()), (path, tuple(methods or ("GET",)), kwargs)]
            setattr(func, ENDPOINT_SPECS, specs)
            return func

        return mark

    def _register_endpoints(self) -> None:
        """Add the `@CRUDView.endpoint` methods, base classes' first, in definition order."""
        found: dict[str, Any] = {}
        for klass in reversed(type(self).__mro__):
            for attr, value in vars(klass).items():
                specs = getattr(value, ENDPOINT_SPECS, None)
                if specs:
                    found[attr] = specs
                else:
                    found.pop(attr, None)
        for attr, specs in found.items():
            for path, methods, options in specs:
                options = dict(options)
                permission = options.pop("permission", access.READ)
                audited, audit_action = options.pop("audit", False), options.pop("audit_action", None)
                bound = getattr(self, attr)
                if audited:
                    bound = audit.audited_endpoint(self, bound, audit_action or attr)
                route = self.add_route(path.replace("{name}", self.name), bound, methods=methods,
                                       permission=permission, **options)
                if audited:
                    route.audit_action = audit_action or attr

    def _check_guarded(self) -> None:
        """Every route of the router carries this view's check; anything else is refused."""
        for route in self.router.routes:
            guarded = isinstance(route, APIRoute) and any(self.is_guard(d) for d in route.dependencies)
            if not guarded:
                path = getattr(route, "path", route)
                raise TypeError(f"{type(self).__name__}: route {path} cannot carry the view's access check")

    def setup_endpoints(self) -> None:
        """Override to add routes on `self.router` (they get the view's READ check)."""

    # --- actions ----------------------------------------------------------------------

    def batch_handler(self, name: str) -> Callable[..., Any]:
        """The bound handler `(request, pks)` of the batch action `name` (KeyError if none)."""
        return getattr(self, self.batch_actions[name].attr)

    def parse_ids(self, values: Sequence[str]) -> list[Any]:
        """Posted ids (`form.getlist("ids")`) as primary-key values, in order, without
        repeats; `InvalidIds` (a ValueError; a 400 under the Admin) for a bad one."""
        return parse_ids(self, values)

    # --- rows for your own endpoints (items.py, selection.py) ---------------------------

    def get_item(self, request: Request, db: Any, item_id: Any) -> Any:
        """The row `item_id` names (read with the primary key's type) inside `scope()`;
        `ItemNotFound` otherwise, which the Admin answers like any missing row (404)."""
        return get_item(self, request, db, item_id)

    def get_items(self, request: Request, db: Any, ids: Sequence[str]) -> list[Any]:
        """The rows the posted `ids` name inside `scope()` (others are left out);
        `InvalidIds` (a 400 under the Admin) for an id that cannot be a primary key."""
        return scoped_items(self, request, db, self.parse_ids(ids))

    @action("delete", "Delete", confirmation="Delete {count} selected items?", submit_btn_text="Delete",
            submit_btn_class="btn-danger", icon_class="trash")
    def delete_action(self, request: Request, pks: list[Any]) -> str:
        """The default batch action: delete the selected rows (within `scope()`)."""
        return delete_rows(self, request, pks)

    # --- audit log and progress (audit.py, progress.py) ---------------------------------

    def audit(self, action: str, *, item: Any = None, request: Request | None = None, data: Any = None,
              item_id: Any = None) -> None:
        """Send an audit event of your own (a no-op unless the view audits)."""
        audit.emit(self, action, item=item, request=request, data=data, item_id=item_id)

    def _audit_snapshot(self, item: Any) -> dict[str, Any]:
        """The row's columns as the audit log records them (less `audit_log_exclude`)."""
        return audit.snapshot(self, item)

    def progress_response(self, request: Request, item_id: Any, item: Any = None, progress: int = 0,
                          status: str = "Starting...") -> Any:
        """The first progress bar of a task on row `item_id` (see progress.py)."""
        return progress_bars.start_response(self, request, item_id, item, progress, status)

    @property
    def progress_store(self) -> Any:
        """Where this view's progress is read (and a worker may write it)."""
        return progress_bars.store(self)

    async def ai_complete(self, prompt: str, *, system: str | None = None, tools: Sequence[str] | None = None,
                          db: Any = None) -> str:
        """One stateless AI call with the configured connection (see `crud.ai.complete`)."""
        return await complete.ai_complete(prompt, system=system, tools=tools, db=db)

    # --- hooks ------------------------------------------------------------------------

    def scope(self, request: Request, stmt: Select[Any]) -> Select[Any]:
        """Narrow every statement the view builds (e.g. to the user's tenant); a row
        outside it is a 404 on every item route."""
        return stmt

    def on_model_change(self, item: Any, form_data: dict[str, Any], is_new: bool, db: Any, request: Any = None) -> None:
        """Before commit: change `item` or raise ValidationError to refuse the save."""

    def after_model_change(self, item: Any, form_data: dict[str, Any], is_new: bool, db: Any, request: Any = None) -> None:
        """After a successful commit."""

    def on_model_delete(self, item: Any, db: Any) -> None:
        """Before the delete: raise ValidationError to refuse it."""

    def after_model_delete(self, item: Any, db: Any) -> None:
        """After a successful delete commit."""


def _actions(view: CRUDView, setting: str) -> tuple[Action, ...]:
    """A view's action list as Actions; a mistake in one is an error naming the setting."""
    try:
        return as_actions(getattr(view, setting))
    except ValueError as error:
        raise ValueError(f"{type(view).__name__}.{setting}: {error}") from None

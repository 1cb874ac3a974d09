"""The buttons of a view's actions: those of a list row (View, Edit and Delete as the
view permits, the reference's `row_actions` dicts, the `@row_action` / `@link_row_action`
methods, which the detail page shows too) and the entries of the "With Selected" menu
(`multi_row_actions`, then the `@action` batch actions).

`row_actions` read two ways: only dicts (the reference) put the extra buttons between
Edit and Delete; any string entry makes the list the row's layout, in order, where a
string names "view", "edit", "delete" or a decorated row action and a dict is an extra
button. A link row action's href is its method's answer for each row, computed when the
list is rendered; a request row action posts to `/{name}/row-action/{action}/{id}`, or
first opens its confirmation dialog when it has a confirmation text or a form.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from starlette.requests import Request

from fasthx_ui import Action, as_actions
from fasthx_ui.crud import access
from fasthx_ui.crud.actions import DEFAULT_ROW_ACTIONS, ROW_MARK, RowAction, RowActionsDisplayType, marked
from fasthx_ui.crud.navigation import with_next

Layout = tuple[Any, ...]


def row_setup(view: Any) -> tuple[Layout | None, tuple[Action, ...], dict[str, RowAction]]:
    """Read the view's `row_actions` once, at init: (the layout, or None for the default
    View, Edit, extras, Delete; the extra buttons as Actions; the decorated row actions
    by name). A mistake is a ValueError naming the setting."""
    where = f"{type(view).__name__}.row_actions"
    decorated: dict[str, RowAction] = marked(view, ROW_MARK)
    for found in decorated.values():
        if found.is_link and inspect.iscoroutinefunction(getattr(view, found.attr)):
            raise TypeError(f"{type(view).__name__}.{found.attr}: a link row action is a plain function (it runs per row while the list renders)")
    entries = list(view.row_actions or ())
    layout: list[Any] = []
    for entry in entries:
        if isinstance(entry, str):
            if entry not in decorated and entry not in DEFAULT_ROW_ACTIONS:
                raise ValueError(f"{where}: no row action named {entry!r}")
            layout.append(entry)
        elif isinstance(entry, (Mapping, Action)):
            try:
                layout.append(as_actions([entry])[0])
            except ValueError as error:
                raise ValueError(f"{where}: {error}") from None
        else:
            raise ValueError(f"{where}: an entry is a name or a dict, not {entry!r}")
    if any(isinstance(entry, str) for entry in layout):
        named = {entry for entry in layout if isinstance(entry, str)}
        return tuple(layout), (), {name: found for name, found in decorated.items() if name in named}
    return None, tuple(layout), decorated


def row_actions_display(view: Any) -> str:
    """The RowActions `display` prop of the view's `row_actions_display_type`."""
    return "dropdown" if view.row_actions_display is RowActionsDisplayType.DROPDOWN else "icons"


def allowed(view: Any, permission: str) -> bool:
    """True when the view's flag for `permission` is on (READ needs none)."""
    flag = access.PERMISSION_FLAGS.get(permission)
    return not flag or bool(getattr(view, flag, True))


def icon_name(icon_class: str | None) -> str:
    """A Bootstrap Icons name from starlette-admin's `icon_class` ("bi bi-lock", "lock", or
    a Font Awesome class such as "fas fa-check-circle", which names the Bootstrap icon of
    the same name: the toolkit ships Bootstrap Icons only)."""
    words = (icon_class or "").split()
    bootstrap = [word for word in words if word.startswith("bi-")]
    awesome = [word for word in words if word.startswith("fa-")]  # "fa-solid fa-lock": the last one names it
    name = bootstrap[0] if bootstrap else awesome[-1] if awesome else words[-1] if words else ""
    return name.removeprefix("bi-").removeprefix("fa-")


def action_url(view: Any, name: str, row_id: str = "{id}") -> str:
    return f"{view.list_url}/row-action/{name}/{row_id}"


def decorated_action(view: Any, found: RowAction) -> Action:
    """The button of a request row action (`{id}` filled per row by RowActions)."""
    common = {"icon": icon_name(found.icon_class), "css_class": found.action_btn_class or ""}
    if found.needs_dialog:
        return Action(found.text, method="get", url=f"{action_url(view, found.name)}/confirm", swap="none", **common)
    return Action(found.text, method="post", url=action_url(view, found.name), swap="none", **common)


def default_action(view: Any, name: str, back: str) -> Action | None:
    """View, Edit or Delete, each carrying the list URL back as `next`; None when not allowed."""
    base = f"{view.list_url}/{{id}}"
    if name == "view":
        return Action("View", icon="eye", href=with_next(base, back, view), css_class="btn-outline-secondary")
    if name == "edit":
        return Action("Edit", icon="pencil", href=with_next(f"{base}/edit", back, view)) if view.can_edit else None
    if view.can_delete:
        return Action("Delete", icon="trash", method="post", url=with_next(f"{base}/delete", back, view), swap="none",
                      css_class="btn-outline-danger", confirm=f"Delete {view.model.__name__} #{{id}}?")
    return None


def row_actions(view: Any, request: Request, back: str) -> list[Action] | Callable[[Any], list[Action]]:
    """The row's actions for the list's Table: one list for every row, or, when the view has
    link row actions, a function of the row (their hrefs differ per row)."""
    layout = view.row_action_layout
    if layout is None:
        layout = ("view", "edit", *view.extra_row_actions, *view.decorated_row_actions, "delete")
    parts: list[Action | RowAction] = []
    for entry in layout:
        if isinstance(entry, Action):
            parts.append(entry)
        elif entry in DEFAULT_ROW_ACTIONS:
            action = default_action(view, entry, back)
            if action is not None:
                parts.append(action)
        else:
            found = view.decorated_row_actions[entry]
            if not found.exclude_from_list and allowed(view, found.permission):
                parts.append(found if found.is_link else decorated_action(view, found))
    if not any(isinstance(part, RowAction) for part in parts):
        return parts  # type: ignore[return-value]
    return lambda row: per_row(view, request, parts, row)


def per_row(view: Any, request: Request, parts: Sequence[Action | RowAction], row: Any) -> list[Action]:
    """The actions of one row, the link row actions' hrefs asked of their methods."""
    pk = view.model_info.pk_of(row)
    return [part if isinstance(part, Action) else
            Action(part.text, icon=icon_name(part.icon_class), css_class=part.action_btn_class or "",
                   href=str(getattr(view, part.attr)(request, pk)))
            for part in parts]


def detail_actions(view: Any, request: Request, item: Any) -> list[Action]:
    """The decorated row actions of the detail page of `item` (not `exclude_from_detail`,
    as permitted), in the view's order; `{id}` is filled by RowActions."""
    parts = [found for found in view.decorated_row_actions.values()
             if not found.exclude_from_detail and allowed(view, found.permission)]
    order = [entry for entry in (view.row_action_layout or ()) if isinstance(entry, str)]
    parts.sort(key=lambda found: order.index(found.name) if found.name in order else len(order))
    return per_row(view, request, [part if part.is_link else decorated_action(view, part) for part in parts], item)


def bulk_menu(view: Any) -> list[Action]:
    """The "With Selected" menu: the reference's `multi_row_actions`, then the batch actions
    the view permits. A view that opts into none of them (no `multi_row_actions`, no
    `actions` list, no `@action` of its own) keeps its list without a selection column,
    as in the reference; its default `delete` batch action still answers its route."""
    batches = view.batch_actions
    opted_in = bool(view.bulk_actions) or view.actions is not None or any(name != "delete" for name in batches)
    if not opted_in:
        return []
    menu = list(view.bulk_actions)
    for batch in batches.values():
        if not allowed(view, batch.permission):
            continue
        url = f"{view.list_url}/action/{batch.name}"
        menu.append(Action(
            batch.text, icon=icon_name(batch.icon_class), method="get" if batch.needs_dialog else "post",
            url=f"{url}/confirm" if batch.needs_dialog else url, query_selection=True,
            css_class="text-danger" if "danger" in batch.submit_btn_class else "",
        ))
    return menu

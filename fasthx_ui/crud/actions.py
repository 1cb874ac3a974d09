"""starlette-admin style actions on CRUD views: `@action` (batch actions on the selected
rows), `@row_action` (a request on one row) and `@link_row_action` (a link per row).

A decorator leaves the method as it is and marks it with a frozen dataclass
(`BatchAction`, `RowAction`); `CRUDView.__init__` collects the marks into
`view.batch_actions` and `view.decorated_row_actions`, ordered by the view's `actions` /
`row_actions` name lists when given, else in definition order (base classes first, so
the default `delete` batch action comes first). A handler raises `ActionFailed` to refuse
(nothing is written, the user reads the message), returns a string (a success toast) or
a Response (sent as is). Handlers find the request's SQLAlchemy session in
`request.state.session`, as in starlette-admin.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from fasthx_ui.crud import access

BATCH_MARK = "_fasthx_batch_action"
ROW_MARK = "_fasthx_row_action"
DEFAULT_ROW_ACTIONS = ("view", "edit", "delete")
"""The row actions every view has (as permitted); `row_actions` may name them."""
SUBMIT_TEXT = "Yes, Proceed"
FORM_TAG = re.compile(r"</?form\b[^>]*>", re.IGNORECASE)


class ActionFailed(Exception):
    """Raised by an action handler to refuse the action: the session is rolled back and
    the message is shown as a danger toast."""

    def __init__(self, msg: str):
        super().__init__(msg)
        self.msg = msg


class RowActionsDisplayType(str, enum.Enum):
    """How a list row shows its actions: a row of icon buttons, or one dropdown menu."""

    ICON_LIST = "icon_list"
    DROPDOWN = "dropdown"


def display_type(value: Any) -> RowActionsDisplayType:
    """A `RowActionsDisplayType` from the enum or its string ("icon_list"/"dropdown",
    any case, also the member names); ValueError for anything else."""
    if isinstance(value, RowActionsDisplayType):
        return value
    text = str(value).strip().lower()
    for member in RowActionsDisplayType:
        if text in (member.value, member.name.lower()):
            return member
    raise ValueError(f"row_actions_display_type must be icon_list or dropdown, not {value!r}")


@dataclass(frozen=True)
class BatchAction:
    """One batch action: what the "With Selected" menu and its confirmation dialog show.

    `form` is trusted HTML from the view's code (fields posted with the ids), `attr` the
    handler's method name, `permission` the access check of its route (DELETE for
    `delete`, EDIT otherwise unless the decorator says so).
    """

    name: str
    text: str
    confirmation: str | None = None
    submit_btn_text: str = SUBMIT_TEXT
    submit_btn_class: str = "btn-primary"
    form: str | None = None
    icon_class: str | None = None
    custom_response: bool = False
    attr: str = ""
    permission: str = access.EDIT

    @property
    def needs_dialog(self) -> bool:
        """True when the user confirms or fills a form before the action runs."""
        return bool(self.confirmation or self.form)


@dataclass(frozen=True)
class RowAction:
    """One decorated row action: a request (`is_link` False) whose dialog shows
    `confirmation`/`form` when given, or a link whose href the handler returns per row."""

    name: str
    text: str
    confirmation: str | None = None
    action_btn_class: str | None = None
    icon_class: str | None = None
    submit_btn_text: str = SUBMIT_TEXT
    submit_btn_class: str = "btn-primary"
    form: str | None = None
    custom_response: bool = False
    exclude_from_list: bool = False
    exclude_from_detail: bool = False
    is_link: bool = False
    attr: str = ""
    permission: str = access.EDIT

    @property
    def needs_dialog(self) -> bool:
        return not self.is_link and bool(self.confirmation or self.form)


def action(
    name: str,
    text: str,
    confirmation: str | None = None,
    submit_btn_class: str | None = "btn-primary",
    submit_btn_text: str | None = SUBMIT_TEXT,
    icon_class: str | None = None,
    form: str | None = None,
    custom_response: bool | None = False,
    permission: str | None = None,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Mark a view method `(self, request, pks)` as the batch action `name`.

    `confirmation` may say `{count}` (the number of selected rows); `permission` is
    the route's access check (default DELETE for "delete", else EDIT).
    """
    name, permission = _name(name), _permission(name, permission)
    return _mark(BATCH_MARK, BatchAction(
        name=name, text=text, confirmation=confirmation,
        submit_btn_text=submit_btn_text or SUBMIT_TEXT, submit_btn_class=submit_btn_class or "btn-primary",
        form=dialog_fields(form), icon_class=icon_class, custom_response=bool(custom_response), permission=permission,
    ))


def row_action(
    name: str,
    text: str,
    confirmation: str | None = None,
    action_btn_class: str | None = None,
    icon_class: str | None = None,
    submit_btn_text: str | None = SUBMIT_TEXT,
    submit_btn_class: str | None = "btn-primary",
    form: str | None = None,
    custom_response: bool | None = False,
    exclude_from_list: bool = False,
    exclude_from_detail: bool = False,
    permission: str | None = None,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Mark a view method `(self, request, pk)` as the row action `name` (a POST of one row)."""
    name, permission = _name(name), _permission(name, permission)
    return _mark(ROW_MARK, RowAction(
        name=name, text=text, confirmation=confirmation, action_btn_class=action_btn_class,
        icon_class=icon_class, submit_btn_text=submit_btn_text or SUBMIT_TEXT,
        submit_btn_class=submit_btn_class or "btn-primary", form=dialog_fields(form),
        custom_response=bool(custom_response),
        exclude_from_list=exclude_from_list, exclude_from_detail=exclude_from_detail, permission=permission,
    ))


def link_row_action(
    name: str,
    text: str,
    action_btn_class: str | None = None,
    icon_class: str | None = None,
    exclude_from_list: bool = False,
    exclude_from_detail: bool = False,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Mark a view method `(self, request, pk) -> str` as the link row action `name`: the
    link's href is what the method returns for each row when the list is rendered."""
    return _mark(ROW_MARK, RowAction(
        name=_name(name), text=text, action_btn_class=action_btn_class, icon_class=icon_class,
        exclude_from_list=exclude_from_list, exclude_from_detail=exclude_from_detail, is_link=True,
        permission=access.READ,
    ))


def dialog_fields(form: str | None) -> str | None:
    """An action's `form` without its `<form>` tags: starlette-admin's examples wrap the
    fields in one, but the dialog is the form that posts them with the ids, and a form
    inside a form loses its fields (and, parsed into a page, closes the dialog's early)."""
    return FORM_TAG.sub("", form) if form else form


def _mark(key: str, found: BatchAction | RowAction) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """A decorator that leaves the method as it is and sets `found` on it under `key`,
    with the method's name as its `attr`."""

    def mark(func: Callable[..., Any]) -> Callable[..., Any]:
        setattr(func, key, replace(found, attr=func.__name__))
        return func

    return mark


def _name(name: str) -> str:
    if not name or not all(c.isalnum() or c in "_-" for c in name):
        raise ValueError(f"action name {name!r}: use letters, digits, '_' and '-' (it is part of a URL)")
    return name


def _permission(name: str, permission: str | None) -> str:
    if permission is None:
        return access.DELETE if name == "delete" else access.EDIT
    if permission not in (access.READ, *access.PERMISSION_FLAGS):
        raise ValueError(f"action {name!r}: permission must be read, create, edit or delete, not {permission!r}")
    return permission


def marked(view: Any, mark: str) -> dict[str, Any]:
    """The marks `mark` on the view's methods by action name, base classes first, each
    class in definition order; a method a subclass redefines without the mark drops it."""
    by_attr: dict[str, Any] = {}
    for klass in reversed(type(view).__mro__):
        for attr, value in vars(klass).items():
            found = getattr(value, mark, None)
            if found is not None:
                by_attr[attr] = found if found.attr == attr else replace(found, attr=attr)  # set under another name
            else:
                by_attr.pop(attr, None)
    named: dict[str, Any] = {}
    for found in by_attr.values():
        if found.name in named:
            raise ValueError(f"{type(view).__name__}: two actions are named {found.name!r}")
        named[found.name] = found
    return named


def collect_batch_actions(view: Any) -> dict[str, BatchAction]:
    """`view.batch_actions`: the decorated batch actions, ordered by the view's `actions`
    names when set; `delete` only while `can_delete` is on."""
    found: dict[str, BatchAction] = marked(view, BATCH_MARK)
    names = getattr(view, "actions", None)
    if names is not None:
        unknown = [name for name in names if name not in found]
        if unknown:
            raise ValueError(f"{type(view).__name__}.actions: no batch action named {', '.join(map(repr, unknown))}")
        found = {name: found[name] for name in names}
    if not view.can_delete:
        found.pop("delete", None)
    return found

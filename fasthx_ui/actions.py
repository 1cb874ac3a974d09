"""Actions: one small type for the buttons and links of table rows, bulk menus and modals.

An `Action` is either an htmx request (`method` + `url`) or a link (`href`). The
reference's dict shapes convert with `Action.from_dict` / `as_actions` when a view or a
helper is configured, so a typo in a key is a clear `ValueError` then, not a silent
button that does nothing. `{id}` in a URL, confirm text or target is the row's id.

The components (RowActions, BulkActions, ModalContent) read an action through the
reference's keys (`action["hx_post"]`, `action["class"]`, `action["target"]`, …), which
an Action answers too: they take Actions and the reference's dicts alike, and templates
written against the reference's dicts keep working when they are given Actions.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import quote

METHODS = ("get", "post")
DICT_KEYS = frozenset({
    "label", "icon", "hx_post", "hx_get", "href", "hx_target", "hx_swap", "confirm", "download", "target",
    "progress", "class", "css_class",
})
"""The keys of the reference's action dicts (row and bulk actions say `class`, modal actions `css_class`)."""


@dataclass(frozen=True)
class Action:
    """A button (`method` "get"/"post" and `url`, sent by htmx) or a link (`href`).

    `target` and `swap` are the request's hx-target and hx-swap (empty: the component's
    default, e.g. "closest tr" and "afterend" in a table row); `link_target` is a link's
    `<a target>`; `download` marks a link as a download; `confirm` asks first; `progress`
    says the request starts a job whose progress bar follows the row; `query_selection`
    (bulk actions) says that in the "all matching" mode the request carries
    `selection=all` and the list's search and filters instead of every id.
    """

    label: str
    icon: str = ""
    method: str | None = None
    url: str = ""
    href: str = ""
    target: str = ""
    swap: str = ""
    confirm: str = ""
    css_class: str = ""
    download: bool = False
    link_target: str = ""
    progress: bool = False
    query_selection: bool = False

    def __post_init__(self) -> None:
        if not self.label:
            raise ValueError("An action needs a label.")
        method = self.method.lower() if isinstance(self.method, str) else self.method
        if method not in (None, *METHODS):
            raise ValueError(f"Action {self.label!r}: method must be 'get' or 'post', not {self.method!r}.")
        object.__setattr__(self, "method", method)
        if bool(method) != bool(self.url):
            raise ValueError(f"Action {self.label!r}: give `method` and `url` together (an htmx request).")
        if not self.url and not self.href:
            raise ValueError(f"Action {self.label!r} needs a url (hx_post or hx_get) or an href.")
        if self.url and self.href:
            raise ValueError(f"Action {self.label!r} has both a url and an href: it is either a request or a link.")

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Action:
        """An Action from the reference's dict shape; `ValueError` for an unknown key,
        both `class` and `css_class`, both `hx_post` and `hx_get`, or no URL at all."""
        label = data.get("label") or ""
        unknown = sorted(set(data) - DICT_KEYS)
        if unknown:
            allowed = ", ".join(sorted(DICT_KEYS))
            raise ValueError(f"Action {label!r}: unknown key(s) {', '.join(unknown)}; an action dict takes {allowed}.")
        if "class" in data and "css_class" in data:
            raise ValueError(f"Action {label!r}: give `class` or `css_class`, not both.")
        if data.get("hx_post") and data.get("hx_get"):
            raise ValueError(f"Action {label!r}: give `hx_post` or `hx_get`, not both.")
        method = "post" if data.get("hx_post") else "get" if data.get("hx_get") else None
        return cls(
            label=label,
            icon=data.get("icon") or "",
            method=method,
            url=data.get("hx_post") or data.get("hx_get") or "",
            href=data.get("href") or "",
            target=data.get("hx_target") or "",
            swap=data.get("hx_swap") or "",
            confirm=data.get("confirm") or "",
            css_class=data.get("class") or data.get("css_class") or "",
            download=bool(data.get("download")),
            link_target=data.get("target") or "",
            progress=bool(data.get("progress")),
        )

    def resolved(self, row_id: Any) -> Action:
        """A copy with `{id}` filled in: URL-quoted as one path segment in `url` and `href`
        (a `/` too, so an id like `../users/1` cannot point the action elsewhere), as text
        in `confirm` and `target` (the components escape both when they render them)."""
        quoted = quote(str(row_id), safe="")
        text = str(row_id)
        return replace(
            self,
            url=self.url.replace("{id}", quoted),
            href=self.href.replace("{id}", quoted),
            confirm=self.confirm.replace("{id}", text),
            target=self.target.replace("{id}", text),
        )

    def __getitem__(self, key: str) -> Any:
        """The value under one of the reference's dict keys (`"hx_post"`, `"class"`,
        `"target"` for the link target, …); KeyError for any other key."""
        try:
            read = DICT_READERS[key]
        except KeyError:
            raise KeyError(key) from None
        return read(self)

    def get(self, key: str, default: Any = None) -> Any:
        """`action[key]` for a reference dict key, else `default` (like `dict.get`)."""
        try:
            return self[key]
        except KeyError:
            return default


DICT_READERS: dict[str, Callable[[Action], Any]] = {
    "label": lambda a: a.label,
    "icon": lambda a: a.icon,
    "hx_post": lambda a: a.url if a.method == "post" else "",
    "hx_get": lambda a: a.url if a.method == "get" else "",
    "href": lambda a: a.href,
    "hx_target": lambda a: a.target,
    "hx_swap": lambda a: a.swap,
    "confirm": lambda a: a.confirm,
    "download": lambda a: a.download,
    "target": lambda a: a.link_target,
    "progress": lambda a: a.progress,
    "class": lambda a: a.css_class,
    "css_class": lambda a: a.css_class,
}
"""How an Action answers each reference dict key (the inverse of `Action.from_dict`)."""


def as_actions(items: Iterable[Action | Mapping[str, Any]] | None) -> tuple[Action, ...]:
    """Actions from a list of Actions and/or the reference's dicts (None: no actions).

    Call it where actions are configured (a view's `row_actions`, a helper's `actions=`)
    so a mistake in a dict fails there with a clear message.
    """
    actions = []
    for item in items or ():
        if isinstance(item, Action):
            actions.append(item)
        elif isinstance(item, Mapping):
            actions.append(Action.from_dict(item))
        else:
            raise ValueError(f"An action is an Action or a dict, not {type(item).__name__}: {item!r}.")
    return tuple(actions)

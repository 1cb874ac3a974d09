"""The list table of a CRUD view as a `TableSpec`: which columns show, their labels,
formatters, sorting, search, dropdown filters, header filters and polling, all from the
view's `column_*` and `htmx_columns` settings.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from fasthx_ui.table import Column, Polling, TableSpec
from fasthx_ui.values import column_label

TRIGGER_RE = re.compile(r"\s*every\s+(\d+(?:\.\d+)?)\s*(ms|s|m)?\s*")
BOOLEAN_CHOICES = (("true", "Yes"), ("false", "No"))


def list_keys(view: Any) -> list[str]:
    """The list's columns: `column_list` (in order) or every model column, less `column_exclude`."""
    info = view.model_info
    keys = list(view.column_list) if view.column_list is not None else list(info.columns)
    excluded = set(view.column_exclude or ())
    return [key for key in keys if key not in excluded]


def label_for(view: Any, key: str) -> str:
    """A column's label: `column_labels` when it names the key, else the toolkit's rule."""
    return (view.column_labels or {}).get(key) or column_label(key)


def polling_for(owner: str, settings: Mapping[str, Any]) -> Polling:
    """An `htmx_columns` entry ({"url", "trigger": "every 5s", "terminal_states"}) as a Polling."""
    if not settings.get("url"):
        raise ValueError(f"{owner}: an htmx_columns entry needs a 'url'")
    return Polling(url=settings["url"], every=trigger_seconds(owner, settings.get("trigger", "every 5s")),
                   terminal_states=tuple(str(s) for s in settings.get("terminal_states", ())))


def trigger_seconds(owner: str, trigger: str) -> float:
    """Seconds between polls from an htmx trigger like `every 5s`, `every 500ms`, `every 1m`."""
    match = TRIGGER_RE.fullmatch(str(trigger))
    if match is None or float(match.group(1)) <= 0:
        raise ValueError(f"{owner}: htmx_columns trigger {trigger!r} is not like 'every 5s'")
    number, unit = float(match.group(1)), match.group(2) or "s"
    return number / 1000 if unit == "ms" else number * 60 if unit == "m" else number


def filter_choices(view: Any, key: str) -> Any:
    """Declared options of a dropdown filter (an Enum's members, yes/no for booleans), or
    None for the column's distinct values."""
    info = view.model_info
    return info.enum_class(key) or (BOOLEAN_CHOICES if info.is_boolean(key) else None)


def table_spec(view: Any) -> TableSpec:
    """The view's TableSpec: a column per listed key, then search- and filter-only columns
    (`display=False`) for the searched and filtered paths the list does not show.
    Configuration mistakes raise a ValueError naming the setting."""
    info = view.model_info
    owner = type(view).__name__
    keys = list_keys(view)
    info.check_paths(f"{owner}.column_list", keys)
    for setting in ("column_searchable", "column_filters", "column_header_filters"):
        info.check_paths(f"{owner}.{setting}", getattr(view, setting) or ())
    formatters = view.column_formatters or {}
    polling = view.htmx_columns or {}
    for key in polling:
        if key not in keys:
            raise ValueError(f"{owner}.htmx_columns: {key!r} is not a column of the list")
    sortable = set(view.column_sortable) if view.column_sortable is not None else None
    searched = _searched(view, keys)
    header_paths = _header_filter_paths(view, keys)
    hidden = _Hidden(view)
    columns = []
    for key in keys:
        path = header_paths.get(key, key)  # a header filter on `site_id.name` filters the Site column by name
        for flag, entries in (("search", searched), ("filter", view.column_filters or ())):
            if key in entries and path != key:
                hidden.add(key, flag)
        columns.append(Column(
            key,
            label=label_for(view, key),
            sortable=(key in info.columns or "." in key) and (sortable is None or key in sortable),
            searchable=key in searched and path == key,
            filter=key in (view.column_filters or ()) and path == key,
            choices=filter_choices(view, key) if key in (view.column_filters or ()) and path == key else None,
            header_filter=key in header_paths,
            filter_key=path,
            param=path,
            formatter=formatters.get(key),
            status=key in polling and key not in formatters,
            polling=polling_for(owner, polling[key]) if key in polling else None,
        ))
    for entry in searched:
        if entry not in keys:
            hidden.add(entry, "search")
    for entry in view.column_filters or ():
        if entry not in keys:
            hidden.add(entry, "filter")
    for entry in view.column_header_filters or ():
        if entry not in header_paths.values():
            hidden.add(entry, "header_filter")
    return TableSpec([*columns, *hidden.columns()], id_key=info.pk_key, page_size=view.page_size)


class _Hidden:
    """The search- and filter-only columns of a list, one per path, flags accumulated."""

    def __init__(self, view: Any) -> None:
        self.view = view
        self.flags: dict[str, set[str]] = {}

    def add(self, path: str, flag: str) -> None:
        self.flags.setdefault(path, set()).add(flag)

    def columns(self) -> list[Column]:
        found = []
        for path, flags in self.flags.items():
            filtered = "filter" in flags or "header_filter" in flags
            found.append(Column(
                path, label=label_for(self.view, path), display=False, sortable=False,
                searchable="search" in flags, filter="filter" in flags, header_filter="header_filter" in flags,
                choices=filter_choices(self.view, path) if "filter" in flags else None,
                param=path if filtered else f"search:{path}",
            ))
        return found


def _searched(view: Any, keys: Sequence[str]) -> list[str]:
    """The paths the search box looks at: `column_searchable`, or the listed String columns."""
    if view.column_searchable is None:
        strings = set(view.model_info.string_columns())
        return [key for key in keys if key in strings]
    return list(view.column_searchable)


def _header_filter_paths(view: Any, keys: Sequence[str]) -> dict[str, str]:
    """Listed key -> the path its header filter looks at: the key itself, or a dotted
    path through it (`site_id.name` filters the `site_id` column by the related name)."""
    found: dict[str, str] = {}
    for entry in view.column_header_filters or ():
        shown = entry if entry in keys else entry.split(".", 1)[0]
        if shown in keys and shown not in found:
            found[shown] = entry
    return found


def eager_paths(view: Any) -> list[str]:
    """Relationships loaded with the list's rows: `column_eager`, or by default the listed
    relationships and those of the listed foreign-key columns, which formatters typically
    read (`obj.site.name`): a page costs the same few statements whatever its size."""
    info = view.model_info
    if view.column_eager is not None:
        info.check_paths(f"{type(view).__name__}.column_eager", view.column_eager)
        return list(view.column_eager)
    found = []
    for key in list_keys(view):
        if key in info.relationships:
            found.append(key)
        elif key in info.foreign_keys:
            found.append(info.foreign_keys[key].relationship)
    return [name for name in dict.fromkeys(found) if name]

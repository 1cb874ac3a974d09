"""How table cells read values: dotted paths through rows, the text shown for a value
(and for a count), and the text a dropdown filter sends for it. Shared by columns, sources and badges."""

from __future__ import annotations

import enum
import uuid
from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any

from fasthx_ui.fk_paths import related_object


PLAIN_VALUES = (str, bytes, int, float, Decimal, uuid.UUID)


def resolve(obj: Any, path: str) -> Any:
    """Follow a dotted path through dicts and attributes; None when a link is missing.
    A link that holds a foreign key value (`site_id` in `site_id.name`) is followed
    through the object it points to (see `fk_paths.related_object`)."""
    if "." not in path:  # the common case, kept short: an export resolves every cell of every row
        return obj.get(path) if isinstance(obj, Mapping) else getattr(obj, path, None)
    parts = path.split(".")
    last = len(parts) - 1
    for i, part in enumerate(parts):
        if obj is None:
            return None
        parent = obj
        obj = obj.get(part) if isinstance(obj, Mapping) else getattr(obj, part, None)
        if i < last and isinstance(obj, PLAIN_VALUES):
            obj = related_object(parent, part)
    return obj


def cell_text(value: Any) -> str:
    """The plain text shown for a value (enum members by value, None as empty)."""
    if value is None:
        return ""
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    return str(value)


def figure_text(value: Any) -> str:
    """A count or total as shown to people: whole numbers with thousands separators
    (`3,000`, as a table's summary writes them); other values as `cell_text` shows them."""
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return cell_text(value)


def filter_text(value: Any) -> str:
    """The text a dropdown filter sends for a value (`true`/`false` for booleans)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return cell_text(value)

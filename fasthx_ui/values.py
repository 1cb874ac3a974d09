"""Facts about values that tables, forms, filters and exports must agree on, in one place:
the label of a column, the range of an integer column, how text spells a number, and the
rule that matches text in SQL (LIKE or ILIKE per dialect, wildcards escaped).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

import sqlalchemy as sa

INT_RANGES: tuple[tuple[type, tuple[int, int]], ...] = (
    (sa.SmallInteger, (-(2**15), 2**15 - 1)),
    (sa.BigInteger, (-(2**63), 2**63 - 1)),
    (sa.Integer, (-(2**31), 2**31 - 1)),
)
"""Value ranges of the integer column types, most specific first (BigInteger is an Integer)."""


def column_label(key: str) -> str:
    """The label of a column or field key everywhere it is shown: `site_id` -> "Site",
    `site.name` -> "Site name", `ip_address` -> "Ip address"."""
    words = key.replace(".", " ").replace("_", " ").split()
    if len(words) > 1 and words[-1] == "id":
        words = words[:-1]
    return " ".join(words).capitalize() or key


def int_range(column_type: Any) -> tuple[int, int] | None:
    """The (lowest, highest) value an integer column type holds; None for other types."""
    return next((bounds for kind, bounds in INT_RANGES if isinstance(column_type, kind)), None)


def parse_number(text: str) -> int | Decimal | None:
    """The number `text` spells (`42`, `-3.5`, `1e3`), or None: whole numbers as int,
    the rest as a finite Decimal. Never raises."""
    text = text.strip()
    try:
        return int(text)
    except ValueError:
        pass
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def escape_like(text: str) -> str:
    """Escape LIKE wildcards so a search for `50%` or `a_b` means those characters."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def text_contains(expr: sa.ColumnElement[Any], text: str, dialect: str) -> sa.ColumnElement[bool]:
    """`expr` contains `text`, ignoring case: ILIKE on PostgreSQL; LIKE elsewhere (SQLite's
    LIKE ignores ASCII case). Non-text columns are cast to text; no `lower()` is wrapped
    around the column, so its index stays usable."""
    if not isinstance(expr.type, sa.String):
        expr = sa.cast(expr, sa.String)
    pattern = f"%{escape_like(text)}%"
    if dialect == "postgresql":
        return expr.ilike(pattern, escape="\\")
    return expr.like(pattern, escape="\\")

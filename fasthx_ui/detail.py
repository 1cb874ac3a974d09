"""DetailList's server side: the (label, value) pairs of one record's detail page."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from markupsafe import Markup

from fasthx_ui.table import Column


def detail_items(obj: Any, columns: Iterable[Column | str]) -> list[tuple[str, Markup]]:
    """Each column's label and its value in `obj` as a table cell shows it (a formatter's
    trusted HTML, a status badge, or the escaped text), ready for `<ui:DetailList>`.
    A column may be given by its key alone (`"site.name"`)."""
    specs = [column if isinstance(column, Column) else Column(column) for column in columns]
    return [(spec.label, spec.render(obj)) for spec in specs]

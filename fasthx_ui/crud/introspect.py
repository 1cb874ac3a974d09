"""Model introspection for CRUD views: what a SQLAlchemy model offers a view.

Its columns in declaration order, the primary key and how a URL segment becomes one,
foreign keys with their target class and the relationship that follows them, the
scalar column defaults a create form starts from, and the label of a related row (its
`__repr__`, as the reference documents for foreign-key dropdowns).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapper

from fasthx_ui.fk_paths import mapped_class_of, relationship_of
from fasthx_ui.form_model import column_coercer


@dataclass(frozen=True)
class ForeignKeyInfo:
    """A foreign-key column of the model and where it points."""

    key: str  # the local column's attribute key, e.g. "site_id"
    target_table: sa.Table
    target_column: sa.Column
    target_model: type | None  # the mapped class of the target table, when there is one
    relationship: str | None  # the many-to-one relationship over this column, when declared


class ModelInfo:
    """What a CRUD view needs to know about `model` (a mapped class)."""

    def __init__(self, model: type) -> None:
        mapper = sa.inspect(model, raiseerr=False)
        if not isinstance(mapper, Mapper):
            raise TypeError(f"{model!r} is not a mapped SQLAlchemy class")
        self.model = model
        self.mapper = mapper
        self.columns: dict[str, sa.Column] = {attr.key: attr.columns[0] for attr in mapper.column_attrs}
        if len(mapper.primary_key) != 1:
            raise TypeError(f"{model.__name__}: CRUD views need a single-column primary key")
        self.pk_column = mapper.primary_key[0]
        self.pk_key = mapper.get_property_by_column(self.pk_column).key
        self._pk_coerce = column_coercer(self.pk_column)
        self.relationships = {rel.key: rel for rel in mapper.relationships}
        self.foreign_keys = {key: self._foreign_key(key, column) for key, column in self.columns.items()
                             if column.foreign_keys}

    def _foreign_key(self, key: str, column: sa.Column) -> ForeignKeyInfo:
        target = next(iter(column.foreign_keys)).column
        relationship = relationship_of(self.mapper, key)
        return ForeignKeyInfo(key, target.table, target, mapped_class_of(self.mapper, target.table),
                              relationship.key if relationship is not None else None)

    def parse_pk(self, text: str) -> Any | None:
        """The primary-key value a URL segment names, or None when it cannot be one
        (`abc` or a number beyond the column's range for an integer key; for a text key,
        longer than the column or holding a NUL, which PostgreSQL refuses to compare)."""
        if self._pk_coerce is None:
            length = getattr(self.pk_column.type, "length", None)
            return None if "\x00" in text or (length is not None and len(text) > length) else text
        try:
            return self._pk_coerce(text)
        except (ValueError, TypeError, ArithmeticError):
            return None

    def pk_of(self, item: Any) -> Any:
        return getattr(item, self.pk_key)

    def string_columns(self) -> list[str]:
        """Keys of the String (and Text) columns, in declaration order."""
        return [key for key, column in self.columns.items() if isinstance(column.type, sa.String)]

    def enum_class(self, key: str) -> type | None:
        """The Python Enum class behind an Enum column, else None."""
        column = self.columns.get(key)
        return getattr(column.type, "enum_class", None) if column is not None and isinstance(column.type, sa.Enum) else None

    def is_boolean(self, key: str) -> bool:
        column = self.columns.get(key)
        return column is not None and isinstance(column.type, sa.Boolean)

    def scalar_defaults(self) -> dict[str, Any]:
        """Column defaults that are plain values (not functions or SQL): a create form's start."""
        return {key: column.default.arg for key, column in self.columns.items()
                if column.default is not None and column.default.is_scalar}

    def check_paths(self, owner: str, names: Iterable[str]) -> None:
        """Raise a clear ValueError for a configured name that is neither a column, a
        relationship, nor a dotted path starting with one (a typo in a view's lists)."""
        for name in names:
            first = name.split(".", 1)[0]
            if first not in self.columns and first not in self.relationships:
                raise ValueError(f"{owner}: {name!r} is not a column or relationship of {self.model.__name__}")

    def check_columns(self, owner: str, names: Iterable[str]) -> None:
        """Raise a clear ValueError for a configured name that is not a column."""
        for name in names:
            if name not in self.columns:
                raise ValueError(f"{owner}: {name!r} is not a column of {self.model.__name__}")


def related_label(row: Any) -> str:
    """The text shown for a related row in a dropdown: its `__str__`, which falls back
    to the model's `__repr__`."""
    return str(row)

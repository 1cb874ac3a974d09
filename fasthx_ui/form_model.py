"""Field specs derived from a SQLAlchemy model: a column's type, nullability, String length,
integer range, NUMERIC precision, Enum and foreign key become a `FieldSpec`, and
`column_coercer` turns submitted text into a value the column accepts.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from fasthx_ui.form_fields import FieldSpec
from fasthx_ui.values import int_range


def int_in_range(low: int, high: int) -> Callable[[str], int]:
    """A coercer to int that rejects values outside [low, high] (a column's range)."""

    def to_int(text: str) -> int:
        if not re.fullmatch(r"[+-]?[0-9]{1,40}", text.strip()):
            raise ValueError(text)
        number = int(text)
        if not low <= number <= high:
            raise ValueError(text)
        return number

    return to_int


def numeric_limit(column_type: sa.Numeric) -> Decimal | None:
    """The largest value a NUMERIC(precision, scale) column holds, None when unbounded."""
    if column_type.precision is None:
        return None
    scale = column_type.scale or 0
    return Decimal(10) ** (column_type.precision - scale) - Decimal(1).scaleb(-scale)


def column_coercer(column: sa.Column) -> Callable[[str], Any] | None:
    """How to turn a submitted string into a value this column accepts, or None for text.

    Integers are range-checked so a huge number is a field error, not a database error.
    """
    column_type = column.type
    if (bounds := int_range(column_type)) is not None:
        return int_in_range(*bounds)
    if isinstance(column_type, sa.Uuid):
        return uuid.UUID
    if isinstance(column_type, sa.String):
        return None
    try:
        python_type = column_type.python_type
    except NotImplementedError:
        return None
    return None if python_type is str else python_type


def fields_from_model(
    model: type,
    *,
    include: Sequence[str] | None = None,
    exclude: Sequence[str] = (),
) -> list[FieldSpec]:
    """Field specs from a SQLAlchemy model's columns (type, nullability, length, Enum, FK).

    By default every column except an auto-incremented primary key (the table's
    `autoincrement_column`: a text or non-incrementing key is typed in), in declaration order;
    `include` picks and orders columns. Column types a form cannot edit (JSON, binary,
    arrays) are left out. Foreign keys become selects with `foreign_key` set to the target
    ("table.column") and `choices=None`: the caller supplies the options and an existence
    check.
    """
    columns = {column.key: column for column in sa.inspect(model).columns}
    names = list(include) if include is not None else [
        key for key, column in columns.items() if column.table.autoincrement_column is not column
    ]
    specs = []
    for name in names:
        if name in exclude or name not in columns:
            continue
        spec = field_from_column(columns[name])
        if spec is not None:
            spec.name = name
            specs.append(spec)
    return specs


def field_from_column(column: sa.Column) -> FieldSpec | None:
    """One column's field spec, or None for a type a form cannot edit."""
    column_type = column.type
    has_default = column.default is not None or column.server_default is not None
    required = not column.nullable and not has_default
    common = {"required": required, "description": column.doc or ""}
    if column.foreign_keys:
        target = next(iter(column.foreign_keys)).target_fullname
        return FieldSpec(column.key, "select", coerce=column_coercer(column),
                         foreign_key=target, searchable=True, **common)
    if isinstance(column_type, sa.Boolean):
        return FieldSpec(column.key, "checkbox", description=column.doc or "")
    if isinstance(column_type, sa.Enum):
        if column_type.enum_class is not None:
            return FieldSpec(column.key, "select", enum=column_type.enum_class, **common)
        return FieldSpec(column.key, "select", choices=list(column_type.enums), **common)
    if (bounds := int_range(column_type)) is not None:
        return FieldSpec(column.key, "number", min_value=bounds[0], max_value=bounds[1], **common)
    if isinstance(column_type, sa.Float):
        return FieldSpec(column.key, "number", number_type=float, **common)
    if isinstance(column_type, sa.Numeric):
        largest = numeric_limit(column_type)
        return FieldSpec(column.key, "number", number_type=Decimal, min_value=-largest if largest else None,
                         max_value=largest, **common)
    if isinstance(column_type, sa.DateTime):
        return FieldSpec(column.key, "datetime-local", **common)
    if isinstance(column_type, sa.Date):
        return FieldSpec(column.key, "date", **common)
    if isinstance(column_type, sa.Time):
        return FieldSpec(column.key, "time", **common)
    if isinstance(column_type, sa.Uuid):
        return FieldSpec(column.key, "text", coerce=uuid.UUID, **common)
    if isinstance(column_type, sa.Text):
        return FieldSpec(column.key, "textarea", **common)
    if isinstance(column_type, sa.String):
        return FieldSpec(column.key, "text", max_length=column_type.length, **common)
    return None

"""Dotted paths through foreign key columns (`site_id.name`, the reference's `serverid.hostname`).

A path may name a foreign key column where a relationship would be expected. These helpers
find what such a column leads to: the many-to-one relationship that owns it, the mapped
class of the table it references, or, for plain objects, the attribute named like it
without its `_id`/`id` suffix. The SQL source and the in-memory source both use them, so
the same path means the same thing in both.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapper, RelationshipProperty
from sqlalchemy.orm.interfaces import MANYTOONE


def foreign_key(mapper: Mapper[Any], key: str) -> sa.ForeignKey | None:
    """The foreign key of the mapped column attribute `key`; None when it is not one
    (or when the column has several)."""
    prop = mapper.column_attrs.get(key)
    if prop is None or len(prop.columns) != 1:
        return None
    keys = list(getattr(prop.columns[0], "foreign_keys", ()))
    return keys[0] if len(keys) == 1 else None


def relationship_of(mapper: Mapper[Any], key: str) -> RelationshipProperty[Any] | None:
    """The many-to-one relationship whose local column is the attribute `key`."""
    prop = mapper.column_attrs.get(key)
    if prop is None or len(prop.columns) != 1:
        return None
    column = prop.columns[0]
    return next(
        (r for r in mapper.relationships if r.direction is MANYTOONE and column in r.local_columns),
        None,
    )


def mapped_class_of(registry_mapper: Mapper[Any], table: sa.FromClause) -> type | None:
    """The class mapped to `table` in the same registry as `registry_mapper`, if any."""
    found = [m for m in registry_mapper.registry.mappers if m.local_table is table]
    found.sort(key=lambda m: m.inherits is not None)
    return found[0].class_ if found else None


def related_object(obj: Any, key: str) -> Any:
    """What the foreign key value `obj.<key>` points to, when `obj` holds it: the
    relationship owning that column on a mapped object; else `obj.site` for `site_id`
    (`obj.server` for `serverid`) on dicts and plain objects. None when nothing does."""
    state = sa.inspect(obj, raiseerr=False)
    mapper = getattr(state, "mapper", None)
    if mapper is not None:
        rel = relationship_of(mapper, key)
        return getattr(obj, rel.key) if rel is not None else None
    for suffix in ("_id", "id"):
        if key.endswith(suffix) and len(key) > len(suffix):
            name = key[: -len(suffix)]
            return obj.get(name) if isinstance(obj, Mapping) else getattr(obj, name, None)
    return None


def text_values(obj: Any) -> list[str]:
    """The text values of a related row, what searching a bare foreign key column looks
    at: the String columns of a mapped object, the text values of a dict or object."""
    state = sa.inspect(obj, raiseerr=False)
    mapper = getattr(state, "mapper", None)
    if mapper is not None:
        names = [c.key for c in mapper.column_attrs if isinstance(c.expression.type, sa.String)]
        values = [getattr(obj, name) for name in names]
    elif isinstance(obj, Mapping):
        values = list(obj.values())
    else:
        values = list(getattr(obj, "__dict__", {}).values())
    return [v for v in values if isinstance(v, str)]

"""Dotted paths of a mapped class as SQL, for the table's SQLAlchemy source.

A path (`site.region.name`, `site_id.name`, `notes.body`) is followed hop by hop: a
many-to-one relationship, or a foreign key column (through the relationship owning it, or
else the referenced table), is outer-joined through one alias per prefix, so however many
filters, searches and sorts use a prefix it is joined once. A collection ends the joinable
part: such paths are only loaded for display (selectinload).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, NamedTuple

from sqlalchemy import ForeignKey, Select, String, inspect
from sqlalchemy.orm import Mapper, RelationshipProperty, aliased, contains_eager, selectinload
from sqlalchemy.orm.util import AliasedInsp
from sqlalchemy.sql.elements import ColumnElement

from fasthx_ui.fk_paths import foreign_key, mapped_class_of, relationship_of


class PathWalk(NamedTuple):
    """A dotted path followed from the model."""

    entity: Any  # the (aliased) class or aliased Table the last hop reaches
    attr: str | None  # the final attribute, None when the path ends at a relationship
    joins: list[str]  # the prefixes to outer-join, parents first
    hops: list[Any]  # the relationship attributes on the way, for loader options


class PathJoin(NamedTuple):
    """One outer join of a path prefix: what it reaches and how it is joined."""

    entity: Any  # an aliased class, or an aliased Table when no class maps it
    target: Any  # what outerjoin() joins: a relationship attribute (.of_type) or the alias
    onclause: Any  # None for a relationship (it knows its own), else the foreign key condition


class SQLPaths:
    """The paths of one model: their aliases (made once, shared by every statement of a
    source), the expressions they reach and the joins and loader options they need.

    `SQLPaths.of(model)` is the process's one instance for a model, so a list page does
    not walk its paths again on every request; aliases are added under a lock (two
    threads always get the same alias of a prefix) and the expressions a path reaches are
    remembered (SQL expressions are immutable, so statements of any thread share them)."""

    def __init__(self, model: Any) -> None:
        self.model = model
        self.aliases: dict[str, PathJoin] = {}
        self._lock = threading.Lock()
        self._found: dict[tuple[str, str, bool], Any] = {}

    @classmethod
    def of(cls, model: Any) -> SQLPaths:
        """The shared instance for `model`, kept for the process's life (as models are)."""
        found = _SHARED.get(model)
        if found is None:
            with _SHARED_LOCK:
                found = _SHARED.setdefault(model, cls(model))
        return found

    def _alias(self, prefix: str, make: Callable[[], PathJoin]) -> PathJoin:
        found = self.aliases.get(prefix)
        if found is None:
            with self._lock:
                found = self.aliases.setdefault(prefix, make())
        return found

    def _remembered(self, kind: str, path: str, flag: bool, find: Callable[[], Any]) -> Any:
        key = (kind, path, flag)
        if key not in self._found:
            self._found[key] = find()
        return self._found[key]

    def _hop(self, entity: Any, part: str, *, follow_fk: bool) -> RelationshipProperty[Any] | ForeignKey | None:
        """Where `part` leads from `entity`: a relationship (named, or owning the foreign
        key column `part`), a foreign key without a relationship, or None (an attribute)."""
        mapper = _mapper_of(entity)
        if mapper is None:
            column = entity.c.get(part)
            keys = list(column.foreign_keys) if column is not None else []
            return keys[0] if follow_fk and len(keys) == 1 else None
        rel = mapper.relationships.get(part)
        if rel is not None or not follow_fk:
            return rel
        return relationship_of(mapper, part) or foreign_key(mapper, part)

    def _fk_join(self, entity: Any, part: str, key: ForeignKey) -> PathJoin:
        """Join the table `key` references, through its mapped class when there is one."""
        column = entity.c[part] if _mapper_of(entity) is None else getattr(entity, part)
        cls = mapped_class_of(inspect(self.model).mapper, key.column.table)
        if cls is None:
            alias = key.column.table.alias()
            return PathJoin(alias, alias, alias.c[key.column.key] == column)
        alias = aliased(cls)
        target = getattr(alias, inspect(cls).mapper.get_property_by_column(key.column).key)
        return PathJoin(alias, alias, target == column)

    def walk(self, path: str, *, display: bool = False, follow_last: bool = False) -> PathWalk | None:
        """Follow `path` from the model. Many-to-one hops are joined through one alias
        per prefix (a foreign key column and its relationship share it); a collection
        ends the joinable part, so such paths can only be loaded for display, and a
        foreign key without a relationship cannot be loaded at all. `follow_last` follows
        a final foreign key column too. None when the path is not a mapped one."""
        parts = path.split(".")
        entity: Any = self.model
        canonical: list[str] = []
        prefixes: list[str] = []
        hops: list[Any] = []
        joinable = True
        for i, part in enumerate(parts):
            last = i == len(parts) - 1
            hop = self._hop(entity, part, follow_fk=follow_last or not last)
            if hop is None:
                return PathWalk(entity, part, prefixes, hops) if last else None
            if isinstance(hop, ForeignKey):
                if display or not joinable:
                    return None
                canonical.append(part)
                prefix = ".".join(canonical)
                prefixes.append(prefix)
                entity = self._alias(prefix, lambda: self._fk_join(entity, part, hop)).entity
                continue
            canonical.append(hop.key)
            if hop.uselist:
                joinable = False
            if not joinable:
                if not display:
                    return None
                hops.append(getattr(entity, hop.key))
                entity = hop.mapper.class_
                continue
            prefix = ".".join(canonical)
            joined = self._alias(prefix, lambda: _relationship_join(entity, hop))
            prefixes.append(prefix)
            hops.append(joined.target)
            entity = joined.entity
        return PathWalk(entity, None, prefixes, hops)

    def exprs(self, path: str, *, search: bool = False) -> tuple[list[ColumnElement[Any]], list[str]]:
        """SQL expressions a path filters on (a relationship path, or for `search` a bare
        foreign key column, means all the text columns it reaches), and the joins they
        need. Empty when the path is not SQL-able."""
        exprs, prefixes = self._remembered("exprs", path, search, lambda: self._exprs(path, search))
        return list(exprs), list(prefixes)

    def _exprs(self, path: str, search: bool) -> tuple[list[ColumnElement[Any]], list[str]]:
        walked = self.walk(path, follow_last=search)
        if walked is None:
            return [], []
        entity, attr, prefixes = walked.entity, walked.attr, walked.joins
        mapper = _mapper_of(entity)
        if mapper is None:
            if attr is None:
                return [c for c in entity.c if isinstance(c.type, String)], prefixes
            column = entity.c.get(attr)
            return ([column] if column is not None else []), prefixes
        if attr is None:
            names = [c.key for c in mapper.column_attrs if isinstance(c.expression.type, String)]
        elif attr in mapper.all_orm_descriptors:
            names = [attr]
        else:
            return [], []
        exprs = []
        for name in names:
            expr = getattr(entity, name)
            if hasattr(expr, "__clause_element__") or isinstance(expr, ColumnElement):
                exprs.append(expr)
        return exprs, prefixes

    def sort(self, path: str, *, descending: bool) -> tuple[Any, list[str]]:
        """The ORDER BY clause of a path and the joins it needs; (None, []) when the path
        is not one sortable column. Empty values sort last in both orders; a NOT NULL
        column of the model gets a plain ORDER BY, which an index can serve either way."""
        clause, prefixes = self._remembered("sort", path, descending, lambda: self._sort(path, descending))
        return clause, list(prefixes)

    def _sort(self, path: str, descending: bool) -> tuple[Any, list[str]]:
        exprs, prefixes = self.exprs(path)
        if len(exprs) != 1:
            return None, []
        expr = exprs[0]
        clause = expr.desc() if descending else expr.asc()
        if prefixes or getattr(getattr(expr, "expression", None), "nullable", True):
            clause = clause.nulls_last()
        return clause, prefixes

    def value_expr(self, path: str) -> tuple[Any, list[str]] | None:
        """The one mapped column a path ends at (`name`, `site_id`, `site.name`) and the
        joins it needs, for selecting values without model instances; None when the path
        ends elsewhere (a Python property, a hybrid, a relationship as a whole, or past a
        collection), where only an instance gives the value."""
        walked = self.walk(path)
        if walked is None or walked.attr is None:
            return None
        mapper = _mapper_of(walked.entity)
        if mapper is None:
            column = walked.entity.c.get(walked.attr)
            return (column, walked.joins) if column is not None else None
        if walked.attr not in mapper.column_attrs:
            return None
        return getattr(walked.entity, walked.attr), walked.joins

    def join(self, stmt: Select[Any], prefixes: set[str]) -> Select[Any]:
        for prefix in sorted(prefixes, key=lambda p: p.count(".")):
            joined = self.aliases[prefix]
            if joined.onclause is None:
                stmt = stmt.outerjoin(joined.target)
            else:
                stmt = stmt.outerjoin(joined.target, joined.onclause)
        return stmt

    def loader(self, path: str) -> tuple[Any, list[str]] | None:
        """The loader option that fills `path` on the rows, and the joins it uses; None
        when the path cannot be loaded (not mapped, or through a foreign key alone)."""
        found = self._remembered("loader", path, True, lambda: self._loader_of(path))
        return None if found is None else (found[0], list(found[1]))

    def _loader_of(self, path: str) -> tuple[Any, list[str]] | None:
        walked = self.walk(path, display=True)
        if walked is None:
            return None
        return _loader(walked.hops, len(walked.joins)), walked.joins


_SHARED: dict[Any, SQLPaths] = {}
_SHARED_LOCK = threading.Lock()


def _relationship_join(entity: Any, hop: RelationshipProperty[Any]) -> PathJoin:
    """A many-to-one relationship joined through an alias of its own."""
    alias = aliased(hop.mapper.class_)
    return PathJoin(alias, getattr(entity, hop.key).of_type(alias), None)


def _mapper_of(entity: Any) -> Mapper[Any] | None:
    """The mapper of a class or aliased class; None for an aliased Table."""
    found = inspect(entity, raiseerr=False)
    return found.mapper if isinstance(found, (Mapper, AliasedInsp)) else None


def _loader(hops: list[Any], joined: int) -> Any:
    """Loader option chain for one displayed path: contains_eager through the joined
    many-to-one hops, selectinload past the first collection."""
    option = None
    for i, attr in enumerate(hops):
        kind = "contains_eager" if i < joined else "selectinload"
        if option is None:
            option = contains_eager(attr) if kind == "contains_eager" else selectinload(attr)
        else:
            option = getattr(option, kind)(attr)
    return option

"""The rows an action acts on: ids posted by the browser read with the primary key's own
type (`parse_ids`), narrowed to the rows the view's `scope()` lets the request see
(`scoped_pks`), and the default `delete` batch action (`delete_rows`, audited as one `delete` per row).

A malformed id is an `InvalidIds` error the routes answer with a 400 before anything is
written (a text id that PostgreSQL cannot compare with an integer column never reaches
the database); an id outside the scope is dropped, never acted on.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.requests import Request

from fasthx_ui.crud import audit
from fasthx_ui.crud.actions import ActionFailed
from fasthx_ui.crud.lifecycle import DATABASE_REFUSALS, ValidationError, call_hook, database_message

CHUNK = 500
"""Ids per `IN (...)` list, well under the bound-parameter limits of SQLite and PostgreSQL."""
MAX_IDS = 100_000


class InvalidIds(ValueError):
    """Posted ids that cannot be primary keys of the view's model; the message says which."""


def parse_ids(view: Any, values: Iterable[str]) -> list[Any]:
    """The primary-key values `values` name, in order and without repeats; `InvalidIds`
    naming the first bad one (e.g. `abc` for an integer key)."""
    parsed: dict[Any, None] = {}
    for text in values:
        value = view.model_info.parse_pk(str(text).strip())
        if value is None or str(text).strip() == "":
            shown = str(text)[:40]
            raise InvalidIds(f'{view.display_name}: "{shown}" is not a valid id.')
        parsed[value] = None
        if len(parsed) > MAX_IDS:
            raise InvalidIds(f"{view.display_name}: at most {MAX_IDS} rows can be acted on at once.")
    return list(parsed)


def chunks(values: Sequence[Any]) -> Iterator[Sequence[Any]]:
    for start in range(0, len(values), CHUNK):
        yield values[start:start + CHUNK]


def scoped_pks(view: Any, request: Request, db: Session, pks: Sequence[Any]) -> list[Any]:
    """The ids of `pks` that name rows inside the view's scope, in the order given."""
    column = view.model_info.pk_column
    found: set[Any] = set()
    for part in chunks(pks):
        stmt = view.scope(request, select(view.model)).with_only_columns(column).where(column.in_(part))
        found.update(db.scalars(stmt))
    return [pk for pk in pks if pk in found]


def scoped_items(view: Any, request: Request, db: Session, pks: Sequence[Any]) -> list[Any]:
    """The rows `pks` name inside the view's scope."""
    column = view.model_info.pk_column
    items: list[Any] = []
    for part in chunks(pks):
        items.extend(db.scalars(view.scope(request, select(view.model).where(column.in_(part)))))
    return items


def delete_rows(view: Any, request: Request, pks: Sequence[Any]) -> str:
    """The default `delete` batch action: delete the rows (inside the scope) with the
    view's delete hooks; a refusal by a hook or the database is an ActionFailed and
    nothing is deleted."""
    db: Session = request.state.session
    items = scoped_items(view, request, db, pks)
    before = [(view.model_info.pk_of(item), audit.before_change(view, item)) for item in items]
    try:
        for item in items:
            call_hook(view.on_model_delete, item, db)
            db.delete(item)
        db.commit()
    except ValidationError as error:
        db.rollback()
        raise ActionFailed(str(error)) from None
    except DATABASE_REFUSALS as error:
        db.rollback()
        raise ActionFailed(database_message(error, "delete")) from None
    for item in items:
        call_hook(view.after_model_delete, item, db)
    for pk, snapshot in before:
        audit.deleted(view, request, pk, snapshot)
    return f"Deleted {len(items)} {'item' if len(items) == 1 else 'items'}."

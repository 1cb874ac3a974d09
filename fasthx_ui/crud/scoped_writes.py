"""The write side of a view's `scope()`: before a commit, every row of the view's model
that the session is about to insert or update must still be inside the scope for the
request, or the whole change is refused.

`scope()` narrows what a request reads; without this check a form that shows the tenant
column could write a row into another tenant, or move one out of the user's reach. The
rows are flushed and re-selected through the scoped statement inside the transaction,
so what is checked is what the database would commit (hooks' changes and defaults too).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session
from starlette.requests import Request

from fasthx_ui.crud.actions import ActionFailed
from fasthx_ui.crud.selection import scoped_pks


class OutOfScope(ActionFailed):
    """A change would leave a row of the view outside its scope. An ActionFailed, so an
    action route or job rolls back and answers it like any refused action; the form
    shows it as its error."""


def narrows(view: Any) -> bool:
    """Whether the view overrides `scope()`; CRUDView's own narrows nothing, so a view
    that keeps it needs no check (and no extra SELECT on each save)."""
    from fasthx_ui.crud.view import CRUDView  # view.py imports this module

    return type(view).scope is not CRUDView.scope


def check_scope(view: Any, request: Request, db: Session) -> None:
    """Flush, then raise `OutOfScope` unless every new or changed row of the view's
    model is inside `view.scope(request, …)`. The caller rolls back on the error."""
    if not narrows(view):
        return
    rows = [row for row in (*db.new, *db.dirty) if isinstance(row, view.model) and row not in db.deleted]
    if not rows:
        return
    db.flush()
    pks = list(dict.fromkeys(view.model_info.pk_of(row) for row in rows))
    if len(scoped_pks(view, request, db, pks)) < len(pks):
        raise OutOfScope(f"{view.display_name}: not saved, the record would be outside the records you may see "
                         "or change.")

"""Create and edit pages of a CRUD view: the form, and saving what it posts.

Saving parses the posted fields (typed values, one message per bad field), sets them on
the row, runs the lifecycle hooks and commits. Any refusal rolls everything back and
answers with the form again, every typed value kept: 422 for bad input or a
`ValidationError` (with its message as a danger toast), 409 when the database refuses
(a duplicate…), 403 when the saved row would be outside the view's `scope()`
(scoped_writes). Editing changes only the fields the post carries; a checkbox counts as
carried when the form listed it, since an unchecked box sends nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import quote

from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from fasthx_ui.crud import audit
from fasthx_ui.crud.items import load_item, not_found
from fasthx_ui.crud.lifecycle import DATABASE_REFUSALS, ValidationError, call_hook, database_message
from fasthx_ui.crud.navigation import back_url, done, with_next
from fasthx_ui.crud.scoped_writes import OutOfScope, check_scope
from fasthx_ui import FieldSpec, ParsedForm, is_partial, parse_form

CHECKBOXES_FIELD = "_checkboxes"
"""Hidden form field naming each checkbox the form shows, so an unchecked one is known."""


def create_page(view: Any, request: Request, db: Session) -> Response:
    fields = view.form_fields.for_request(request, db)
    values = view.model_info.scalar_defaults()
    return render_form(view, request, None, fields, values, back=back_url(view, request))


def edit_page(view: Any, request: Request, db: Session, item_id: str) -> Response:
    item = load_item(view, request, db, item_id)
    if item is None:
        return not_found(view, request, item_id)
    fields = view.form_fields.for_request(request, db)
    return render_form(view, request, item, fields, item_values(item, fields), back=back_url(view, request))


def save_new(view: Any, request: Request, db: Session, form: Mapping[str, Any]) -> Response:
    return save(view, request, db, form, None)


def save_edit(view: Any, request: Request, db: Session, item_id: str, form: Mapping[str, Any]) -> Response:
    item = load_item(view, request, db, item_id)
    if item is None:
        return not_found(view, request, item_id)
    return save(view, request, db, form, item)


def save(view: Any, request: Request, db: Session, form: Mapping[str, Any], item: Any | None) -> Response:
    """Parse, apply, hook, commit; or the form again with what went wrong."""
    is_new = item is None
    fields = view.form_fields.for_request(request, db)
    parsed = parse_form(fields if is_new else carried_fields(fields, form), form)
    back = back_url(view, request, form)

    def again(error: str, status: int) -> Response:
        values = view.model_info.scalar_defaults() if is_new else item_values(item, fields)
        return render_form(view, request, item, fields, values, back=back, parsed=parsed, error=error, status=status)

    if not parsed.ok:
        return again("", 422)
    target = view.model() if is_new else item
    before = audit.before_change(view, item)
    apply_form_data(target, parsed.values)
    try:
        with db.no_autoflush:
            call_hook(view.on_model_change, target, parsed.values, is_new, db, request=request)
        if is_new:
            db.add(target)
        check_scope(view, request, db)
        db.commit()
    except OutOfScope as error:
        db.rollback()
        return again(error.msg, 403)
    except ValidationError as error:
        db.rollback()
        return again(str(error), 422)
    except DATABASE_REFUSALS as error:
        db.rollback()
        return again(database_message(error), 409)
    call_hook(view.after_model_change, target, parsed.values, is_new, db, request=request)
    audit.saved(view, request, target, before, is_new)
    return done(request, back, f"Saved {view.model.__name__} #{view.model_info.pk_of(target)}.")


def carried_fields(fields: Sequence[FieldSpec], form: Mapping[str, Any]) -> list[FieldSpec]:
    """The fields an edit post carries: named in it, or a checkbox its form listed."""
    getlist = getattr(form, "getlist", None)
    listed = set(getlist(CHECKBOXES_FIELD)) if getlist else {form.get(CHECKBOXES_FIELD)}
    return [spec for spec in fields if spec.name in form or (spec.type == "checkbox" and spec.name in listed)]


def apply_form_data(item: Any, values: Mapping[str, Any]) -> None:
    """Set the parsed values on the row."""
    for name, value in values.items():
        setattr(item, name, value)


def item_values(item: Any, fields: Sequence[FieldSpec]) -> dict[str, Any]:
    return {spec.name: getattr(item, spec.name, None) for spec in fields}


def render_form(
    view: Any,
    request: Request,
    item: Any | None,
    fields: list[FieldSpec],
    values: dict[str, Any],
    *,
    back: str,
    parsed: ParsedForm | None = None,
    error: str = "",
    status: int = 200,
) -> Response:
    """`form.html`: the whole page, or only its `form` block for an htmx post."""
    if item is None:
        action, title = f"{view.list_url}/create", f"{view.display_name}: new record"
    else:
        pk = view.model_info.pk_of(item)
        action, title = f"{view.list_url}/{quote(str(pk), safe='')}/edit", f"{view.display_name}: edit #{pk}"
    context = {
        "request": request, "view": view, "item": item, "title": title, "active_page": view.name,
        "fields": fields, "values": values, "raw": parsed.raw if parsed else {},
        "errors": parsed.errors if parsed else {}, "error": error, "sections": view.form_fields.sections,
        "action": with_next(action, back, view),
        "back_url": back, "form_id": view.form_id, "checkboxes": [f.name for f in fields if f.type == "checkbox"],
        "checkboxes_field": CHECKBOXES_FIELD,
    }
    if is_partial(request):
        return HTMLResponse(view.templates.render(request, "form.html", context, block="form"), status)
    return view.templates.TemplateResponse(request, "form.html", context, status_code=status)

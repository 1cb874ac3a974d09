"""The create/edit form of a CRUD view as FieldSpecs: derived from the model's columns
(`form_columns`), labelled like the list (`column_labels`), searchable foreign keys
(`form_ajax_refs`) and per-field `form_widget_overrides`; per request, foreign-key
selects get their options from the related model and ajax selects their checks, both
narrowed by the view's `scope()`, so another tenant's rows are never offered or accepted.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session
from starlette.requests import Request

from fasthx_ui import AjaxSelectSource, FieldSpec, fields_from_model, with_overrides
from fasthx_ui.crud.introspect import ForeignKeyInfo, related_label

AJAX_PLACEHOLDER = "Type to search..."


class FormFields:
    """A view's form: built once from its settings; `for_request(request, db)` fills the options."""

    def __init__(self, view: Any) -> None:
        self.view = view
        info = view.model_info
        owner = type(view).__name__
        if view.form_columns is not None:
            info.check_columns(f"{owner}.form_columns", view.form_columns)
        specs = fields_from_model(view.model, include=view.form_columns)
        names = {spec.name for spec in specs}
        labels = view.column_labels or {}
        self.ajax = {name: ajax_source(owner, name, settings) for name, settings in (view.form_ajax_refs or {}).items()}
        overrides = view.form_widget_overrides or {}
        for name in [*self.ajax, *overrides]:
            if name not in names:
                raise ValueError(f"{owner}: {name!r} is configured but is not a field of the form")
        self.specs: list[FieldSpec] = []
        for spec in specs:
            if spec.name in labels:
                spec = replace(spec, label=labels[spec.name])
            if spec.name in self.ajax:
                placeholder = view.form_ajax_refs[spec.name].get("placeholder", AJAX_PLACEHOLDER)
                spec = self.ajax[spec.name].field(
                    spec.name, url=f"{view.list_url}/ajax/{spec.name}", label=spec.label, required=spec.required,
                    placeholder=placeholder, description=spec.description,
                )
            if spec.name in overrides:
                spec = with_overrides(spec, overrides[spec.name])
            self.specs.append(spec)
        self.sections = view.form_sections
        for title, section in (self.sections or {}).items():
            for name in section:
                if name not in names:
                    raise ValueError(f"{owner}.form_sections[{title!r}]: {name!r} is not a field of the form")
        self.foreign_keys = {name: fk for name, fk in info.foreign_keys.items() if name in names}

    def for_request(self, request: Request, db: Session) -> list[FieldSpec]:
        """The fields for one request, narrowed by the view's `scope()`: foreign-key selects
        with their options read from the database, ajax selects checking and labelling their
        values with this session."""
        fields = []
        for spec in self.specs:
            fk = self.foreign_keys.get(spec.name)
            if spec.name in self.ajax and spec.type == "ajax_select":
                spec = self.ajax_source(request, spec.name).bind(spec, db)
            elif fk is not None and spec.type == "select" and spec.choices is None:
                spec = replace(spec, choices=fk_choices(db, fk, self.scoped(request)))
            fields.append(spec)
        return fields

    def ajax_source(self, request: Request, name: str) -> AjaxSelectSource:
        """The ajax select source of field `name`, narrowed by the view's scope for `request`."""
        source = self.ajax[name]
        return source.with_query(self.view.scope(request, source.query))

    def scoped(self, request: Request) -> Any:
        """The view's `scope()` for `request`, as a function of a statement."""
        return lambda stmt: self.view.scope(request, stmt)


def ajax_source(owner: str, name: str, settings: dict[str, Any]) -> AjaxSelectSource:
    """A `form_ajax_refs` entry ({"model", "fields", "placeholder", "page_size"}) as a source."""
    if "model" not in settings:
        raise ValueError(f"{owner}.form_ajax_refs[{name!r}] needs a 'model'")
    return AjaxSelectSource(settings["model"], search=list(settings.get("fields", ())),
                            page_size=int(settings.get("page_size", 10)))


def fk_choices(db: Session, fk: ForeignKeyInfo, scope: Callable[[Select[Any]], Select[Any]]) -> list[tuple[Any, str]]:
    """(value, label) of every row a foreign key can point at inside `scope`, labelled by
    the row's repr."""
    if fk.target_model is None:
        values = db.scalars(scope(select(fk.target_column)).order_by(fk.target_column)).all()
        return [(value, str(value)) for value in values]
    key = fk.target_model.__mapper__.get_property_by_column(fk.target_column).key
    rows = db.scalars(scope(select(fk.target_model)).order_by(fk.target_column)).all()
    return [(getattr(row, key), related_label(row)) for row in rows]

"""The JinjaX catalog of a UI, with auto-reload as a setting.

Outside development (`auto_reload=False`) a component is read and compiled once: no
`stat` of its file per render, and no folder walk per call. The walk matters: JinjaX
first looks a nested call (`<ui:RowActions>` inside `<ui:Table>`) up under the caller's
prefix, misses, and never remembers the miss, so every nested call walked the component
folders again (about a fifth of a 20-row list request). Misses are remembered here
while auto-reload is off; with it on, JinjaX's own behaviour is kept (new files appear).

Also while auto-reload is off, each (name, caller's prefix) is looked up once and its
component object is kept: JinjaX builds a new one per call (two cache lookups when the
caller's prefix misses, then a copy of the page's globals), about a sixth of rendering
the page frame (Layout and its five components). The kept object reads the page's
globals when it renders, as JinjaX's copy would have held them.
"""

from __future__ import annotations

import os
from typing import Any

import jinja2
import jinjax
from jinjax.component import Component
from jinjax.utils import ARGS_PREFIX
from markupsafe import Markup

TRUE_WORDS = ("1", "true", "yes", "on")


def auto_reload_default() -> bool:
    """Development mode from the environment: `FASTHX_UI_DEBUG=1` re-reads edited
    components and templates; anything else (the default) reads them once."""
    return os.environ.get("FASTHX_UI_DEBUG", "").strip().lower() in TRUE_WORDS


class Catalog(jinjax.Catalog):
    """`jinjax.Catalog` that remembers where a component is not, when auto-reload is off."""

    def __init__(self, *, jinja_env: jinja2.Environment, auto_reload: bool) -> None:
        super().__init__(jinja_env=jinja_env, auto_reload=auto_reload)
        self.jinja_env.auto_reload = auto_reload  # JinjaX made a new environment: page templates too
        self._missing: set[tuple[str, str, str]] = set()
        self._found: dict[tuple[str, str, str], SharedComponent] = {}

    def _get_component(self, cname: str, **kw: Any) -> Any:
        if self.auto_reload or kw.get("_source") or kw.get("__source"):
            return super()._get_component(cname, **kw)
        key = (cname, kw.get(ARGS_PREFIX, ""), kw.get("_file_ext") or kw.get("__file_ext") or self.file_ext)
        found = self._found.get(key)
        if found is None:
            component = super()._get_component(cname, **{ARGS_PREFIX: key[1], "_file_ext": key[2]})
            found = self._found.setdefault(key, SharedComponent.of(component, self))
        return found

    def _get_from_file(self, *, prefix: str, name: str, file_ext: str) -> Any:
        key = (prefix, name, file_ext)
        if key in self._missing:
            return None
        component = super()._get_from_file(prefix=prefix, name=name, file_ext=file_ext)
        if component is None and not self.auto_reload:
            self._missing.add(key)
        return component


class SharedComponent(Component):
    """A component kept for every call: it renders with the globals of the page being
    rendered (the catalog's, per thread and task), where JinjaX's per-call copy held them."""

    __slots__ = ("catalog",)

    @classmethod
    def of(cls, component: Component, catalog: jinjax.Catalog) -> SharedComponent:
        shared = cls(name=component.name)
        for attr in Component.CACHED_ATTRS:
            setattr(shared, attr, getattr(component, attr))
        shared.catalog = catalog
        return shared

    def render(self, **kwargs: Any) -> Markup:
        kwargs.setdefault(ARGS_PREFIX, self.prefix)
        return Markup(self.tmpl.render({**self.catalog.tmpl_globals, **kwargs}).strip())

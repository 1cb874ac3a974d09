"""The JinjaX catalog of a UI, with auto-reload as a setting.

Outside development (`auto_reload=False`) a component is read and compiled once: no
`stat` of its file per render, and no folder walk per call. The walk matters: JinjaX
first looks a nested call (`<ui:RowActions>` inside `<ui:Table>`) up under the caller's
prefix, misses, and never remembers the miss, so every nested call walked the component
folders again (about a fifth of a 20-row list request). Misses are remembered here
while auto-reload is off; with it on, JinjaX's own behaviour is kept (new files appear).
"""

from __future__ import annotations

import os
from typing import Any

import jinja2
import jinjax

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

    def _get_from_file(self, *, prefix: str, name: str, file_ext: str) -> Any:
        key = (prefix, name, file_ext)
        if key in self._missing:
            return None
        component = super()._get_from_file(prefix=prefix, name=name, file_ext=file_ext)
        if component is None and not self.auto_reload:
            self._missing.add(key)
        return component

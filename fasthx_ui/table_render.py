"""The glue of a table route: query string → state → page → filter choices → `<ui:Table>`.

Every list route would otherwise write these steps by hand; `render_table` does them for
callers that compose their own page (the CRUD preset), `table_response` answers the
request: the Table fragment, or a page template (whole for a normal GET, only its block
for htmx), so one route serves clicks, reloads and shared links alike.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import jinja2
from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import HTMLResponse

from fasthx_ui.table import Choice
from fasthx_ui.table_page import DataSource, Page
from fasthx_ui.table_state import TableState
from fasthx_ui.ui import ui_for

REFRESH_TABLE_EVENT = "refreshTable"
"""The htmx event (`{"id": table_id}` in `HX-Trigger`) that reloads that table with the
query it shows now (table.js listens): `trigger(response, REFRESH_TABLE_EVENT, {"id": …})`."""


def render_table(
    request: Request,
    source: DataSource,
    *,
    url: str,
    id: str = "fhx-table",
    state: TableState | None = None,
    choices: Mapping[str, Sequence[Choice]] | None = None,
    **props: Any,
) -> tuple[Markup, Page]:
    """Render `<ui:Table>` for the request's query string and return it with its page.

    `state` replaces the parsed one (a caller may adjust it first); `choices` gives the
    options of some dropdown filters ({param: [Choice]}), the others are read from
    `source.choices(column)`. `props` are the Table's other props (caption, row_actions,
    bulk_actions, select_all_url, count_url, empty, search …).
    """
    spec = source.spec
    page = source.page(state if state is not None else spec.parse(request.query_params))
    options = dict(choices or {})
    for column in spec.filter_columns:
        if column.param not in options:
            options[column.param] = source.choices(column)
    table = ui_for(request).component("ui:Table", request, page=page, url=url, id=id, choices=options, **props)
    return table, page


def table_response(
    request: Request,
    source: DataSource,
    *,
    url: str,
    template: str | jinja2.Template | None = None,
    context: Mapping[str, Any] | None = None,
    block: str = "table",
    id: str = "fhx-table",
    **props: Any,
) -> HTMLResponse:
    """Answer a table route. Without `template`: the Table fragment. With it: the page,
    rendered with `{**context, "table": <the Table>, "page": <its Page>}`, or only its
    `block` when htmx asks for a fragment (the block must hold `{{ table }}`).
    `props` go to `render_table` (state, choices and the Table's props)."""
    table, page = render_table(request, source, url=url, id=id, **props)
    if template is None:
        return HTMLResponse(table)
    values = {**(context or {}), "table": table, "page": page}
    return ui_for(request).page(request, template, values, block=block)  # type: ignore[arg-type]

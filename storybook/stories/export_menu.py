"""ExportMenu stories: the menu on its own, and above a live table whose search, filters
and sort its links follow (the menu is re-sent out of band with every table response).

The links download the storybook's 10,000 people through `export_response`, the same
state as the table's: CSV or XLSX of every matching row.
"""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import HTMLResponse, Response

from fasthx_ui import ListSource, export_response, is_partial, table_response
from storybook.book import Stories
from storybook.stories.table import PEOPLE, people

stories = Stories("ExportMenu", "An Export dropdown: one download link per format, carrying the table's query.", category="Data")

FORMATS = ["csv", "xlsx"]
PAGE = """<ui:Layout title="People" sidebar={{ false }}>{% block table %}
<div id="people-export-menu" class="mb-2"{% if partial %} hx-swap-oob="true"{% endif %}>
  <ui:ExportMenu url={{ export_url }} formats={{ formats }} state={{ page.state }} id="people-export" />
</div>
{{ table }}{% endblock %}</ui:Layout>"""


@stories.router.get("/people", response_class=HTMLResponse)
def people_page(request: Request) -> HTMLResponse:
    """The people table with its Export menu; for htmx the menu comes out of band."""
    template = request.app.state.fasthx_ui.env.from_string(PAGE)
    context = {"export_url": stories.url(request, "/people/export"), "formats": FORMATS, "partial": is_partial(request)}
    return table_response(request, ListSource(people(), PEOPLE), url=stories.url(request, "/people"), template=template,
                          context=context, id="people", caption="People")


@stories.router.get("/people/export/{format}")
def people_export(request: Request, format: str) -> Response:
    """Every person the query matches, as `format` (a 404 for another format)."""
    state = PEOPLE.parse(request.query_params)
    return export_response(ListSource(people(), PEOPLE), state, format, filename="people", formats=FORMATS)


@stories.story(args={"formats": FORMATS, "query": "q=ada&sort=name", "label": "Export"})
def formats():
    """The menu on its own: its links carry a query string given as is."""
    return ('<ui:ExportMenu url={{ api ~ "/people/export" }} formats={{ formats }} state={{ query }} '
            'label={{ label }} id="story-export" />')


@stories.story()
def with_table():
    """Above the people table: search, filter or sort and the links follow."""
    return ('<div id="people-export-menu" class="mb-2"><ui:ExportMenu url={{ api ~ "/people/export" }} '
            'formats={{ ["csv", "xlsx"] }} id="people-export" /></div>'
            '<div hx-get="{{ api }}/people" hx-trigger="load" hx-swap="outerHTML" aria-busy="true">Loading…</div>')

"""SearchBox stories: a live search on its own, updating a result list."""

from fastapi import Request
from fastapi.responses import HTMLResponse

from fasthx_ui import is_partial
from storybook.book import Stories

stories = Stories("SearchBox", "Live, debounced search: asks 300 ms after typing stops and pushes the URL.", category="Data")

CITIES = ["Oslo", "Lagos", "Lima", "Kyoto", "Quito", "Perth", "Turin", "Dakar", "Osaka", "Lisbon", "Lyon", "Lusaka"]
RESULTS = """<ul id="cities" class="list-unstyled" aria-live="polite">
{%- for city in cities %}<li>{{ city }}</li>{% else %}<li>No city matches “{{ q }}”.</li>{% endfor -%}
</ul>"""
PAGE = """<ui:Layout title="Cities" sidebar={{ false }}>
<ui:SearchBox value={{ q }} id="city-search" url={{ api ~ "/cities" }} target="cities" label="Search cities" />
{{ results }}
</ui:Layout>"""


@stories.router.get("/cities", response_class=HTMLResponse)
def cities(request: Request, q: str = ""):
    ui = request.app.state.fasthx_ui
    found = [c for c in CITIES if q.strip().casefold() in c.casefold()]
    results = ui.render(request, ui.env.from_string(RESULTS), {"cities": found, "q": q})
    if is_partial(request):
        return HTMLResponse(results)
    return HTMLResponse(ui.render(request, ui.env.from_string(PAGE), {"q": q, "results": results, "api": stories.api(request)}))


@stories.story(args={"value": "", "placeholder": "Search…"})
def inside_a_form():
    """The bare input, as Table uses it inside its own form (no url: the form sends it)."""
    return '<ui:SearchBox value={{ value }} placeholder={{ placeholder }} id="story-search" />'


@stories.story()
def standalone():
    """With `url` and `target`: it asks `url?q=…` itself and swaps the results."""
    return '<div hx-get="{{ api }}/cities" hx-trigger="load" hx-select="main > *" hx-swap="outerHTML">Loading…</div>'

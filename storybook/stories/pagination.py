"""Pagination stories: the pager on its own, paging a plain list (no Table)."""

from fastapi import Request
from fastapi.responses import HTMLResponse

from fasthx_ui import Column, ListSource, TableSpec, is_partial
from storybook.book import Stories

stories = Stories("Pagination", "Previous/next, a window of page numbers and the page size; real links plus htmx.", category="Data")

SPEC = TableSpec(columns=[Column("id"), Column("word")], page_size=10, page_sizes=(10, 25, 50))
WORDS = [{"id": i, "word": f"word {i:03d}"} for i in range(1, 488)]
REGION = """<section id="words" aria-label="Words">
  <ol start="{{ page.first_index }}">{% for row in page.rows %}<li>{{ row.word }}</li>{% endfor %}</ol>
  <p>{{ page.summary }}</p>
  <ui:Pagination page={{ page }} url={{ api ~ "/words" }} target="words" />
</section>"""


@stories.router.get("/words", response_class=HTMLResponse)
def words(request: Request):
    """A list region and its pager: the whole page normally, the region for htmx."""
    ui = request.app.state.fasthx_ui
    page = ListSource(WORDS, SPEC).page(SPEC.parse(request.query_params))
    region = ui.render(request, ui.env.from_string(REGION), {"page": page, "api": stories.api(request)})
    if is_partial(request):
        return HTMLResponse(region)
    return HTMLResponse(ui.render(request, ui.env.from_string("<ui:Layout title='Words' sidebar={{ false }}>{{ r }}</ui:Layout>"), {"r": region}))


@stories.story()
def standalone():
    """487 words, 10 a page: the numbered window with gaps, and the page size."""
    return '<div hx-get="{{ api }}/words" hx-trigger="load" hx-swap="outerHTML">Loading…</div>'

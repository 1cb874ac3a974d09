"""Layout stories: the page shell, and a plain form that posts without a CSRF token."""

import asyncio

from fastapi import Form, Request
from fastapi.responses import RedirectResponse, StreamingResponse

from fasthx_ui import flash, toast_response
from storybook.book import Stories, storybook_root
from storybook.stories.sidebar import NAV

stories = Stories("Layout", "The html shell: sidebar, topbar with theme toggle and user, content, toasts and the modal.", category="Layout")


@stories.story(page=True, args={"title": "Devices", "nav": NAV, "active": "devices", "user": {"username": "ada"}, "brand": "Acme admin"})
def default():
    """A whole page; on a phone-width viewport the sidebar becomes an off-canvas panel."""
    return """
<ui:Layout title={{ title }} nav={{ nav }} active={{ active }} user={{ user }} brand={{ brand }}>
  <p>Page content goes here.</p>
  <button type="button" class="btn btn-primary" hx-post="{{ api }}/hello">Say hello</button>
</ui:Layout>
"""


@stories.story(page=True, args={"title": "Sign in", "brand": "Acme admin"})
def without_sidebar():
    """A page without the sidebar, e.g. a login page."""
    return """
<ui:Layout title={{ title }} brand={{ brand }} sidebar={{ false }}>
  <div class="card mx-auto" style="max-width: 24rem"><div class="card-body">
    <p class="mb-0">A page with the topbar only.</p>
  </div></div>
</ui:Layout>
"""


@stories.story(page=True, args={"title": "Page script"})
def page_script():
    """A page's own inline script, given as trusted HTML in `body_end`: it runs after the
    toolkit's scripts, so htmx and Bootstrap are already there."""
    return """
{% set script %}<script>
  document.getElementById("probe").textContent = [typeof htmx, typeof bootstrap].join(" ");
</script>{% endset %}
<ui:Layout title={{ title }} sidebar={{ false }} body_end={{ script }}>
  <p>What the page script saw: <output id="probe">not run</output></p>
</ui:Layout>
"""


@stories.router.post("/hello")
def hello():
    return toast_response("Hello from the server.", type="success")


@stories.story(page=True, args={"title": "Live feed"})
def live_at_load():
    """An element that streams server-sent events from the moment the page loads:
    the Layout starts htmx only after its extensions have registered."""
    return """
<ui:Layout title={{ title }} sidebar={{ false }}>
  <p>Latest: <span id="ticks" hx-sse:connect="{{ api }}/ticks" hx-sse:close="done">waiting…</span></p>
</ui:Layout>
"""


@stories.router.get("/ticks")
async def ticks():
    async def events():
        for number in range(1, 4):
            yield f"data: tick {number}\n\n"
            await asyncio.sleep(0.05)
        yield "event: done\ndata: end\n\n"

    return StreamingResponse(events(), media_type="text/event-stream")


received_notes: list[str] = []


@stories.story(page=True, args={"title": "Plain form"})
def plain_form():
    """A plain HTML form, no htmx and no `{{ csrf_input }}`: the browser marks its POST as
    same-origin (Fetch Metadata), so it passes; the same POST from another site is refused."""
    return """
<ui:Layout title={{ title }} sidebar={{ false }}>
  <form method="post" action="{{ api }}/notes" class="d-flex gap-2 align-items-end" style="max-width: 28rem">
    <div class="flex-grow-1">
      <label class="form-label" for="note">Note</label>
      <input class="form-control" id="note" name="note" required>
    </div>
    <button class="btn btn-primary" type="submit">Send</button>
  </form>
</ui:Layout>
"""


@stories.router.post("/notes")
def add_note(request: Request, note: str = Form("")):
    received_notes.append(note)
    back = RedirectResponse(f"{storybook_root(request)}/preview/layout/plain_form", status_code=303)
    return flash(back, f"Received: {note}", "success")


@stories.router.get("/notes")
def notes():
    """The notes the form delivered (tests read this)."""
    return received_notes

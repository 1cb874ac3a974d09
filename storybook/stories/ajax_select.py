"""AjaxSelect stories: a searchable select over 10,000 servers loaded page by page, one with
its value pre-selected (an edit form), one that htmx swaps in again and again, and the field
`AjaxSelectSource.field` builds inside a form that checks the choice on the server."""

from __future__ import annotations

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup
from sqlalchemy.orm import Session

from fasthx_ui import AjaxSelectSource, form_response, parse_form, toast_payload, trigger
from fasthx_ui.ui import ui_for
from storybook.book import Stories
from storybook.form_data import Server, get_session

stories = Stories(
    "AjaxSelect",
    "A Tom Select combobox over a JSON endpoint: typing searches, scrolling loads the next page.",
    category="Forms",
)

SERVERS = AjaxSelectSource(Server, search=["hostname", "rack"], page_size=20)


@stories.story(args={"placeholder": "Type to search 10,000 servers"})
def searchable():
    """Open it to load the first 20 servers; scroll down for more; type to search by hostname or rack."""
    return """
<label class="form-label" for="server_id">Server</label>
<ui:AjaxSelect name="server_id" url={{ api ~ "/servers" }} placeholder={{ placeholder }} />
"""


@stories.story(args={"value": "4242", "label": "server-04242"})
def preselected():
    """An edit form's AjaxSelect: the current value shows with its label before anything loads."""
    return """
<label class="form-label" for="server_id">Server</label>
<ui:AjaxSelect name="server_id" url={{ api ~ "/servers" }} value={{ value }} label={{ label }} />
"""


@stories.story()
def reswapped():
    """The button swaps a fresh AjaxSelect in each time: one live Tom Select, never two."""
    return """
<button type="button" class="btn btn-outline-secondary mb-3" hx-get="{{ api }}/fragment" hx-target="#swap-area">Swap it in again</button>
<div id="swap-area">
  <label class="form-label" for="server_id">Server</label>
  <ui:AjaxSelect name="server_id" url={{ api ~ "/servers" }} />
</div>
"""


@stories.story(args={"value": 4242})
def in_a_form():
    """`SERVERS.field("server_id", url=…, session=…)` in a Form: it opens showing the label of
    server 4242 and saving checks the choice on the server. Set `value` to 99999 (no such
    server): the form shows the bare id, and saving answers with the field's error."""
    return '<div hx-get="{{ api }}/form?value={{ value }}" hx-trigger="load" hx-swap="outerHTML">Loading the form…</div>'


def server_field(request: Request, session: Session):
    """The form's field: searched, coerced, checked and labelled by SERVERS."""
    url = stories.url(request, "/servers")
    return [SERVERS.field("server_id", url=url, session=session, label="Server", required=True)]


@stories.router.get("/form")
def server_form(request: Request, value: int | None = None, session: Session = Depends(get_session)):
    return form_response(request, server_field(request, session), action=stories.url(request, "/form"), values={"server_id": value},
                         id="server-form")


@stories.router.post("/form")
async def save_server(request: Request, session: Session = Depends(get_session)):
    fields = server_field(request, session)
    parsed = parse_form(fields, await request.form())
    response = form_response(request, fields, action=stories.url(request, "/form"), parsed=parsed, values=parsed.values,
                             id="server-form")
    if parsed.ok:
        trigger(response, "showToast", toast_payload(f"Chose server #{parsed.values['server_id']}.", "success"))
    return response


@stories.router.get("/servers")
def servers(request: Request, session: Session = Depends(get_session)):
    return SERVERS.response(request, session)


@stories.router.get("/fragment", response_class=HTMLResponse)
def fragment(request: Request):
    label = Markup('<label class="form-label" for="server_id">Server</label>')
    select = ui_for(request).component("ui:AjaxSelect", request, name="server_id", url=stories.url(request, "/servers"))
    return HTMLResponse(label + select)

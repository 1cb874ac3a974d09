"""AjaxSelect stories: a searchable select over 10,000 servers loaded page by page, one with
its value pre-selected (an edit form), and one that htmx swaps in again and again."""

from __future__ import annotations

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup
from sqlalchemy.orm import Session

from fasthx_ui import AjaxSelectSource, current_ui
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


@stories.router.get("/servers")
def servers(request: Request, session: Session = Depends(get_session)):
    return SERVERS.response(request, session)


@stories.router.get("/fragment", response_class=HTMLResponse)
def fragment(request: Request):
    label = Markup('<label class="form-label" for="server_id">Server</label>')
    return HTMLResponse(label + current_ui().component("ui:AjaxSelect", request, name="server_id", url="/api/ajax_select/servers"))

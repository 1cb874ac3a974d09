"""RowActions stories: icon buttons and a dropdown menu for one table row, from the
reference's dicts or from `Action` objects; every action reaches a route of this module."""

from fastapi import HTTPException, Request
from fastapi.responses import HTMLResponse, PlainTextResponse
from markupsafe import escape

from fasthx_ui import Action, as_actions, toast_response
from fasthx_ui.ui import ui_for
from storybook.book import Stories

stories = Stories("RowActions", "The actions of one table row: htmx buttons and links, `{id}` replaced.", category="Data")

ACTIONS = [
    {"label": "Deploy", "icon": "rocket", "hx_post": "{api}/{id}/deploy", "hx_swap": "none", "class": "btn-outline-success"},
    {"label": "Template", "icon": "download", "href": "{api}/{id}/template", "download": True, "confirm": "Download the template of {id}?"},
    {"label": "Docs", "icon": "box-arrow-up-right", "href": "https://example.org/docs/{id}", "target": "_blank"},
    {"label": "Reset", "icon": "arrow-counterclockwise", "hx_post": "{api}/{id}/reset", "hx_swap": "none", "class": "btn-outline-warning", "confirm": "Reset device {id}?"},
]


def python_actions(api: str) -> list[Action]:
    """Actions built in Python (a dict converts on the way: `as_actions` accepts both)."""
    return as_actions([
        Action("Details", icon="eye", method="get", url=f"{api}/{{id}}/details", target="#row-action-result", swap="innerHTML"),
        Action("Config", icon="file-earmark-arrow-down", href=f"{api}/{{id}}/config", download=True),
        Action("Deploy", icon="rocket", method="post", url=f"{api}/{{id}}/deploy", swap="none", css_class="btn-outline-success"),
        {"label": "Delete", "icon": "trash", "hx_post": f"{api}/{{id}}/delete", "hx_swap": "none",
         "class": "btn-outline-danger", "confirm": "Delete device {id}?"},
    ])


@stories.story(args={"actions": ACTIONS, "row_id": 7, "display": "icons"})
def icons():
    """Icon buttons with labels for screen readers; Reset asks first."""
    return "<ui:RowActions actions={{ actions }} row_id={{ row_id }} display={{ display }} />"


@stories.story(args={"actions": ACTIONS, "row_id": 7, "display": "dropdown"})
def dropdown():
    """The same actions in a keyboard-operable dropdown menu."""
    return "<ui:RowActions actions={{ actions }} row_id={{ row_id }} display={{ display }} />"


@stories.story(args={"row_id": 7, "display": "icons"})
def text_buttons():
    """Actions without icons show their labels; every style stays readable in both themes."""
    return """<ui:RowActions row_id={{ row_id }} display={{ display }} actions={{ [
  {"label": "Open", "href": api ~ "/{id}"},
  {"label": "Deploy", "hx_post": api ~ "/{id}/deploy", "hx_swap": "none", "class": "btn-outline-success"},
  {"label": "Reset", "hx_post": api ~ "/{id}/reset", "hx_swap": "none", "class": "btn-outline-warning"},
  {"label": "Delete", "hx_post": api ~ "/{id}/delete", "hx_swap": "none", "class": "btn-outline-danger", "confirm": "Delete {id}?"},
] }} />"""


@stories.story(args={"row_id": "eu/7", "display": "icons"})
def typed_actions():
    """`Action` objects (`python_actions` in this module), rendered by the route below: Details
    swaps into the box, Config downloads, Deploy posts, Delete asks first; the id `eu/7`
    is URL-quoted in URLs and plain text in the confirm question."""
    return """
<div hx-get="{{ api }}/typed?row_id={{ row_id | urlencode }}&amp;display={{ display }}" hx-trigger="load" hx-swap="outerHTML">Loading…</div>
<div id="row-action-result" class="mt-3" role="status"></div>
"""


@stories.router.get("/typed", response_class=HTMLResponse)
def typed(request: Request, row_id: str = "7", display: str = "icons"):
    actions = python_actions(stories.api(request))
    return ui_for(request).fragment(request, "ui:RowActions", actions=actions, row_id=row_id, display=display)


@stories.router.get("/{row_id}", response_class=HTMLResponse)
def open_row(request: Request, row_id: str):
    """The page an "Open" link leads to."""
    content = escape(f"Device {row_id}: online, firmware 7.2.")
    return ui_for(request).fragment(request, "ui:Layout", title=f"Device {row_id}", sidebar=False, _content=content)


@stories.router.get("/{row_id:path}/details", response_class=HTMLResponse)
def details(row_id: str):
    return HTMLResponse(f"<p>Device <b>{escape(row_id)}</b>: online, firmware 7.2.</p>")


@stories.router.get("/{row_id:path}/config")
@stories.router.get("/{row_id:path}/template")
def config(row_id: str):
    headers = {"Content-Disposition": 'attachment; filename="device.cfg"'}
    return PlainTextResponse(f"hostname device-{row_id}\n", headers=headers)


@stories.router.post("/{row_id:path}/{verb}")
def act(row_id: str, verb: str):
    if verb not in ("deploy", "reset", "delete"):
        raise HTTPException(404, f"No action {verb}")
    return toast_response(f"{verb.capitalize()} sent to device {row_id}.", type="success")

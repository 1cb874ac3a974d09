"""RowActions stories: icon buttons and a dropdown menu for one table row; every
action reaches a route of this module."""

from fastapi import Request
from fastapi.responses import HTMLResponse, PlainTextResponse

from fasthx_ui import toast_response, ui_for
from storybook.book import Stories

stories = Stories("RowActions", "The actions of one table row: htmx buttons and links, `{id}` replaced.", category="Data")

ACTIONS = [
    {"label": "Deploy", "icon": "rocket", "hx_post": "/api/row_actions/{id}/deploy", "hx_swap": "none", "class": "btn-outline-success"},
    {"label": "Template", "icon": "download", "href": "/api/row_actions/{id}/template", "download": True, "confirm": "Download the template of {id}?"},
    {"label": "Docs", "icon": "box-arrow-up-right", "href": "https://example.org/docs/{id}", "target": "_blank"},
    {"label": "Reset", "icon": "arrow-counterclockwise", "hx_post": "/api/row_actions/{id}/reset", "hx_swap": "none", "class": "btn-outline-warning", "confirm": "Reset device {id}?"},
]


@stories.story(args={"actions": ACTIONS, "row_id": 7, "menu": False})
def icons():
    """Icon buttons with labels for screen readers; Reset asks first."""
    return "<ui:RowActions actions={{ actions }} row_id={{ row_id }} menu={{ menu }} />"


@stories.story(args={"actions": ACTIONS, "row_id": 7, "menu": True})
def dropdown():
    """The same actions in a keyboard-operable dropdown menu."""
    return "<ui:RowActions actions={{ actions }} row_id={{ row_id }} menu={{ menu }} />"


@stories.story(args={"row_id": 7, "menu": False})
def text_buttons():
    """Actions without icons show their labels; every style stays readable in both themes."""
    return """<ui:RowActions row_id={{ row_id }} menu={{ menu }} actions={{ [
  {"label": "Open", "href": "/api/row_actions/{id}"},
  {"label": "Deploy", "hx_post": "/api/row_actions/{id}/deploy", "hx_swap": "none", "class": "btn-outline-success"},
  {"label": "Reset", "hx_post": "/api/row_actions/{id}/reset", "hx_swap": "none", "class": "btn-outline-warning"},
  {"label": "Delete", "hx_post": "/api/row_actions/{id}/delete", "hx_swap": "none", "class": "btn-outline-danger", "confirm": "Delete {id}?"},
] }} />"""


@stories.router.get("/{row_id}", response_class=HTMLResponse)
def open_row(request: Request, row_id: int):
    """The page an "Open" link leads to."""
    return ui_for(request).fragment(request, "ui:Layout", title=f"Device {row_id}", sidebar=False, _content=f"Device {row_id}.")


@stories.router.get("/{row_id}/template", response_class=PlainTextResponse)
def download_template(row_id: int):
    config = f"# Generated configuration of device {row_id}\nhostname edge-{row_id:02d}\n"
    return PlainTextResponse(config, headers={"Content-Disposition": f'attachment; filename="device-{row_id}.conf"'})


@stories.router.post("/{row_id}/{action}")
def act(row_id: int, action: str):
    if action not in ("deploy", "reset", "delete"):
        return toast_response(f"Unknown action {action}.", type="danger", status_code=404)
    return toast_response(f"{action.capitalize()} of device {row_id} started.", type="success")

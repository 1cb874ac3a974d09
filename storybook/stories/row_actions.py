"""RowActions stories: icon buttons and a dropdown menu for one table row."""

from storybook.book import Stories

stories = Stories("RowActions", "The actions of one table row: htmx buttons and links, `{id}` replaced.", category="Data")

ACTIONS = [
    {"label": "Deploy", "icon": "rocket", "hx_post": "/api/row_actions/{id}/deploy", "hx_swap": "none", "class": "btn-outline-success"},
    {"label": "Template", "icon": "download", "href": "/files/{id}/template", "download": True, "confirm": "Download the template of {id}?"},
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
  {"label": "Open", "href": "/devices/{id}"},
  {"label": "Deploy", "hx_post": "/api/row_actions/{id}/deploy", "hx_swap": "none", "class": "btn-outline-success"},
  {"label": "Reset", "hx_post": "/api/row_actions/{id}/reset", "hx_swap": "none", "class": "btn-outline-warning"},
  {"label": "Delete", "hx_post": "/api/row_actions/{id}/delete", "hx_swap": "none", "class": "btn-outline-danger", "confirm": "Delete {id}?"},
] }} />"""

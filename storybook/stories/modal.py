"""Modal stories: opening the page's dialog from the server, sizes, actions, a form, hostile titles."""

from fastapi import Request
from markupsafe import escape

from fasthx_ui import modal_response, toast_response, trigger
from storybook.book import Stories

stories = Stories("Modal", "The page's one dialog: focus moves in and is trapped, Esc closes, focus returns to the opener.", category="Feedback")


@stories.story(args={"size": "modal-lg"})
def from_server():
    """A button whose response is `modal_response(...)`: retargeted into the modal, then opened."""
    return """
<button type="button" class="btn btn-primary" hx-get="{{ api }}/template?size={{ size }}">
  <i class="bi bi-file-earmark-text" aria-hidden="true"></i> Preview template</button>
<button type="button" class="btn btn-outline-secondary" hx-get="{{ api }}/hostile">Open with a hostile title</button>
"""


@stories.story()
def sizes():
    """The same modal in each Bootstrap size."""
    return """
<div class="d-flex flex-wrap gap-2">
  {% for size in ["modal-sm", "", "modal-lg", "modal-xl"] %}
  <button type="button" class="btn btn-outline-secondary" hx-get="{{ api }}/template?size={{ size }}">{{ size or "standard" }}</button>
  {% endfor %}
</div>
"""


@stories.story(args={"title": "Delete 3 items?", "body": "This cannot be undone."})
def content():
    """ModalContent on its own: title, body and the footer's Close button."""
    return '<div class="modal-content border rounded" style="max-width: 32rem"><ui:ModalContent title={{ title }} body={{ body }} /></div>'


@stories.story()
def form_dialog():
    """A form in the dialog's body, sent by the footer's submit button (`modal_response(submit=...)`);
    the answer's toast shows and `closeModal` closes the dialog."""
    return '<button type="button" class="btn btn-primary" hx-get="{{ api }}/rename">Rename edge-01</button>'


@stories.router.get("/rename")
def rename_dialog(request: Request):
    body = (f'<form id="rename-form" hx-post="{stories.url(request, "/rename")}" hx-swap="none">'
            '<label class="form-label" for="rename-name">New name</label>'
            '<input class="form-control" id="rename-name" name="name" required></form>')
    return modal_response("Rename edge-01", body, submit={"label": "Rename", "form": "rename-form"})


@stories.router.post("/rename")
async def rename(request: Request):
    name = str((await request.form()).get("name", "")).strip()
    if not name:
        return toast_response("Give a name.", type="danger", status_code=422)
    return trigger(toast_response(f"Renamed to {name}.", type="success"), "closeModal")


@stories.router.get("/template")
def template(request: Request, size: str = ""):
    body = "<p>Generated configuration:</p><pre class='mb-0'>hostname edge-01\ninterface wan1\n  mode dhcp</pre>"
    actions = [
        {"label": "Download", "icon": "download", "href": stories.url(request, "/download"), "css_class": "btn btn-primary"},
        {"label": "Deploy", "icon": "rocket", "hx_post": stories.url(request, "/deploy"), "confirm": "Deploy edge-01 now?"},
        {"label": "Check", "icon": "check2", "hx_get": stories.url(request, "/checked")},
    ]
    return modal_response("Template — edge-01", body, actions=actions, size=size)


@stories.router.get("/checked")
def checked():
    """New content for the open dialog: the button that asked for it is gone with the old."""
    return modal_response("Checked — edge-01", "<p>The template is valid.</p>")


@stories.router.get("/hostile")
def hostile():
    title = '<img src=x onerror="alert(1)">Edge "01"'
    return modal_response(title, f"<p>The title above is text: {escape(title)}</p>", actions=[{"label": "Bad link", "href": "javascript:alert(1)"}])


@stories.router.get("/download")
def download():
    return toast_response("Download started.", type="info")


@stories.router.post("/deploy")
def deploy():
    return toast_response("Deployment of edge-01 started.", type="success")

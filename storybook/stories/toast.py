"""Toast stories: server-rendered toasts, toasts from htmx responses, flash toasts."""

from fastapi import Request
from fastapi.responses import RedirectResponse

from fasthx_ui import flash, toast_response
from storybook.book import Stories, storybook_root

stories = Stories("Toast", "Notifications drawn into the ToastRegion (the page's live regions); they hide after 5 s and never take focus.", category="Feedback")


@stories.story(args={"message": "Changes saved.", "type": "success", "title": "", "delay": 0})
def rendered():
    """A toast rendered by the server, as an out-of-band swap would insert it (delay 0 keeps it)."""
    return '<ui:Toast message={{ message }} type={{ type }} title={{ title }} delay={{ delay }} />'


@stories.story()
def from_server():
    """Buttons whose htmx responses are `toast_response(...)`: one HX-Trigger header, nothing swapped."""
    return """
<div class="d-flex flex-wrap gap-2">
  {% for kind in ["success", "danger", "warning", "info"] %}
  <button type="button" class="btn btn-outline-secondary" hx-post="{{ api }}/notify?type={{ kind }}">Show {{ kind }}</button>
  {% endfor %}
  <button type="button" class="btn btn-outline-danger" hx-post="{{ api }}/notify?type=danger&amp;hostile=1">Show a hostile message</button>
  <button type="button" class="btn btn-outline-secondary" hx-post="{{ api }}/redirect">Toast after a redirect</button>
</div>
"""


@stories.story(args={"message": "Saved from JavaScript", "type": "info"})
def from_javascript():
    """`showToast({message, type, title})` called by page script."""
    return """
<button type="button" class="btn btn-outline-secondary" id="js-toast"
        data-message="{{ message }}" data-type="{{ type }}"
        hx-on:click="showToast({message: this.dataset.message, type: this.dataset.type})">Call showToast()</button>
"""


@stories.router.post("/notify")
def notify(type: str = "info", hostile: bool = False):
    message = '<img src=x onerror="alert(1)"><script>alert(2)</script>' if hostile else f"This is a {type} toast."
    return toast_response(message, type=type)


@stories.router.post("/redirect")
def redirect_with_toast(request: Request):
    landing = f"{storybook_root(request)}/preview/toast/flash_landing"
    return toast_response("You were redirected here.", type="success", redirect=landing)


@stories.story()
def flash_landing():
    """The page a redirect lands on: the flash toast left by `toast_response(..., redirect=…)` shows once."""
    return '<p>This page shows any flash toast once, then forgets it. <a href="{{ api }}/plain-redirect">Redirect here with a flash</a>.</p>'


@stories.router.get("/plain-redirect")
def plain_redirect(request: Request):
    landing = RedirectResponse(f"{storybook_root(request)}/preview/toast/flash_landing", status_code=303)
    return flash(landing, "Flash after a plain redirect.", "info")

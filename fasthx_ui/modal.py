"""Modal: server helpers for the page's one dialog (the `Modal` component).

`modal_response()` renders `ModalContent` and sends it into the page's modal
whatever the request targeted (`HX-Retarget`), then `showModal` opens it. The modal
is `#admin-modal`, as pages and scripts written for the reference API expect.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import HTMLResponse

from fasthx_ui.htmx import retarget, trigger
from fasthx_ui.ui import ui_for

MODAL_ID = "admin-modal"
MODAL_CONTENT = f"#{MODAL_ID} .modal-content"
MODAL_SIZES = ("modal-sm", "modal-lg", "modal-xl", "modal-fullscreen")


def modal_size(size: str | None) -> str:
    """A known Bootstrap modal size class, or '' for the standard size."""
    return size if size in MODAL_SIZES else ""


def modal_response(
    title: str,
    body: str,
    actions: Sequence[Mapping[str, Any]] | None = None,
    size: str | None = None,
    status_code: int = 200,
    *,
    submit: Mapping[str, str] | None = None,
    request: Request | None = None,
) -> HTMLResponse:
    """Open the page's modal with `title` (text) and `body` (trusted HTML from your code).

    actions: buttons before the always-present Close: dicts with label, icon, and
    one of href / hx_get / hx_post, plus optional css_class, target, confirm.
    submit: the submit button of a form in `body`: {"label", "form" (the form's id), "css_class"}.
    request: renders through the UI of the request's app (its component overrides).
    """
    ui = ui_for(request)
    html = ui.component("ui:ModalContent", request, title=title, body=Markup(body), actions=list(actions or []),
                        submit=dict(submit) if submit else None)
    response = HTMLResponse(html, status_code=status_code)
    retarget(response, MODAL_CONTENT, "innerHTML")
    return trigger(response, "showModal", {"size": modal_size(size)})

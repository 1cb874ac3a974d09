"""`admin.templates`: renders the CRUD preset's pages and the user's own through the UI's
Jinja environment (so `<ui:…>` components work in every template) and gives each one the
context the reference documents: `current_user`, `nav_categories`, `active_page`,
`static_url`, `admin_title`, `ai_chat_enabled` (and `sign_out_url`, set when a sign-in plug is
installed and AUTH_DISABLED is off, and the global `login_fields`, the sign-in form's).

`TemplateResponse` takes Starlette's order `(request, name, context)` and the older
`(name, {"request": request, …})`. A page not in `public_pages` rendered for nobody
signed in sends the browser to sign in instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import jinja2
from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.types import Receive, Scope, Send

from fasthx_ui.crud.access import LOGOUT_URL, sign_in_response
from fasthx_ui.crud import auth
from fasthx_ui.crud.auth import get_current_user
from fasthx_ui.dashboard import TEMPLATE_GLOBALS as DASHBOARD_GLOBALS
from fasthx_ui.form_fields import FieldSpec
from fasthx_ui.ui import UI

if TYPE_CHECKING:
    from fasthx_ui.crud.admin import Admin

NavCategories = Mapping[str, list[Mapping[str, Any]]]
RESPONSE_OPTIONS = ("status_code", "headers", "media_type", "background")
FORBIDDEN_TEMPLATE = "forbidden.html"
LOGIN_FIELDS = (
    FieldSpec("username", label="Username", required=True, attrs={"autocomplete": "username", "autofocus": True}),
    FieldSpec("password", "password", label="Password", required=True, attrs={"autocomplete": "current-password"}),
)


class PageResponse(HTMLResponse):
    """An HTML page that remembers its template and context, like Starlette's: test
    clients read them as `response.template` and `response.context`."""

    def __init__(self, template: jinja2.Template, context: dict[str, Any], content: str, **options: Any):
        self.template = template
        self.context = context
        super().__init__(content, **options)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if "http.response.debug" in scope.get("extensions", {}):
            await send({"type": "http.response.debug", "info": {"template": self.template, "context": self.context}})
        await super().__call__(scope, receive, send)


class AdminTemplates:
    """The templates object of one `Admin`; see the module docstring."""

    def __init__(self, admin: Admin, ui: UI):
        self.admin = admin
        self.ui = ui
        ui.env.filters["sidebar_nav"] = sidebar_nav
        ui.env.globals.update(DASHBOARD_GLOBALS, login_fields=LOGIN_FIELDS)

    @property
    def env(self) -> jinja2.Environment:
        return self.ui.env

    def get_template(self, name: str) -> jinja2.Template:
        return self.env.get_template(name)

    def context_for(self, request: Request | None, context: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """`context` with the request and every documented variable it does not set itself
        (without a request, nobody is signed in)."""
        user = get_current_user(request) if request is not None else None
        admin = self.admin
        return {
            "request": request,
            "current_user": user,
            "nav_categories": admin.get_nav_categories(user) if user is not None else {},
            "active_page": "",
            "static_url": admin.static_url,
            "admin_title": admin.title,
            "ai_chat_enabled": admin.ai_chat_allowed(user),
            "sign_out_url": LOGOUT_URL if admin.sign_in is not None and not auth.AUTH_DISABLED else "",
            **(context or {}),
        }

    def render(self, request: Request | None, name: str, context: Mapping[str, Any] | None = None, *, block: str | None = None) -> Markup:
        """One template (or, for an htmx fragment request, its `block`) as trusted HTML."""
        return self.ui.render(request, name, self.context_for(request, context), block=block)

    def TemplateResponse(self, *args: Any, **kwargs: Any) -> Response:  # noqa: N802 (Starlette's name)
        """`(request, name, context=None, status_code=200, headers=None, media_type=None,
        background=None)`, or the same without the request when `context["request"]` has it."""
        request, name, context, options = _template_call(args, kwargs)
        if name not in self.admin.public_pages and get_current_user(request) is None:
            return sign_in_response(request)
        full = self.context_for(request, context)
        template = self.get_template(name)
        return PageResponse(template, full, self.ui.render(request, template, full), **options)

    def forbidden_page(self, request: Request, message: str) -> Response:
        """The 403 page for a signed-in user outside a view's allow lists."""
        return self.TemplateResponse(request, FORBIDDEN_TEMPLATE, {"title": "Not allowed", "message": message}, status_code=403)


def sidebar_nav(categories: NavCategories) -> list[dict[str, Any]]:
    """`nav_categories` ({category: [{"name", "url", "display_name", "icon"}]}) in the
    shape of Layout's `nav` prop ([{"name", "items": [{"name", "label", "url", "icon"}]}])."""
    return [
        {
            "name": category,
            "items": [{"name": i["name"], "label": i["display_name"], "url": i["url"], "icon": i["icon"]} for i in items],
        }
        for category, items in categories.items()
    ]


def _template_call(args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[Request, str, dict[str, Any], dict[str, Any]]:
    """The request, template name, context and response options of either calling order."""
    positional = list(args)
    request = kwargs.pop("request", None)
    if positional and isinstance(positional[0], Request):
        request = positional.pop(0)
    names = ("name", "context", *RESPONSE_OPTIONS)
    if len(positional) > len(names):
        raise TypeError(f"TemplateResponse() takes at most {len(names) + 1} positional arguments")
    values: dict[str, Any] = dict(zip(names, positional))
    for key, value in kwargs.items():
        if key not in names:
            raise TypeError(f"TemplateResponse() got an unexpected keyword argument {key!r}")
        if key in values:
            raise TypeError(f"TemplateResponse() got multiple values for argument {key!r}")
        values[key] = value
    name = values.pop("name", None)
    if not isinstance(name, str):
        raise TypeError("TemplateResponse() needs a template name")
    context = dict(values.pop("context", None) or {})
    request = request if request is not None else context.get("request")
    if not isinstance(request, Request):
        raise TypeError("TemplateResponse() needs the request: pass it first, or as context['request']")
    return request, name, context, values

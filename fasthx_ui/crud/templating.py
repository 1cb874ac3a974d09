"""Stand-in for the ADMIN engineer's crud/templating.py (contract: AdminTemplates with
TemplateResponse in both argument orders, render, get_template, env); replaced when
that module lands on main."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import HTMLResponse

from fasthx_ui.crud import auth


class AdminTemplates:
    def __init__(self, admin: Any):
        self.admin = admin
        self.env = admin.ui.env

    def get_template(self, name: str) -> Any:
        return self.env.get_template(name)

    def _context(self, request: Request | None, context: Mapping[str, Any]) -> dict[str, Any]:
        user = auth.get_current_user(request) if request is not None else None
        return {
            "active_page": "",
            **context,
            "request": request,
            "current_user": user,
            "nav_categories": self.admin.get_nav_categories(user),
            "static_url_prefix": self.admin.static_url,
            "admin_title": self.admin.title,
            "ai_chat_enabled": False,
        }

    def render(self, request: Request | None, name: str, context: Mapping[str, Any] | None = None) -> Markup:
        return self.admin.ui.render(request, name, self._context(request, context or {}))

    def TemplateResponse(self, *args: Any, status_code: int = 200, headers: Mapping[str, str] | None = None,
                         **kwargs: Any) -> HTMLResponse:
        if args and isinstance(args[0], str):
            name, context = args[0], (args[1] if len(args) > 1 else kwargs.get("context", {}))
            request = context.get("request")
        else:
            request, name = args[0], args[1]
            context = args[2] if len(args) > 2 else kwargs.get("context", {})
        return HTMLResponse(self.render(request, name, context), status_code, headers)

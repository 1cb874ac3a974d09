"""Stand-in for the ADMIN engineer's crud/admin.py (contract: Admin, add_view, get_view,
get_nav_categories, templates, ui); replaced when that module lands on main."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import FastAPI

from fasthx_ui.crud import access
from fasthx_ui.crud.templating import AdminTemplates
from fasthx_ui.ui import UI

TEMPLATES_DIR = Path(__file__).parent / "templates"


class Admin:
    def __init__(self, app: FastAPI, templates: Any = None, title: str = "Admin",
                 static_url: str = "/static/fasthx-admin", mount_statics: bool = True,
                 public_pages: set[str] | None = None, ai_chat: bool = False,
                 extra_templates_dirs: list[str] | None = None, settings_admin_groups: Any = None,
                 settings_admin_users: Any = None, audit_logger: Any = None):
        self.app = app
        self.title = title
        self.static_url = static_url
        self.views: dict[str, Any] = {}
        self.ui = UI(templates=[*(extra_templates_dirs or ()), TEMPLATES_DIR], secret_key="stand-in")
        self.ui.install(app)
        access.install_access_handlers(app)
        self.templates = AdminTemplates(self)

    def add_view(self, view_class: type) -> Any:
        view = view_class(self.templates)
        view.admin = self
        self.views[view.name] = view
        self.app.include_router(view.router)
        return view

    def get_view(self, name: str) -> Any:
        return self.views.get(name)

    def get_nav_categories(self, user: Any = None) -> dict[str, list[dict[str, str]]]:
        categories: dict[str, list[dict[str, str]]] = {}
        for view in self.views.values():
            item = {"name": view.name, "url": f"/{view.name}", "display_name": view.display_name,
                    "label": view.display_name, "icon": view.icon}
            categories.setdefault(view.category, []).append(item)
        return categories

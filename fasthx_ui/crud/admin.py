"""`Admin`: the CRUD preset on one FastAPI app. It installs the toolkit's UI (components,
CSRF, static files) and the access answers, keeps the registered views and links, and
builds the sidebar each user sees from them.

Template search order: `extra_templates_dirs`, the caller's own `Jinja2Templates`, the
preset's templates (`fasthx_ui/crud/templates/`), the toolkit's.

Sign-in is pluggable: `sign_in=` takes an object whose `install(admin)` adds `/login` and
`/logout` (`LocalSignIn` for the app's own users, or OIDC); Admin then adds the session
cookie first (`fasthx_ui.crud.sessions`). Without it the app writes its own login routes
and adds its own `SessionMiddleware`, as in the reference.
"""

from __future__ import annotations

import logging
import os
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from starlette.staticfiles import StaticFiles

from fasthx_ui.assets import STATIC_DIR
from fasthx_ui.crud import action_jobs, routes
from fasthx_ui.crud.access import install_access_handlers, user_allowed
from fasthx_ui.crud.items import install_item_handlers
from fasthx_ui.crud.sessions import DEFAULT_ABSOLUTE, DEFAULT_IDLE, SignIn, install_sessions, secure_from_env
from fasthx_ui.crud.templating import AdminTemplates
from fasthx_ui.ui import UI, TemplateSource

CRUD_TEMPLATES_DIR = Path(__file__).parent / "templates"
# The preset's palette names (crud/admin.css), in the toolkit's stylesheet bundle.
ADMIN_CSS = "crud/admin.css"
SECRET_VARIABLES = ("SESSION_SECRET", "FASTHX_UI_SECRET_KEY")
STATIC_ROUTE_NAME = "fasthx_admin_static"

logger = logging.getLogger("fasthx_ui.crud")

NavHook = Callable[[dict[str, Any] | None], Iterable["NavLink"]]
"""Adds sidebar entries that depend on who asks: called with the user (None: everyone)
by `Admin.get_nav_categories`, it gives the links that user may open."""


@dataclass(frozen=True)
class NavLink:
    """One sidebar entry: a view's list page or a custom link."""

    name: str
    url: str
    display_name: str
    icon: str = "link"
    category: str = "Other"
    allowed_users: tuple[str, ...] | None = None
    allowed_groups: tuple[str, ...] | None = None

    def item(self) -> dict[str, str]:
        return {"name": self.name, "url": self.url, "display_name": self.display_name, "icon": self.icon}


class Admin:
    """The CRUD preset installed on `app`; parameters as in the reference (see docs/crud_admin.md).

    `templates`: the caller's own `Jinja2Templates`, searched before the built-in pages.
    `settings_admin_users/groups`: who may open the AI settings pages (installed with
    `ai_chat`; nobody when neither is set), and sees their Settings category.
    `sign_in`: see the module docstring. `session_secret` signs the session (default: the
    UI's secret, from `SESSION_SECRET`); `session_https_only` marks the session and CSRF
    cookies Secure (default: `SESSION_COOKIE_SECURE`); `session_idle` and `session_absolute`
    are the session's lifetimes in seconds.
    `jobs_redis_url`: where batch actions on all matching rows queue their jobs (RQ);
    None runs them in-process (docs/jobs.md).
    `ai_chat`: the AI assistant's `/ai/` routes and widget (needs the `[ai]` extra);
    `ai_redis_url` keeps its conversations in Redis for every app process, each its last
    `ai_history_limit` messages (None: the chat's default; docs/ai.md).
    `ai_chat_allowed_users/groups`: who may use the assistant (its routes and widget), read
    like a view's allow lists: any signed-in user when neither is set.
    """

    def __init__(
        self,
        app: FastAPI,
        templates: Any = None,
        title: str = "Admin",
        static_url: str = "/static/fasthx-admin",
        mount_statics: bool = True,
        public_pages: Iterable[str] = frozenset({"login.html"}),
        ai_chat: bool = False,
        extra_templates_dirs: Iterable[str | Path] | None = None,
        settings_admin_groups: Iterable[str] | None = None,
        settings_admin_users: Iterable[str] | None = None,
        audit_logger: Callable[[dict[str, Any]], None] | None = None,
        progress_redis_url: str | None = None,
        sign_in: SignIn | None = None,
        session_secret: str | None = None,
        session_https_only: bool | None = None,
        session_idle: float = DEFAULT_IDLE,
        session_absolute: float = DEFAULT_ABSOLUTE,
        jobs_redis_url: str | None = None,
        ai_redis_url: str | None = None,
        ai_history_limit: int | None = None,
        ai_chat_allowed_users: Iterable[str] | None = None,
        ai_chat_allowed_groups: Iterable[str] | None = None,
    ):
        self.app = app
        self.title = title
        self.static_url = static_url
        self.mount_statics = mount_statics
        self.public_pages = set(public_pages)
        self.ai_chat = ai_chat
        self.settings_admin_groups = list(settings_admin_groups) if settings_admin_groups is not None else None
        self.settings_admin_users = list(settings_admin_users) if settings_admin_users is not None else None
        self.ai_chat_allowed_users = list(ai_chat_allowed_users) if ai_chat_allowed_users is not None else None
        self.ai_chat_allowed_groups = list(ai_chat_allowed_groups) if ai_chat_allowed_groups is not None else None
        self.audit_logger = audit_logger  # gets the events of views with audit_log = True (crud/audit.py)
        self.progress_redis_url = progress_redis_url  # progress store of views that set none (crud/progress.py)
        self.views: dict[str, Any] = {}
        self._nav: list[Any] = []  # views and NavLinks, in the order they were added
        self._view_routes: dict[tuple[str, str], str] = {}  # (method, path) → its owner, of every view added
        self._nav_hooks: list[NavHook] = []
        own: list[TemplateSource] = [*(extra_templates_dirs or ())]
        if templates is not None:
            own.append(templates.env.loader)
        secure = secure_from_env() if session_https_only is None else session_https_only
        self.ui = _install_ui(app, own, session_secret, secure)
        if templates is not None:
            _adopt_filters_and_globals(self.ui, templates.env)
        self.templates = AdminTemplates(self, self.ui)
        install_access_handlers(app, self.templates.forbidden_page)
        install_item_handlers(app)
        self.jobs = action_jobs.install(self, jobs_redis_url)
        if mount_statics:
            app.mount(static_url.rstrip("/") or "/", StaticFiles(directory=STATIC_DIR), name=STATIC_ROUTE_NAME)
        self.sign_in = sign_in
        if sign_in is not None:
            secret = session_secret or self.ui.secret_key
            install_sessions(app, secret, https_only=secure, idle=session_idle, absolute=session_absolute)
            sign_in.install(self)
        if ai_chat:
            from fasthx_ui.crud.ai.routes import install_ai
            from fasthx_ui.crud.ai.settings_pages import install_settings_pages

            install_ai(self, redis_url=ai_redis_url, history_limit=ai_history_limit)
            install_settings_pages(self)

    def add_view(self, view_class: type) -> Any:
        """Create the view (`view_class(admin.templates)`), add its routes to the app and
        its list page to the sidebar; returns the view."""
        view = view_class(self.templates)
        self._claim(view.name)
        routes.check_clashes(view, self._view_routes, self.app.router.routes)
        view.admin = self
        self.app.include_router(view.router)
        self.views[view.name] = view
        self._nav.append(view)
        return view

    def ai_chat_allowed(self, user: dict[str, Any] | None) -> bool:
        """True when the AI assistant is on and `user` (signed in) is inside its allow lists."""
        return self.ai_chat and user_allowed(user, self.ai_chat_allowed_users, self.ai_chat_allowed_groups)

    def get_view(self, name: str) -> Any | None:
        """The registered view called `name`, or None."""
        return self.views.get(name)

    def add_link(
        self,
        name: str,
        url: str,
        display_name: str,
        icon: str = "link",
        category: str = "Other",
        allowed_users: Iterable[str] | None = None,
        allowed_groups: Iterable[str] | None = None,
    ) -> None:
        """Add a sidebar link to a page that is not a CRUD view (a dashboard, a tool)."""
        self._claim(name)
        self._nav.append(NavLink(name, url, display_name, icon, category, _tuple(allowed_users), _tuple(allowed_groups)))

    def add_nav_hook(self, hook: NavHook) -> None:
        """Add sidebar entries computed per user (see `NavHook`), after the views and links."""
        self._nav_hooks.append(hook)

    def get_nav_categories(self, user: dict[str, Any] | None = None) -> dict[str, list[dict[str, str]]]:
        """The sidebar: category → [{"name", "url", "display_name", "icon"}], in the order
        added, then the nav hooks' entries; given a user, only what that user may open."""
        categories: dict[str, list[dict[str, str]]] = {}
        for entry in self._nav:
            link = entry if isinstance(entry, NavLink) else _view_link(entry)
            if user is None or user_allowed(user, link.allowed_users, link.allowed_groups):
                categories.setdefault(link.category, []).append(link.item())
        for hook in self._nav_hooks:
            for link in hook(user):
                categories.setdefault(link.category, []).append(link.item())
        return categories

    def _claim(self, name: str) -> None:
        taken = {entry.name for entry in self._nav}
        if name in taken:
            raise ValueError(f"the sidebar already has an entry named {name!r}; names of views and links must be unique")


def _view_link(view: Any) -> NavLink:
    """A view's sidebar entry, read from the view now (its lists may change at run time)."""
    return NavLink(
        view.name,
        f"/{view.name}",
        view.display_name,
        view.icon,
        view.category,
        _tuple(getattr(view, "allowed_users", None)),
        _tuple(getattr(view, "allowed_groups", None)),
    )


def _tuple(values: Iterable[str] | None) -> tuple[str, ...] | None:
    return tuple(values) if values is not None else None


def _install_ui(app: FastAPI, own: list[TemplateSource], secret: str | None, secure: bool) -> UI:
    """The app's UI with the preset's templates: the one already installed, or a new one
    (signing with `secret`, else the environment's; Secure cookies when `secure`)."""
    ui = getattr(app.state, "fasthx_ui", None)
    if ui is not None:
        ui.add_templates(*own, first=True)
        ui.add_templates(CRUD_TEMPLATES_DIR)
        ui.add_style(ADMIN_CSS)
        return ui
    ui = UI(templates=[*own, CRUD_TEMPLATES_DIR], secret_key=secret or _secret_key())
    ui.add_style(ADMIN_CSS)
    ui.install(app, secure_cookies=secure)
    return ui


def _secret_key() -> str:
    for variable in SECRET_VARIABLES:
        if os.environ.get(variable):
            return os.environ[variable]
    logger.warning(
        "fasthx_ui.crud: neither SESSION_SECRET nor FASTHX_UI_SECRET_KEY is set; CSRF tokens and flash "
        "cookies use a random key that dies with this process and differs between processes"
    )
    return secrets.token_urlsafe(32)


def _adopt_filters_and_globals(ui: UI, env: Any) -> None:
    """The filters, tests and globals a caller added to their own Jinja environment,
    where ours do not already define the name (ours need the request: `url_for`)."""
    for ours, theirs in ((ui.env.filters, env.filters), (ui.env.tests, env.tests), (ui.env.globals, env.globals)):
        for name, value in theirs.items():
            ours.setdefault(name, value)

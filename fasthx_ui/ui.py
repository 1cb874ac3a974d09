"""UI: the JinjaX catalog, the Jinja environment, the static mount and render helpers.

One `UI` object per app. It forces autoescape on before the Catalog exists (a bare
Catalog escapes nothing), registers the toolkit's components under the `ui`
prefix (`<ui:Toast …/>`) after any folders of the user's that override them, and
renders a whole page or only its htmx fragment from the same route code.
"""

from __future__ import annotations

import logging
import os
import secrets
from collections.abc import Iterable, Mapping
from contextvars import ContextVar
from pathlib import Path
from typing import Any, NamedTuple

import jinja2
from markupsafe import Markup
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from fasthx_ui.assets import BUNDLE_DIR, STATIC_DIR, StaticAssets, content_version, icon_font
from fasthx_ui.catalog import Catalog, auto_reload_default
from fasthx_ui.csrf import CSRFMiddleware, csrf_input, csrf_token
from fasthx_ui.export import export_links
from fasthx_ui.flash import FlashMiddleware, Flashes, flash_serializer
from fasthx_ui.htmx import is_partial
from fasthx_ui.row_fill import ROW_ID_SLOT, fill_row_id
from fasthx_ui.table_rows import table_rows
from fasthx_ui.table_values import figure_text
from fasthx_ui.status import status_color

COMPONENTS_DIR = Path(__file__).parent / "components"
TEMPLATES_DIR = Path(__file__).parent / "templates"
PREFIX = "ui"

ICONS_CSS = "vendor/bootstrap-icons/bootstrap-icons.min.css"  # apart: its font URLs are relative to it
THEME_INIT = "fasthx_ui/theme-init.js"
VENDOR_STYLES = (
    "vendor/bootstrap/bootstrap.min.css",
    "vendor/tom-select/tom-select.bootstrap5.min.css",
)
VENDOR_SCRIPTS = (
    "vendor/htmx/htmx.min.js",
    "vendor/htmx/hx-sse.min.js",
    "vendor/bootstrap/bootstrap.bundle.min.js",
    "vendor/tom-select/tom-select.complete.min.js",
)
UNSAFE_URL_SCHEMES = ("javascript:", "vbscript:", "data:")
TemplateSource = str | Path | jinja2.BaseLoader

logger = logging.getLogger("fasthx_ui")
_current: UI | None = None
_serving: ContextVar[UI | None] = ContextVar("fasthx_ui_serving", default=None)


def current_ui() -> UI:
    """The UI for helpers that get no request, like the reference's `modal_response(title, body)`:
    the UI of the app serving the current request, else the one installed last (else a default).
    Where a request is at hand, use `ui_for(request)`."""
    global _current
    serving = _serving.get()
    if serving is not None:
        return serving
    if _current is None:
        _current = UI()
    return _current


def ui_for(request: Request | None) -> UI:
    """The UI installed on the request's app; `current_ui()` without a request or app."""
    if request is not None:
        ui = getattr(request.app.state, "fasthx_ui", None) if "app" in request.scope else None
        if ui is not None:
            return ui
    return current_ui()


class InstallOptions(NamedTuple):
    """What `UI.install` was given for one app (`app.state.fasthx_ui_options`)."""

    secure_cookies: bool
    csrf_exempt: tuple[str, ...]


def secure_cookies(request: Request | None) -> bool:
    """Whether the app serving `request` marks its cookies Secure (`install(secure_cookies=True)`)."""
    options = getattr(request.app.state, "fasthx_ui_options", None) if request is not None and "app" in request.scope else None
    return bool(options and options.secure_cookies)


class UI:
    """Set up components and templates for one app; see `install()`.

    components: folders of the user's whose components override ours (`<ui:Name>`).
    templates: folders (or Jinja loaders) of page templates, searched before the toolkit's own.
    secret_key: signs CSRF tokens and flash cookies; every process of one app must
        share it (default: $FASTHX_UI_SECRET_KEY, else a random per-process key).
    auto_reload: re-read edited components and templates (development); default from
        $FASTHX_UI_DEBUG, off otherwise (files are read once, no stat per render).
    """

    def __init__(
        self,
        *,
        components: Iterable[str | Path] = (),
        templates: Iterable[TemplateSource] = (),
        secret_key: str | None = None,
        static_prefix: str = "/_fasthx",
        auto_reload: bool | None = None,
    ):
        reload = auto_reload_default() if auto_reload is None else auto_reload
        self.catalog = Catalog(jinja_env=jinja2.Environment(autoescape=True), auto_reload=reload)
        self.env = self.catalog.jinja_env
        # Optional keys of the dicts users pass (actions, nav items) read as empty.
        self.env.undefined = jinja2.Undefined
        for folder in (*components, COMPONENTS_DIR):
            self.catalog.add_folder(folder, prefix=PREFIX)
        self.env.loader = jinja2.ChoiceLoader([_loader(source) for source in (*templates, TEMPLATES_DIR)])
        self.secret_key = secret_key or os.environ.get("FASTHX_UI_SECRET_KEY") or self._random_key()
        self.flash_serializer = flash_serializer(self.secret_key)
        self.static_prefix = static_prefix.rstrip("/")
        self.version = content_version(STATIC_DIR)
        # status_color: the state colours of fasthx_ui.status, the one place they live (StatusBadge reads them).
        # export_links: the ExportMenu's links (fasthx_ui.export builds them from a table state).
        self.env.globals.update(ui=self, static_url=self.static_url, status_color=status_color, export_links=export_links,
                                ROW_ID_SLOT=ROW_ID_SLOT)
        self.env.filters["safe_url"] = safe_url
        self.env.filters["figure"] = figure_text
        self.env.filters["fill_row_id"] = fill_row_id
        self.env.filters["table_rows"] = table_rows
        # One stylesheet and one script of the toolkit's files: a first visit makes a few
        # requests instead of one per file. The theme script is inlined in <head> (it must run
        # before the first paint; a request would hold up the parser). The icons' stylesheet
        # (2,000 rules) comes at the end of the body, where it does not hold up the first paint;
        # its font is preloaded, and until both are in, an icon keeps its place (fasthx_ui.css).
        self.bundles = {"fasthx_ui.css": [*VENDOR_STYLES, *_own_assets("*.css")],
                        "fasthx_ui.js": [*VENDOR_SCRIPTS, *_own_assets("*.js")]}
        self.theme_init = Markup((STATIC_DIR / THEME_INIT).read_text().strip())
        self.styles = [f"{BUNDLE_DIR}/fasthx_ui.css"]
        self.late_styles = [ICONS_CSS]
        self.scripts = [f"{BUNDLE_DIR}/fasthx_ui.js"]
        self.preload_fonts = [icon_font(ICONS_CSS)]
        self.installed = False

    @staticmethod
    def _random_key() -> str:
        logger.warning("fasthx_ui: no secret_key given; using a random one (tokens die with this process)")
        return secrets.token_urlsafe(32)

    def add_templates(self, *sources: TemplateSource, first: bool = False) -> None:
        """Search more template folders (or loaders): before all others when `first`,
        else just before the toolkit's own."""
        loaders = self.env.loader.loaders
        position = 0 if first else len(loaders) - 1
        loaders[position:position] = [_loader(source) for source in sources]
        self.env.cache.clear()

    def add_style(self, path: str) -> None:
        """Put a stylesheet (a path below `fasthx_ui/static/`) on every page, after the
        toolkit's own: joined into the stylesheet bundle before `install()`, so it costs no
        request of its own; linked in <head> after the bundle once installed (the bundle is
        built then)."""
        if path in self.bundles["fasthx_ui.css"] or path in self.styles:
            return
        (self.styles if self.installed else self.bundles["fasthx_ui.css"]).append(path)

    def install(self, app: Starlette, *, secure_cookies: bool = False, csrf_exempt: tuple[str, ...] = ()) -> None:
        """Mount the static files and add CSRF protection to `app`.

        Installing the same UI on the same app again, with the same options, does
        nothing. One app has one UI: installing a different UI, or the same one with
        other options, raises RuntimeError and leaves the app as it was. One UI may
        serve several apps.
        """
        global _current
        options = InstallOptions(secure_cookies, tuple(csrf_exempt))
        installed = getattr(app.state, "fasthx_ui", None)
        if installed is not None:
            if installed is self and app.state.fasthx_ui_options == options:
                return
            raise RuntimeError(
                "this app already has a fasthx_ui UI installed; an app has one UI (installed once, with one set of"
                " options): give that UI the components and templates folders you need instead"
            )
        assets = StaticAssets(STATIC_DIR, bundles=self.bundles)
        assets.warm([*self.styles, *self.late_styles, *self.scripts, *(href.partition("?")[0] for href in self.preload_fonts)])
        app.router.routes.insert(
            0, Route(f"{self.static_prefix}/{{version}}/{{path:path}}", assets.serve, name="fasthx_static")
        )
        app.add_middleware(FlashMiddleware, secure_cookie=secure_cookies)
        app.add_middleware(CSRFMiddleware, secret=self.secret_key, secure_cookie=secure_cookies, exempt_paths=options.csrf_exempt)
        app.add_middleware(ServingUI, ui=self)
        app.state.fasthx_ui = self
        app.state.fasthx_ui_options = options
        self.installed = True
        _current = self

    def static_url(self, path: str) -> str:
        """The versioned, cache-forever URL of a file below `fasthx_ui/static/`."""
        return f"{self.static_prefix}/{self.version}/{path}"

    def globals_for(self, request: Request | None) -> dict[str, Any]:
        """What every template and component of this request can use."""
        if request is None:
            return {
                "request": None,
                "csrf_token": "",
                "csrf_input": Markup(""),
                "flashes": Flashes(None, self.flash_serializer),
                "url_for": _no_url_for,
            }
        return {
            "request": request,
            "csrf_token": csrf_token(request),
            "csrf_input": csrf_input(request),
            "flashes": Flashes(request, self.flash_serializer),
            "url_for": lambda name, **params: str(request.url_for(name, **params)),
        }

    def component(self, name: str, request: Request | None = None, /, **props: Any) -> Markup:
        """Render one component (`"ui:Toast"` or a user's `"Card"`) to trusted HTML."""
        return Markup(self.catalog.render(name, _globals=self.globals_for(request), **props))

    def render(
        self,
        request: Request | None,
        template: str | jinja2.Template,
        context: Mapping[str, Any] | None = None,
        *,
        block: str | None = None,
    ) -> Markup:
        """Render a page template (a name, or one compiled with `ui.env.from_string`);
        only its `block` when given and htmx asks for a fragment."""
        page_globals = self.globals_for(request)
        self.catalog.tmpl_globals = page_globals
        tmpl = self.env.get_template(template) if isinstance(template, str) else template
        values = {**page_globals, **(context or {})}
        if block and request is not None and is_partial(request):
            return Markup("".join(tmpl.blocks[block](tmpl.new_context(values))))
        return Markup(tmpl.render(values))

    def page(
        self,
        request: Request,
        template: str,
        context: Mapping[str, Any] | None = None,
        *,
        block: str | None = None,
        status_code: int = 200,
        headers: Mapping[str, str] | None = None,
    ) -> HTMLResponse:
        """A response with the whole page, or its `block` for htmx: one route serves both."""
        return HTMLResponse(self.render(request, template, context, block=block), status_code, headers)

    def fragment(self, request: Request, name: str, /, *, status_code: int = 200, headers: Mapping[str, str] | None = None, **props: Any) -> HTMLResponse:
        """A response holding one rendered component."""
        return HTMLResponse(self.component(name, request, **props), status_code, headers)


class ServingUI:
    """ASGI middleware that makes `current_ui()` answer this app's UI while it serves a request."""

    def __init__(self, app: ASGIApp, ui: UI):
        self.app = app
        self.ui = ui

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        token = _serving.set(self.ui)
        try:
            await self.app(scope, receive, send)
        finally:
            _serving.reset(token)


def safe_url(url: Any) -> str:
    """`url` as given, or '#' when its scheme could run script (`javascript:` …)."""
    text = "" if url is None else str(url)
    squeezed = "".join(text.split()).lower()
    return "#" if squeezed.startswith(UNSAFE_URL_SCHEMES) else text


def _own_assets(pattern: str) -> list[str]:
    """The toolkit's own CSS or JS files; core.js first, the inlined theme script excluded."""
    names = sorted(p.name for p in (STATIC_DIR / "fasthx_ui").glob(pattern) if f"fasthx_ui/{p.name}" != THEME_INIT)
    names.sort(key=lambda name: name != "core.js")
    return [f"fasthx_ui/{name}" for name in names]


def _loader(source: TemplateSource) -> jinja2.BaseLoader:
    return source if isinstance(source, jinja2.BaseLoader) else jinja2.FileSystemLoader(str(source))


def _no_url_for(name: str, **params: Any) -> str:
    raise RuntimeError(f"url_for({name!r}) needs a request; render with one")

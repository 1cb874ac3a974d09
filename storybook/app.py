"""The storybook app: every component's stories, previews, controls and exchange log.

Routes (below the storybook's root: "" for `create_app()`, or the prefix given to
`add_storybook`, e.g. `/storybook` in the demo):
    /                                 index of components
    /components/{module}/{story}      a story with its preview, controls, template,
                                      rendered HTML and htmx exchange log
    /preview/{module}/{story}         the story alone (chrome-less), as tests open it
    /render/{module}/{story}          the story's fragment, for htmx re-renders
    /source/{module}/{story}          the story's rendered HTML, as escaped code
    /storybook-static/…               the storybook's own CSS and JS
    /api/{module}/…                   the routes a story module owns

Inside another app the storybook's routes are added to that app and render with its UI
(`add_storybook(app, ui, prefix)`): one UI, one CSRF secret and one middleware stack
serve both, where a mounted sub-app would wrap every request in a second UI.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
from fastapi import APIRouter, FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.staticfiles import StaticFiles

from fasthx_ui import UI
from storybook import stories as stories_package
from storybook.book import Stories, Story, api_prefix, coerce, template_variables

HERE = Path(__file__).parent


@dataclass
class Control:
    """One control of a story: a prop or arg, its current value and how to edit it."""

    name: str
    value: Any
    kind: str
    doc: str = ""

    @property
    def text(self) -> str:
        return json.dumps(self.value) if self.kind == "json" else ("" if self.value is None else str(self.value))


def discover() -> dict[str, Stories]:
    """Import every module of `storybook/stories/`; each defines `stories`."""
    found = {}
    for info in sorted(pkgutil.iter_modules(stories_package.__path__), key=lambda i: i.name):
        module = importlib.import_module(f"{stories_package.__name__}.{info.name}")
        book: Stories = module.stories
        book.slug = info.name
        found[info.name] = book
    return found


def control_kind(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, (list, dict)):
        return "json"
    return "text"


def create_app() -> FastAPI:
    """The storybook as an ASGI app of its own, served at `/`."""
    app = FastAPI(title="fasthx_ui storybook", docs_url=None, redoc_url=None, openapi_url=None)
    ui = UI()
    ui.install(app)
    add_storybook(app, ui)
    return app


def add_storybook(app: FastAPI, ui: UI, prefix: str = "") -> None:
    """Serve the storybook from `app` under `prefix` ("" or e.g. "/storybook"), rendered
    with `app`'s UI `ui` (the storybook's templates are added to it). One storybook per app."""
    root = prefix.rstrip("/")
    if getattr(app.state, "storybook_root", None) is not None:
        raise RuntimeError("this app already serves a storybook")
    app.state.storybook_root = root
    ui.add_templates(HERE / "templates")
    preview_script = f'<script defer src="{root}/storybook-static/preview.js"></script>'
    app.mount(f"{root}/storybook-static", StaticFiles(directory=HERE / "static"), name="storybook_static")
    books = discover()
    for slug, book in books.items():
        app.include_router(book.router, prefix=api_prefix(root, slug), include_in_schema=False)
    router = APIRouter(prefix=root, include_in_schema=False)

    @cache
    def compiled(slug: str, name: str) -> jinja2.Template:
        return ui.env.from_string(books[slug].stories[name].template)

    def find(slug: str, name: str) -> tuple[Stories, Story]:
        book = books.get(slug)
        if book is None or name not in book.stories:
            raise HTTPException(404, f"No story {slug}/{name}")
        return book, book.stories[name]

    def controls(book: Stories, story: Story, request: Request) -> list[Control]:
        used = template_variables(ui.env, story.template)
        found = [Control(p.name, story.args.get(p.name, p.default), "", p.doc) for p in book.props() if p.name in used]
        known = {c.name for c in found}
        found += [Control(name, value, "") for name, value in story.args.items() if name not in known]
        for control in found:
            control.kind = control_kind(control.value)
            submitted = request.query_params.getlist(control.name)
            if submitted:
                control.value = coerce(submitted[-1], control.value)
        return found

    def render_story(request: Request, slug: str, name: str) -> str:
        book, story = find(slug, name)
        values = {c.name: book.resolve(request, c.value) for c in controls(book, story, request)}
        return ui.render(request, compiled(slug, name), {**values, "api": book.api(request), "root": root})

    def nav() -> list[dict[str, Any]]:
        categories: dict[str, list[dict[str, str]]] = {}
        for slug, book in books.items():
            item = {"name": slug, "label": book.label, "url": f"{root}/components/{slug}", "icon": "box"}
            categories.setdefault(book.category, []).append(item)
        return [{"name": name, "items": items} for name, items in categories.items()]

    @router.get("/", response_class=HTMLResponse)
    def index(request: Request):
        return ui.page(request, "storybook/index.html", {"books": books, "nav": nav(), "root": root})

    @router.get("/components/{slug}")
    def component(slug: str):
        book = books.get(slug)
        if book is None or not book.stories:
            raise HTTPException(404, f"No component {slug}")
        return RedirectResponse(f"{root}/components/{slug}/{next(iter(book.stories))}")

    @router.get("/components/{slug}/{name}", response_class=HTMLResponse)
    def story_page(request: Request, slug: str, name: str):
        book, story = find(slug, name)
        context = {
            "book": book,
            "story": story,
            "controls": controls(book, story, request),
            "query": request.url.query,
            "nav": nav(),
            "active": slug,
            "root": root,
        }
        return ui.page(request, "storybook/story.html", context)

    @router.get("/preview/{slug}/{name}", response_class=HTMLResponse)
    def preview(request: Request, slug: str, name: str):
        _, story = find(slug, name)
        html = render_story(request, slug, name)
        if not story.page:
            context = {"story": story, "html": html, "render_url": f"{root}/render/{slug}/{name}"}
            html = ui.render(request, "storybook/preview.html", context)
        return HTMLResponse(str(html).replace("</head>", preview_script + "</head>", 1))

    @router.get("/render/{slug}/{name}", response_class=HTMLResponse)
    def render(request: Request, slug: str, name: str):
        return HTMLResponse(render_story(request, slug, name))

    @router.get("/source/{slug}/{name}", response_class=HTMLResponse)
    def source(request: Request, slug: str, name: str):
        html = render_story(request, slug, name)
        return HTMLResponse(ui.render(request, "storybook/source.html", {"html": html}))

    app.include_router(router)

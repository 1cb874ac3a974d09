"""The storybook app: every component's stories, previews, controls and exchange log.

Routes:
    /                                 index of components
    /components/{module}/{story}      a story with its preview, controls, template,
                                      rendered HTML and htmx exchange log
    /preview/{module}/{story}         the story alone (chrome-less), as tests open it
    /render/{module}/{story}          the story's fragment, for htmx re-renders
    /source/{module}/{story}          the story's rendered HTML, as escaped code
    /api/{module}/…                   the routes a story module owns
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
from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.staticfiles import StaticFiles

from fasthx_ui import UI
from storybook import stories as stories_package
from storybook.book import Stories, Story, coerce, template_variables

HERE = Path(__file__).parent
PREVIEW_SCRIPT = '<script defer src="/storybook-static/preview.js"></script>'


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
    """The storybook as an ASGI app."""
    app = FastAPI(title="fasthx_ui storybook", docs_url=None, redoc_url=None, openapi_url=None)
    ui = UI(templates=[HERE / "templates"])
    ui.install(app)
    app.mount("/storybook-static", StaticFiles(directory=HERE / "static"), name="storybook_static")
    books = discover()
    for slug, book in books.items():
        app.include_router(book.router, prefix=f"/api/{slug}")

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
        values = {c.name: c.value for c in controls(book, story, request)}
        return ui.render(request, compiled(slug, name), {**values, "api": f"/api/{slug}"})

    def nav(active: str = "") -> list[dict[str, Any]]:
        categories: dict[str, list[dict[str, str]]] = {}
        for slug, book in books.items():
            item = {"name": slug, "label": book.label, "url": f"/components/{slug}", "icon": "box"}
            categories.setdefault(book.category, []).append(item)
        return [{"name": name, "items": items} for name, items in categories.items()]

    @app.get("/", response_class=HTMLResponse)
    def index(request: Request):
        return ui.page(request, "storybook/index.html", {"books": books, "nav": nav()})

    @app.get("/components/{slug}")
    def component(slug: str):
        book = books.get(slug)
        if book is None or not book.stories:
            raise HTTPException(404, f"No component {slug}")
        return RedirectResponse(f"/components/{slug}/{next(iter(book.stories))}")

    @app.get("/components/{slug}/{name}", response_class=HTMLResponse)
    def story_page(request: Request, slug: str, name: str):
        book, story = find(slug, name)
        context = {
            "book": book,
            "story": story,
            "controls": controls(book, story, request),
            "query": request.url.query,
            "nav": nav(),
            "active": slug,
        }
        return ui.page(request, "storybook/story.html", context)

    @app.get("/preview/{slug}/{name}", response_class=HTMLResponse)
    def preview(request: Request, slug: str, name: str):
        _, story = find(slug, name)
        html = render_story(request, slug, name)
        if not story.page:
            context = {"story": story, "html": html, "render_url": f"/render/{slug}/{name}"}
            html = ui.render(request, "storybook/preview.html", context)
        return HTMLResponse(str(html).replace("</head>", PREVIEW_SCRIPT + "</head>", 1))

    @app.get("/render/{slug}/{name}", response_class=HTMLResponse)
    def render(request: Request, slug: str, name: str):
        return HTMLResponse(render_story(request, slug, name))

    @app.get("/source/{slug}/{name}", response_class=HTMLResponse)
    def source(request: Request, slug: str, name: str):
        html = render_story(request, slug, name)
        return HTMLResponse(ui.render(request, "storybook/source.html", {"html": html}))

    return app

"""Stories: one module per component, one function per scenario.

A story is a template (JinjaX markup, usually one component call) plus the args
its template reads. The storybook turns the component's `{#def#}` props that the
template uses, and the story's own args, into controls; a story module may also
own routes (`stories.router`) for the htmx round-trips its scenarios make, mounted
under `/api/<module>` and reachable in templates as `{{ api }}`.

The storybook may be served under a prefix (the demo serves it at `/storybook`), so no
story writes an absolute URL of its own: templates use `{{ api }}` (this module's routes)
and `{{ root }}` (the storybook's root, "" or the prefix); routes build theirs with
`stories.url(request, "/servers")`; args and module data that hold URLs write them as
`"{api}/servers"` or `"{root}/preview/…"`, made whole by `stories.resolve(request, data)`
(args are resolved before the template sees them).

    stories = Stories("Toast", "Notifications in the page's live region.", category="Feedback")

    @stories.story(args={"message": "Saved", "type": "success"})
    def success():
        "A success toast as the server renders it."
        return '<ui:Toast message={{ message }} type={{ type }} />'
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from fastapi import APIRouter, Request
from jinja2 import meta

from fasthx_ui.ui import COMPONENTS_DIR

_DEF_BLOCK = re.compile(r"{#-?\s*def\s+(.*?)#}", re.DOTALL)


@dataclass
class Prop:
    """One prop of a component's `{#def#}`: its default (if any) and its comment."""

    name: str
    default: Any = None
    required: bool = False
    doc: str = ""


@dataclass
class Story:
    """One scenario: a template and the args it reads."""

    name: str
    title: str
    doc: str
    template: str
    args: dict[str, Any]
    page: bool = False


@dataclass
class Stories:
    """The stories of one component (one module of `storybook/stories/`)."""

    component: str
    summary: str = ""
    category: str = "Components"
    label: str = ""
    slug: str = ""
    stories: dict[str, Story] = field(default_factory=dict)
    router: APIRouter = field(default_factory=APIRouter)

    def __post_init__(self) -> None:
        self.label = self.label or self.component

    def story(self, *, args: Mapping[str, Any] | None = None, page: bool = False, title: str | None = None) -> Callable:
        """Register the decorated function's returned template as a story.

        page=True: the template is a whole document (e.g. a Layout), shown as is.
        """

        def register(function: Callable[[], str]) -> Callable[[], str]:
            name = function.__name__
            self.stories[name] = Story(
                name=name,
                title=title or name.replace("_", " ").capitalize(),
                doc=(function.__doc__ or "").strip(),
                template=function().strip(),
                args=dict(args or {}),
                page=page,
            )
            return function

        return register

    def api(self, request: Request) -> str:
        """Where this module's routes are served for `request`: `<root>/api/<module>`."""
        return api_prefix(storybook_root(request), self.slug)

    def url(self, request: Request, path: str) -> str:
        """The URL of this module's route `path` ("/servers") for `request`."""
        return self.api(request) + path

    def resolve(self, request: Request, value: Any) -> Any:
        """`value` with `{api}` and `{root}` in its strings (also inside lists, tuples and
        dicts) replaced by this module's API prefix and the storybook's root."""
        return expand_urls(value, api=self.api(request), root=storybook_root(request))

    def props(self) -> list[Prop]:
        """The props of the component's `{#def#}`, in declaration order."""
        return component_props(COMPONENTS_DIR / f"{self.component}.jinja")


def api_prefix(root: str, slug: str) -> str:
    """The path of the routes of the story module `slug` in a storybook served at `root`."""
    return f"{root}/api/{slug}"


def storybook_root(request: Request) -> str:
    """The path the storybook is served under in the request's app ("" at its root)."""
    return getattr(request.app.state, "storybook_root", "")


def expand_urls(value: Any, *, api: str, root: str) -> Any:
    """`value` with the `{api}` and `{root}` placeholders of its strings filled in."""
    if isinstance(value, str):
        return value.replace("{api}", api).replace("{root}", root)
    if isinstance(value, dict):
        return {key: expand_urls(item, api=api, root=root) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(expand_urls(item, api=api, root=root) for item in value)
    return value


def component_props(path: Path) -> list[Prop]:
    """Parse the `{#def#}` block of a component file (defaults and `# comments`)."""
    match = _DEF_BLOCK.search(path.read_text()) if path.is_file() else None
    if not match:
        return []
    source = match.group(1)
    tree = ast.parse(f"def component(*,\n{source}\n): pass")
    arguments = tree.body[0].args
    comments = {}
    for number, line in enumerate(source.splitlines(), start=2):
        if "#" in line:
            comments[number] = line.split("#", 1)[1].strip()
    props = []
    for arg, default in zip(arguments.kwonlyargs, arguments.kw_defaults):
        props.append(
            Prop(
                name=arg.arg,
                default=None if default is None else ast.literal_eval(default),
                required=default is None,
                doc=comments.get(arg.lineno, ""),
            )
        )
    return props


def template_variables(env: jinja2.Environment, template: str) -> set[str]:
    """The names a story template reads from its context."""
    return meta.find_undeclared_variables(env.parse(template))


def coerce(raw: str, example: Any) -> Any:
    """A control's submitted string as the type of the story's value for it."""
    if isinstance(example, bool):
        return raw.lower() in ("true", "on", "1", "yes")
    if isinstance(example, int):
        try:
            return int(raw)
        except ValueError:
            return example
    if isinstance(example, float):
        try:
            return float(raw)
        except ValueError:
            return example
    if isinstance(example, (list, dict)):
        try:
            value = json.loads(raw)
        except ValueError:
            return example
        return value if isinstance(value, type(example)) else example
    return raw

"""The "AI Context & Tools" page (`/ai/settings/context`): the context items injected into
the system prompt (added and edited in a Modal holding a Form, deleted after a confirm
Modal), and one switch per registered tool and hook (saved as the settings'
`disabled_tools` / `disabled_hooks`). `settings_pages.install_settings_pages` adds these
routes to its guarded router: every one needs a settings administrator.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from fastapi import APIRouter, Depends
from markupsafe import Markup
from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import Response

from fasthx_ui import FieldSpec, ParsedForm, form_response, modal_response, parse_form, ui_for
from fasthx_ui.crud.ai.settings import load_settings, save_settings
from fasthx_ui.crud.ai.tools import tool_registry
from fasthx_ui.crud.db import get_db
from fasthx_ui.crud.navigation import done, refused

CONTEXT_URL = "/ai/settings/context"
CONTEXT_PAGE = "ai_context.html"
ITEM_FORM_ID = "ai-context-form"
SWITCHES_FORM_ID = "ai-switches-form"
SWITCHES_URL = f"{CONTEXT_URL}/switches"
GONE = "That context item no longer exists."
UNSAFE_ID_CHARS = re.compile(r"[^A-Za-z0-9_-]")
ITEM_FIELDS = (
    FieldSpec("ctx_name", label="Name", required=True, max_length=100, placeholder="e.g. House rules"),
    FieldSpec("ctx_text", "textarea", label="Text", required=True, max_length=20_000, rows=8,
              description="Added to the system prompt while the item is enabled."),
    FieldSpec("ctx_enabled", "checkbox", label="Enabled", value=True),
)


def add_routes(router: APIRouter, templates: Any) -> None:
    """The context page's routes, on the settings pages' guarded router (the fixed paths
    before the `{index}` ones, which would take them)."""

    @router.get(CONTEXT_URL, name="ai_context")
    def context_page(request: Request, db: Session = Depends(get_db)) -> Response:
        settings = load_settings(db)
        switches = switch_fields(settings.disabled_tools, settings.disabled_hooks)
        context = {
            "title": "AI Context & Tools", "active_page": "ai_context", "items": settings.context_items,
            "context_url": CONTEXT_URL, "switches": switches, "switch_values": {f.name: f.value for f in switches},
            "switch_sections": switch_sections(switches), "switches_url": SWITCHES_URL, "switches_id": SWITCHES_FORM_ID,
        }
        return templates.TemplateResponse(request, CONTEXT_PAGE, context)

    @router.post(SWITCHES_URL, name="ai_context_switches")
    async def save_switches(request: Request, db: Session = Depends(get_db)) -> Response:
        settings = load_settings(db)
        form = await request.form()
        parsed = parse_form(switch_fields(settings.disabled_tools, settings.disabled_hooks), form)
        tools = {switch_name("tool", name): name for name in tool_registry.tools}
        hooks = {switch_name("hook", hook.key): hook.key for hook in tool_registry.hooks}
        off_tools = {name for field, name in tools.items() if not parsed.values.get(field)}
        off_hooks = {key for field, key in hooks.items() if not parsed.values.get(field)}
        # Switches of tools or hooks not registered in this process stay as they were.
        save_settings(
            db,
            disabled_tools=(set(settings.disabled_tools) - set(tools.values())) | off_tools,
            disabled_hooks=(set(settings.disabled_hooks) - set(hooks.values())) | off_hooks,
        )
        return done(request, CONTEXT_URL, "Tools and hooks saved.")

    @router.get(f"{CONTEXT_URL}/new", name="ai_context_new")
    def new_item(request: Request) -> Response:
        return item_modal(request, "Add a context item", CONTEXT_URL, {"ctx_enabled": True})

    @router.post(CONTEXT_URL, name="ai_context_add")
    async def add_item(request: Request, db: Session = Depends(get_db)) -> Response:
        return save_item(request, db, await request.form(), None)

    @router.get(f"{CONTEXT_URL}/{{index}}/edit", name="ai_context_edit")
    def edit_item(request: Request, index: str, db: Session = Depends(get_db)) -> Response:
        def form(items: list[dict], at: int) -> Response:
            values = {"ctx_name": items[at]["name"], "ctx_text": items[at]["text"], "ctx_enabled": items[at]["enabled"]}
            return item_modal(request, "Edit the context item", item_url(at), values)

        return at_item(request, db, index, form)

    @router.post(f"{CONTEXT_URL}/{{index}}", name="ai_context_save")
    async def update_item(request: Request, index: str, db: Session = Depends(get_db)) -> Response:
        return save_item(request, db, await request.form(), index)

    @router.get(f"{CONTEXT_URL}/{{index}}/delete", name="ai_context_confirm_delete")
    def confirm_delete(request: Request, index: str, db: Session = Depends(get_db)) -> Response:
        def confirm(items: list[dict], at: int) -> Response:
            body = Markup("<p class=\"mb-0\">Delete the context item <strong>{}</strong>? It is no longer sent to the assistant.</p>")
            action = {"label": "Delete", "icon": "trash", "hx_post": f"{item_url(at)}/delete", "css_class": "btn btn-danger"}
            return modal_response("Delete the context item", body.format(items[at]["name"]), [action], request=request)

        return at_item(request, db, index, confirm)

    @router.post(f"{CONTEXT_URL}/{{index}}/delete", name="ai_context_delete")
    def delete_item(request: Request, index: str, db: Session = Depends(get_db)) -> Response:
        def delete(items: list[dict], at: int) -> Response:
            removed = items.pop(at)
            save_settings(db, context_items=items)
            return done(request, CONTEXT_URL, f"Deleted the context item {removed['name']}.")

        return at_item(request, db, index, delete)

def item_url(index: int) -> str:
    return f"{CONTEXT_URL}/{index}"


def position(index: str, items: list[Any]) -> int | None:
    """The list position a path's `{index}` names, or None (not a number, no such item)."""
    return int(index) if index.isascii() and index.isdigit() and int(index) < len(items) else None


def item_modal(request: Request, title: str, action: str, values: Mapping[str, Any]) -> Response:
    """The page's Modal holding the context item Form."""
    form = ui_for(request).component("ui:Form", request, fields=list(ITEM_FIELDS), action=action, values=dict(values),
                                     id=ITEM_FORM_ID)
    return modal_response(title, form, size="modal-lg", request=request)


def at_item(request: Request, db: Session, index: str, then: Callable[[list[dict], int], Response]) -> Response:
    """`then(items, position)` for the stored item `index` names; a 404 toast when there is none."""
    items = list(load_settings(db).context_items)
    at = position(index, items)
    return refused(request, CONTEXT_URL, GONE, 404) if at is None else then(items, at)


def save_item(request: Request, db: Session, form: Mapping[str, Any], index: str | None) -> Response:
    """Add (index None) or replace one context item; the Form again (422) when it is bad."""
    if index is not None:
        return at_item(request, db, index, lambda items, at: save_item_at(request, db, form, items, at))
    return save_item_at(request, db, form, list(load_settings(db).context_items), None)


def save_item_at(request: Request, db: Session, form: Mapping[str, Any], items: list[dict], at: int | None) -> Response:
    """Append the posted item to `items` (at None) or put it at `at`, and save them."""
    action = CONTEXT_URL if at is None else item_url(at)
    parsed = parse_form(ITEM_FIELDS, form)
    if not parsed.ok:
        return item_form(request, action, parsed)
    item = {"name": parsed.values["ctx_name"], "text": parsed.values["ctx_text"], "enabled": bool(parsed.values["ctx_enabled"])}
    if at is None:
        items.append(item)
    else:
        items[at] = item
    try:
        save_settings(db, context_items=items)
    except ValueError as error:
        db.rollback()
        return item_form(request, action, parsed, str(error))
    return done(request, CONTEXT_URL, f"Saved the context item {item['name']}.")


def item_form(request: Request, action: str, parsed: ParsedForm, error: str = "") -> Response:
    return form_response(request, ITEM_FIELDS, action=action, parsed=parsed, error=error, status_code=422, id=ITEM_FORM_ID)


def switch_name(kind: str, key: str) -> str:
    """The form field (and element id) of one tool's or hook's switch."""
    return f"{kind}-{UNSAFE_ID_CHARS.sub('_', key)}"


def switch_fields(disabled_tools: set[str], disabled_hooks: set[str]) -> list[FieldSpec]:
    """One switch per registered tool, then per hook, on unless disabled."""
    fields = []
    for tool in tool_registry.tools.values():
        label = f"{tool.name}: {tool.description}" + (" (asks before running)" if tool.confirm else "")
        fields.append(FieldSpec(switch_name("tool", tool.name), "checkbox", label=label, value=tool.name not in disabled_tools))
    for hook in tool_registry.hooks:
        label = f"{hook.event}: {hook.description}"
        fields.append(FieldSpec(switch_name("hook", hook.key), "checkbox", label=label, value=hook.key not in disabled_hooks))
    return fields


def switch_sections(fields: list[FieldSpec]) -> dict[str, list[str]]:
    """The switches form's sections: Tools, Hooks (each only when it has any)."""
    sections = {
        "Tools": [f.name for f in fields if f.name.startswith("tool-")],
        "Hooks": [f.name for f in fields if f.name.startswith("hook-")],
    }
    return {title: names for title, names in sections.items() if names}


"""The AI settings pages of the CRUD preset: `/ai/settings` (the connection, generation and
system prompt) and, from `context_page.py`, `/ai/settings/context` (context items, tools,
hooks). `install_settings_pages(admin)` adds both, and a "Settings" sidebar category.

Only settings administrators reach them: a signed-in user named in `settings_admin_users`
or in a group of `settings_admin_groups`; when neither list is set nobody is, and the
category stays hidden. Every route passes that check (`SettingsGuard`); the app's CSRF
middleware covers every POST. The stored API key never reaches a page: its field is
always empty, and left empty it keeps the stored key.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any

from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from fasthx_ui import FieldSpec, ParsedForm, is_partial, parse_form
from fasthx_ui.crud.access import Forbidden, NotSignedIn, user_allowed
from fasthx_ui.crud.admin import NavLink
from fasthx_ui.crud.ai import context_page
from fasthx_ui.crud.ai.provider import AIProviderError, OpenAICompatibleProvider
from fasthx_ui.crud.ai.settings import VALIDATORS, AISettings, build_provider, load_settings, save_settings, validate
from fasthx_ui.crud.auth import get_current_user
from fasthx_ui.crud.db import get_db
from fasthx_ui.crud.navigation import done

SETTINGS_URL = "/ai/settings"
TEST_URL = f"{SETTINGS_URL}/test"
CATEGORY = "Settings"
SETTINGS_PAGE = "ai_settings.html"
TEST_RESULT = "partials/ai_connection_test.html"
FORM_ID = "ai-settings-form"
KEY_KEPT = "stored — leave empty to keep"
NO_KEY = "none stored"
NOT_ALLOWED = "Only settings administrators may open the AI settings."
TEST_PROMPT = [{"role": "user", "content": "Reply with the word: ok"}]
REMOVE = "remove_"
PLACEHOLDERS = {"base_url": "https://api.example.com/v1", "model": "e.g. gpt-4o-mini"}
DEFAULTS = AISettings()

logger = logging.getLogger("fasthx_ui.crud.ai")


def settings_allowed(admin: Any, user: Mapping[str, Any] | None) -> bool:
    """True when `user` is a settings administrator of `admin` (never when neither list is set)."""
    users, groups = admin.settings_admin_users, admin.settings_admin_groups
    if users is None and groups is None:
        return False
    return user_allowed(user, users, groups)


class SettingsGuard:
    """FastAPI dependency of every settings route: signed in (else `NotSignedIn`) and a
    settings administrator (else `Forbidden`, the 403 page or toast)."""

    def __init__(self, admin: Any):
        self.admin = admin

    async def __call__(self, request: Request) -> None:
        user = get_current_user(request)
        if user is None:
            raise NotSignedIn()
        if not settings_allowed(self.admin, user):
            raise Forbidden(NOT_ALLOWED)


def settings_links(admin: Any) -> Any:
    """The nav hook adding the Settings category for settings administrators."""
    links = (
        NavLink("ai_settings", SETTINGS_URL, "AI Settings", "robot", CATEGORY),
        NavLink("ai_context", context_page.CONTEXT_URL, "AI Context & Tools", "tools", CATEGORY),
    )

    def hook(user: dict[str, Any] | None) -> Iterable[NavLink]:
        anyone = user is None and (admin.settings_admin_users is not None or admin.settings_admin_groups is not None)
        return links if anyone or settings_allowed(admin, user) else ()

    return hook


def install_settings_pages(admin: Any) -> None:
    """Add the settings routes (behind `SettingsGuard`) to `admin.app` and their sidebar entries."""
    router = APIRouter(dependencies=[Depends(SettingsGuard(admin))])
    templates = admin.templates

    @router.get(SETTINGS_URL, name="ai_settings")
    def settings_page(request: Request, db: Session = Depends(get_db)) -> Response:
        return render_settings(templates, request, load_settings(db))

    @router.post(SETTINGS_URL, name="ai_settings_save")
    async def settings_save(request: Request, db: Session = Depends(get_db)) -> Response:
        return save_from_form(templates, request, db, await request.form())

    @router.post(TEST_URL, name="ai_settings_test")
    async def settings_test(request: Request, db: Session = Depends(get_db)) -> Response:
        ok, message = await test_connection(load_settings(db))
        html = templates.render(request, TEST_RESULT, {"ok": ok, "message": message})
        return HTMLResponse(html)

    context_page.add_routes(router, templates)
    admin.app.include_router(router)
    admin.add_nav_hook(settings_links(admin))


def settings_fields(settings: AISettings) -> list[FieldSpec]:
    """The form's fields: the switch, the provider's config fields, the system prompt. A
    secret field shows whether a value is stored, never the value, and gets a "remove" box."""
    fields = [FieldSpec("enabled", "checkbox", label="Enable the AI assistant",
                        description="Shows the chat panel on every page when a connection is set.")]
    for config in provider_config(settings):
        fields.extend(config_specs(config, settings))
    fields.append(FieldSpec("system_prompt", "textarea", label="System prompt", rows=6,
                            description="Sent first in every chat, before the enabled context items."))
    return fields


def provider_config(settings: AISettings) -> list[dict[str, Any]]:
    """The config fields (`{"name", "label", "type", "secret"}`) of the settings' provider
    (the OpenAI-compatible one until a connection is set) that the settings store."""
    try:
        provider = build_provider(settings)
    except ValueError:
        provider = None
    provider = provider or OpenAICompatibleProvider(settings.base_url)
    return [config for config in provider.get_config_fields() if config["name"] in VALIDATORS]


def config_specs(config: Mapping[str, Any], settings: AISettings) -> list[FieldSpec]:
    """The FieldSpec(s) of one provider config field."""
    name, label, kind = config["name"], config["label"], config["type"]
    if config.get("secret"):
        stored = bool(getattr(settings, name, ""))
        spec = FieldSpec(name, "password", label=label, placeholder=KEY_KEPT if stored else NO_KEY,
                         attrs={"autocomplete": "new-password"})
        return [spec, FieldSpec(f"{REMOVE}{name}", "checkbox", label=f"Remove the stored {label}")] if stored else [spec]
    if kind == "number":
        whole = type(getattr(DEFAULTS, name, 0.0)) is int
        return [FieldSpec(name, "number", label=label, required=True, number_type=int if whole else float)]
    return [FieldSpec(name, kind, label=label, placeholder=PLACEHOLDERS.get(name, ""))]


def sections_of(fields: list[FieldSpec]) -> dict[str, list[str]]:
    """Assistant (the switch), Connection, Generation (the number fields), System prompt."""
    middle = [f for f in fields if f.name not in ("enabled", "system_prompt")]
    return {
        "Assistant": ["enabled"],
        "Connection": [f.name for f in middle if f.type != "number"],
        "Generation": [f.name for f in middle if f.type == "number"],
        "System prompt": ["system_prompt"],
    }


def secret_names(fields: Iterable[FieldSpec]) -> list[str]:
    return [f.name for f in fields if f.type == "password"]


def render_settings(
    templates: Any, request: Request, settings: AISettings, parsed: ParsedForm | None = None, status: int = 200,
) -> Response:
    """The settings page (or, for an htmx post, its form alone); secrets are never filled in."""
    fields = settings_fields(settings)
    secrets = secret_names(fields)
    values = {f.name: getattr(settings, f.name) for f in fields if f.name not in secrets and hasattr(settings, f.name)}
    raw = {**parsed.raw, **dict.fromkeys(secrets, "")} if parsed else {}
    context = {
        "title": "AI Settings", "active_page": "ai_settings", "fields": fields, "values": values, "raw": raw,
        "errors": parsed.errors if parsed else {}, "sections": sections_of(fields), "action": SETTINGS_URL,
        "form_id": FORM_ID, "test_url": TEST_URL,
    }
    if is_partial(request):
        return HTMLResponse(templates.render(request, SETTINGS_PAGE, context, block="form"), status)
    return templates.TemplateResponse(request, SETTINGS_PAGE, context, status_code=status)


def save_from_form(templates: Any, request: Request, db: Session, form: Mapping[str, Any]) -> Response:
    """Check every posted field (the form's own parsing, then the settings' rules) and save
    them all, or none: the form again (422) with each bad field marked and what was typed."""
    settings = load_settings(db)
    fields = settings_fields(settings)
    parsed = parse_form(fields, form)
    changes = changes_of(fields, parsed)
    for name, value in changes.items():
        if name not in parsed.errors:
            try:
                validate(**{name: value})
            except ValueError as error:
                parsed.errors[name] = str(error)
    if not parsed.ok:
        return render_settings(templates, request, settings, parsed, status=422)
    save_settings(db, **changes)
    return done(request, SETTINGS_URL, "AI settings saved.")


def changes_of(fields: list[FieldSpec], parsed: ParsedForm) -> dict[str, Any]:
    """The settings a valid post changes: every field, except a secret left empty (kept)
    and the remove boxes (a checked one stores an empty secret)."""
    changes: dict[str, Any] = {}
    secrets = secret_names(fields)
    for spec in fields:
        name = spec.name
        if name.startswith(REMOVE) or name in parsed.errors:
            continue
        value = parsed.values.get(name)
        if name in secrets:
            if parsed.values.get(f"{REMOVE}{name}"):
                changes[name] = ""
            elif value:
                changes[name] = value
            continue
        changes[name] = "" if value is None and spec.type != "number" else value
    return changes


async def test_connection(settings: AISettings) -> tuple[bool, str]:
    """Send one tiny chat request with the saved connection: (True, "connected: <model>") or
    (False, a message safe to show)."""
    provider = build_provider(settings) if settings.connected else None
    if provider is None:
        return False, "No connection yet: set the base URL and the model, then save."
    try:
        await provider.chat(TEST_PROMPT)
    except AIProviderError as error:
        logger.info("AI connection test failed: %s", error)
        return False, str(error)
    return True, f"connected: {settings.model}"

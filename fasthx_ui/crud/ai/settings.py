"""The AI settings: the connection (base URL, key, model, sampling, timeout), the system
prompt with its switchable context items, and the tools and hooks switched off.

They live in the app's own database, one key/value row per field (table
`fasthx_admin_ai_settings`, value as JSON), created on first use. `load_settings` keeps
what it read for a few seconds per process, so a page does not query them on every
request; `save_settings` validates every field before writing any and clears that cache
(other processes see the change within `CACHE_SECONDS`). `build_provider` turns settings
into an `AIProvider`, through a small registry apps can extend with `register_provider`.
"""

from __future__ import annotations

import copy
import json
import logging
import math
import threading
import time
import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..db import session_or_new
from .provider import DEFAULT_MAX_TOKENS, DEFAULT_TEMPERATURE, DEFAULT_TIMEOUT, AIProvider, OpenAICompatibleProvider

log = logging.getLogger(__name__)

TABLE_NAME = "fasthx_admin_ai_settings"
CACHE_SECONDS = 5.0
DEFAULT_SYSTEM_PROMPT = "You are a helpful assistant inside an admin application. Answer concisely."

metadata = sa.MetaData()
settings_table = sa.Table(
    TABLE_NAME, metadata,
    sa.Column("key", sa.Text, primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)


@dataclass
class AISettings:
    """Everything the AI features are configured with (the API key is left out of repr)."""

    enabled: bool = False
    provider: str = "openai"
    base_url: str = ""
    api_key: str = field(default="", repr=False)
    model: str = ""
    temperature: float = DEFAULT_TEMPERATURE
    max_tokens: int = DEFAULT_MAX_TOKENS
    timeout: float = DEFAULT_TIMEOUT
    system_prompt: str = DEFAULT_SYSTEM_PROMPT
    context_items: list[dict] = field(default_factory=list)
    disabled_tools: set[str] = field(default_factory=set)
    disabled_hooks: set[str] = field(default_factory=set)

    @property
    def connected(self) -> bool:
        """Whether a connection is configured (a base URL and a model)."""
        return bool(self.base_url and self.model)

    def system_message(self) -> str:
        """The system prompt followed by each enabled context item under its name."""
        parts = [self.system_prompt.strip()] if self.system_prompt.strip() else []
        parts += [f"## {item['name']}\n{item['text'].strip()}" for item in self.context_items if item["enabled"]]
        return "\n\n".join(parts)


# --- validation: one function per field, each giving the clean value or a ValueError ---

def _bool(label: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in {"true", "on", "1", "yes", "false", "off", "0", "no", ""}:
        return value.strip().lower() in {"true", "on", "1", "yes"}
    raise ValueError(f"{label} must be true or false")


def _number(label: str, value: Any, low: float, high: float, integer: bool = False) -> float:
    kind = "a whole number" if integer else "a number"
    message = f"{label} must be {kind} from {low:g} to {high:g}"
    if isinstance(value, bool):
        raise ValueError(message)
    try:
        number = float(value.strip() if isinstance(value, str) else value)
    except (TypeError, ValueError):
        raise ValueError(message) from None
    if not math.isfinite(number) or not low <= number <= high or (integer and not number.is_integer()):
        raise ValueError(message)
    return int(number) if integer else number


def _text(label: str, value: Any, limit: int) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{label} must be text")
    if len(value) > limit:
        raise ValueError(f"{label} is too long (at most {limit} characters)")
    return value


def _base_url(value: Any) -> str:
    url = _text("Base URL", value, 2000).strip().rstrip("/")
    if not url:
        return ""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("Base URL must be an http:// or https:// address, such as https://api.openai.com/v1")
    return url


def _api_key(value: Any) -> str:
    key = _text("API key", value, 1000).strip()
    if not key.isprintable() or " " in key:
        raise ValueError("API key must be one word of printable characters (no spaces or line breaks)")
    return key


def _provider(value: Any) -> str:
    name = _text("Provider", value, 100).strip()
    if name not in _factories:
        raise ValueError(f"Provider must be one of: {', '.join(sorted(_factories))}")
    return name


def _context_items(value: Any) -> list[dict]:
    if not isinstance(value, list):
        raise ValueError("Context items must be a list")
    items, seen = [], set()
    for number, item in enumerate(value, 1):
        if not isinstance(item, dict):
            raise ValueError(f"Context item {number} must have a name, a text and an enabled switch")
        name = _text(f"Context item {number}'s name", item.get("name", ""), 200).strip()
        if not name:
            raise ValueError(f"Context item {number} needs a name")
        if name.casefold() in seen:
            raise ValueError(f"Context item name {name!r} is used twice; names must be unique")
        seen.add(name.casefold())
        items.append({"name": name, "text": _text(f"Context item {name!r}", item.get("text", ""), 50_000),
                      "enabled": _bool(f"Context item {name!r}'s switch", item.get("enabled", True))})
    return items


def _names(label: str, value: Any) -> set[str]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise ValueError(f"{label} must be a list of names")
    try:
        names = set(value)
    except TypeError:
        raise ValueError(f"{label} must be a list of names") from None
    if not all(isinstance(name, str) and name for name in names):
        raise ValueError(f"{label} must be a list of names")
    return names


VALIDATORS: dict[str, Callable[[Any], Any]] = {
    "enabled": lambda v: _bool("Enabled", v),
    "provider": _provider,
    "base_url": _base_url,
    "api_key": _api_key,
    "model": lambda v: _text("Model", v, 200).strip(),
    "temperature": lambda v: _number("Temperature", v, 0, 2),
    "max_tokens": lambda v: _number("Max tokens", v, 1, 100_000, integer=True),
    "timeout": lambda v: _number("Timeout", v, 1, 600),
    "system_prompt": lambda v: _text("System prompt", v, 50_000),
    "context_items": _context_items,
    "disabled_tools": lambda v: _names("Disabled tools", v),
    "disabled_hooks": lambda v: _names("Disabled hooks", v),
}


def validate(**values: Any) -> dict[str, Any]:
    """The clean values of the given fields; ValueError naming the first bad one."""
    unknown = sorted(set(values) - set(VALIDATORS))
    if unknown:
        raise ValueError(f"Unknown AI setting: {', '.join(unknown)}")
    return {name: VALIDATORS[name](value) for name, value in values.items()}


# --- storage and cache ---

_cache: weakref.WeakKeyDictionary[sa.Engine, tuple[float, AISettings]] = weakref.WeakKeyDictionary()
_tables: weakref.WeakSet[sa.Engine] = weakref.WeakSet()
_lock = threading.Lock()


def _engine_of(db: Session) -> sa.Engine:
    bind = db.get_bind()
    return bind.engine if isinstance(bind, sa.Connection) else bind


def _ensure_table(engine: sa.Engine) -> None:
    """Create the settings table once per engine, on a connection of its own (so a
    caller's transaction never holds or rolls back the DDL)."""
    with _lock:
        if engine not in _tables:
            metadata.create_all(engine, checkfirst=True)
            _tables.add(engine)


def _read(db: Session) -> AISettings:
    """The stored settings; a stored value that no longer validates is logged and
    replaced by the default, so a bad row never takes the AI features down."""
    _ensure_table(_engine_of(db))
    settings = AISettings()
    for key, raw in db.execute(sa.select(settings_table.c.key, settings_table.c.value)):
        if key not in VALIDATORS:
            continue
        try:
            setattr(settings, key, VALIDATORS[key](json.loads(raw)))
        except ValueError as exc:
            log.warning("AI setting %r in %s ignored: %s", key, TABLE_NAME, exc)
    return settings


def _with_session(db: Session | None, job: Callable[[Session], Any]) -> Any:
    with session_or_new(db) as session:
        return job(session)


def load_settings(db: Session | None = None) -> AISettings:
    """The AI settings of the app's database (a session of `init_db`'s engine when `db`
    is None), from this process's cache when read less than `CACHE_SECONDS` ago."""
    def job(session: Session) -> AISettings:
        engine = _engine_of(session)
        cached = _cache.get(engine)
        if cached and time.monotonic() - cached[0] < CACHE_SECONDS:
            return copy.deepcopy(cached[1])
        settings = _read(session)
        _cache[engine] = (time.monotonic(), settings)
        return copy.deepcopy(settings)

    return _with_session(db, job)


def save_settings(db: Session | None, **values: Any) -> AISettings:
    """Validate the given fields (ValueError naming the first bad one, nothing written),
    store them, commit, and return the settings as they now are."""
    clean = validate(**values)
    rows = [{"key": key, "value": json.dumps(sorted(value) if isinstance(value, set) else value)}
            for key, value in clean.items()]

    def job(session: Session) -> AISettings:
        engine = _engine_of(session)
        _ensure_table(engine)
        try:
            if rows:
                session.execute(sa.delete(settings_table).where(settings_table.c.key.in_(clean)))
                session.execute(sa.insert(settings_table), rows)
            session.commit()
        except Exception:
            session.rollback()
            raise
        _cache.pop(engine, None)
        return load_settings(session)

    return _with_session(db, job)


def clear_cache() -> None:
    """Forget every cached read (the next `load_settings` reads the database)."""
    _cache.clear()


# --- providers ---

ProviderFactory = Callable[[AISettings], AIProvider]


def _openai_compatible(settings: AISettings) -> AIProvider:
    return OpenAICompatibleProvider(settings.base_url, api_key=settings.api_key or None, model=settings.model,
                                    temperature=settings.temperature, max_tokens=settings.max_tokens,
                                    timeout=settings.timeout)


_factories: dict[str, ProviderFactory] = {"openai": _openai_compatible}


def register_provider(name: str, factory: ProviderFactory) -> None:
    """Make `factory(settings) -> AIProvider` available as the settings' `provider`."""
    if not name or not isinstance(name, str):
        raise ValueError("A provider needs a name")
    _factories[name] = factory


def build_provider(settings: AISettings) -> AIProvider | None:
    """The provider the settings describe, or None when no connection is configured."""
    if not settings.connected:
        return None
    factory = _factories.get(settings.provider)
    if factory is None:
        raise ValueError(f"No AI provider registered as {settings.provider!r}")
    return factory(settings)

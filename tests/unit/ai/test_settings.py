"""crud.ai.settings on SQLite and PostgreSQL: defaults, saving and reloading (also in a
new process), the brief cache, validation messages with nothing written, and
`build_provider` with the provider registry."""

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import sessionmaker

from fasthx_ui.crud import db as crud_db
from fasthx_ui.crud.ai import settings as ai_settings
from fasthx_ui.crud.ai.provider import AIProvider, OpenAICompatibleProvider
from fasthx_ui.crud.ai.settings import (TABLE_NAME, AISettings, build_provider, load_settings, register_provider,
                                        save_settings)

from ...databases import KINDS, database_settings

ROOT = Path(__file__).resolve().parents[3]
KEY = "sk-settings-9a8b7c6d"
FULL = {
    "enabled": True, "base_url": "https://llm.example.org/v1/", "api_key": KEY, "model": "gpt-test",
    "temperature": 0.3, "max_tokens": 2048, "timeout": 12.5, "system_prompt": "Be brief.",
    "context_items": [{"name": "Glossary", "text": "NOC: network operations", "enabled": True},
                      {"name": "Old notes", "text": "ignore me", "enabled": False}],
    "disabled_tools": {"delete_all"}, "disabled_hooks": {"pre_tool_use:audit"},
}
READ_IN_NEW_PROCESS = """
import dataclasses, json, os, sys
from fasthx_ui.crud import init_db
from fasthx_ui.crud.ai.settings import load_settings
init_db(os.environ["URL"], **json.loads(os.environ["KWARGS"]))
values = dataclasses.asdict(load_settings())
print(json.dumps({k: sorted(v) if isinstance(v, set) else v for k, v in values.items()}))
"""


@pytest.fixture(params=KINDS)
def database(request, tmp_path, monkeypatch):
    """(url, create_engine kwargs, engine) of an empty database; crud.db initialised on it."""
    monkeypatch.setattr(crud_db, "_engine", None)
    monkeypatch.setattr(crud_db, "_sessions", None)
    ai_settings.clear_cache()
    with database_settings(request.param, tmp_path) as (url, kwargs):
        engine = crud_db.init_db(url, **kwargs)
        yield url, kwargs, engine
        engine.dispose()


@pytest.fixture
def session(database):
    with sessionmaker(bind=database[2])() as session:
        yield session


def test_defaults_and_the_table_made_on_first_use(database, session):
    engine = database[2]
    assert not sa.inspect(engine).has_table(TABLE_NAME)
    settings = load_settings(session)
    assert settings == AISettings()
    assert not settings.connected and build_provider(settings) is None
    assert sa.inspect(engine).has_table(TABLE_NAME)


def test_saved_settings_come_back_here_and_in_a_new_process(database, session):
    url, kwargs, _ = database
    saved = save_settings(session, **FULL)
    assert saved.base_url == "https://llm.example.org/v1" and saved.disabled_tools == {"delete_all"}
    ai_settings.clear_cache()
    assert load_settings() == saved
    run = subprocess.run([sys.executable, "-c", READ_IN_NEW_PROCESS], cwd=ROOT, capture_output=True, text=True,
                         env={**os.environ, "URL": url, "KWARGS": json.dumps(kwargs)}, timeout=60)
    assert run.returncode == 0, run.stderr
    expected = {**FULL, "base_url": "https://llm.example.org/v1", "disabled_tools": ["delete_all"],
                "disabled_hooks": ["pre_tool_use:audit"], "provider": "openai"}
    assert json.loads(run.stdout) == expected


def test_one_value_per_row_as_json(database, session):
    save_settings(session, model="m1", max_tokens=99)
    save_settings(session, model="m2")
    rows = dict(session.execute(sa.text(f"SELECT key, value FROM {TABLE_NAME}")).all())
    assert rows == {"model": '"m2"', "max_tokens": "99"}


def test_reads_are_cached_briefly_and_a_save_clears_the_cache(database, session, monkeypatch):
    save_settings(session, model="first")
    assert load_settings(session).model == "first"
    session.execute(sa.text(f"UPDATE {TABLE_NAME} SET value = '\"behind its back\"' WHERE key = 'model'"))
    session.commit()
    assert load_settings(session).model == "first"
    assert load_settings(session).model == "first"
    monkeypatch.setattr(ai_settings, "CACHE_SECONDS", 0.0)
    assert load_settings(session).model == "behind its back"
    monkeypatch.setattr(ai_settings, "CACHE_SECONDS", 60.0)
    save_settings(session, model="second")
    assert load_settings(session).model == "second"


def test_a_cached_copy_cannot_be_changed_by_its_reader(database, session):
    save_settings(session, disabled_tools=["a"])
    load_settings(session).disabled_tools.add("b")
    assert load_settings(session).disabled_tools == {"a"}


def test_loading_inside_a_callers_transaction(database, session):
    session.execute(sa.text("SELECT 1"))
    assert load_settings(session).enabled is False
    session.rollback()
    assert load_settings(session).enabled is False
    assert sa.inspect(database[2]).has_table(TABLE_NAME)


@pytest.mark.parametrize(("values", "message"), [
    ({"base_url": "ftp://llm.example.org"}, "Base URL must be an http:// or https:// address"),
    ({"base_url": "llm.example.org/v1"}, "Base URL must be an http:// or https:// address"),
    ({"temperature": 2.5}, "Temperature must be a number from 0 to 2"),
    ({"temperature": "warm"}, "Temperature must be a number from 0 to 2"),
    ({"temperature": float("nan")}, "Temperature must be a number from 0 to 2"),
    ({"max_tokens": 0}, "Max tokens must be a whole number from 1 to 100000"),
    ({"max_tokens": 100_001}, "Max tokens must be a whole number from 1 to 100000"),
    ({"max_tokens": 10.5}, "Max tokens must be a whole number from 1 to 100000"),
    ({"timeout": 0.5}, "Timeout must be a number from 1 to 600"),
    ({"timeout": 601}, "Timeout must be a number from 1 to 600"),
    ({"enabled": "maybe"}, "Enabled must be true or false"),
    ({"model": 42}, "Model must be text"),
    ({"api_key": "sk-one\nHost: evil"}, "API key must be one word of printable characters"),
    ({"context_items": [{"name": " ", "text": "x"}]}, "Context item 1 needs a name"),
    ({"context_items": [{"name": "A", "text": "x"}, {"name": "a", "text": "y"}]}, "'a' is used twice"),
    ({"context_items": "not a list"}, "Context items must be a list"),
    ({"disabled_tools": "one_tool"}, "Disabled tools must be a list of names"),
    ({"provider": "nobody"}, "Provider must be one of: openai"),
    ({"colour": "blue"}, "Unknown AI setting: colour"),
])
def test_bad_values_are_refused_by_name_and_nothing_is_written(database, session, values, message):
    save_settings(session, model="kept")
    with pytest.raises(ValueError, match=message):
        save_settings(session, **{"model": "changed", **values})
    ai_settings.clear_cache()
    assert load_settings(session).model == "kept"


def test_form_values_are_accepted(database, session):
    saved = save_settings(session, enabled="on", temperature="1.5", max_tokens="300", timeout="30",
                          api_key="  " + KEY + " ")
    assert (saved.enabled, saved.temperature, saved.max_tokens, saved.timeout) == (True, 1.5, 300, 30.0)
    assert saved.api_key == KEY
    assert save_settings(session, enabled="").enabled is False


def test_a_corrupt_row_falls_back_to_the_default(database, session, caplog):
    save_settings(session, temperature=1.0, model="m")
    session.execute(sa.text(f"UPDATE {TABLE_NAME} SET value = '7' WHERE key = 'temperature'"))
    session.execute(sa.text(f"INSERT INTO {TABLE_NAME} (key, value) VALUES ('max_tokens', '{{oops')"))
    session.commit()
    ai_settings.clear_cache()
    with caplog.at_level(logging.WARNING, logger="fasthx_ui.crud.ai.settings"):
        settings = load_settings(session)
    assert (settings.temperature, settings.max_tokens, settings.model) == (AISettings().temperature,
                                                                            AISettings().max_tokens, "m")
    assert "'temperature'" in caplog.text and "'max_tokens'" in caplog.text


def test_system_message_holds_the_enabled_context_items():
    settings = AISettings(system_prompt="Be brief.", context_items=FULL["context_items"])
    assert settings.system_message() == "Be brief.\n\n## Glossary\nNOC: network operations"
    assert AISettings(system_prompt="  ").system_message() == ""


def test_the_key_is_not_in_the_settings_repr():
    assert KEY not in repr(AISettings(api_key=KEY))


def test_build_provider_makes_the_openai_compatible_one():
    provider = build_provider(AISettings(base_url="http://127.0.0.1:9/v1", model="m", api_key=KEY,
                                         temperature=0.1, max_tokens=10, timeout=3))
    assert isinstance(provider, OpenAICompatibleProvider)
    assert (provider.base_url, provider.model, provider.temperature, provider.max_tokens, provider.timeout) == (
        "http://127.0.0.1:9/v1", "m", 0.1, 10, 3)
    assert build_provider(AISettings(base_url="http://127.0.0.1:9/v1")) is None


class Custom(AIProvider):
    name = "custom"

    def __init__(self, settings):
        self.model = settings.model


def test_a_registered_provider_can_be_chosen(database, session, monkeypatch):
    monkeypatch.setattr(ai_settings, "_factories", dict(ai_settings._factories))
    register_provider("custom", Custom)
    saved = save_settings(session, provider="custom", base_url="http://127.0.0.1:9", model="mine")
    provider = build_provider(saved)
    assert isinstance(provider, Custom) and provider.model == "mine"


@pytest.mark.anyio
async def test_built_provider_talks_to_the_configured_server(ai_server, database, session):
    saved = save_settings(session, base_url=ai_server.url, model="from-settings", api_key=KEY, max_tokens=77)
    ai_server.script([{"content": "configured"}])
    answer = await build_provider(saved).chat([{"role": "user", "content": "hi"}])
    assert answer["response"] == "configured"
    assert ai_server.requests()[0]["model"] == "from-settings"
    assert ai_server.requests()[0]["max_tokens"] == 77
    assert ai_server.headers()[0]["authorization"] == f"Bearer {KEY}"


@pytest.fixture
def anyio_backend():
    return "asyncio"


def test_no_session_and_no_init_db_is_a_clear_error(monkeypatch):
    monkeypatch.setattr(crud_db, "_sessions", None)
    ai_settings.clear_cache()
    with pytest.raises(RuntimeError, match="init_db"):
        load_settings()

"""Fixtures of the AI chat tests: a fresh tool registry, the chat app on a database of
the test's own pointing at the test AI provider, and a signed-in client."""

import pytest

from fasthx_ui.crud.ai.tools import ToolRegistry

from .chat_app import ChatClient, chat_app


@pytest.fixture
def registry():
    return ToolRegistry()


@pytest.fixture
def db_url(tmp_path):
    return f"sqlite:///{tmp_path / 'chat.db'}"


@pytest.fixture
def app(db_url, ai_server, registry):
    return chat_app(db_url, ai_server.url, registry)


@pytest.fixture
def client(app):
    with ChatClient(app) as client:
        yield client.sign_in()

"""The test app of the AI chat: `Admin(ai_chat=True)` on a SQLite database of the test's
own, a `/test-login` route signing users in through the preset's `sign_in`, settings
pointing at the test AI provider, a `ChatClient` that reads the SSE answers, and the
fixtures of the chat tests (imported by their modules, so they meet no other conftest's)."""

from __future__ import annotations

import json

import pytest
from fastapi import FastAPI, Request
from starlette.middleware.sessions import SessionMiddleware
from starlette.testclient import TestClient

from fasthx_ui.crud import Admin, init_db
from fasthx_ui.crud.ai.settings import clear_cache, save_settings
from fasthx_ui.crud.ai.tools import ToolRegistry
from fasthx_ui.crud.db import open_session
from fasthx_ui.crud.sessions import sign_in

SECRET = "ai-chat-test-secret"


def chat_app(db_url: str, ai_url: str | None, registry: ToolRegistry, *, enabled: bool = True, **admin_options) -> FastAPI:
    """An app with the chat installed, its tools and hooks from `registry`."""
    app = FastAPI()
    app.add_middleware(SessionMiddleware, secret_key=SECRET)

    @app.get("/test-login")
    async def test_login(request: Request, username: str = "ada", groups: str = "/NOC"):
        sign_in(request, {"username": username, "groups": groups.split(",")})
        return {"signed_in": username}

    admin = Admin(app, title="Chat test", ai_chat=True, session_secret=SECRET, **admin_options)

    @app.get("/page")
    async def page(request: Request):
        return admin.templates.TemplateResponse(request, "base.html", {"title": "A page"})

    app.state.fasthx_ai_chat.registry = registry
    init_db(db_url)
    clear_cache()
    with open_session() as db:
        save_settings(db, enabled=enabled, base_url=ai_url or "", model="test-model", timeout=2,
                      system_prompt="You are the test assistant.")
    return app


def parse_sse(text: str) -> list[tuple[str, dict]]:
    """`[(event, data), ...]` of an event stream."""
    events = []
    for frame in text.strip().split("\n\n"):
        fields = dict(line.split(": ", 1) for line in frame.splitlines() if ": " in line)
        if "event" in fields:
            events.append((fields["event"], json.loads(fields["data"])))
    return events


class ChatClient(TestClient):
    """A client of the chat app that signs in and sends chat messages."""

    def sign_in(self, username: str = "ada", groups: str = "/NOC") -> ChatClient:
        assert self.get("/test-login", params={"username": username, "groups": groups}).status_code == 200
        return self

    def chat(self, body: dict) -> list[tuple[str, dict]]:
        response = self.post("/ai/chat/stream", json=body)
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith("text/event-stream")
        return parse_sse(response.text)

    def say(self, message: str) -> list[tuple[str, dict]]:
        return self.chat({"message": message})


@pytest.fixture
def registry():
    """A tool registry of the test's own (the process's `tool_registry` stays untouched)."""
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

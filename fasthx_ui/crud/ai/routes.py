"""The AI chat's routes, installed by `Admin(ai_chat=True)` through `install_ai(admin)`.

- `POST /ai/chat`: JSON `{"message"}` (or `{"confirm": call_id, "allow": bool}`) →
  `{"response": markdown, "tool_calls": [{"name", "arguments", "result"}]}`, plus
  `"confirm": {"call_id", "name", "arguments"}` when a tool waits for the user's answer.
- `POST /ai/chat/stream`: the same request bodies → `text/event-stream`, encoded by
  `fasthx_ui.ai_chat` (the `<ui:AIChat>` widget's wire format).
- `POST /ai/clear`: forget this conversation. `GET /ai/history`: it, as JSON.

Every route needs a signed-in user inside `Admin(ai_chat_allowed_users=…,
ai_chat_allowed_groups=…)` when either is set (the access check of the views: 403
otherwise) and every POST the CSRF check of the toolkit's middleware. Bad bodies get a 422, a chat switched off or
without a connection a 409, each with a JSON `{"error"}` the widget shows.
"""

from __future__ import annotations

import importlib.util
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Depends
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse

from fasthx_ui.crud import db as crud_db
from fasthx_ui.crud.access import guard
from fasthx_ui.crud.ai.chat import ChatTurn, Event, public_history
from fasthx_ui.crud.ai.history import DEFAULT_LIMIT, ChatHistory, conversation_key, history_store
from fasthx_ui.crud.ai.settings import build_provider, load_settings
from fasthx_ui.crud.ai.tools import ToolRegistry, tool_registry
from fasthx_ui.crud.auth import get_current_user

if TYPE_CHECKING:
    from fasthx_ui.crud.admin import Admin

PREFIX = "/ai"
MAX_MESSAGE = 8000  # characters in one user message
EXTRA_MODULES = ("markdown_it", "nh3")
MISSING_EXTRA = "Admin(ai_chat=True) needs the [ai] extra (markdown-it-py, nh3): pip install 'fasthx_ui[ai]'"
SWITCHED_OFF = "The AI assistant is switched off in the AI settings."
NOT_CONNECTED = "The AI assistant has no connection yet: set the base URL and model in the AI settings."
NO_DATABASE = "The AI assistant keeps its settings in the app's database: call init_db(url) at startup."
SSE_HEADERS = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}


class Assistant:
    """What the chat routes' access check reads (like a view): its name, and the Admin's
    `ai_chat_allowed_users/groups`, looked up on every request."""

    name = "the AI assistant"

    def __init__(self, admin: Admin):
        self.admin = admin

    @property
    def allowed_users(self) -> list[str] | None:
        return self.admin.ai_chat_allowed_users

    @property
    def allowed_groups(self) -> list[str] | None:
        return self.admin.ai_chat_allowed_groups


class BadRequest(Exception):
    """A request body the chat cannot use; the message says why."""


@dataclass
class AIChat:
    """The chat installed on one app: its tools and hooks, where conversations live, and
    its routes (`router`, included in the app)."""

    registry: ToolRegistry
    history: ChatHistory
    router: APIRouter = field(default_factory=APIRouter)


def require_ai_extra() -> None:
    """Raise a clear error when the `[ai]` extra (the markdown renderer) is not installed."""
    missing = [name for name in EXTRA_MODULES if importlib.util.find_spec(name) is None]
    if missing:
        raise RuntimeError(f"{MISSING_EXTRA} (missing: {', '.join(missing)})")


def install_ai(
    admin: Admin, *, redis_url: str | None = None, history_limit: int | None = None,
    history: ChatHistory | None = None, registry: ToolRegistry | None = None,
) -> AIChat:
    """Add the `/ai/` chat routes to the admin's app. Conversations keep their last
    `history_limit` messages (None: `DEFAULT_LIMIT`), in Redis when `redis_url` is given
    (or in `history`); tools and hooks come from `registry` (default `tool_registry`)."""
    require_ai_extra()
    router = APIRouter(prefix=PREFIX, dependencies=[Depends(guard(Assistant(admin)))])
    store = history or history_store(redis_url, limit=history_limit or DEFAULT_LIMIT)
    chat = AIChat(registry or tool_registry, store, router)
    admin.app.state.fasthx_ai_chat = chat

    @router.post("/chat", name="ai_chat")
    async def chat_json(request: Request) -> Response:
        return await _respond(chat, request, _collect)

    @router.post("/chat/stream", name="ai_chat_stream")
    async def chat_stream(request: Request) -> Response:
        return await _respond(chat, request, _stream)

    @router.post("/clear", name="ai_clear")
    async def clear(request: Request) -> Response:
        await chat.history.clear(_key(request))
        return JSONResponse({"cleared": True})

    @router.get("/history", name="ai_history")
    async def history(request: Request) -> Response:
        from fasthx_ui.ai_chat import render_markdown

        shown = public_history(await chat.history.messages(_key(request)))
        for entry in shown:
            if entry["role"] == "assistant":
                entry["html"] = str(render_markdown(entry["content"]))
        return JSONResponse(shown)

    admin.app.include_router(router)
    return chat


def _key(request: Request) -> str:
    return conversation_key(request, get_current_user(request) or {})


async def _respond(chat: AIChat, request: Request, reply: Any) -> Response:
    """Check the body and the settings, then answer with `reply(turn, body, db)`."""
    try:
        body = await _body(request)
    except BadRequest as error:
        return JSONResponse({"error": str(error)}, status_code=422)
    db = _open_db()
    if db is None:
        return JSONResponse({"error": NO_DATABASE}, status_code=409)
    try:
        settings = await run_in_threadpool(load_settings, db)
        provider = build_provider(settings) if settings.enabled else None
    except Exception:
        _close(db)
        raise
    if provider is None:
        _close(db)
        return JSONResponse({"error": NOT_CONNECTED if settings.enabled else SWITCHED_OFF}, status_code=409)
    user = get_current_user(request)
    turn = ChatTurn(chat.registry, settings, provider, chat.history, _key(request), user=user, request=request, db=db)
    return await reply(turn, body, db)


async def _body(request: Request) -> dict[str, Any]:
    """`{"message": str}` or `{"confirm": str, "allow": bool}`, else BadRequest."""
    try:
        body = json.loads(await request.body() or b"null")
    except ValueError:
        raise BadRequest("The request body is not valid JSON.") from None
    if not isinstance(body, dict):
        raise BadRequest('Send a JSON object: {"message": "..."} or {"confirm": "<call id>", "allow": true}.')
    if "confirm" in body:
        if not isinstance(body["confirm"], str) or not isinstance(body.get("allow"), bool):
            raise BadRequest('"confirm" must be a tool call id and "allow" true or false.')
        return {"confirm": body["confirm"], "allow": body["allow"]}
    message = body.get("message")
    if not isinstance(message, str) or not message.strip():
        raise BadRequest('"message" must be a non-empty text.')
    if len(message) > MAX_MESSAGE:
        raise BadRequest(f"The message is too long: at most {MAX_MESSAGE} characters.")
    return {"message": message.strip()}


def _events(turn: ChatTurn, body: dict[str, Any]) -> AsyncIterator[Event]:
    return turn.answer(body["confirm"], body["allow"]) if "confirm" in body else turn.send(body["message"])


async def _collect(turn: ChatTurn, body: dict[str, Any], db: Any) -> Response:
    """The whole turn as one JSON answer (the reference's shape)."""
    calls: list[dict[str, Any]] = []
    answer: dict[str, Any] = {"response": "", "tool_calls": calls}
    try:
        async for event in _events(turn, body):
            if event["type"] == "tool" and event["status"] != "running":
                calls.append({"name": event["name"], "arguments": event["arguments"], "result": event["result"]})
            elif event["type"] == "confirm":
                answer["confirm"] = {key: event[key] for key in ("call_id", "name", "arguments")}
            elif event["type"] == "message":
                answer["response"] = event["markdown"]
            elif event["type"] == "error":
                return JSONResponse({"error": event["message"], "tool_calls": calls}, status_code=event["status"])
    finally:
        _close(db)
    return JSONResponse(answer)


async def _stream(turn: ChatTurn, body: dict[str, Any], db: Any) -> Response:
    """The turn as server-sent events, encoded for the widget."""
    from fasthx_ui import ai_chat as wire

    async def events() -> AsyncIterator[str]:
        try:
            async for event in _events(turn, body):
                kind = event["type"]
                if kind == "token":
                    yield wire.token_event(event["text"])
                elif kind == "tool":
                    yield wire.tool_event(event["call_id"], event["name"], event["arguments"], event["status"], event["result"])
                elif kind == "confirm":
                    yield wire.confirm_event(event["call_id"], event["name"], event["arguments"])
                elif kind == "message":
                    yield wire.message_event(event["markdown"])
                elif kind == "error":
                    yield wire.error_event(event["message"])
                else:
                    yield wire.done_event()
        finally:
            _close(db)

    return StreamingResponse(events(), media_type="text/event-stream", headers=SSE_HEADERS)


def _open_db() -> Any:
    """A session on the app's database (`init_db`), or None before `init_db`."""
    try:
        return crud_db.open_session()
    except RuntimeError:
        return None


def _close(db: Any) -> None:
    if db is not None:
        db.close()

"""One turn of the AI chat, as an async stream of events the routes encode.

`ChatTurn.send(message)` runs the user's message; `ChatTurn.answer(call_id, allow)`
resumes a turn paused on a `confirm=True` tool; the pause is taken from the history
atomically, so a second answer to it (another tab) gets NOT_WAITING and the tool runs at
most once. A turn: the `session_start` hooks when
the conversation is new, the `user_prompt_submit` chain, then up to `max_rounds` rounds
of provider stream → tool calls (`pre_tool_use` may block one, its text becoming the
result; `post_tool_use` chains over results) → the final answer, stored in the history
with everything the turn added. A provider error ends the turn with an `error` event and
stores nothing, so the history never holds half a turn.

Events are dicts with a `type`: `token` (text), `tool` (call_id, name, arguments, status
running|done|blocked|error, result), `confirm` (call_id, name, arguments), `message`
(markdown), `error` (message, and the HTTP status that fits it), and `done` last.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

from fasthx_ui.crud.ai.history import ChatHistory, Message
from fasthx_ui.crud.ai.hooks import run_post_tool_use, run_pre_tool_use, run_session_start, run_user_prompt_submit
from fasthx_ui.crud.ai.provider import AIProvider, AIProviderError
from fasthx_ui.crud.ai.settings import AISettings
from fasthx_ui.crud.ai.tools import ToolRegistry, tool_error

MAX_ROUNDS = 5
DENIED = "The user did not allow this tool call; it did not run."
SUPERSEDED = "The user sent a new message instead of answering; this tool call did not run."
NOT_WAITING = ("This tool call is not waiting for an answer: it was answered already (in another tab?) "
               "or its turn was replaced by a new message.")
FAILED = "The assistant failed unexpectedly; the server log has the details."

Event = dict[str, Any]
logger = logging.getLogger("fasthx_ui.crud.ai")


@dataclass
class ChatTurn:
    """Everything one turn needs: the tools and hooks, the settings and their provider,
    the history store and this conversation's key, and who is asking (passed to tools
    and hooks that declare `user`, `request` or `db`)."""

    registry: ToolRegistry
    settings: AISettings
    provider: AIProvider
    history: ChatHistory
    key: str
    user: dict[str, Any] | None = None
    request: Any = None
    db: Any = None
    max_rounds: int = MAX_ROUNDS

    @property
    def enabled_tools(self) -> set[str]:
        return set(self.registry.tools) - set(self.settings.disabled_tools)

    @property
    def enabled_hooks(self) -> set[str]:
        return {hook.key for hook in self.registry.hooks} - set(self.settings.disabled_hooks)

    def send(self, message: str) -> AsyncIterator[Event]:
        """Run a new user message. A turn still waiting for an answer is closed first:
        its calls get the SUPERSEDED result."""
        return _guarded(self._send(message))

    def answer(self, call_id: str, allow: bool) -> AsyncIterator[Event]:
        """Allow or deny the tool call the paused turn waits for, then finish the turn."""
        return _guarded(self._answer(call_id, allow))

    async def _send(self, message: str) -> AsyncIterator[Event]:
        history = await self.history.messages(self.key)
        paused = await self.history.pending(self.key)
        earlier: list[Message] = []
        if paused is not None:
            earlier = paused["new"] + [tool_message(call, SUPERSEDED) for call in paused["calls"]]
            await self.history.set_pending(self.key, None)
        hooks = self.enabled_hooks
        if not history and not earlier:
            await run_session_start(self.registry, hooks, session_id=self.key, user=self.user, db=self.db)
        message = await run_user_prompt_submit(
            self.registry, hooks, message=message, history=history, user=self.user, db=self.db
        )
        state = {"new": [*earlier, {"role": "user", "content": message}], "calls": [], "round": 0}
        async for event in self._drive(state, history):
            yield event

    async def _answer(self, call_id: str, allow: bool) -> AsyncIterator[Event]:
        state = await self.history.take_pending(self.key, call_id)  # atomic: one answer gets the turn
        if state is None:
            yield {"type": "error", "message": NOT_WAITING, "status": 409}
            yield {"type": "done"}
            return
        call = state["calls"].pop(0)
        if allow:
            yield tool_event(call, "running")
            result, status = await self._execute(call)
        else:
            result, status = DENIED, "blocked"
        yield tool_event(call, status, result)
        state["new"].append(tool_message(call, result))
        async for event in self._drive(state, await self.history.messages(self.key)):
            yield event

    async def _drive(self, state: dict[str, Any], history: list[Message]) -> AsyncIterator[Event]:
        """Run the state's open calls, then provider rounds, until an answer, a pause or an error."""
        while True:
            while state["calls"]:
                call = state["calls"][0]
                blocked = await run_pre_tool_use(
                    self.registry, self.enabled_hooks, tool_name=call["name"], arguments=call["arguments"],
                    user=self.user, db=self.db,
                )
                tool = self.registry.tools.get(call["name"])
                if blocked is not None:
                    result, status = blocked, "blocked"
                elif tool is not None and tool.confirm and call["name"] in self.enabled_tools:
                    await self.history.set_pending(self.key, state)
                    yield {"type": "confirm", "call_id": call["id"], "name": call["name"], "arguments": call["arguments"]}
                    yield {"type": "done"}
                    return
                else:
                    yield tool_event(call, "running")
                    result, status = await self._execute(call)
                yield tool_event(call, status, result)
                state["new"].append(tool_message(call, result))
                state["calls"].pop(0)
            with_tools = state["round"] < self.max_rounds
            tools = self.registry.definitions(enabled=self.enabled_tools) if with_tools else []
            text, calls = "", None
            try:
                async for event in self.provider.stream(self._messages(history, state["new"]), tools=tools or None):
                    if event["type"] == "token":
                        text += event["text"]
                        yield {"type": "token", "text": event["text"]}
                    elif event["type"] == "tool_calls":
                        calls = event["tool_calls"]
                    elif event["type"] == "done":
                        text = event.get("response") or text
            except AIProviderError as error:
                yield {"type": "error", "message": str(error), "status": 502}
                yield {"type": "done"}
                return
            state["round"] += 1
            if calls and tools:
                calls = [_with_id(call) for call in calls]
                state["new"].append({"role": "assistant", "content": text or None, "tool_calls": calls})
                state["calls"] = list(calls)  # consumed one by one; the message keeps them all
                continue
            state["new"].append({"role": "assistant", "content": text})
            await self.history.append(self.key, state["new"])
            yield {"type": "message", "markdown": text}
            yield {"type": "done"}
            return

    async def _execute(self, call: dict[str, Any]) -> tuple[str, str]:
        """Run one call with the user's rights, then the `post_tool_use` chain; (result, status)."""
        name = call["name"]
        if "arguments_error" in call:
            result = tool_error(name, call["arguments_error"])
        elif name in self.registry.tools and name not in self.enabled_tools:
            result = tool_error(name, "this tool is switched off in the AI settings")
        else:
            result = await self.registry.execute(
                name, call["arguments"], db=self.db, user=self.user, request=self.request
            )
        status = "error" if result.startswith(tool_error(name, "")) else "done"
        result = await run_post_tool_use(
            self.registry, self.enabled_hooks, tool_name=name, arguments=call["arguments"], result=result,
            user=self.user, db=self.db,
        )
        return result, status

    def _messages(self, history: list[Message], new: list[Message]) -> list[Message]:
        """System message, the stored history from its first user message on (trimming
        may have cut a tool exchange in half), then this turn's messages."""
        system = self.settings.system_message()
        start = next((i for i, message in enumerate(history) if message.get("role") == "user"), len(history))
        return [*([{"role": "system", "content": system}] if system else []), *history[start:], *new]


async def _guarded(events: AsyncIterator[Event]) -> AsyncIterator[Event]:
    """`events`, with an unexpected exception (a history store that cannot be reached, a
    bug) logged and turned into an `error` event, so a stream always ends cleanly."""
    try:
        async for event in events:
            yield event
    except Exception:
        logger.exception("AI chat turn failed")
        yield {"type": "error", "message": FAILED, "status": 500}
        yield {"type": "done"}


def tool_event(call: dict[str, Any], status: str, result: str | None = None) -> Event:
    return {"type": "tool", "call_id": call["id"], "name": call["name"], "arguments": call["arguments"],
            "status": status, "result": result}


def tool_message(call: dict[str, Any], result: str) -> Message:
    """The result of one tool call, as the model reads it."""
    return {"role": "tool", "tool_call_id": call["id"], "content": result}


def _with_id(call: dict[str, Any]) -> dict[str, Any]:
    return call if call.get("id") else {**call, "id": f"call_{secrets.token_hex(8)}"}


def public_history(messages: list[Message]) -> list[dict[str, Any]]:
    """The history as the widget and `GET /ai/history` show it: user and assistant
    messages, each assistant tool call with its result."""
    shown: list[dict[str, Any]] = []
    calls: dict[str, dict[str, Any]] = {}
    for message in messages:
        role = message.get("role")
        if role == "user":
            shown.append({"role": "user", "content": message.get("content") or ""})
        elif role == "assistant":
            entry: dict[str, Any] = {"role": "assistant", "content": message.get("content") or ""}
            if message.get("tool_calls"):
                entry["tool_calls"] = []
                for call in message["tool_calls"]:
                    item = {"id": call["id"], "name": call["name"], "arguments": call["arguments"], "result": None}
                    calls[call["id"]] = item
                    entry["tool_calls"].append(item)
            shown.append(entry)
        elif role == "tool" and message.get("tool_call_id") in calls:
            calls[message["tool_call_id"]]["result"] = message.get("content")
    return shown

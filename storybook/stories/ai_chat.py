"""AIChat stories: a streamed answer with a tool call, a tool that asks first, a failing provider.

No model runs here: this module's `stream/<scenario>` route plays a scripted answer with
the encoders of `fasthx_ui.ai_chat`, as the CRUD preset's `/ai/chat/stream` does. Each
chat is keyed by the story's `key` arg (tests give each their own). With `hold`, the
answer stops twice, before its first word and after a running tool, each time until
`POST release/<key>`, so a test can see the stream mid-way without a sleep; `endings/<key>` tells how streams ended. `history` and `clear` keep the conversation per key.
"""

from __future__ import annotations

import asyncio
import json
from collections import defaultdict
from collections.abc import AsyncIterator

from fastapi import Request
from fastapi.responses import JSONResponse, StreamingResponse

from fasthx_ui.ai_chat import (
    confirm_event,
    done_event,
    error_event,
    message_event,
    render_markdown,
    token_event,
    tool_event,
)
from storybook.book import Stories

stories = Stories("AIChat", "A floating assistant panel: streamed answers, tool calls, confirmations.", category="Feedback")

ANSWER = """\
Here is the **weekly report**:

| Region | Orders |
|:-------|-------:|
| North  | 12     |
| South  | 7      |

```python
total = 12 + 7  # <b>not bold</b>
```

<img src="x" onerror="window.aiChatInjected = true"><script>window.aiChatInjected = true</script>
See [the orders](https://example.org/orders) or [this](javascript:window.aiChatInjected=true).
"""
HOLD_SECONDS = 30
conversations: dict[str, list[dict]] = defaultdict(list)
attempts: dict[str, int] = defaultdict(int)
gates: dict[str, asyncio.Event] = defaultdict(asyncio.Event)
endings: dict[str, list[str]] = defaultdict(list)


def chat(scenario: str) -> str:
    """The story template: an AIChat on this module's routes for `scenario`."""
    return (
        '<ui:AIChat stream_url={{ api ~ "/stream/' + scenario + '?key=" ~ key ~ ("&hold=1" if hold else "") }}'
        ' history_url={{ api ~ "/history?key=" ~ key }} clear_url={{ api ~ "/clear?key=" ~ key }} title={{ title }} />'
    )


ARGS = {"key": "demo", "hold": False, "title": "Assistant"}


@stories.story(args=ARGS)
def answer():
    """Tokens stream in as text, a tool chip goes from running to done, then the server's
    HTML replaces the text: a table, a code block, and raw HTML that stays text."""
    return chat("answer")


@stories.story(args=ARGS)
def confirm_tool():
    """A tool marked `confirm=True`: the panel asks Allow / Deny and posts the choice."""
    return chat("confirm")


@stories.story(args=ARGS)
def provider_error():
    """The provider fails on every other try: the panel shows the message and a Retry."""
    return chat("error")


def remember(key: str, role: str, content: str, tool_calls: list | None = None) -> None:
    entry = {"role": role, "content": content}
    if tool_calls:
        entry["tool_calls"] = tool_calls
    conversations[key].append(entry)


def words(text: str) -> list[str]:
    """`text` in small pieces, as a model streams it."""
    return [text[i:i + 12] for i in range(0, len(text), 12)]


async def answer_events(key: str, message: str, hold: bool) -> AsyncIterator[str]:
    remember(key, "user", message)
    arguments = {"period": "week"}
    ended = "stopped"
    try:
        if hold:
            await held(key)
        for piece in words(ANSWER[:40]):
            yield token_event(piece)
        yield tool_event("call-report", "weekly_report", arguments, "running")
        if hold:
            await held(key)
        yield tool_event("call-report", "weekly_report", arguments, "done", {"North": 12, "South": 7})
        for piece in words(ANSWER[40:]):
            yield token_event(piece)
        yield message_event(ANSWER)
        remember(key, "assistant", ANSWER, [{"name": "weekly_report", "arguments": arguments, "result": '{"North": 12, "South": 7}'}])
        yield done_event()
        ended = "completed"
    finally:
        endings[key].append(ended)


async def held(key: str) -> None:
    """Wait until `release/<key>` (or HOLD_SECONDS)."""
    try:
        await asyncio.wait_for(gates[key].wait(), HOLD_SECONDS)
    except TimeoutError:
        pass
    finally:
        gates.pop(key, None)


async def confirm_events(key: str, message: str) -> AsyncIterator[str]:
    remember(key, "user", message)
    yield token_event("I can archive the old orders.")
    yield confirm_event("call-archive", "archive_orders", {"older_than_days": 30})
    yield done_event()


async def confirmed_events(key: str, allow: bool) -> AsyncIterator[str]:
    arguments = {"older_than_days": 30}
    if allow:
        yield tool_event("call-archive", "archive_orders", arguments, "running")
        yield tool_event("call-archive", "archive_orders", arguments, "done", "Archived 3 orders")
        text = "Archived **3** orders."
    else:
        yield tool_event("call-archive", "archive_orders", arguments, "blocked", "Denied by the user")
        text = "Nothing was archived."
    yield message_event(text)
    remember(key, "assistant", text)
    yield done_event()


async def error_events(key: str, message: str, hold: bool) -> AsyncIterator[str]:
    attempts[key] += 1
    if attempts[key] % 2:
        yield token_event("Let me check")
        yield error_event("The AI provider did not answer in time. Try again.")
        yield done_event()
        return
    async for event in answer_events(key, message, hold):
        yield event


@stories.router.post("/stream/{scenario}")
async def stream(request: Request, scenario: str, key: str = "demo", hold: bool = False):
    try:
        body = json.loads(await request.body())
    except ValueError:
        body = None
    if not isinstance(body, dict) or not (isinstance(body.get("message"), str) or "confirm" in body):
        return JSONResponse({"detail": 'Send {"message": "..."} or {"confirm": "<call id>", "allow": true}.'}, status_code=400)
    if "confirm" in body:
        events = confirmed_events(key, body.get("allow") is True)
    elif scenario == "confirm":
        events = confirm_events(key, body["message"])
    elif scenario == "error":
        events = error_events(key, body["message"], hold)
    else:
        events = answer_events(key, body["message"], hold)
    return StreamingResponse(events, media_type="text/event-stream", headers={"Cache-Control": "no-store"})


@stories.router.post("/release/{key}")
async def release(key: str):
    """Let a held answer (`hold`) go on."""
    gates[key].set()
    return {"released": key}


@stories.router.get("/endings/{key}")
def ended(key: str):
    """How each answer stream of `key` ended: `completed`, or `stopped` when the browser let go of it."""
    return endings.get(key, [])


@stories.router.get("/history")
def history(key: str = "demo"):
    """The conversation so far; each assistant message also as HTML (`render_markdown`)."""
    shown = []
    for entry in conversations.get(key, []):
        item = dict(entry)
        if entry["role"] == "assistant":
            item["html"] = str(render_markdown(entry["content"]))
        shown.append(item)
    return shown


@stories.router.post("/clear")
def clear(key: str = "demo"):
    conversations.pop(key, None)
    return {"cleared": key}

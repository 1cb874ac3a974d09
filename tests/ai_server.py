"""A stand-in AI provider for the tests: a real HTTP process speaking the OpenAI
chat-completions wire format, so everything of ours (httpx client, parsing, errors) runs.

Run it as `python tests/ai_server.py --port N`; it serves `POST /v1/chat/completions`
(a JSON answer, or server-sent events when the request says `"stream": true`) and
`GET /v1/models`. Answers are scripted: `POST /_script` with a JSON list of answers,
consumed in order, each

    {"content": "...", "tool_calls": [{"name": "...", "arguments": {...} or "raw"}],
     "delay": seconds, "status": 500, "malformed": true, "chunk": N,
     "chunk_delay": seconds, "stream_error": "message"}

(`delay`: before answering; `chunk`: characters per streamed fragment, default 3;
`chunk_delay`: between streamed fragments; `stream_error`: an error object in the stream
after the content, as providers send when they fail mid-answer). With the script empty the answer
echoes the last user message as `echo: <text>`. `GET /_requests` lists the request bodies
received, `GET /_headers` their headers, `POST /_reset` forgets script and requests.
`ai_server_process()` starts and stops one for a test session.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response, StreamingResponse
from starlette.routing import Route

MODEL = "test-model"


class State:
    """What the server keeps between requests: the scripted answers and what it received."""

    def __init__(self) -> None:
        self.script: list[dict] = []
        self.requests: list[dict] = []
        self.headers: list[dict] = []
        self.calls = 0


state = State()


def next_answer(body: dict) -> dict:
    """The next scripted answer, or an echo of the last user message."""
    if state.script:
        return state.script.pop(0)
    users = [m for m in body.get("messages", []) if m.get("role") == "user"]
    return {"content": f"echo: {users[-1].get('content', '') if users else ''}"}


def tool_calls_of(answer: dict) -> list[dict]:
    """The answer's tool calls in wire format, with ids unique in this server's life."""
    calls = []
    for call in answer.get("tool_calls") or []:
        state.calls += 1
        arguments = call.get("arguments", {})
        calls.append({
            "id": call.get("id", f"call_{state.calls}"),
            "type": "function",
            "function": {"name": call["name"],
                         "arguments": arguments if isinstance(arguments, str) else json.dumps(arguments)},
        })
    return calls


def completion(body: dict, answer: dict) -> dict:
    """A whole (non-streamed) chat completion."""
    calls = tool_calls_of(answer)
    message: dict = {"role": "assistant", "content": answer.get("content")}
    if calls:
        message["tool_calls"] = calls
    return {
        "id": f"chatcmpl-{len(state.requests)}", "object": "chat.completion", "created": int(time.time()),
        "model": body.get("model", MODEL),
        "choices": [{"index": 0, "message": message, "finish_reason": "tool_calls" if calls else "stop"}],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
    }


def pieces(text: str, size: int) -> list[str]:
    return [text[i:i + size] for i in range(0, len(text), size)]


async def stream_events(body: dict, answer: dict) -> AsyncIterator[str]:
    """The answer as chat-completion chunks: content deltas, then each tool call's
    name and its arguments in fragments (by index), then `[DONE]`."""
    size = max(1, int(answer.get("chunk", 3)))
    base = {"id": f"chatcmpl-{len(state.requests)}", "object": "chat.completion.chunk",
            "created": int(time.time()), "model": body.get("model", MODEL)}

    def chunk(delta: dict, finish: str | None = None) -> str:
        choice = {"index": 0, "delta": delta, "finish_reason": finish}
        return f"data: {json.dumps({**base, 'choices': [choice]})}\n\n"

    pause = float(answer.get("chunk_delay", 0))
    yield chunk({"role": "assistant", "content": ""})
    for piece in pieces(answer.get("content") or "", size):
        yield chunk({"content": piece})
        await asyncio.sleep(pause)
    if answer.get("malformed"):
        yield "data: {not json\n\n"
        return
    if answer.get("stream_error"):
        yield f"data: {json.dumps({'error': {'message': answer['stream_error'], 'type': 'server_error'}})}\n\n"
        return
    calls = tool_calls_of(answer)
    for index, call in enumerate(calls):
        yield chunk({"tool_calls": [{"index": index, "id": call["id"], "type": "function",
                                     "function": {"name": call["function"]["name"], "arguments": ""}}]})
        for piece in pieces(call["function"]["arguments"], size):
            yield chunk({"tool_calls": [{"index": index, "function": {"arguments": piece}}]})
    yield chunk({}, "tool_calls" if calls else "stop")
    yield "data: [DONE]\n\n"


async def chat_completions(request: Request) -> Response:
    raw = await request.body()
    try:
        body = json.loads(raw)
    except ValueError:
        return JSONResponse({"error": {"message": "request body is not JSON"}}, status_code=400)
    state.requests.append(body)
    state.headers.append(dict(request.headers))
    answer = next_answer(body)
    if answer.get("delay"):
        await asyncio.sleep(float(answer["delay"]))
    if answer.get("status"):
        return JSONResponse({"error": {"message": answer.get("content") or "scripted failure",
                                       "type": "server_error"}}, status_code=int(answer["status"]))
    if body.get("stream"):
        return StreamingResponse(stream_events(body, answer), media_type="text/event-stream")
    if answer.get("malformed"):
        return PlainTextResponse("{\"choices\": [oops", media_type="application/json")
    return JSONResponse(completion(body, answer))


async def models(_request: Request) -> Response:
    return JSONResponse({"object": "list", "data": [{"id": MODEL, "object": "model"}]})


async def script(request: Request) -> Response:
    answers = await request.json()
    if not isinstance(answers, list) or not all(isinstance(a, dict) for a in answers):
        return JSONResponse({"error": "a JSON list of answers (objects) is expected"}, status_code=400)
    state.script.extend(answers)
    return JSONResponse({"queued": len(state.script)})


async def requests_log(_request: Request) -> Response:
    return JSONResponse(state.requests)


async def headers_log(_request: Request) -> Response:
    return JSONResponse(state.headers)


async def reset(_request: Request) -> Response:
    state.script.clear()
    state.requests.clear()
    state.headers.clear()
    return JSONResponse({"ok": True})


async def home(_request: Request) -> Response:
    return PlainTextResponse("test AI provider")


def create_app() -> Starlette:
    return Starlette(routes=[
        Route("/", home),
        Route("/v1/chat/completions", chat_completions, methods=["POST"]),
        Route("/v1/models", models),
        Route("/_script", script, methods=["POST"]),
        Route("/_requests", requests_log),
        Route("/_headers", headers_log),
        Route("/_reset", reset, methods=["POST"]),
    ])


@dataclass
class AIServer:
    """A handle on the running server for tests: `.url` is the base URL ending `/v1`."""

    root: str

    @property
    def url(self) -> str:
        return f"{self.root}/v1"

    def script(self, answers: list[dict]) -> None:
        """Queue answers for the next chat-completion requests, in order."""
        httpx.post(f"{self.root}/_script", json=answers, timeout=5).raise_for_status()

    def requests(self) -> list[dict]:
        """The chat-completion request bodies received since the last reset."""
        return httpx.get(f"{self.root}/_requests", timeout=5).json()

    def headers(self) -> list[dict]:
        """The headers of those requests (lower-case names)."""
        return httpx.get(f"{self.root}/_headers", timeout=5).json()

    def reset(self) -> None:
        httpx.post(f"{self.root}/_reset", timeout=5).raise_for_status()


@contextmanager
def ai_server_process() -> Iterator[AIServer]:
    """Start the server as a process on a free port; stop it on leaving."""
    from .e2e.helpers import serve

    process, root = serve([str(Path(__file__).resolve())])
    try:
        yield AIServer(root)
    finally:
        process.terminate()
        process.wait(timeout=10)


def main() -> None:
    import uvicorn

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    uvicorn.run(create_app(), host="127.0.0.1", port=parser.parse_args().port, log_level="warning")


if __name__ == "__main__":
    main()

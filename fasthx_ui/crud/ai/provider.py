"""AI providers: the interface the chat and `ai_complete` talk to, and its implementation
for any OpenAI-compatible chat-completions API (OpenAI, vLLM, Ollama, LiteLLM...).

A provider answers `chat(messages, tools)` with `{"response": str, "tool_calls": [...] | None}`
and `stream(messages, tools)` with events `{"type": "token", "text"}`..., at most one
`{"type": "tool_calls", "tool_calls"}`, then `{"type": "done", "response"}`. Tool calls are
normalised to `{"id", "name", "arguments": dict}` (plus `"arguments_error"` when the model's
arguments were not a JSON object). Every failure is an `AIProviderError` whose message is
safe to show a user: it never carries the API key or the provider's raw answer.
"""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import urlsplit

import httpx

log = logging.getLogger(__name__)

DEFAULT_MODEL = "gpt-4o-mini"
DEFAULT_TEMPERATURE = 0.7
DEFAULT_MAX_TOKENS = 1024
DEFAULT_TIMEOUT = 60.0
STATUS_HINTS = {
    401: "check the API key",
    403: "check the API key and its rights",
    404: "check the base URL and the model name",
    429: "too many requests, try again later",
}


class AIProviderError(Exception):
    """The provider could not answer; the message is safe to show (no key, no raw body)."""


class AIProvider:
    """What the chat and `ai_complete` need from a provider. Subclasses implement `chat`;
    `stream` defaults to one `chat` call given back as a single token."""

    name: str = "provider"

    async def chat(self, messages: list[dict], tools: list[dict] | None = None, **kwargs: Any) -> dict:
        """The whole answer: `{"response": str, "tool_calls": list | None}`."""
        raise NotImplementedError

    async def stream(self, messages: list[dict], tools: list[dict] | None = None,
                     **kwargs: Any) -> AsyncIterator[dict]:
        """The answer as it comes: token events, at most one tool_calls event, then done."""
        answer = await self.chat(messages, tools, **kwargs)
        if answer["response"]:
            yield {"type": "token", "text": answer["response"]}
        if answer.get("tool_calls"):
            yield {"type": "tool_calls", "tool_calls": answer["tool_calls"]}
        yield {"type": "done", "response": answer["response"]}

    def get_config_fields(self) -> list[dict]:
        """The settings this provider needs, for the settings page:
        `{"name", "label", "type", "secret"}` each."""
        return []


class OpenAICompatibleProvider(AIProvider):
    """A chat-completions API over httpx: `POST {base_url}/chat/completions`.

    `timeout` (seconds) bounds each step of a call: connecting, and every read. The
    `Authorization: Bearer` header is sent only when an API key is set."""

    name = "openai"

    def __init__(self, base_url: str, api_key: str | None = None, model: str = DEFAULT_MODEL,
                 temperature: float = DEFAULT_TEMPERATURE, max_tokens: int = DEFAULT_MAX_TOKENS,
                 timeout: float = DEFAULT_TIMEOUT):
        self.base_url = base_url.rstrip("/")
        self._api_key = api_key or None
        self.model = model
        self.temperature = temperature
        self.max_tokens = max_tokens
        self.timeout = timeout

    def __repr__(self) -> str:
        return f"OpenAICompatibleProvider(base_url={self.base_url!r}, model={self.model!r})"

    def get_config_fields(self) -> list[dict]:
        return [
            {"name": "base_url", "label": "Base URL", "type": "url", "secret": False},
            {"name": "api_key", "label": "API key", "type": "password", "secret": True},
            {"name": "model", "label": "Model", "type": "text", "secret": False},
            {"name": "temperature", "label": "Temperature", "type": "number", "secret": False},
            {"name": "max_tokens", "label": "Max tokens", "type": "number", "secret": False},
            {"name": "timeout", "label": "Timeout (seconds)", "type": "number", "secret": False},
        ]

    async def chat(self, messages: list[dict], tools: list[dict] | None = None, **kwargs: Any) -> dict:
        async with self._client() as client:
            try:
                response = await client.post("/chat/completions", json=self._payload(messages, tools, kwargs))
            except httpx.HTTPError as exc:
                raise self._transport_error(exc) from None
        self._check_status(response)
        return parse_completion(_json_of(response.content))

    async def stream(self, messages: list[dict], tools: list[dict] | None = None,
                     **kwargs: Any) -> AsyncIterator[dict]:
        payload = {**self._payload(messages, tools, kwargs), "stream": True}
        async with self._client() as client:
            try:
                async with client.stream("POST", "/chat/completions", json=payload) as response:
                    if response.status_code >= 400:
                        await response.aread()
                    self._check_status(response)
                    async for event in _stream_events(response.aiter_lines()):
                        yield event
            except httpx.HTTPError as exc:
                raise self._transport_error(exc) from None

    def _client(self) -> httpx.AsyncClient:
        headers = {"Accept": "application/json, text/event-stream"}
        if self._api_key:
            headers["Authorization"] = f"Bearer {self._api_key}"
        try:
            return httpx.AsyncClient(base_url=self.base_url, headers=headers, timeout=self.timeout)
        except (httpx.InvalidURL, ValueError):
            raise AIProviderError(f"The AI provider's base URL {self.base_url!r} is not a valid URL") from None

    def _payload(self, messages: list[dict], tools: list[dict] | None, extra: dict) -> dict:
        payload: dict[str, Any] = {
            "model": self.model,
            "messages": [wire_message(m) for m in messages],
            "temperature": self.temperature,
            "max_tokens": self.max_tokens,
        }
        if tools:
            payload["tools"] = tools
        return {**payload, **extra}

    @property
    def _host(self) -> str:
        return urlsplit(self.base_url).netloc or self.base_url

    def _transport_error(self, exc: httpx.HTTPError) -> AIProviderError:
        if isinstance(exc, httpx.TimeoutException):
            message = f"The AI provider at {self._host} gave no answer within {self.timeout:g} s"
        elif isinstance(exc, httpx.ConnectError):
            message = f"Cannot connect to the AI provider at {self._host}"
        elif isinstance(exc, (httpx.UnsupportedProtocol, httpx.InvalidURL)):
            message = f"The AI provider's base URL {self.base_url!r} is not a valid http(s) URL"
        else:
            message = f"The connection to the AI provider at {self._host} failed"
        log.warning("%s (%s)", message, type(exc).__name__)
        return AIProviderError(message)

    def _check_status(self, response: httpx.Response) -> None:
        if response.status_code < 400:
            return
        message = f"HTTP {response.status_code} from the AI provider at {self._host}"
        hint = STATUS_HINTS.get(response.status_code)
        message = f"{message}: {hint}" if hint else message
        log.warning("%s", message)
        raise AIProviderError(message)


NOT_UNDERSTOOD = "The AI provider's answer was not understood (not a chat-completions answer)"
STREAM_FAILED = "The AI provider reported an error in the middle of its answer"


def _not_understood(detail: str) -> AIProviderError:
    log.warning("%s: %s", NOT_UNDERSTOOD, detail)
    return AIProviderError(NOT_UNDERSTOOD)


def _json_of(body: bytes | str) -> Any:
    try:
        return json.loads(body)
    except ValueError:
        raise _not_understood("the body is not JSON") from None


def parse_completion(data: Any) -> dict:
    """`{"response", "tool_calls"}` from a chat-completions JSON answer."""
    try:
        message = data["choices"][0]["message"]
        content = _text(message.get("content"))
        calls = [normalise_tool_call(call, index) for index, call in enumerate(message.get("tool_calls") or [])]
    except (KeyError, IndexError, TypeError, AttributeError):
        raise _not_understood("no choices[0].message") from None
    return {"response": content, "tool_calls": calls or None}


def _text(content: Any) -> str:
    """Message content as text (some providers send a list of parts)."""
    if content is None:
        return ""
    if isinstance(content, list):
        return "".join(part.get("text", "") for part in content if isinstance(part, dict))
    if not isinstance(content, str):
        raise TypeError("content is not text")
    return content


def normalise_tool_call(call: dict, index: int = 0) -> dict:
    """`{"id", "name", "arguments": dict}` from a wire tool call; arguments that are not a
    JSON object become `{}` with `"arguments_error"` saying why."""
    function = call["function"]
    name = function["name"]
    if not isinstance(name, str) or not name:
        raise TypeError("tool call without a name")
    normalised = {"id": call.get("id") or f"call_{index}", "name": name}
    return {**normalised, **parse_arguments(function.get("arguments"))}


def parse_arguments(raw: Any) -> dict:
    """`{"arguments": dict}`, plus `"arguments_error"` when `raw` is not a JSON object."""
    if isinstance(raw, dict):
        return {"arguments": raw}
    if raw is None or raw == "":
        return {"arguments": {}}
    try:
        value = json.loads(raw)
    except (TypeError, ValueError) as exc:
        return {"arguments": {}, "arguments_error": f"the arguments are not valid JSON ({exc})"}
    if not isinstance(value, dict):
        return {"arguments": {}, "arguments_error": "the arguments are not a JSON object"}
    return {"arguments": value}


def wire_message(message: dict) -> dict:
    """A message as chat-completions expects it: normalised tool calls in an assistant
    message (`{"id", "name", "arguments": dict}`) go back to the wire format."""
    calls = message.get("tool_calls")
    if not calls:
        return {key: value for key, value in message.items() if key != "tool_calls"}
    wire = []
    for call in calls:
        if "function" in call:
            wire.append(call)
            continue
        wire.append({"id": call["id"], "type": "function",
                     "function": {"name": call["name"], "arguments": json.dumps(call.get("arguments", {}))}})
    return {**message, "tool_calls": wire}


async def _stream_events(lines: AsyncIterator[str]) -> AsyncIterator[dict]:
    """Events from a chat-completions SSE stream: content deltas as tokens, tool-call
    fragments assembled by index, then one tool_calls event and done."""
    text: list[str] = []
    calls: dict[int, dict] = {}
    seen = False
    async for line in lines:
        if not line.startswith("data:"):
            continue
        data = line[5:].strip()
        if data == "[DONE]":
            break
        try:
            chunk = json.loads(data)
            if chunk.get("error"):
                log.warning("%s", STREAM_FAILED)
                raise AIProviderError(STREAM_FAILED)
            choices = chunk.get("choices") or []
            delta = (choices[0].get("delta") or {}) if choices else {}
            content = _text(delta.get("content"))
            fragments = delta.get("tool_calls") or []
            for fragment in fragments:
                _add_fragment(calls, fragment)
        except (ValueError, TypeError, AttributeError, KeyError):
            raise _not_understood("a stream chunk is not chat-completions JSON") from None
        seen = True
        if content:
            text.append(content)
            yield {"type": "token", "text": content}
    if not seen:
        raise _not_understood("the stream held no chunk")
    if calls:
        try:
            normalised = [normalise_tool_call(
                {"id": c["id"], "function": {"name": c["name"], "arguments": c["arguments"]}}, index)
                for index, c in sorted(calls.items())]
        except TypeError:
            raise _not_understood("a streamed tool call has no name") from None
        yield {"type": "tool_calls", "tool_calls": normalised}
    yield {"type": "done", "response": "".join(text)}


def _add_fragment(calls: dict[int, dict], fragment: dict) -> None:
    """Merge one streamed tool-call fragment into the calls being assembled."""
    entry = calls.setdefault(int(fragment.get("index", 0)), {"id": "", "name": "", "arguments": ""})
    if fragment.get("id"):
        entry["id"] = fragment["id"]
    function = fragment.get("function") or {}
    if function.get("name") and not entry["name"]:
        entry["name"] = function["name"]
    arguments = function.get("arguments")
    if isinstance(arguments, dict):
        entry["arguments"] += json.dumps(arguments)
    elif arguments:
        entry["arguments"] += str(arguments)

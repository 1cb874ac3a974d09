"""The tool registry: Python functions the model may call, and the lifecycle hooks around
them. `tool_registry` is the process's registry, shared by the chat and `ai_complete`.

    @tool_registry.tool(description="Open invoices of a customer")
    def open_invoice_count(customer_id: int, db: Session) -> str: ...

A tool's parameters become its JSON schema; `db`, `user` and `request` are injected by the
caller (never chosen by the model). `execute` never raises: whatever goes wrong becomes the
text `Error executing tool '<name>': <message>`, which is given to the model as the result.
"""

from __future__ import annotations

import asyncio
import inspect
import json
import logging
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from fasthx_ui.crud.ai.schema import ArgumentError, Signature, read_signature
from fasthx_ui.crud.db import session_or_new

log = logging.getLogger(__name__)

EVENTS: dict[str, frozenset[str]] = {
    "session_start": frozenset({"session_id", "user", "db"}),
    "user_prompt_submit": frozenset({"message", "history", "user", "db"}),
    "pre_tool_use": frozenset({"tool_name", "arguments", "user", "db"}),
    "post_tool_use": frozenset({"tool_name", "arguments", "result", "user", "db"}),
}


def tool_error(name: str, message: str) -> str:
    """The result text of a tool call that failed (what the model is told)."""
    return f"Error executing tool '{name}': {message}"


@dataclass(frozen=True)
class Tool:
    """A registered tool: `func` plus what the model is told about it."""

    name: str
    description: str
    func: Callable[..., Any]
    signature: Signature
    confirm: bool = False

    @property
    def schema(self) -> dict[str, Any]:
        """JSON schema of the parameters the model fills in."""
        return self.signature.json_schema()

    def definition(self) -> dict[str, Any]:
        """The OpenAI `tools` entry of this tool."""
        return {"type": "function",
                "function": {"name": self.name, "description": self.description, "parameters": self.schema}}


@dataclass(frozen=True)
class Hook:
    """A function called at one lifecycle event, with only the arguments it declares."""

    event: str
    func: Callable[..., Any]
    description: str
    accepts: frozenset[str] = field(default_factory=frozenset)

    @property
    def key(self) -> str:
        """Identifies the hook in the settings (switched on and off by this key)."""
        return f"{self.event}:{self.func.__qualname__}"

    async def call(self, **available: Any) -> Any:
        """Run the hook (a sync one in a thread) with the arguments it declares."""
        return await call_maybe_async(self.func, {k: v for k, v in available.items() if k in self.accepts})


class ToolRegistry:
    """Tools and hooks, in registration order."""

    def __init__(self) -> None:
        self._tools: dict[str, Tool] = {}
        self._hooks: list[Hook] = []

    @property
    def tools(self) -> dict[str, Tool]:
        return dict(self._tools)

    @property
    def hooks(self) -> list[Hook]:
        return list(self._hooks)

    def tool(self, description: str | Callable[..., Any] | None = None, *, name: str | None = None,
             confirm: bool = False) -> Any:
        """Decorator registering a sync or async function as a tool (also usable bare,
        `@registry.tool`). `confirm=True`: the chat asks the user before it runs."""
        if callable(description):
            return self.tool()(description)

        def register(func: Callable[..., Any]) -> Callable[..., Any]:
            tool_name = name or func.__name__
            signature = read_signature(func, f"tool {tool_name!r}")
            old = self._tools.get(tool_name)
            if old is not None and _origin(old.func) != _origin(func):
                raise ValueError(f"a tool named {tool_name!r} is already registered ({_origin(old.func)})")
            self._tools[tool_name] = Tool(tool_name, _describe(func, description, tool_name), func, signature, confirm)
            return func

        return register

    def remove(self, name: str) -> None:
        """Forget tool `name` (nothing happens when there is none)."""
        self._tools.pop(name, None)

    def on(self, event: str, description: str | None = None) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        """Decorator registering a hook for `event` (one of `EVENTS`)."""
        if event not in EVENTS:
            raise ValueError(f"unknown hook event {event!r}; expected one of {', '.join(EVENTS)}")

        def register(func: Callable[..., Any]) -> Callable[..., Any]:
            accepts = _hook_params(func, event)
            hook = Hook(event, func, _describe(func, description, func.__name__), accepts)
            self._hooks = [h for h in self._hooks if h.key != hook.key] + [hook]
            return func

        return register

    def definitions(self, names: Iterable[str] | None = None, enabled: set[str] | None = None) -> list[dict[str, Any]]:
        """OpenAI definitions of the tools in `names` (all when None), in that order, limited to
        `enabled` when given; unknown names are skipped."""
        chosen = self._tools if names is None else dict.fromkeys(n for n in names if n in self._tools)
        return [self._tools[n].definition() for n in chosen if enabled is None or n in enabled]

    async def execute(self, name: str, arguments: dict[str, Any] | str | None, *, db: Any = None,
                      user: Any = None, request: Any = None) -> str:
        """Run tool `name` with the model's `arguments` (a dict or its JSON text); the result as
        text (dict/list as JSON). Never raises: failures become `tool_error` text."""
        tool = self._tools.get(name)
        if tool is None:
            log.warning("AI tool call refused: unknown tool %r", name)
            return tool_error(name, "unknown tool")
        try:
            kwargs = tool.signature.bind(_parse_arguments(arguments))
        except ArgumentError as exc:
            log.warning("AI tool %r: bad arguments: %s", name, exc)
            return tool_error(name, str(exc))
        try:
            with _injected(tool.signature.injected, db=db, user=user, request=request) as extra:
                result = await call_maybe_async(tool.func, {**kwargs, **extra})
        except Exception as exc:
            log.exception("AI tool %r failed", name)
            return tool_error(name, f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__)
        return result_text(result)


tool_registry = ToolRegistry()


async def call_maybe_async(func: Callable[..., Any], kwargs: dict[str, Any]) -> Any:
    """Await an async function; run a sync one in a worker thread (so it may block)."""
    if inspect.iscoroutinefunction(func):
        return await func(**kwargs)
    result = await asyncio.to_thread(func, **kwargs)
    return await result if inspect.isawaitable(result) else result


def result_text(result: Any) -> str:
    """A tool's return value as the text the model reads."""
    if isinstance(result, str):
        return result
    try:
        return json.dumps(result, default=str, ensure_ascii=False)
    except (TypeError, ValueError):
        return str(result)


def _parse_arguments(arguments: dict[str, Any] | str | None) -> dict[str, Any]:
    if arguments is None or arguments == "":
        return {}
    if isinstance(arguments, str):
        try:
            arguments = json.loads(arguments)
        except json.JSONDecodeError as exc:
            raise ArgumentError(f"arguments are not valid JSON ({exc.msg})") from None
    if not isinstance(arguments, dict):
        raise ArgumentError("arguments must be a JSON object")
    return arguments


@contextmanager
def _injected(wanted: frozenset[str], **given: Any) -> Iterator[dict[str, Any]]:
    """The injected arguments a tool declares; a `db` it needs but was not given is a
    short-lived session of `init_db`'s engine, closed after the call."""
    values = {k: v for k, v in given.items() if k in wanted}
    if "db" not in wanted:
        yield values
        return
    with session_or_new(given["db"]) as db:
        yield {**values, "db": db}


def _hook_params(func: Callable[..., Any], event: str) -> frozenset[str]:
    offered = EVENTS[event]
    params = inspect.signature(func).parameters.values()
    if any(p.kind is p.VAR_KEYWORD for p in params):
        return offered
    unknown = [p.name for p in params if p.name not in offered and p.default is p.empty]
    if unknown:
        raise ValueError(f"hook {func.__qualname__} for {event!r} asks for {', '.join(unknown)}; "
                         f"{event} offers {', '.join(sorted(offered))}")
    return frozenset(p.name for p in params if p.name in offered)


def _describe(func: Callable[..., Any], given: str | None, name: str) -> str:
    """The description given, else the docstring's first paragraph, else the name in words."""
    doc = (inspect.getdoc(func) or "").split("\n\n", 1)[0].replace("\n", " ").strip()
    return given or doc or name.replace("_", " ").capitalize()


def _origin(func: Callable[..., Any]) -> str:
    return f"{func.__module__}.{func.__qualname__}"

"""`ai_complete`: one stateless call to the configured AI connection (no history, no hooks),
for a summary, a draft, a classification. Tools are opt-in per call, by name, and run for
one round: the model's calls are executed, their results sent back, and the next answer is
final (it is asked without tools, so it cannot call again). The assistant message keeps the
normalised tool calls; the provider writes them back in its wire format.

    text = await ai_complete("Summarize:\n" + notes, system="Be concise.", db=db)
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from fasthx_ui.crud.ai.provider import AIProvider
from fasthx_ui.crud.ai.settings import build_provider, load_settings
from fasthx_ui.crud.ai.tools import ToolRegistry, tool_error, tool_registry
from fasthx_ui.crud.db import session_or_new

NO_CONNECTION = "No AI connection configured: set the base URL and model in AI Settings"


async def ai_complete(prompt: str, *, system: str | None = None, tools: Iterable[str] | None = None,
                      db: Any = None, registry: ToolRegistry | None = None) -> str:
    """The model's answer to `prompt`. `tools`: names in `registry` (default `tool_registry`)
    the model may call, unknown ones ignored. `db`: a session to use (else a short-lived one of
    `init_db`'s engine); tools declaring `db` get it. RuntimeError when no connection is set."""
    if isinstance(tools, str):
        raise TypeError(f"tools must be a list of tool names, not the string {tools!r}")
    registry = tool_registry if registry is None else registry
    with session_or_new(db) as session:
        provider = _provider(session)
        messages = ([{"role": "system", "content": system}] if system else []) + [{"role": "user", "content": prompt}]
        definitions = registry.definitions(tools) if tools else []
        answer = await provider.chat(messages, tools=definitions or None)
        calls = answer.get("tool_calls") if definitions else None
        if not calls:
            return answer["response"]
        offered = {d["function"]["name"] for d in definitions}
        messages.append({"role": "assistant", "content": answer["response"] or None, "tool_calls": calls})
        for call in calls:
            result = await _run(registry, offered, call, session)
            messages.append({"role": "tool", "tool_call_id": call["id"], "content": result})
        return (await provider.chat(messages))["response"]


def _provider(session: Any) -> AIProvider:
    provider = build_provider(load_settings(session))
    if provider is None:
        raise RuntimeError(NO_CONNECTION)
    return provider


async def _run(registry: ToolRegistry, offered: set[str], call: dict[str, Any], db: Any) -> str:
    """One tool call of the model; a tool not offered to this call is unknown to it."""
    name = call["name"]
    if name not in offered:
        return tool_error(name, "unknown tool")
    if call.get("arguments_error"):
        return tool_error(name, f"arguments are not valid JSON ({call['arguments_error']})")
    return await registry.execute(name, call.get("arguments") or {}, db=db)

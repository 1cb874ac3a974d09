"""Running the lifecycle hooks of a registry, one runner per event.

Each runner takes `enabled`, the hook keys switched on (None = all), and the arguments of
its event; a hook gets only the ones it declares. A hook that raises is logged and skipped:
a broken hook must not break the chat. What a hook returns:

- `session_start`: ignored.
- `user_prompt_submit`: a string replaces the message; hooks chain (each sees the last).
- `pre_tool_use`: a string blocks the call and is the tool's result; the first one wins.
- `post_tool_use`: a string replaces the result; hooks chain.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

from fasthx_ui.crud.ai.tools import Hook, ToolRegistry

log = logging.getLogger(__name__)


async def run_session_start(registry: ToolRegistry, enabled: set[str] | None, *, session_id: str,
                            user: Any = None, db: Any = None) -> None:
    """Tell the hooks a chat session began."""
    for hook in _active(registry, enabled, "session_start"):
        await _call(hook, session_id=session_id, user=user, db=db)


async def run_user_prompt_submit(registry: ToolRegistry, enabled: set[str] | None, *, message: str,
                                 history: list[dict[str, Any]], user: Any = None, db: Any = None) -> str:
    """The user's message after every hook had its say."""
    for hook in _active(registry, enabled, "user_prompt_submit"):
        result = await _call(hook, message=message, history=history, user=user, db=db)
        if isinstance(result, str):
            message = result
    return message


async def run_pre_tool_use(registry: ToolRegistry, enabled: set[str] | None, *, tool_name: str,
                           arguments: dict[str, Any], user: Any = None, db: Any = None) -> str | None:
    """None to let the call run; else the text that replaces its result (the call is blocked)."""
    for hook in _active(registry, enabled, "pre_tool_use"):
        result = await _call(hook, tool_name=tool_name, arguments=arguments, user=user, db=db)
        if isinstance(result, str):
            return result
    return None


async def run_post_tool_use(registry: ToolRegistry, enabled: set[str] | None, *, tool_name: str,
                            arguments: dict[str, Any], result: str, user: Any = None, db: Any = None) -> str:
    """The tool's result after every hook had its say."""
    for hook in _active(registry, enabled, "post_tool_use"):
        changed = await _call(hook, tool_name=tool_name, arguments=arguments, result=result, user=user, db=db)
        if isinstance(changed, str):
            result = changed
    return result


def _active(registry: ToolRegistry, enabled: set[str] | None, event: str) -> Iterator[Hook]:
    return (h for h in registry.hooks if h.event == event and (enabled is None or h.key in enabled))


async def _call(hook: Hook, **available: Any) -> Any:
    try:
        return await hook.call(**available)
    except Exception:
        log.exception("AI hook %s failed; ignored", hook.key)
        return None

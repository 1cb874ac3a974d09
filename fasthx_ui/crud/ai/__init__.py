"""fasthx_ui.crud.ai: the optional AI assistant of the CRUD preset: tool registry and hooks,
`ai_complete`, providers and settings. Imports without the [ai] extra (only the chat's
markdown needs it)."""

from typing import Any

from fasthx_ui.crud.ai.complete import ai_complete
from fasthx_ui.crud.ai.tools import Hook, Tool, ToolRegistry, tool_registry

_PROVIDER_NAMES = ("AIProvider", "AIProviderError", "OpenAICompatibleProvider")


def __getattr__(name: str) -> Any:
    if name in _PROVIDER_NAMES:
        from fasthx_ui.crud.ai import provider

        return getattr(provider, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["AIProvider", "AIProviderError", "Hook", "OpenAICompatibleProvider", "Tool", "ToolRegistry",
           "ai_complete", "tool_registry"]

"""fasthx_ui.crud.ai: the optional AI assistant of the CRUD preset: tool registry and hooks,
`ai_complete`, providers and settings. Imports without the [ai] extra (only the chat's
markdown needs it)."""

from fasthx_ui.crud.ai.complete import ai_complete
from fasthx_ui.crud.ai.provider import AIProvider, AIProviderError, OpenAICompatibleProvider
from fasthx_ui.crud.ai.tools import Hook, Tool, ToolRegistry, tool_registry

__all__ = ["AIProvider", "AIProviderError", "Hook", "OpenAICompatibleProvider", "Tool", "ToolRegistry",
           "ai_complete", "tool_registry"]

"""Chat-completions messages that carry tool calls (one place for their wire shape): the
assistant turn that asked for calls, and one `role: tool` message per result."""

from __future__ import annotations

import json
from typing import Any


def assistant_message(text: str, calls: list[dict[str, Any]]) -> dict[str, Any]:
    """The assistant turn with its normalised tool calls (`{"id", "name", "arguments"}`)."""
    return {
        "role": "assistant",
        "content": text or None,
        "tool_calls": [
            {"id": c["id"], "type": "function",
             "function": {"name": c["name"], "arguments": json.dumps(c.get("arguments") or {})}}
            for c in calls
        ],
    }


def tool_message(call_id: str, result: str) -> dict[str, Any]:
    """The result of one tool call, answered to the model."""
    return {"role": "tool", "tool_call_id": call_id, "content": result}

"""AIChat server side: the markdown of an answer made safe, and the chat's SSE events.

`render_markdown` turns an assistant's markdown into HTML a page can show: raw HTML
in the text is escaped (markdown-it-py with `html=False`), then nh3 keeps only the tags
markdown produces, with links limited to http(s)/mailto and opened with
`rel="noopener noreferrer"`. Images are not rendered (an image URL would fetch itself,
a way to leak the conversation); `![alt](url)` stays a link. The [ai] extra
(`pip install 'fasthx_ui[ai]'`) provides both libraries; they are imported on first
use, so this module imports without them.

The event encoders are the wire contract between a chat route and `<ui:AIChat>`
(ai_chat.js): each returns one `event: <name>\\ndata: <json>\\n\\n` frame.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from markupsafe import Markup

AI_EXTRA_HINT = "pip install 'fasthx_ui[ai]'"
TOOL_STATUSES = ("running", "done", "blocked", "error")

_TAGS = {
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "s", "code", "pre",
    "blockquote", "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td",
}
_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "th": {"style"}, "td": {"style"}}


@lru_cache(maxsize=1)
def _markdown():
    try:
        from markdown_it import MarkdownIt
    except ImportError as error:
        raise RuntimeError(f"rendering chat markdown needs markdown-it-py: {AI_EXTRA_HINT}") from error
    return MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"]).disable("image")


def render_markdown(text: str) -> Markup:
    """An assistant's markdown as sanitised HTML (see the module docstring)."""
    try:
        import nh3
    except ImportError as error:
        raise RuntimeError(f"rendering chat markdown needs nh3: {AI_EXTRA_HINT}") from error
    html = _markdown().render(text or "")
    clean = nh3.clean(
        html,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
        set_tag_attribute_values={"a": {"target": "_blank"}},
        filter_style_properties={"text-align"},
    )
    return Markup(clean)


def _event(name: str, data: dict[str, Any]) -> str:
    return f"event: {name}\ndata: {json.dumps(data, ensure_ascii=False, separators=(',', ':'))}\n\n"


def token_event(text: str) -> str:
    """A piece of the answer's text, appended as plain text while it streams."""
    return _event("token", {"text": text})


def tool_event(call_id: str, name: str, arguments: Any, status: str, result: Any = None) -> str:
    """A tool call's state: `running`, then `done`, `blocked` (denied or stopped by a hook) or `error`."""
    if status not in TOOL_STATUSES:
        raise ValueError(f"tool status must be one of {', '.join(TOOL_STATUSES)}, not {status!r}")
    return _event("tool", {"id": call_id, "name": name, "arguments": arguments, "status": status, "result": result})


def confirm_event(call_id: str, name: str, arguments: Any) -> str:
    """Ask the user to allow or deny a tool call; the answer is POSTed as `{"confirm": call_id, "allow": bool}`."""
    return _event("confirm", {"id": call_id, "name": name, "arguments": arguments})


def message_event(markdown: str) -> str:
    """The whole answer, rendered here: it replaces the streamed text."""
    return _event("message", {"html": str(render_markdown(markdown))})


def error_event(message: str) -> str:
    """A message safe to show (never a key or a raw provider body); the panel offers a retry."""
    return _event("error", {"message": message})


def done_event() -> str:
    """The end of this stream."""
    return _event("done", {})

"""fasthx_ui.ai_chat: the assistant's markdown made safe, and the chat's exact SSE frames."""

import json
import subprocess
import sys

import pytest
from markupsafe import Markup

from fasthx_ui.ai_chat import (
    confirm_event,
    done_event,
    error_event,
    message_event,
    render_markdown,
    token_event,
    tool_event,
)


def test_markdown_becomes_html():
    html = render_markdown("Some **bold** and *italic*, `code` and ~~gone~~.\n\n- one\n- two")
    assert isinstance(html, Markup)
    assert "<strong>bold</strong>" in html and "<em>italic</em>" in html and "<code>code</code>" in html
    assert "<s>gone</s>" in html
    assert "<ul>\n<li>one</li>" in html


def test_script_tags_are_escaped_text():
    html = render_markdown("Hi <script>alert(1)</script>")
    assert "<script" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_raw_html_with_event_attributes_stays_text():
    html = render_markdown('<img src="x" onerror="alert(1)">\n\n<div onclick="alert(2)">x</div>')
    assert "<img" not in html and "<div" not in html
    assert '&lt;img src="x" onerror="alert(1)"&gt;' in html


def test_javascript_links_are_not_links():
    html = render_markdown("[click](javascript:alert(1)) [data](data:text/html,<b>x</b>) [v](vbscript:x)")
    assert "<a" not in html
    assert "href" not in html


def test_links_open_apart_without_the_opener():
    html = render_markdown('[docs](https://example.org/a "The docs") and <https://example.org/b>')
    assert '<a href="https://example.org/a" title="The docs" target="_blank" rel="noopener noreferrer">docs</a>' in html
    assert '<a href="https://example.org/b" target="_blank" rel="noopener noreferrer">' in html


def test_images_are_not_fetched():
    html = render_markdown("![chart](https://tracker.example/leak?q=secret)")
    assert "<img" not in html
    assert '<a href="https://tracker.example/leak?q=secret"' in html


def test_code_blocks_keep_their_text_escaped():
    html = render_markdown("```python\nif a < b:\n    print('<b>')\n```")
    assert html == "<pre><code>if a &lt; b:\n    print('&lt;b&gt;')\n</code></pre>\n"


def test_tables_with_alignment():
    html = render_markdown("| Name | Count |\n|:--|--:|\n| <b>x</b> | 3 |")
    assert "<table>" in html and "<th style=\"text-align:left\">Name</th>" in html
    assert '<td style="text-align:right">3</td>' in html
    assert "<td style=\"text-align:left\">&lt;b&gt;x&lt;/b&gt;</td>" in html


def test_empty_text():
    assert render_markdown("") == ""


def frame(text: str) -> tuple[str, dict]:
    """The event name and the decoded data of one frame, after checking its shape."""
    assert text.endswith("\n\n") and text.count("\n") == 3
    event, data = text[:-2].split("\n")
    assert event.startswith("event: ") and data.startswith("data: ")
    return event[7:], json.loads(data[6:])


def test_token_event_wire_format():
    assert token_event("Hé\nllo") == 'event: token\ndata: {"text":"Hé\\nllo"}\n\n'


def test_tool_event_wire_format():
    assert tool_event("c1", "count", {"status": "open"}, "running") == (
        'event: tool\ndata: {"id":"c1","name":"count","arguments":{"status":"open"},"status":"running","result":null}\n\n'
    )
    assert frame(tool_event("c1", "count", {}, "done", {"n": 3}))[1]["result"] == {"n": 3}
    for status in ("blocked", "error"):
        assert frame(tool_event("c1", "count", {}, status, "no"))[1]["status"] == status


def test_tool_event_refuses_an_unknown_status():
    with pytest.raises(ValueError, match="running, done, blocked, error"):
        tool_event("c1", "count", {}, "finished")


def test_confirm_event_wire_format():
    assert confirm_event("c2", "archive", {"days": 30}) == (
        'event: confirm\ndata: {"id":"c2","name":"archive","arguments":{"days":30}}\n\n'
    )


def test_message_event_sends_sanitised_html():
    assert message_event("**hi** <script>x</script>") == (
        'event: message\ndata: {"html":"<p><strong>hi</strong> &lt;script&gt;x&lt;/script&gt;</p>\\n"}\n\n'
    )


def test_error_and_done_wire_format():
    assert error_event("Provider down") == 'event: error\ndata: {"message":"Provider down"}\n\n'
    assert done_event() == "event: done\ndata: {}\n\n"


def test_line_breaks_never_split_a_frame():
    name, data = frame(token_event("a\r\n\n\rb\u2028"))
    assert name == "token" and data == {"text": "a\r\n\n\rb\u2028"}


def test_imports_and_encodes_without_the_ai_extra():
    """Without markdown-it-py and nh3 the module imports and streams; rendering names the extra."""
    code = """
import sys
sys.modules["markdown_it"] = None
sys.modules["nh3"] = None
from fasthx_ui import ai_chat
assert ai_chat.token_event("x") == 'event: token\\ndata: {"text":"x"}\\n\\n'
try:
    ai_chat.render_markdown("x")
except RuntimeError as error:
    print(error)
"""
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert "pip install 'fasthx_ui[ai]'" in run.stdout

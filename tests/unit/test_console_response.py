"""console_response and the Console component as the server renders them."""

import json
import re

import pytest
from fastapi import FastAPI

from fasthx_ui.console import console_html, console_response
from fasthx_ui.ui import UI


@pytest.fixture(autouse=True)
def installed_ui():
    """console_response renders through the UI installed last."""
    ui = UI(secret_key="console-tests")
    ui.install(FastAPI())
    return ui


def body(response) -> str:
    return response.body.decode()


def test_goes_into_the_modal_and_opens_it_as_a_console():
    response = console_response("Logs", "ready\n")
    assert response.status_code == 200
    assert response.headers["hx-retarget"] == "#admin-modal .modal-content"
    assert response.headers["hx-reswap"] == "innerHTML"
    assert json.loads(response.headers["hx-trigger"]) == {"showConsole": {"size": "modal-xl", "target": "body"}}


def test_size_and_status_code():
    response = console_response("Logs", size="modal-lg", status_code=422)
    assert response.status_code == 422
    assert json.loads(response.headers["hx-trigger"])["showConsole"]["size"] == "modal-lg"
    assert json.loads(console_response("Logs", size="huge").headers["hx-trigger"])["showConsole"]["size"] == ""


def test_output_is_a_log_with_ansi_colours_and_escaped_text():
    html = body(console_response("Results", "\x1b[32mSuccess\x1b[0m <script>x</script>\n"))
    assert re.search(r'<div class="fhx-console-output console-output"[^>]*role="log"', html)
    assert 'tabindex="0"' in html
    assert '<span class="ansi-green">Success</span> &lt;script&gt;x&lt;/script&gt;' in html
    assert "<script>" not in html


def test_ansi_off_keeps_codes_out_of_the_markup():
    html = body(console_response("Raw", "\x1b[32mgreen\x1b[0m", ansi=False))
    assert "ansi-green" not in html
    assert str(console_html("\x1b[32mgreen\x1b[0m", ansi=False)) in html


def test_title_is_text():
    html = body(console_response('<img src=x onerror="alert(1)">', "x"))
    assert "<img" not in html
    assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in html


def test_static_console_has_no_stream_and_no_prompt():
    html = body(console_response("Logs", "x"))
    assert "data-stream-url" not in html
    assert "<form" not in html


def test_stream_attributes():
    html = body(console_response("Run", stream_url="/jobs/7/stream?x=1&y=2", stream_event="log"))
    assert 'data-stream-url="/jobs/7/stream?x=1&amp;y=2"' in html
    assert 'hx-sse:close="console-end"' in html
    assert 'data-stream-event="log"' in html
    assert 'role="status"' in html


def test_stream_url_with_a_script_scheme_is_neutralised():
    html = body(console_response("Run", stream_url="javascript:alert(1)"))
    assert "javascript:" not in html


def test_prompt_posts_to_the_output():
    html = body(console_response("Shell", "Ready.\n", input_enabled=True, input_action="/shell/exec",
                                 input_placeholder="type <here>"))
    output_id = re.search(r'id="([^"]+)" role="log"', html)[1]
    form = re.search(r"<form[^>]*>", html)[0]
    assert 'hx-post="/shell/exec"' in form
    assert f'hx-target="#{output_id}"' in form
    assert 'hx-swap="beforeend"' in form
    assert 'name="command"' in html
    assert 'placeholder="type &lt;here&gt;"' in html
    assert re.search(r'<label class="visually-hidden" for="([^"]+)">Command</label>', html)


def test_prompt_needs_an_action():
    with pytest.raises(ValueError, match="input_action"):
        console_response("Shell", input_enabled=True)


def test_each_console_gets_its_own_ids():
    first = re.search(r'id="([^"]+)" role="log"', body(console_response("A", "x")))[1]
    second = re.search(r'id="([^"]+)" role="log"', body(console_response("B", "x")))[1]
    assert first != second

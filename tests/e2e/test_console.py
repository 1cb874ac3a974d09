"""Console in the browser: static and ANSI output, SSE streaming, auto-scroll, the
stream closing with the modal (seen by the server), the interactive prompt, re-swaps."""

import json
import re
import time

import httpx
from playwright.sync_api import Page, expect

from helpers import assert_accessible, json_list_once, live_count, open_story, post_from_another_site


def open_console(page: Page, storybook: str, story: str, button: str, **args):
    open_story(page, storybook, "console", story, **args)
    page.get_by_role("button", name=button).click()
    return shown_dialog(page)


def shown_dialog(page: Page):
    """The modal once it is open and has taken focus (Bootstrap ignores Esc before that)."""
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    page.wait_for_function("document.getElementById('admin-modal').contains(document.activeElement)")
    return dialog


def console_id(page: Page) -> str:
    return page.get_attribute("#admin-modal [data-fhx-console-stream]", "data-stream-url").rsplit("/", 1)[1]


def closes(storybook: str, console: str, until: str) -> list[str]:
    """The reasons the server gave for this console's streams ending, once `until` shows up."""
    return json_list_once(f"{storybook}/api/console/closes/{console}", until)


def scroll_state(page: Page) -> dict:
    return page.evaluate(
        """() => { const o = document.querySelector('#admin-modal .fhx-console-output');
                   return {top: o.scrollTop, bottom: o.scrollHeight - o.clientHeight}; }"""
    )


def test_static_output_is_an_escaped_log(page: Page, storybook: str):
    open_story(page, storybook, "console", "static_output")
    log = page.get_by_role("log", name="Build log")
    expect(log).to_contain_text('<script>alert("this stays text")</script>')
    expect(log).to_contain_text("Finished in 12.4 s")
    assert page.locator("#story-root .fhx-console-output script").count() == 0
    expect(log).to_have_attribute("tabindex", "0")
    assert_accessible(page)


def test_log_opens_in_the_modal_via_show_console(page: Page, storybook: str):
    open_story(page, storybook, "console", "static_output")
    with page.expect_response("**/api/console/logs") as info:
        page.get_by_role("button", name="Open the log in the modal").click()
    trigger = json.loads(info.value.all_headers()["hx-trigger"])
    assert trigger["showConsole"]["size"] == "modal-lg"
    dialog = page.get_by_role("dialog", name="Build log")
    expect(dialog).to_be_visible()
    expect(page.locator("#admin-modal .modal-dialog")).to_have_class(re.compile(r"\bmodal-lg\b"))
    expect(dialog.get_by_role("log")).to_contain_text("Packaging fasthx_ui-0.1.0.tar.gz")
    assert_accessible(page)


def test_ansi_sampler_colours_every_code(page: Page, storybook: str):
    dialog = open_console(page, storybook, "ansi_sampler", "Show ANSI colours")
    log = dialog.get_by_role("log")
    for name in ("black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"):
        expect(log.locator(f"span.ansi-{name}").first).to_have_text(f"{name:<8}")
        expect(log.locator(f"span.ansi-bright-{name}").first).to_have_text(f"bright {name}")
    expect(log.locator("span.ansi-bold").first).to_have_css("font-weight", "700")
    expect(log.locator("span.ansi-italic").first).to_have_css("font-style", "italic")
    expect(log.locator("span.ansi-underline").first).to_have_css("text-decoration-line", "underline")
    red = log.locator("span.ansi-red").first.evaluate("e => getComputedStyle(e).color")
    green = log.locator("span.ansi-green").first.evaluate("e => getComputedStyle(e).color")
    assert red != green
    expect(log).to_contain_text("unknown codes are dropped cursor codes too")
    assert "\x1b" not in log.inner_text()
    assert_accessible(page)


def test_streaming_appends_until_the_end_event(page: Page, storybook: str):
    dialog = open_console(page, storybook, "streaming", "Run diagnostics", lines=5, delay=0.1)
    log = dialog.get_by_role("log")
    expect(log).to_contain_text("Starting diagnostics (5 steps)…")
    expect(log).to_contain_text("All checks passed.")
    expect(log.locator("pre.console-line")).to_have_count(7)
    expect(dialog.get_by_role("status")).to_have_text("Output complete.")
    assert closes(storybook, console_id(page), "end") == ["end"]
    assert_accessible(page)
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(page.locator("#admin-modal [data-fhx-console-status]")).to_have_text("Output complete.")


def test_show_console_from_page_script_reopens_the_console(page: Page, storybook: str):
    dialog = open_console(page, storybook, "ansi_sampler", "Show ANSI colours")
    expect(page.locator("#admin-modal .modal-dialog")).to_have_class(re.compile(r"\bmodal-xl\b"))
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    page.evaluate("showConsole({size: 'modal-lg'})")
    expect(dialog).to_be_visible()
    expect(dialog.locator(".console-output")).to_contain_text("bright magenta")
    expect(page.locator("#admin-modal .modal-dialog")).to_have_class(re.compile(r"\bmodal-lg\b"))
    shown_dialog(page)
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    page.evaluate("showConsole()")
    expect(dialog).to_be_visible()
    expect(page.locator("#admin-modal .modal-dialog")).to_have_class(re.compile(r"\bmodal-lg\b"))


def test_plain_generator_stream_runs_once(page: Page, storybook: str):
    streams = []
    page.on("request", lambda request: streams.append(request.url) if "/check-stream" in request.url else None)
    dialog = open_console(page, storybook, "generator_stream", "Run checks")
    log = dialog.get_by_role("log")
    expect(log).to_contain_text("Running tests... OK")
    expect(dialog.get_by_role("status")).to_have_text("Output complete.")
    assert "OK\n\nAll checks passed." in log.inner_text()  # the chunk's leading blank line is kept
    expect(log.locator("pre.console-line.ansi-green").first).to_have_css("color", "rgb(63, 185, 80)")  # its css_class
    expect(log.locator("pre.console-line")).to_have_count(5)
    # "Output complete." is shown on htmx:sse:close, which hx-sse fires only once its
    # connection loop has ended: the reconnect it would make was already refused.
    assert len(streams) == 1
    expect(log.locator("pre.console-line")).to_have_count(5)
    assert_accessible(page)


def test_auto_scroll_stops_when_scrolled_up_and_resumes_at_the_bottom(page: Page, storybook: str):
    dialog = open_console(page, storybook, "streaming", "Run diagnostics", lines=400, delay=0.03)
    log = dialog.get_by_role("log")
    expect(log).to_contain_text("step  40 of 400")
    state = scroll_state(page)
    assert state["bottom"] > 0 and abs(state["top"] - state["bottom"]) <= 8
    log.evaluate("o => { o.scrollTop = 0; }")
    expect(log).to_have_attribute("data-following", "false")
    expect(log).to_contain_text("step  80 of 400")
    assert scroll_state(page)["top"] == 0
    log.evaluate("o => { o.scrollTop = o.scrollHeight; }")
    expect(log).to_have_attribute("data-following", "true")
    expect(log).to_contain_text("step 120 of 400")
    state = scroll_state(page)
    assert abs(state["top"] - state["bottom"]) <= 8
    page.keyboard.press("Escape")


def test_fast_output_ends_at_the_bottom(page: Page, storybook: str):
    dialog = open_console(page, storybook, "streaming", "Run diagnostics", lines=300, delay=0)
    log = dialog.get_by_role("log")
    expect(log).to_contain_text("All checks passed.")
    expect(log).to_have_attribute("data-following", "true")
    state = scroll_state(page)
    assert state["bottom"] > 0 and abs(state["top"] - state["bottom"]) <= 8


def test_closing_the_modal_closes_the_stream_and_the_server_sees_it(page: Page, storybook: str):
    dialog = open_console(page, storybook, "streaming", "Run diagnostics", lines=600, delay=0.1)
    expect(dialog.get_by_role("log")).to_contain_text("step   3 of 600")
    console = console_id(page)
    assert httpx.get(f"{storybook}/api/console/closes/{console}").json() == []
    streams = []
    page.on("request", lambda request: streams.append(request.url) if "/api/console/stream/" in request.url else None)
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    assert closes(storybook, console, "disconnect") == ["disconnect"]
    expect(page.locator("#admin-modal [data-fhx-console-status]")).to_have_text("Stream closed.")
    assert streams == []  # no reconnection after the close


def test_interactive_prompt_posts_with_csrf_and_appends(page: Page, storybook: str):
    dialog = open_console(page, storybook, "interactive_shell", "Open the shell")
    prompt = dialog.get_by_role("textbox", name="Command")
    expect(prompt).to_be_focused()
    expect(prompt).to_have_attribute("placeholder", "$ ")
    with page.expect_request("**/api/console/exec") as info:
        prompt.fill("echo <b>hi</b>")
        prompt.press("Enter")
    token = page.get_attribute('meta[name="csrf-token"]', "content")
    assert info.value.headers["x-csrf-token"] == token
    log = dialog.get_by_role("log")
    expect(log).to_contain_text("$ echo <b>hi</b>\n<b>hi</b>")
    assert log.locator("b").count() == 0
    expect(prompt).to_have_value("")
    prompt.fill("nope")
    prompt.press("Enter")
    expect(log.locator("span.ansi-red")).to_have_text("nope: command not found")
    assert_accessible(page)


def test_prompt_posted_from_another_site_without_a_token_is_refused(page: Page, storybook: str):
    response = post_from_another_site(page, storybook, "/api/console/exec", {"command": "whoami"})
    assert response.status == 403


def test_history_recalls_earlier_commands(page: Page, storybook: str):
    dialog = open_console(page, storybook, "interactive_shell", "Open the shell")
    prompt = dialog.get_by_role("textbox", name="Command")
    log = dialog.get_by_role("log")
    for number, command in enumerate(["help", "whoami", "echo three"], start=1):
        prompt.fill(command)
        prompt.press("Enter")
        expect(log.locator("pre.console-line")).to_have_count(1 + number)
    prompt.fill("draft")
    prompt.press("ArrowUp")
    expect(prompt).to_have_value("echo three")
    prompt.press("ArrowUp")
    prompt.press("ArrowUp")
    expect(prompt).to_have_value("help")
    prompt.press("ArrowUp")
    expect(prompt).to_have_value("help")
    prompt.press("ArrowDown")
    expect(prompt).to_have_value("whoami")
    prompt.press("ArrowDown")
    prompt.press("ArrowDown")
    expect(prompt).to_have_value("draft")
    prompt.press("ArrowUp")
    prompt.press("Enter")
    expect(log.locator("pre.console-line").last).to_contain_text("three")


def test_keyboard_reaches_the_log_and_the_prompt(page: Page, storybook: str):
    dialog = open_console(page, storybook, "interactive_shell", "Open the shell")
    prompt = dialog.get_by_role("textbox", name="Command")
    expect(prompt).to_be_focused()
    page.keyboard.press("Shift+Tab")
    expect(dialog.get_by_role("log")).to_be_focused()
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(dialog.get_by_role("button", name="Run")).to_be_focused()


def test_reopening_ten_times_leaves_one_console(page: Page, storybook: str):
    open_story(page, storybook, "console", "interactive_shell")
    for _ in range(10):
        page.get_by_role("button", name="Open the shell").click()
        shown_dialog(page)
        page.keyboard.press("Escape")
        expect(page.get_by_role("dialog")).to_have_count(0)
    assert live_count(page, "Console") == 1
    page.get_by_role("button", name="Open the shell").click()
    prompt = page.get_by_role("textbox", name="Command")
    with page.expect_request("**/api/console/exec"):
        prompt.fill("whoami")
        prompt.press("Enter")
    expect(page.get_by_role("log").locator("pre.console-line")).to_have_count(2)


def test_reopening_a_stream_closes_the_previous_one(page: Page, storybook: str):
    dialog = open_console(page, storybook, "streaming", "Run diagnostics", lines=600, delay=0.1)
    expect(dialog.get_by_role("log")).to_contain_text("step   2 of 600")
    first = console_id(page)
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    page.get_by_role("button", name="Run diagnostics").click()
    shown_dialog(page)
    expect(page.get_by_role("log")).to_contain_text("step   2 of 600")
    assert console_id(page) != first
    assert closes(storybook, first, "disconnect") == ["disconnect"]
    assert live_count(page, "Console") == 1


def test_attached_console_in_the_page(page: Page, storybook: str):
    open_story(page, storybook, "console", "attached", console_id=f"e2e-{time.monotonic_ns()}")
    log = page.get_by_role("log", name="Remote task output")
    expect(page.locator("#story-root").get_by_role("status")).to_have_text("Streaming…")
    page.get_by_role("button", name="Start a task for this console").click()
    expect(log).to_contain_text("All checks passed.")
    expect(page.locator("#story-root").get_by_role("status")).to_have_text("Output complete.")
    assert_accessible(page)


def test_swapping_a_streaming_console_ten_times_leaves_one_stream(page: Page, storybook: str):
    ids = [f"swap-{n}-{time.monotonic_ns()}" for n in range(10)]
    open_story(page, storybook, "console", "attached", console_id=ids[0])
    status = page.locator("#story-root").get_by_role("status")
    expect(status).to_have_text("Streaming…")
    for console in ids[1:]:
        page.evaluate(
            "(url) => htmx.ajax('GET', url, {target: '#story-root', swap: 'innerHTML'})",
            f"/render/console/attached?console_id={console}",
        )
        expect(page.locator("#story-root [data-fhx-console-stream]")).to_have_attribute(
            "data-stream-url", f"/api/console/stream/{console}"
        )
        expect(status).to_have_text("Streaming…")
    assert live_count(page, "Console") == 1
    for console in ids[:-1]:
        assert closes(storybook, console, "disconnect") == ["disconnect"]
    assert httpx.get(f"{storybook}/api/console/closes/{ids[-1]}").json() == []

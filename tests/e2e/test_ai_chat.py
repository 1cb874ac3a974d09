"""AIChat in the browser: the launcher and panel by keyboard, an answer streamed token by
token (held mid-way by the story's gate, released by the test), the server's HTML at the
end with injected HTML inert, tool chips, Allow / Deny, error and retry, open state, size
and history across a reload, clear, both themes with axe, and re-swaps."""

import uuid

import httpx
import pytest
from playwright.sync_api import Page, expect

from helpers import assert_accessible, json_list_once, live_count, open_story, reswap_story

MODULE = "ai_chat"


def open_chat(page: Page, storybook: str, story: str = "answer", theme: str | None = None, **args) -> str:
    """Open a story with a chat of its own (a fresh key) and return that key."""
    key = args.pop("key", None) or uuid.uuid4().hex
    if theme:
        page.add_init_script(f"localStorage.setItem('fasthx-theme', '{theme}')")
    open_story(page, storybook, MODULE, story, key=key, **args)
    if theme:
        expect(page.locator("html")).to_have_attribute("data-bs-theme", theme)
    return key


def launch(page: Page) -> None:
    """Open the panel from the keyboard: focus the launcher, press Enter."""
    page.locator("[data-fhx-ai-launcher]").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("dialog", name="Assistant")).to_be_visible()
    expect(page.get_by_role("textbox", name="Message to Assistant")).to_be_focused()


def send(page: Page, text: str) -> None:
    page.get_by_role("textbox", name="Message to Assistant").fill(text)
    page.keyboard.press("Enter")


def answer(page: Page):
    return page.locator(".fhx-ai-assistant").last


def release(storybook: str, key: str) -> None:
    httpx.post(f"{storybook}/api/{MODULE}/release/{key}").raise_for_status()


def endings(storybook: str, key: str, until: str) -> list[str]:
    """How the story's answer streams for `key` ended, once `until` is among them."""
    return json_list_once(f"{storybook}/api/{MODULE}/endings/{key}", until)


def test_tokens_stream_before_the_end_then_the_server_html_replaces_them(page: Page, storybook: str):
    key = open_chat(page, storybook, hold=True)
    launch(page)
    send(page, "How was the week?")
    expect(page.locator(".fhx-ai-user .fhx-ai-body")).to_have_text("How was the week?")
    body = answer(page).locator(".fhx-ai-body")
    expect(body).to_have_text("Thinking…")  # nothing streamed yet
    expect(page.locator(".fhx-ai-panel").get_by_role("status")).to_have_text("The assistant is answering…")
    release(storybook, key)
    expect(body).to_contain_text("Here is the **weekly report**")  # raw text while it streams
    chip = answer(page).locator(".fhx-ai-tool")
    expect(chip).to_have_attribute("data-status", "running")
    expect(chip.locator(".fhx-ai-tool-status")).to_have_text("running")
    expect(page.get_by_role("log", name="Conversation")).to_have_attribute("aria-busy", "true")
    expect(page.get_by_role("button", name="Send")).to_be_disabled()
    assert body.locator("table, strong").count() == 0

    release(storybook, key)
    expect(body.locator("table")).to_be_visible()
    expect(body.locator("strong")).to_have_text("weekly report")
    expect(body.locator("pre code")).to_contain_text("total = 12 + 7  # <b>not bold</b>")
    expect(body).not_to_contain_text("**")
    expect(chip).to_have_attribute("data-status", "done")
    chip.locator("summary").click()
    expect(chip.locator(".fhx-ai-tool-result")).to_have_text('Result: {"North":12,"South":7}')
    expect(page.get_by_role("log", name="Conversation")).to_have_attribute("aria-busy", "false")
    expect(page.get_by_role("button", name="Send")).to_be_enabled()
    assert endings(storybook, key, "completed") == ["completed"]


def test_injected_html_stays_text(page: Page, storybook: str):
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    open_chat(page, storybook)
    launch(page)
    send(page, "Report")
    body = answer(page).locator(".fhx-ai-body")
    expect(body.locator("table")).to_be_visible()
    expect(body).to_contain_text('<img src="x" onerror="window.aiChatInjected = true"><script>')
    panel = page.locator(".fhx-ai-panel")
    assert panel.locator("img, script, [onerror]").count() == 0
    assert panel.locator("a[href^='javascript']").count() == 0
    link = body.get_by_role("link", name="the orders")
    expect(link).to_have_attribute("rel", "noopener noreferrer")
    assert page.evaluate("() => window.aiChatInjected") is None
    assert dialogs == []


def test_shift_enter_adds_a_line_and_escape_closes_back_to_the_launcher(page: Page, storybook: str):
    open_chat(page, storybook)
    expect(page.locator("[data-fhx-ai-panel]")).to_be_hidden()
    expect(page.get_by_text("No messages yet.")).to_be_hidden()
    launch(page)
    expect(page.get_by_text("No messages yet. Ask anything about this app.")).to_be_visible()
    page.keyboard.type("first line")
    page.keyboard.press("Shift+Enter")
    page.keyboard.type("second line")
    textbox = page.get_by_role("textbox", name="Message to Assistant")
    expect(textbox).to_have_value("first line\nsecond line")
    assert page.locator(".fhx-ai-turn").count() == 0
    page.keyboard.press("Enter")
    expect(page.locator(".fhx-ai-user .fhx-ai-body")).to_have_text("first line\nsecond line")
    expect(textbox).to_have_value("")
    expect(page.get_by_text("No messages yet.")).to_be_hidden()
    page.keyboard.press("Escape")
    expect(page.locator("[data-fhx-ai-panel]")).to_be_hidden()
    launcher = page.locator("[data-fhx-ai-launcher]")
    expect(launcher).to_be_focused()
    expect(launcher).to_have_attribute("aria-expanded", "false")


@pytest.mark.parametrize(("choice", "status", "result", "reply"), [
    ("Allow", "done", "Result: Archived 3 orders", "Archived 3 orders."),
    ("Deny", "blocked", "Result: Denied by the user", "Nothing was archived."),
])
def test_a_tool_that_asks_first_runs_only_when_allowed(page: Page, storybook: str, choice, status, result, reply):
    open_chat(page, storybook, "confirm_tool")
    launch(page)
    send(page, "Archive the old orders")
    ask = page.get_by_role("group", name="Run archive_orders?")
    expect(ask).to_contain_text('archive_orders with {"older_than_days":30}')
    expect(ask.get_by_role("button", name="Allow")).to_be_focused()
    expect(page.get_by_role("button", name="Send")).to_be_enabled()  # the turn waits for the user
    ask.get_by_role("button", name=choice).click()
    expect(ask.get_by_role("button", name="Allow")).to_be_disabled()
    expect(ask.get_by_role("button", name="Deny")).to_be_disabled()
    chip = answer(page).locator(".fhx-ai-tool")
    expect(chip).to_have_attribute("data-status", status)
    chip.locator("summary").click()
    expect(chip.locator(".fhx-ai-tool-result")).to_have_text(result)
    expect(answer(page).locator(".fhx-ai-body")).to_have_text(reply)


def test_an_error_is_shown_with_a_retry_that_asks_again(page: Page, storybook: str):
    open_chat(page, storybook, "provider_error")
    launch(page)
    send(page, "Report")
    alert = answer(page).get_by_role("alert")
    expect(alert).to_contain_text("The AI provider did not answer in time. Try again.")
    expect(answer(page).locator(".fhx-ai-body")).to_have_text("Let me check")
    retry = alert.get_by_role("button", name="Retry")
    expect(retry).to_be_focused()
    expect(page.get_by_role("button", name="Send")).to_be_enabled()
    retry.click()
    expect(answer(page).locator(".fhx-ai-body table")).to_be_visible()
    expect(page.locator(".fhx-ai-panel").get_by_role("alert")).to_have_count(0)
    expect(page.locator(".fhx-ai-user")).to_have_count(1)
    expect(page.locator(".fhx-ai-assistant")).to_have_count(1)


def test_open_state_size_and_history_survive_a_reload(page: Page, storybook: str):
    key = open_chat(page, storybook)
    launch(page)
    send(page, "Report")
    expect(answer(page).locator(".fhx-ai-body table")).to_be_visible()
    panel = page.locator("[data-fhx-ai-panel]")
    before = panel.bounding_box()
    page.locator("[data-fhx-ai-grip]").focus()
    for _ in range(2):
        page.keyboard.press("ArrowLeft")
        page.keyboard.press("ArrowUp")
    keyed = panel.bounding_box()
    assert (round(keyed["width"] - before["width"]), round(keyed["height"] - before["height"])) == (48, 48)
    grip = page.locator("[data-fhx-ai-grip]").bounding_box()
    page.mouse.move(grip["x"] + 5, grip["y"] + 5)
    page.mouse.down()
    page.mouse.move(grip["x"] - 55, grip["y"] - 35, steps=4)
    page.mouse.up()
    grown = panel.bounding_box()
    assert (round(grown["width"] - keyed["width"]), round(grown["height"] - keyed["height"])) == (60, 40)

    page.reload()
    expect(panel).to_be_visible()
    expect(page.locator("[data-fhx-ai-launcher]")).to_have_attribute("aria-expanded", "true")
    after = panel.bounding_box()
    assert (round(after["width"]), round(after["height"])) == (round(grown["width"]), round(grown["height"]))
    expect(page.locator(".fhx-ai-user .fhx-ai-body")).to_have_text("Report")
    expect(answer(page).locator(".fhx-ai-body table")).to_be_visible()  # the history's HTML
    expect(answer(page).locator(".fhx-ai-tool")).to_have_attribute("data-status", "done")
    assert answer(page).locator("img, script").count() == 0

    page.get_by_role("button", name="Close Assistant").click()
    page.reload()
    expect(page.locator("[data-fhx-ai-launcher]")).to_be_visible()
    expect(panel).to_be_hidden()
    assert httpx.get(f"{storybook}/api/{MODULE}/history", params={"key": key}).json()[0]["content"] == "Report"


def test_clear_forgets_the_conversation(page: Page, storybook: str):
    key = open_chat(page, storybook)
    launch(page)
    send(page, "Report")
    expect(answer(page).locator(".fhx-ai-body table")).to_be_visible()
    page.get_by_role("button", name="Clear").click()
    expect(page.locator(".fhx-ai-turn")).to_have_count(0)
    expect(page.get_by_text("No messages yet.")).to_be_visible()
    expect(page.locator(".fhx-ai-panel").get_by_role("status")).to_have_text("The conversation was cleared.")
    assert httpx.get(f"{storybook}/api/{MODULE}/history", params={"key": key}).json() == []
    page.reload()
    expect(page.get_by_text("No messages yet.")).to_be_visible()
    expect(page.locator(".fhx-ai-turn")).to_have_count(0)


@pytest.mark.parametrize("theme", ["dark", "light"])
def test_accessible_in_both_themes(page: Page, storybook: str, theme: str):
    open_chat(page, storybook, theme=theme)
    assert_accessible(page)
    launch(page)
    send(page, "Report")
    expect(answer(page).locator(".fhx-ai-body table")).to_be_visible()
    assert_accessible(page)
    open_chat(page, storybook, "confirm_tool", theme=theme)
    launch(page)
    send(page, "Archive the old orders")
    expect(page.get_by_role("button", name="Allow")).to_be_focused()
    assert_accessible(page)


def test_reswaps_leave_one_live_chat_and_stop_the_stream_in_flight(page: Page, storybook: str):
    key = open_chat(page, storybook, hold=True)
    launch(page)
    send(page, "Report")
    release(storybook, key)
    expect(answer(page).locator(".fhx-ai-tool")).to_have_attribute("data-status", "running")
    reswap_story(page, MODULE, "answer", key=key, hold=True)
    assert live_count(page, "ai-chat") == 1
    assert endings(storybook, key, "stopped") == ["stopped"]
    expect(page.get_by_role("dialog", name="Assistant")).to_be_visible()  # still open: remembered
    expect(page.locator(".fhx-ai-user .fhx-ai-body")).to_have_text("Report")  # history of the new instance

"""The demo's AI assistant in Chromium against the test AI provider: an answer streamed
into the widget and rendered by the server, and a tool that changes data run only after
the user clicks Allow."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from helpers import wait_ready

PANEL = "[data-fhx-ai-panel]"


def open_chat(page: Page, demo: str, path: str = "/dashboard"):
    page.goto(f"{demo}{path}")
    wait_ready(page)
    page.locator("[data-fhx-ai-launcher]").click()
    panel = page.locator(PANEL)
    expect(panel).to_be_visible()
    clear = panel.locator("[data-fhx-ai-clear]")
    with page.expect_response(lambda r: r.url.endswith("/ai/clear")):
        clear.click()
    return panel


def send(panel, text: str) -> None:
    box = panel.get_by_label("Message to AI assistant")
    box.fill(text)
    box.press("Enter")


def test_an_answer_streams_into_the_widget_and_ends_rendered(page: Page, demo: str, ai_server):
    ai_server.script([{"content": "There are **42** customers <script>window.injected = 1</script>.", "chunk": 3}])
    panel = open_chat(page, demo)
    with page.expect_response(lambda r: r.url.endswith("/ai/chat/stream")) as answer:
        send(panel, "How many customers?")
    assert answer.value.headers["content-type"].startswith("text/event-stream")
    reply = panel.locator(".fhx-ai-assistant .fhx-ai-body").last
    expect(reply.locator("strong")).to_have_text("42")
    expect(reply).to_contain_text("<script>window.injected = 1</script>")  # shown as text, never run
    assert page.evaluate("window.injected") is None
    expect(panel.locator(".fhx-ai-user").last).to_have_text("You:How many customers?")
    sent = ai_server.requests()
    assert sent[0]["stream"] is True and sent[0]["messages"][-1]["content"] == "How many customers?"
    assert {tool["function"]["name"] for tool in sent[0]["tools"]} >= {"count_customers_by_status", "look_up_order", "cancel_order"}

    page.reload()  # the conversation comes back from the server's history
    wait_ready(page)
    if not page.locator(PANEL).is_visible():
        page.locator("[data-fhx-ai-launcher]").click()
    expect(page.locator(f"{PANEL} .fhx-ai-assistant strong").last).to_have_text("42")


def test_a_confirm_tool_runs_after_allow_is_clicked(page: Page, demo: str, ai_server):
    page.goto(f"{demo}/orders?flt_status=pending&sort=id")
    wait_ready(page)
    order = page.locator("#orders-table tbody tr").first.get_attribute("data-id")
    ai_server.script([
        {"tool_calls": [{"name": "cancel_order", "arguments": {"order_id": int(order)}}]},
        {"content": f"Order {order} is now cancelled."},
    ])
    panel = open_chat(page, demo, f"/orders/{order}")
    send(panel, f"Cancel order {order}")
    confirm = panel.get_by_role("group", name="Run cancel_order?")
    expect(confirm).to_contain_text(f'"order_id":{order}')
    assert len(ai_server.requests()) == 1  # nothing ran yet: the turn waits for the click
    allow = confirm.get_by_role("button", name="Allow")
    expect(allow).to_be_focused()
    allow.click()
    chip = panel.locator(".fhx-ai-tool").last
    expect(chip).to_have_attribute("data-status", "done")
    expect(panel.locator(".fhx-ai-assistant .fhx-ai-body").last).to_have_text(f"Order {order} is now cancelled.")
    assert ai_server.requests()[1]["messages"][-1]["content"] == f"Order {order} is cancelled."
    page.goto(f"{demo}/orders/{order}")
    wait_ready(page)
    status = page.locator(".fhx-crud-detail dt", has_text="Status").locator("xpath=following-sibling::dd[1]")
    expect(status).to_have_text("cancelled")

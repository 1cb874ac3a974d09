"""The demo's device row actions in the browser: Deploy shows a progress bar under the row
until it is complete and restarts the row's polling status cell (deploying, then online
without a reload), Ping answers with a toast, Config opens a
modal whose "Run checks" streams a console over SSE, Logs opens a console."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from helpers import assert_accessible, wait_ready

TOAST = "#fhx-toasts-status .fhx-toast"


def first_device(page: Page, demo: str, query: str = "") -> tuple[str, str]:
    """Open the devices list (with `query`); the first row's id and hostname."""
    page.goto(f"{demo}/devices{query}")
    wait_ready(page)
    row = page.locator("#devices-table tbody tr").first
    return row.get_attribute("data-id"), row.locator("td:nth-child(3)").inner_text()


def test_deploy_turns_the_status_to_deploying_then_online_without_a_reload(page: Page, demo: str):
    device, hostname = first_device(page, demo, "?flt_status=offline&sort=hostname&order=desc")
    cell = page.locator(f"#devices-table-poll-status-{device}")
    expect(cell).to_have_attribute("data-state", "done")
    page.evaluate("document.body.dataset.loaded = 'once'")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name=f"Deploy row {device}", exact=True).click()
    expect(page.locator(TOAST)).to_contain_text(f"Deployment of {hostname} started")
    expect(cell.locator(".badge")).to_have_attribute("data-status", "deploying")
    expect(cell).to_have_attribute("data-state", "polling")
    bar_row = page.locator(f'#devices-table tr[data-id="{device}"] + tr.fhx-progress-row')
    expect(bar_row.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "100", timeout=15_000)
    expect(bar_row.locator(".badge")).to_have_text("Complete")
    expect(cell.locator(".badge")).to_have_attribute("data-status", "online", timeout=15_000)
    expect(cell).to_have_attribute("data-state", "done")
    expect(page.locator("body")).to_have_attribute("data-loaded", "once")


def test_ping_answers_with_a_toast(page: Page, demo: str):
    device, hostname = first_device(page, demo)
    page.get_by_role("button", name=f"Ping row {device}", exact=True).click()
    toast = page.locator(TOAST)
    expect(toast).to_contain_text(f"{hostname} answered in 12 ms")
    expect(toast).to_contain_text("Ping")


def test_config_opens_a_modal_whose_run_checks_streams_a_console(page: Page, demo: str):
    device, hostname = first_device(page, demo)
    page.get_by_role("button", name=f"Config row {device}", exact=True).click()
    dialog = page.get_by_role("dialog", name=f"Config — {hostname}")
    expect(dialog).to_be_visible()
    expect(dialog.locator("pre")).to_contain_text(f"hostname {hostname}")
    assert_accessible(page)
    dialog.get_by_role("button", name="Run checks").click()
    console = page.get_by_role("dialog", name="Running diagnostics…")
    log = console.get_by_role("log")
    expect(log).to_contain_text("Starting diagnostics...")
    expect(log).to_contain_text("Running tests... OK")
    expect(log).to_contain_text("All checks passed.")
    expect(console.get_by_role("status")).to_have_text("Output complete.")
    expect(log.locator(".ansi-green").first).to_have_text("Starting diagnostics...")
    expect(log).to_be_focused()
    page.keyboard.press("Escape")
    expect(console).to_be_hidden()
    expect(page.get_by_role("button", name=f"Config row {device}", exact=True)).to_be_focused()


def test_logs_open_a_coloured_console(page: Page, demo: str):
    device, hostname = first_device(page, demo)
    page.get_by_role("button", name=f"Logs row {device}", exact=True).click()
    dialog = page.get_by_role("dialog", name=f"Logs — {hostname}")
    log = dialog.get_by_role("log")
    expect(log).to_contain_text(f"{hostname} booted")
    expect(log.locator(".ansi-yellow")).to_have_text("[WARN]")
    assert "\x1b" not in log.inner_text()
    assert_accessible(page)
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(page.get_by_role("button", name=f"Logs row {device}", exact=True)).to_be_focused()

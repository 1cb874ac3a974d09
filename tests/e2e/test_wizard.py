"""Wizard in the browser: the story's indicators, Next with an error (focus on the bad
field, its message announced through the field and the alert toast), Back keeping what
was typed, Enter as Next, focus moving into each new step, Finish, re-swap idempotency and
axe in both themes; the demo's Deploy wizard through its four steps to a ProgressBar
that reaches Complete, and the same wizard without JavaScript."""

from __future__ import annotations

import re

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

import httpx

from helpers import assert_accessible as check_accessible, live_count, open_story, serve, swapped, wait_ready

WIZARD = "#server-wizard"
ALERT_TOAST = "#fhx-toasts-alert .fhx-toast"


def assert_accessible(page: Page) -> None:
    """axe, once any toast has finished fading in (half-faded text fails the contrast check)."""
    expect(page.locator(".fhx-toast.showing")).to_have_count(0)
    check_accessible(page)


def open_wizard(page: Page, storybook: str, story: str = "first_step", theme: str = "dark") -> None:
    page.add_init_script(f"localStorage.setItem('fasthx-theme', '{theme}')")
    open_story(page, storybook, "wizard", story)
    expect(page.locator(f"{WIZARD} .fhx-wizard-heading")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("data-bs-theme", theme)


def states(page: Page) -> list[str]:
    return page.eval_on_selector_all(f"{WIZARD} .fhx-wizard-step", "els => els.map(e => e.dataset.state)")


def heading(page: Page):
    return page.locator(f"{WIZARD} .fhx-wizard-heading")


def test_indicators_show_completed_active_and_upcoming_steps(page: Page, storybook: str):
    open_wizard(page, storybook)
    steps = page.get_by_role("list", name="Wizard steps")
    expect(steps.get_by_role("listitem")).to_have_count(4)
    assert states(page) == ["active", "upcoming", "upcoming", "upcoming"]
    expect(steps.locator("[aria-current=step]")).to_contain_text("Basics")
    expect(steps.locator("[aria-current=step]")).to_contain_text("(current step)")
    expect(heading(page)).to_have_text("Step 1 of 4: Basics")
    expect(page.get_by_role("button", name="Back")).to_have_count(0)
    assert_accessible(page)

    open_wizard(page, storybook, "last_step")
    assert states(page) == ["complete", "complete", "complete", "active"]
    expect(page.get_by_role("list", name="Wizard steps").get_by_role("listitem").first).to_contain_text("(completed)")
    expect(page.locator(f"{WIZARD} dd").first).to_have_text("web-01")
    expect(page.get_by_role("button", name="Create server")).to_be_visible()


def test_next_with_an_error_focuses_the_field_and_announces_its_message(page: Page, storybook: str):
    open_wizard(page, storybook)
    page.get_by_label("Name").fill("web-07")
    page.get_by_label("Environment").select_option("STAGING")
    with swapped(page, WIZARD):
        page.get_by_role("button", name="Next").click()
    expect(heading(page)).to_have_text("Step 2 of 4: Capacity")
    expect(page.get_by_label("CPUs")).to_be_focused()
    page.get_by_label("CPUs").fill("2.5")
    page.get_by_label("In service from").fill("2025-03-01")
    with swapped(page, WIZARD):
        page.get_by_role("button", name="Next").click()
    cpus = page.get_by_label("CPUs")
    expect(cpus).to_be_focused()
    expect(cpus).to_have_attribute("aria-invalid", "true")
    expect(cpus).to_have_value("2.5")
    expect(page.locator("#cpus-error")).to_have_text("Enter a whole number.")
    expect(cpus).to_have_accessible_description("Enter a whole number.")
    expect(page.locator(ALERT_TOAST)).to_contain_text("Please correct the highlighted fields.")
    expect(page.locator(ALERT_TOAST)).to_contain_text("Check this step")
    expect(heading(page)).to_have_text("Step 2 of 4: Capacity")
    assert states(page)[:2] == ["complete", "active"]
    assert_accessible(page)


def test_back_keeps_what_was_typed_on_both_steps(page: Page, storybook: str):
    open_wizard(page, storybook, "middle_step_with_errors")
    expect(page.get_by_label("CPUs")).to_have_value("lots")
    expect(page.locator("#start_date-error")).to_have_text("Enter a date like 2024-05-31.")
    page.get_by_label("Memory (GB)").fill("3.5")
    with swapped(page, WIZARD):
        page.get_by_role("button", name="Back").click()
    expect(heading(page)).to_have_text("Step 1 of 4: Basics")
    expect(page.get_by_label("Name")).to_have_value("web-01")
    expect(page.get_by_label("Name")).to_be_focused()
    expect(page.get_by_label("Environment")).to_have_value("PRODUCTION")
    expect(page.locator(".invalid-feedback")).to_have_count(0)
    with swapped(page, WIZARD):
        page.get_by_role("button", name="Next").click()
    expect(page.get_by_label("CPUs")).to_have_value("lots")
    expect(page.get_by_label("CPUs")).to_be_focused()
    expect(page.locator("#cpus-error")).to_have_text("Enter a number.")
    expect(page.get_by_label("Memory (GB)")).to_have_value("3.5")


def test_keyboard_enter_is_next_and_the_whole_wizard_can_be_finished(page: Page, storybook: str):
    open_wizard(page, storybook)
    page.get_by_label("Name").fill("kbd-01")
    page.get_by_label("Environment").select_option("DEVELOPMENT")
    page.get_by_label("Name").focus()
    with swapped(page, WIZARD):
        page.keyboard.press("Enter")
    expect(heading(page)).to_have_text("Step 2 of 4: Capacity")
    page.keyboard.type("8")  # focus is in CPUs already
    page.get_by_label("In service from").fill("2025-06-30")
    page.get_by_label("In service from").press("Enter")
    expect(heading(page)).to_have_text("Step 3 of 4: Options")
    expect(page.get_by_role("switch", name="Monitoring")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_label("Alert email")).to_be_focused()
    page.keyboard.type("noc@example.com")
    page.keyboard.press("Enter")
    expect(heading(page)).to_have_text("Step 4 of 4: Review")
    expect(heading(page)).to_be_focused()
    expect(page.locator(f"{WIZARD} dd").first).to_have_text("kbd-01")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Back")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Create server")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("region", name="Server created")).to_contain_text("kbd-01")
    expect(page.locator("#fhx-toasts-status .fhx-toast")).to_contain_text("Server kbd-01 created.")


def test_a_switched_off_controller_hides_its_field_and_the_review_leaves_it_out(page: Page, storybook: str):
    open_wizard(page, storybook, "last_step")
    with swapped(page, WIZARD):
        page.get_by_role("button", name="Back").click()
    expect(page.get_by_label("Alert email")).to_have_value("ops@example.com")
    page.get_by_role("switch", name="Monitoring").uncheck()
    expect(page.get_by_label("Alert email")).to_be_hidden()
    with swapped(page, WIZARD):
        page.get_by_role("button", name="Next").click()
    expect(page.locator(f"{WIZARD} dt")).not_to_contain_text(["Alert email"])
    expect(page.locator(f"{WIZARD} dl").nth(2)).to_contain_text("No")


def test_swapping_the_wizard_in_again_leaves_one_live_instance(page: Page, storybook: str):
    open_wizard(page, storybook)
    for _ in range(10):
        with swapped(page, WIZARD):
            page.evaluate("htmx.ajax('GET', '/api/wizard/show', {target: '#server-wizard', swap: 'outerHTML'})")
    assert live_count(page, "Wizard") == 1
    assert live_count(page, "Form") == 1


@pytest.mark.parametrize("theme", ["dark", "light"])
@pytest.mark.parametrize("story", ["first_step", "middle_step_with_errors", "last_step"])
def test_stories_are_accessible_in_both_themes(page: Page, storybook: str, story: str, theme: str):
    open_wizard(page, storybook, story, theme)
    assert_accessible(page)


@pytest.mark.parametrize("theme", ["dark", "light"])
def test_the_indicators_alone_say_each_state_in_words(page: Page, storybook: str, theme: str):
    """WizardIndicators rendered alone: states, aria-current, words for each state, axe."""
    page.add_init_script(f"localStorage.setItem('fasthx-theme', '{theme}')")
    open_story(page, storybook, "wizard", "indicators_alone")
    steps = page.get_by_role("list", name="Deployment steps")
    expect(steps.get_by_role("listitem")).to_have_count(4)
    assert page.eval_on_selector_all(".fhx-wizard-step", "els => els.map(e => e.dataset.state)") == [
        "complete", "complete", "active", "upcoming"]
    expect(steps.locator("[aria-current=step]")).to_have_count(1)
    expect(steps.locator("[aria-current=step]")).to_contain_text("Configuration (current step)")
    expect(steps.get_by_role("listitem").last).to_contain_text("Review (not started)")
    assert_accessible(page)


def deploy_through_the_wizard(page: Page, demo: str, hostname: str) -> None:
    page.goto(f"{demo}/wizard")
    wait_ready(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Deploy wizard")
    page.get_by_label("Region").select_option("Europe")
    site = page.locator("#site_id")
    expect(site.locator("option")).not_to_have_count(1)
    site.select_option(index=1)
    site_name = site.locator("option:checked").inner_text()
    with swapped(page, "#deploy-wizard"):
        page.get_by_role("button", name="Next").click()
    page.get_by_label("Hostname").fill(hostname)
    page.get_by_label("IP address").fill("10.0.0.300")
    with swapped(page, "#deploy-wizard"):
        page.get_by_role("button", name="Next").click()
    expect(page.locator("#ip_address-error")).to_have_text("Enter an IP address, like 10.0.0.12.")
    expect(page.get_by_label("IP address")).to_be_focused()
    page.get_by_label("IP address").fill("10.0.0.30")
    with swapped(page, "#deploy-wizard"):
        page.get_by_role("button", name="Next").click()
    page.get_by_label("Firmware").select_option("7.4")
    with swapped(page, "#deploy-wizard"):
        page.get_by_role("button", name="Next").click()
    expect(page.locator("#deploy-wizard .fhx-wizard-heading")).to_have_text("Step 4 of 4: Review")
    expect(page.locator("#deploy-wizard")).to_contain_text(site_name)
    expect(page.locator("#deploy-wizard")).to_contain_text("Version 7.4")


def test_the_demo_deploy_wizard_ends_in_a_progress_bar_reaching_complete(page: Page, demo: str):
    deploy_through_the_wizard(page, demo, "wizard-edge-01")
    page.get_by_role("button", name="Deploy").click()
    expect(page.get_by_role("heading", name="Deploying wizard-edge-01")).to_be_visible()
    bar = page.get_by_role("progressbar", name="Deployment progress")
    expect(bar).to_be_visible()
    expect(page.locator(".fhx-progress")).to_have_attribute("data-status", "complete", timeout=15_000)
    expect(bar).to_have_attribute("aria-valuenow", "100")
    expect(page.locator(".fhx-progress .badge")).to_have_text("Complete")
    expect(page).to_have_url(re.compile(rf"{re.escape(demo)}/wizard/deployments/\d+$"))
    page.get_by_role("link", name="Open the device").click()
    details = page.locator(".fhx-detail-list")
    expect(details).to_contain_text("wizard-edge-01")
    expect(details).to_contain_text("10.0.0.30")
    expect(details).to_contain_text("online")


def test_the_demo_wizard_refuses_a_hostname_taken_and_is_accessible(page: Page, demo: str):
    deploy_through_the_wizard(page, demo, "wizard-edge-02")
    page.get_by_role("button", name="Deploy").click()
    expect(page.locator(".fhx-progress")).to_have_attribute("data-status", "complete", timeout=15_000)
    page.goto(f"{demo}/wizard")
    wait_ready(page)
    nav = page.get_by_role("navigation", name="Main navigation")
    expect(nav.get_by_role("link", name="Deploy wizard")).to_have_attribute("aria-current", "page")
    assert_accessible(page)
    page.get_by_label("Region").select_option("Asia")
    expect(page.locator("#site_id").locator("option")).not_to_have_count(1)
    page.locator("#site_id").select_option(index=1)
    with swapped(page, "#deploy-wizard"):
        page.get_by_role("button", name="Next").click()
    page.get_by_label("Hostname").fill("wizard-edge-02")
    page.get_by_label("IP address").fill("10.0.0.31")
    with swapped(page, "#deploy-wizard"):
        page.get_by_role("button", name="Next").click()
    expect(page.locator("#hostname-error")).to_have_text("A device with this hostname exists already.")
    assert_accessible(page)


def test_the_demo_wizard_works_without_javascript(browser: Browser, demo: str):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(f"{demo}/wizard")
        page.get_by_label("Region").select_option("Africa")
        page.get_by_role("button", name="Next").click()  # the sites of Africa are offered once the region is known
        expect(page.locator("#site_id-error")).to_have_text("This field is required.")
        page.locator("#site_id").select_option(index=1)
        page.get_by_role("button", name="Next").click()
        page.get_by_label("Hostname").fill("nojs-edge-01")
        page.get_by_label("IP address").fill("192.0.2.10")
        page.get_by_role("button", name="Next").click()
        page.get_by_label("Firmware").select_option("6.4")
        page.get_by_role("button", name="Next").click()
        page.get_by_role("button", name="Back").click()
        expect(page.get_by_label("Firmware")).to_have_value("6.4")
        page.get_by_role("button", name="Next").click()
        page.get_by_role("button", name="Deploy").click()
        expect(page).to_have_url(re.compile(rf"{re.escape(demo)}/wizard/deployments/\d+$"))
        expect(page.get_by_role("heading", level=1)).to_have_text("Deployment")
        expect(page.get_by_role("heading", level=2, name="Deploying nojs-edge-01")).to_be_visible()
        expect(page.get_by_role("progressbar", name="Deployment progress")).to_be_visible()
    finally:
        context.close()


def test_the_demo_wizard_with_errors_is_accessible_in_the_light_theme(page: Page, demo: str):
    page.add_init_script("localStorage.setItem('fasthx-theme', 'light')")
    page.goto(f"{demo}/wizard")
    wait_ready(page)
    expect(page.locator("html")).to_have_attribute("data-bs-theme", "light")
    with swapped(page, "#deploy-wizard"):
        page.get_by_role("button", name="Next").click()
    expect(page.locator("#region-error")).to_have_text("This field is required.")
    expect(page.get_by_label("Region")).to_be_focused()
    assert_accessible(page)


@pytest.fixture(scope="module")
def demo_without_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The demo with its progress store on a Redis that does not answer."""
    database = tmp_path_factory.mktemp("demo-no-store") / "demo.db"
    env = {"AUTH_DISABLED": "1", "DEMO_DATABASE_URL": f"sqlite:///{database}", "DEMO_REDIS_URL": "redis://127.0.0.1:1/0"}
    process, url = serve(["-m", "examples.demo"], env=env, timeout=90)
    yield url
    process.terminate()
    process.wait(timeout=10)


def test_the_demo_wizard_creates_nothing_when_the_progress_store_is_down(demo_without_store: str):
    with httpx.Client(base_url=demo_without_store, timeout=20) as client:
        options = client.get("/api/sites-for-region", params={"region": "Oceania"}).text
        site = re.search(r'<option value="(\d+)"', options).group(1)
        answer = client.post("/wizard", headers={"HX-Request": "true"}, data={
            "wizard_step": "3", "wizard_nav": "finish", "region": "Oceania", "site_id": site,
            "hostname": "no-store-edge-01", "ip_address": "10.9.9.9", "firmware_version": "7.2"})
        assert answer.status_code == 503
        assert "Deploying needs the progress store, which cannot be reached; nothing was created." in answer.text
        assert 'id="deploy-wizard"' in answer.text and "Step 4 of 4:</span> Review" in answer.text
        listed = client.get("/devices", params={"q": "no-store-edge-01"}, headers={"HX-Request": "true"}).text
        assert ">0 records<" in listed

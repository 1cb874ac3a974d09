"""Dependent dropdowns in the browser: one target swapped with dropdown_options.html, several
targets with dropdown_options_multi.html (out-of-band), Tom Selects re-synced, axe."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from helpers import assert_accessible, open_story


def test_single_target_gets_the_customers_sites(page: Page, storybook: str):
    open_story(page, storybook, "dependent_select", "single_target")
    customer = page.locator("#customer_id")
    expect(customer).to_be_visible()
    expect(page.locator("#site_id option")).to_have_text(["Select…"])
    customer.select_option(label="Globex")
    expect(page.locator("#site_id option")).to_have_text(["Select…", "Globex site 2", "Globex site 6", "Globex site 10"])
    customer.select_option(label="Umbrella")
    expect(page.locator("#site_id option")).to_have_text(["Select…", "Umbrella site 4", "Umbrella site 8", "Umbrella site 12"])
    page.locator("#site_id").select_option(label="Umbrella site 8")
    expect(page.locator("#site_id")).to_have_value("8")
    customer.select_option("")
    expect(page.locator("#site_id option")).to_have_text(["Select…"])
    assert_accessible(page)


def test_multi_target_updates_primary_and_out_of_band_tom_selects(page: Page, storybook: str):
    open_story(page, storybook, "dependent_select", "multi_target")
    expect(page.locator("#region_id.tomselected")).to_have_count(1)
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url) if "options-for-customer" in r.url else None)

    page.locator("[data-fhx-field=customer_id] .ts-control").click()
    page.locator("[data-fhx-field=customer_id] .ts-dropdown .option", has_text="Initech").click()
    expect(page.locator("#orchestrator_id")).to_have_value("3")
    expect(page.locator("[data-fhx-field=orchestrator_id] .ts-control .item")).to_have_text("Initech orchestrator 3")
    assert len(requests) == 1 and requests[0].endswith("customer_id=3")

    page.locator("[data-fhx-field=region_id] .ts-control").click()
    expect(page.locator("[data-fhx-field=region_id] .ts-dropdown .option")).to_have_text(
        ["Select…", "Initech region 3", "Initech region 7"])
    page.locator("[data-fhx-field=region_id] .ts-dropdown .option", has_text="Initech region 7").click()
    expect(page.locator("#region_id")).to_have_value("7")
    page.keyboard.press("Escape")

    page.locator("[data-fhx-field=customer_id] .ts-control").click()
    page.locator("[data-fhx-field=customer_id] .ts-dropdown .option", has_text="Acme").click()
    expect(page.locator("[data-fhx-field=orchestrator_id] .ts-control .item")).to_have_text("Acme orchestrator 1")
    expect(page.locator("#region_id")).to_have_value("")
    page.locator("[data-fhx-field=region_id] .ts-control").click()
    expect(page.locator("[data-fhx-field=region_id] .ts-dropdown .option")).to_have_text(
        ["Select…", "Acme region 1", "Acme region 5"])
    page.keyboard.press("Escape")
    expect(page.locator(".ts-wrapper")).to_have_count(3)
    assert_accessible(page)

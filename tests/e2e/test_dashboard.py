"""The dashboard in the browser: every section of the reference's full example on
SQLAlchemy rows, the grid (four cards a row, wrapping; table beside the side column),
links that lead where they say, keyboard order, hostile text, empty sections, a shape
that cannot be shown, axe in the dark and the light theme, and the CRUD preset's
dashboard.html in its real shell."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from helpers import assert_accessible, open_story, serve, wait_ready

XSS = "<script>alert('x')</script>"
NEWEST = ["Ada 24", "Frances 23", "Radia 22", "Guido 21", "Linus 20", "Margaret 19", "Ken 18", "Donald 17", "Barbara 16", "Edsger 15"]


def open_dashboard(page: Page, storybook: str, story: str = "full_example", theme: str = "dark") -> None:
    page.add_init_script(f"localStorage.setItem('fasthx-theme', '{theme}')")
    open_story(page, storybook, "dashboard", story)
    expect(page.locator("#story-root [hx-trigger=load]")).to_have_count(0)
    expect(page.locator("html")).to_have_attribute("data-bs-theme", theme)


def test_full_example_shows_every_section(page: Page, storybook: str):
    open_dashboard(page, storybook)
    cards = page.locator(".fhx-dashboard-card")
    expect(cards.locator(".fhx-card-label")).to_have_text(["Total", "Active", "Inactive", "Pending", "Regions"])
    expect(cards.locator(".fhx-card-value")).to_have_text(["24", "12", "6", "6", "3"])
    expect(cards.nth(1).locator(".fhx-card-value")).to_have_class("fhx-card-value text-success")
    expect(page.get_by_role("list", name="Summary")).to_be_visible()
    table = page.get_by_role("table", name="Recent Customers")
    expect(table.locator("th")).to_have_text(["Name", "Email", "Region", "Status"])
    expect(table.locator("tbody tr td:first-child")).to_have_text(NEWEST)
    expect(table.locator("tbody tr").first.locator("td")).to_have_text(["Ada 24", "customer24@example.org", "Europe", "active"])
    expect(table.locator("tbody tr").first.locator("code")).to_have_text("customer24@example.org")
    stats = page.get_by_role("region", name="Status Breakdown")
    expect(stats.locator(".fhx-stats-breakdown dt")).to_have_text(["active", "inactive", "pending"])
    expect(stats.locator(".fhx-stats-breakdown dd")).to_have_text(["12", "6", "6"])
    expect(stats.locator(".fhx-stats-breakdown .badge")).to_have_class(["badge text-bg-success", "badge text-bg-secondary", "badge text-bg-warning"])
    expect(stats.get_by_role("heading", name="Summary")).to_be_visible()
    expect(stats.locator(".fhx-stats-counters dd")).to_have_text(["24", "3"])
    actions = page.get_by_role("region", name="Quick Actions").get_by_role("link")
    expect(actions).to_have_text(["All Customers", "Pending Customers", "Storybook"])
    expect(actions.first).to_have_class("btn btn-primary")
    expect(actions.nth(1)).to_have_class("btn btn-outline-secondary")


def test_cards_run_four_a_row_and_wrap_beside_a_wide_table(page: Page, storybook: str):
    open_dashboard(page, storybook)
    boxes = [card.bounding_box() for card in page.locator(".fhx-dashboard-card").all()]
    assert len({round(box["y"]) for box in boxes[:4]}) == 1
    assert boxes[4]["y"] > boxes[0]["y"] + boxes[0]["height"] and round(boxes[4]["x"]) == round(boxes[0]["x"])
    table = page.locator(".fhx-record-table").bounding_box()
    stats = page.locator(".fhx-stats-panel").bounding_box()
    actions = page.locator(".fhx-quick-actions").bounding_box()
    assert table["width"] > 1.8 * stats["width"] and stats["x"] > table["x"] + table["width"]
    assert actions["y"] > stats["y"] + stats["height"] and round(actions["x"]) == round(stats["x"])
    page.set_viewport_size({"width": 375, "height": 800})
    narrow = [card.bounding_box() for card in page.locator(".fhx-dashboard-card").all()]
    assert len({round(box["x"]) for box in narrow}) == 1 and all(b["y"] > a["y"] for a, b in zip(narrow, narrow[1:]))


def test_cards_rows_view_all_and_actions_lead_where_they_say(page: Page, storybook: str):
    open_dashboard(page, storybook)
    page.get_by_role("link", name="Active 12").click()
    expect(page).to_have_url(f"{storybook}/api/dashboard/customers?q=active")
    expect(page.locator("#customers tbody .badge")).to_have_text(["active"] * 12)
    assert_accessible(page)
    page.go_back()
    page.get_by_role("link", name="Ada 24").click()
    expect(page).to_have_url(f"{storybook}/api/dashboard/customers/24")
    expect(page.locator("#customer dd")).to_have_text(["Ada 24", "customer24@example.org", "Europe", "active"])
    page.go_back()
    page.get_by_role("link", name="View All").click()
    expect(page).to_have_url(f"{storybook}/api/dashboard/customers")
    expect(page.locator("#customers tbody tr")).to_have_count(24)
    page.go_back()
    page.get_by_role("link", name="Pending Customers").click()
    expect(page.locator("#customers-title")).to_have_text("Pending customers")
    expect(page.locator("#customers tbody tr")).to_have_count(6)


def test_keyboard_visits_cards_table_and_actions_in_reading_order(page: Page, storybook: str):
    open_dashboard(page, storybook)
    expected = ["Total 24", "Active 12", "Inactive 6", "Pending 6", "Regions 3", "View All", *NEWEST,
                "All Customers", "Pending Customers", "Storybook"]
    page.locator(".fhx-dashboard-card").first.focus()
    visited = []
    for _ in expected:
        visited.append(page.evaluate("() => document.activeElement.innerText.split(/\\s+/).join(' ').trim()"))
        page.keyboard.press("Tab")
    assert visited == expected
    page.get_by_role("link", name="Regions 3").focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{storybook}/api/dashboard/customers")
    wait_ready(page)


def test_hostile_text_shows_as_text_and_script_links_go_nowhere(page: Page, storybook: str):
    open_dashboard(page, storybook, "hostile")
    root = page.locator("#story-root")
    expect(root.locator(".fhx-card-label")).to_have_text(XSS)
    expect(root.locator(".fhx-card-value")).to_have_text("<img src=x onerror=alert(1)>")
    expect(root.locator(".fhx-record-table h2")).to_have_text(XSS)
    expect(root.locator(".fhx-record-table tbody a")).to_have_text("<i>Robert'); DROP TABLE customers;--</i>")
    expect(root.locator(".fhx-record-table tbody a")).to_have_attribute("href", "/api/dashboard/customers/1%2F..%2F..%2Fx%3F%3Cy%3E")
    expect(root.locator(".fhx-stats-panel h2")).to_have_text("{{ 7*7 }}")
    expect(root.locator(".fhx-stats-subtitle")).to_have_text("<u>u</u>")
    for name in (XSS, "<b>all</b>"):
        expect(root.get_by_role("link", name=name, exact=True).first).to_have_attribute("href", "#")
    expect(root.locator(".fhx-dashboard-card")).to_have_attribute("href", "#")
    assert root.locator("script, img, b, i:not(.bi), u, [onclick], [onmouseover], [href^='javascript']").count() == 0


def test_empty_sections_show_their_empty_states(page: Page, storybook: str):
    open_dashboard(page, storybook, "empty")
    expect(page.locator(".fhx-record-table-empty")).to_have_text("Nothing to show yet.")
    expect(page.get_by_role("region", name="Nothing counted")).to_contain_text("No figures yet.")
    expect(page.locator(".fhx-dashboard-cards")).to_have_count(0)


def test_minimal_shows_only_the_cards(page: Page, storybook: str):
    open_dashboard(page, storybook, "minimal")
    expect(page.get_by_role("list", name="Summary").get_by_role("link")).to_have_text(["Total Devices 42", "Online 40"])
    expect(page.locator(".fhx-record-table, .fhx-stats-panel, .fhx-quick-actions")).to_have_count(0)
    expect(page.locator(".fhx-card-icon.bg-primary-subtle.text-primary")).to_have_count(2)


def test_a_shape_that_cannot_be_shown_is_a_clear_message(page: Page, storybook: str):
    open_dashboard(page, storybook, "bad_input")
    expect(page.locator("#story-root").get_by_role("alert")).to_have_text("This dashboard cannot be shown: dashboard_cards[0] should be a dict, got 'Total'")


@pytest.mark.parametrize("theme", ["dark", "light"])
@pytest.mark.parametrize("story", ["full_example", "dict_rows", "hostile", "empty"])
def test_stories_are_accessible_in_both_themes(page: Page, storybook: str, story: str, theme: str):
    open_dashboard(page, storybook, story, theme)
    expect(page.locator(".fhx-dashboard")).to_be_visible()
    assert_accessible(page)


@pytest.fixture(scope="module")
def shell() -> Iterator[str]:
    """The CRUD preset's dashboard.html served in its real shell (sign-in off)."""
    process, url = serve(["tests/e2e/dashboard_app.py"], env={"AUTH_DISABLED": "1"})
    yield url
    process.terminate()
    process.wait(timeout=10)


@pytest.mark.parametrize("theme", ["dark", "light"])
def test_dashboard_page_in_the_crud_shell(page: Page, shell: str, theme: str):
    page.add_init_script(f"localStorage.setItem('fasthx-theme', '{theme}')")
    page.goto(shell + "/dashboard")
    wait_ready(page)
    expect(page.locator("h1")).to_have_text("Dashboard")
    expect(page.get_by_role("navigation", name="Main navigation").get_by_role("link", name="Dashboard")).to_have_attribute("aria-current", "page")
    expect(page.locator(".fhx-card-value")).to_have_text(["6", "4"])
    expect(page.get_by_role("table", name="Recent Customers").locator("tbody tr")).to_have_count(6)
    expect(page.locator(".fhx-stats-breakdown dd")).to_have_text(["4", "2"])
    assert_accessible(page)
    page.get_by_role("link", name="Customer 6").click()
    expect(page).to_have_url(shell + "/customers/6")
    expect(page.locator("h1")).to_have_text("Customer 6")
    expect(page.locator("#customer dd")).to_have_text(["Customer 6", "c6@example.org", "inactive"])
    assert_accessible(page)


PARTS = {
    "cards_alone": (".fhx-dashboard-cards, [class*=fhx-card]", "Total Devices"),  # DashboardCards
    "record_table_alone": ("table", "Recent Customers"),  # RecordTable
    "stats_panel_alone": (".fhx-stats-panel", "retired"),  # StatsPanel
    "quick_actions_alone": (".fhx-quick-actions", "All Customers"),  # QuickActions
}


@pytest.mark.parametrize("theme", ["dark", "light"])
@pytest.mark.parametrize("story", PARTS)
def test_each_part_alone_renders_and_is_accessible(page: Page, storybook: str, story: str, theme: str):
    """DashboardCards, RecordTable, StatsPanel and QuickActions, each in a story of its own."""
    selector, text = PARTS[story]
    open_dashboard(page, storybook, story, theme)
    expect(page.locator("#story-root").locator(selector).first).to_be_visible()
    expect(page.locator("#story-root")).to_contain_text(text)
    for link in page.locator("#story-root a[href]").all():
        assert link.get_attribute("href").startswith("/api/dashboard") or link.get_attribute("href") == "/"
    assert_accessible(page)

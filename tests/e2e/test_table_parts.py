"""Table parts on their own: Pagination paging a plain list, a standalone SearchBox,
StatusBadge, and every part's story under axe."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, expect

from helpers import assert_accessible, live_count, open_story, wait_ready


def test_standalone_pagination_pages_a_list_and_pushes_the_url(page: Page, storybook: str):
    page.goto(f"{storybook}/api/pagination/words")
    wait_ready(page)
    expect(page.locator("#words ol li")).to_have_count(10)
    page.locator("#words-page-4").click()
    expect(page.locator("#words ol li").first).to_have_text("word 031")
    assert parse_qs(urlsplit(page.url).query) == {"page": ["4"]}
    expect(page.locator("#words [aria-current=page]")).to_have_text("4")
    page.locator("#words-page-size").select_option("50")
    expect(page.locator("#words ol li")).to_have_count(50)
    assert parse_qs(urlsplit(page.url).query) == {"page_size": ["50"]}
    page.go_back()
    expect(page.locator("#words ol li").first).to_have_text("word 031")
    page.locator("#words-page-next").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#words [aria-current=page]")).to_have_text("5")
    expect(page.locator("#words-page-next")).to_be_focused()
    assert_accessible(page)


def test_standalone_search_box_swaps_results_and_keeps_focus(page: Page, storybook: str):
    open_story(page, storybook, "search_box", "standalone")
    search = page.locator("#city-search")
    search.click()
    search.press_sequentially("ly", delay=20)
    expect(page.locator("#cities li")).to_have_text(["Lyon"])
    expect(search).to_be_focused()
    assert parse_qs(urlsplit(page.url).query) == {"q": ["ly"]}
    search.fill("<img src=x onerror=alert(1)>")
    expect(page.locator("#cities li")).to_have_text(["No city matches “<img src=x onerror=alert(1)>”."])
    page.reload()
    wait_ready(page)
    expect(page.locator("#city-search")).to_have_value("<img src=x onerror=alert(1)>")
    assert_accessible(page)


def test_status_badges_colour_known_states_and_grey_the_rest(page: Page, storybook: str):
    open_story(page, storybook, "status_badge", "all_states")
    badges = page.locator("#story-root .badge")
    expect(badges).to_have_count(7)
    colours = badges.evaluate_all("bs => bs.map(b => [b.dataset.status, b.className.replace('badge ', '')])")
    assert colours[:6] == [
        ["online", "text-bg-success"],
        ["deploying", "text-bg-warning"],
        ["error", "text-bg-danger"],
        ["queued", "text-bg-info"],
        ["offline", "text-bg-secondary"],
        ["something new", "text-bg-secondary"],
    ]
    expect(badges.nth(6)).to_have_text("<script>x</script>")
    assert_accessible(page)


def test_status_badge_from_python_colours_any_value(page: Page, storybook: str):
    for value, colour in (("Deploying", "text-bg-warning"), ("in progress", "text-bg-warning"), ("Healthy", "text-bg-success"), ("mystery", "text-bg-secondary")):
        open_story(page, storybook, "status_badge", "from_python", value=value)
        badge = page.locator("#story-root .badge")
        expect(badge).to_have_text(value)
        expect(badge).to_have_class(f"badge {colour}")
    assert_accessible(page)


def test_loading_state_marks_the_table_busy(page: Page, storybook: str):
    page.goto(f"{storybook}/api/table/people")
    wait_ready(page)
    held = []
    page.route("**/api/table/people?*", lambda route: held.append(route))
    page.locator("#people-page-2").click()
    expect(page.locator("#people")).to_have_attribute("aria-busy", "true")
    expect(page.locator("#people .fhx-table-loading")).to_be_visible()
    held[0].continue_()
    expect(page.locator("#people [aria-current=page]")).to_have_text("2")
    page.unroute("**/api/table/people?*")
    expect(page.locator("#people")).not_to_have_attribute("aria-busy", "true")


def test_row_actions_icons_story(page: Page, storybook: str):
    open_story(page, storybook, "row_actions", "icons")
    expect(page.get_by_role("button", name="Deploy row 7")).to_have_attribute("hx-post", "/api/row_actions/7/deploy")
    expect(page.get_by_role("link", name="Docs row 7")).to_have_attribute("rel", "noopener")
    assert live_count(page, "table") == 0 and live_count(page, "row-actions") == 1
    asked: list[str] = []
    page.on("dialog", lambda d: (asked.append(d.message), d.dismiss()))
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url) if r.url.endswith("/7/template") else None)
    page.get_by_role("link", name="Template row 7").click()
    expect(page.get_by_role("link", name="Template row 7")).to_be_visible()
    assert asked == ["Download the template of 7?"] and requests == []
    assert_accessible(page)


@pytest.mark.parametrize(
    ("module", "story", "ready"),
    [
        ("header_filter", "in_a_table", "#people-cf-email"),
        ("filter_bar", "in_a_table", "#people-clear-filters"),
        ("bulk_actions", "in_a_table", "#devices-select-page"),
        ("pagination", "standalone", "#words-page-next"),
        ("search_box", "inside_a_form", "#story-search"),
        ("table", "empty", ".fhx-table-empty"),
        ("table", "hostile", "#hostile-cf-name"),
        ("filter_bar", "filter_only_columns", "#assets-cf-ip_address"),
        ("header_filter", "through_a_foreign_key", "#assets-cf-site_id-name"),
    ],
)
def test_part_stories_render_and_are_accessible(page: Page, storybook: str, module: str, story: str, ready: str):
    open_story(page, storybook, module, story)
    expect(page.locator(ready)).to_be_visible()
    assert_accessible(page)


def test_tables_are_accessible_in_the_light_theme(page: Page, storybook: str):
    for path in ("/api/table/devices?flt_site.region=Asia", "/api/table/edges", "/api/table/people?page=abc&flt_city=Oslo"):
        page.goto(f"{storybook}{path}")
        wait_ready(page)
        page.evaluate("document.documentElement.setAttribute('data-bs-theme', 'light')")
        page.locator("[data-fhx-table] input[data-fhx-select], [data-fhx-table] tbody tr").first.wait_for()
        if page.locator("#devices input[data-fhx-select]").count():
            page.locator("#devices input[data-fhx-select]").first.check()
            expect(page.locator("#devices [data-fhx-bulk-banner]")).to_be_visible()
        assert_accessible(page)


@pytest.mark.parametrize("theme", ["dark", "light"])
def test_text_row_actions_are_readable_in_both_themes(page: Page, storybook: str, theme: str):
    open_story(page, storybook, "row_actions", "text_buttons")
    page.evaluate("(theme) => document.documentElement.setAttribute('data-bs-theme', theme)", theme)
    expect(page.get_by_role("button", name="Delete row 7")).to_have_text("Delete")
    assert_accessible(page)

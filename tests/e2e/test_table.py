"""Table with its SearchBox, HeaderFilter, FilterBar and Pagination in the browser:
sorting, search, header filters, dropdown filters, paging,
page size, URL push with reload/back/forward, focus, keyboard, empty state, hostile
data, re-swap idempotency and axe."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import Page, expect

from helpers import assert_accessible, live_count, open_story, wait_ready

PEOPLE = "/api/table/people"


def open_table(page: Page, base: str, path: str = PEOPLE, query: str = "") -> Page:
    page.goto(f"{base}{path}{'?' + query if query else ''}")
    wait_ready(page)
    return page


def query(page: Page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def first_cells(page: Page, column: int, table: str = "#people") -> list[str]:
    return page.locator(f"{table} tbody tr td:nth-child({column})").all_inner_texts()


def swapped(page: Page, table: str = "#people"):
    """Wait for the region to be replaced: mark the current one, expect the mark gone."""
    page.evaluate("(sel) => document.querySelector(sel).dataset.old = '1'", table)
    return lambda: expect(page.locator(f"{table}[data-old]")).to_have_count(0)


def test_renders_rows_summary_and_aria_sort(page: Page, storybook: str):
    open_table(page, storybook)
    expect(page.locator("#people tbody tr")).to_have_count(20)
    expect(page.locator("#people-summary")).to_have_text("10,000 records")
    expect(page.locator("#people th[aria-sort]")).to_have_count(1)
    assert page.get_attribute("#people th:has(#people-sort-id)", "aria-sort") == "ascending"
    assert first_cells(page, 1)[:3] == ["1", "2", "3"]


def test_sorting_swaps_only_the_table_pushes_the_url_and_keeps_focus(page: Page, storybook: str):
    open_table(page, storybook)
    page.evaluate("window.marker = 'kept'")
    done = swapped(page)
    page.locator("#people-sort-age").click()
    done()
    header = page.locator("th:has(#people-sort-age)")
    expect(header).to_have_attribute("aria-sort", "ascending")
    expect(page.locator("th:has(#people-sort-id)")).not_to_have_attribute("aria-sort", "ascending")
    ages = [int(a) for a in first_cells(page, 6)]
    assert ages == sorted(ages) and ages[0] == 18
    assert query(page) == {"sort": ["age"]}
    expect(page.locator("#people-sort-age")).to_be_focused()
    assert page.evaluate("window.marker") == "kept"
    done = swapped(page)
    page.keyboard.press("Enter")
    done()
    expect(header).to_have_attribute("aria-sort", "descending")
    assert query(page) == {"sort": ["age"], "order": ["desc"]}
    assert int(first_cells(page, 6)[0]) == 90


def test_search_is_debounced_combined_with_filters_and_keeps_focus(page: Page, storybook: str):
    open_table(page, storybook)
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url) if "/api/table/people" in r.url else None)
    search = page.locator("#people-q")
    search.click()
    done = swapped(page)
    search.press_sequentially("grace", delay=20)
    done()
    page.wait_for_url("**q=grace")
    expect(page.locator("#people-summary")).not_to_have_text("10,000 records")
    assert len(requests) < len("grace") and "q=grace" in requests[-1]
    assert all("grace" in n.lower() for n in first_cells(page, 2))
    expect(page.locator("#people-q")).to_be_focused()
    expect(page.locator("#people-q")).to_have_value("grace")
    done = swapped(page)
    page.locator("#people-flt-city").select_option("Oslo")
    done()
    assert set(first_cells(page, 4)) == {"Oslo"}
    assert query(page) == {"q": ["grace"], "flt_city": ["Oslo"]}
    done = swapped(page)
    page.locator("#people-cf-email").fill("hopper")
    done()
    assert all("hopper" in e for e in first_cells(page, 3))
    assert query(page) == {"q": ["grace"], "cf_email": ["hopper"], "flt_city": ["Oslo"]}
    expect(page.locator("#people-cf-email")).to_be_focused()


def test_filters_survive_paging_sorting_and_reload(page: Page, storybook: str):
    open_table(page, storybook, query="cf_name=ada&flt_status=online")
    expect(page.locator("#people-cf-name")).to_have_value("ada")
    total = page.locator("#people-summary").inner_text()
    done = swapped(page)
    page.locator("#people-page-next").click()
    done()
    assert query(page) == {"cf_name": ["ada"], "flt_status": ["online"], "page": ["2"]}
    done = swapped(page)
    page.locator("#people-sort-name").click()
    done()
    assert query(page) == {"cf_name": ["ada"], "flt_status": ["online"], "sort": ["name"]}
    page.reload()
    wait_ready(page)
    expect(page.locator("#people-cf-name")).to_have_value("ada")
    expect(page.locator("#people-flt-status")).to_have_value("online")
    expect(page.locator("#people-summary")).to_have_text(total)
    assert all("ada" in n.lower() for n in first_cells(page, 2))
    assert {b.get_attribute("data-status") for b in page.locator("#people tbody .badge").all()} == {"online"}


def test_paging_window_page_size_and_back_forward(page: Page, storybook: str):
    open_table(page, storybook)
    done = swapped(page)
    page.locator("#people-page-3").click()
    done()
    assert first_cells(page, 1)[0] == "41"
    expect(page.locator("#people .page-item.active [aria-current=page]")).to_have_text("3")
    done = swapped(page)
    page.locator("#people-page-size").select_option("50")
    done()
    expect(page.locator("#people tbody tr")).to_have_count(50)
    assert query(page) == {"page_size": ["50"]}
    assert first_cells(page, 1)[0] == "1"
    page.go_back()
    expect(page.locator("#people .page-item.active [aria-current=page]")).to_have_text("3")
    expect(page.locator("#people tbody tr")).to_have_count(20)
    assert first_cells(page, 1)[0] == "41"
    page.go_forward()
    expect(page.locator("#people tbody tr")).to_have_count(50)


def test_keyboard_only_paging(page: Page, storybook: str):
    open_table(page, storybook)
    page.locator("#people-page-2").focus()
    done = swapped(page)
    page.keyboard.press("Enter")
    done()
    assert first_cells(page, 1)[0] == "21"
    expect(page.locator("#people-page-3")).to_be_visible()


def test_bad_query_values_show_a_message_not_an_error(page: Page, storybook: str):
    response = page.goto(f"{storybook}{PEOPLE}?page=abc&sort=password&order=sideways&flt_status=purple&page_size=100000")
    assert response.status == 200
    wait_ready(page)
    warnings = page.locator("#people .fhx-table-warnings li")
    expect(warnings).to_have_count(5)
    expect(page.locator("#people tbody tr")).to_have_count(100)


def test_reswapping_leaves_one_live_table(page: Page, storybook: str):
    open_table(page, storybook)
    for number in (2, 3, 4, 5, 6, 7, 8, 9, 10, 11):
        done = swapped(page)
        page.locator(f"#people-page-{number}").click()
        done()
    assert live_count(page, "table") == 1
    expect(page.locator("[data-fhx-table]")).to_have_count(1)


def test_empty_table(page: Page, storybook: str):
    open_table(page, storybook, "/api/table/empty")
    expect(page.locator("#nobody tbody tr")).to_have_count(1)
    expect(page.locator("#nobody .fhx-table-empty")).to_have_text("Nobody here yet.")
    expect(page.locator("#nobody-summary")).to_have_text("0 records")
    assert_accessible(page)


def test_hostile_data_is_text(page: Page, storybook: str):
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    open_table(page, storybook, "/api/table/hostile")
    expect(page.locator("#hostile tbody tr")).to_have_count(2)
    expect(page.locator("#hostile tbody")).to_contain_text("<script>alert('name')</script>")
    expect(page.locator("#hostile tbody")).to_contain_text('"><img src=x onerror=alert(1)>')
    assert page.locator("#hostile tbody img, #hostile tbody script, #hostile tbody b").count() == 0
    done = swapped(page, "#hostile")
    page.locator("#hostile-cf-name").fill("<script>")
    done()
    expect(page.locator("#hostile tbody tr")).to_have_count(1)
    expect(page.locator("#hostile-cf-name")).to_have_value("<script>")
    assert dialogs == []


def test_story_preview_loads_the_table_and_is_accessible(page: Page, storybook: str):
    open_story(page, storybook, "table", "memory")
    expect(page.locator("#people tbody tr")).to_have_count(20)
    assert_accessible(page)


def test_filtered_view_is_accessible(page: Page, storybook: str):
    open_table(page, storybook, query="q=ada&sort=name&page=2")
    assert_accessible(page)


def test_dropdown_filter_from_the_keyboard_and_clear(page: Page, storybook: str):
    open_table(page, storybook)
    select = page.locator("#people-flt-status")
    select.focus()
    done = swapped(page)
    page.keyboard.press("ArrowDown")
    done()
    expect(page.locator("#people-flt-status")).to_be_focused()
    assert query(page) == {"flt_status": ["online"]}
    assert {b.get_attribute("data-status") for b in page.locator("#people tbody .badge").all()} == {"online"}
    done = swapped(page)
    page.locator("#people-q").fill("ada")
    done()
    page.wait_for_url("**q=ada**")
    done = swapped(page)
    page.locator("#people-clear-filters").click()
    done()
    page.wait_for_url(lambda url: "flt_status" not in url)
    assert query(page) == {"q": ["ada"]}
    expect(page.locator("#people-clear-filters")).to_have_count(0)
    expect(page.locator("#people-flt-status")).to_have_value("")

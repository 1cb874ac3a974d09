"""AjaxSelect in the browser over 10,000 servers: first page on open, the next page on
scroll, server-side search, keyboard selection, a pre-selected value, re-swaps and axe."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import Page, expect

from helpers import assert_accessible, live_count, open_story

OPTIONS = "#server_id-ts-dropdown .option"


def ajax_requests(page: Page) -> list[dict[str, list[str]]]:
    """Record the query of every request to the servers endpoint."""
    seen: list[dict[str, list[str]]] = []
    page.on("request", lambda r: seen.append(parse_qs(urlsplit(r.url).query, keep_blank_values=True))
            if "/api/ajax_select/servers" in r.url else None)
    return seen


def combobox(page: Page):
    return page.get_by_role("combobox", name="Server")


def open_dropdown(page: Page) -> None:
    """Click the visible control (its text input is moved off-screen while a value shows)."""
    page.locator(".ts-control").click()


def test_is_a_labelled_combobox_and_accessible(page: Page, storybook: str):
    open_story(page, storybook, "ajax_select", "searchable")
    box = combobox(page)
    expect(box).to_have_attribute("aria-haspopup", "listbox")
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(page.locator("#server_id")).to_have_attribute("aria-hidden", "true")
    assert live_count(page, "AjaxSelect") == 1
    assert_accessible(page)
    box.click()
    expect(page.locator(OPTIONS)).to_have_count(21)
    expect(box).to_have_attribute("aria-expanded", "true")
    assert_accessible(page)


def test_opens_on_page_one_and_scrolling_loads_the_next_pages(page: Page, storybook: str):
    requests = ajax_requests(page)
    open_story(page, storybook, "ajax_select", "searchable")
    assert requests == []
    combobox(page).click()
    expect(page.locator(OPTIONS).first).to_have_text("server-00001")
    expect(page.locator(".loading-more-results")).to_have_count(1)
    assert requests == [{"q": [""], "page": ["1"]}]
    for page_number in (2, 3):
        page.eval_on_selector("#server_id-ts-dropdown", "el => el.scrollTop = el.scrollHeight")
        expect(page.locator(f"{OPTIONS}[data-value='{20 * page_number}']")).to_have_count(1)
    assert requests[1:] == [{"q": [""], "page": ["2"]}, {"q": [""], "page": ["3"]}]
    values = page.eval_on_selector_all(f"{OPTIONS}[data-value]", "els => els.map(e => e.dataset.value)")
    assert values == [str(n) for n in range(1, 61)]


def test_typing_searches_on_the_server(page: Page, storybook: str):
    requests = ajax_requests(page)
    open_story(page, storybook, "ajax_select", "searchable")
    combobox(page).click()
    expect(page.locator(OPTIONS).first).to_have_text("server-00001")
    combobox(page).press_sequentially("0999", delay=20)
    expected = ["server-00999", *(f"server-0999{n}" for n in range(10))]
    expect(page.locator(f"{OPTIONS}[data-value]")).to_have_text(expected)
    expect(page.locator(".loading-more-results")).to_have_count(0)
    assert requests[-1] == {"q": ["0999"], "page": ["1"]}
    combobox(page).fill("R07")
    expect(page.locator(f"{OPTIONS}[data-value]").first).to_have_text("server-00007")
    expect(page.locator(f"{OPTIONS}[data-value]")).to_have_count(20)
    combobox(page).fill("no-such-server")
    expect(page.locator("#server_id-ts-dropdown .no-results")).to_have_text("No matches")


def test_keyboard_selection(page: Page, storybook: str):
    open_story(page, storybook, "ajax_select", "searchable")
    page.get_by_text("Server", exact=True).click()
    expect(combobox(page)).to_be_focused()
    page.keyboard.type("server-0424")
    expect(page.locator(f"{OPTIONS}[data-value]")).to_have_count(10)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(page.locator("#server_id")).to_have_value("4241")
    expect(page.locator(".ts-control .item")).to_have_text("server-04241")
    page.keyboard.press("Escape")
    expect(combobox(page)).to_have_attribute("aria-expanded", "false")
    expect(combobox(page)).to_be_focused()


def test_preselected_value_shows_its_label_without_a_request(page: Page, storybook: str):
    requests = ajax_requests(page)
    open_story(page, storybook, "ajax_select", "preselected")
    expect(page.locator(".ts-control .item")).to_have_text("server-04242")
    expect(page.locator("#server_id")).to_have_value("4242")
    assert requests == []
    open_dropdown(page)
    expect(page.locator(OPTIONS).first).to_have_text("server-04242")
    expect(page.locator(f"{OPTIONS}[data-value='1']")).to_have_count(1)
    ids = page.eval_on_selector_all(OPTIONS, "els => els.map(e => e.id).filter(Boolean)")
    assert len(ids) == len(set(ids))


def test_ten_swaps_leave_one_working_widget(page: Page, storybook: str):
    open_story(page, storybook, "ajax_select", "reswapped")
    button = page.get_by_role("button", name="Swap it in again")
    page.evaluate("window.firstSelect = document.querySelector('#server_id')")
    assert page.evaluate("!!window.firstSelect.tomselect")
    for _ in range(10):
        page.evaluate("document.querySelector('#server_id').dataset.old = '1'")
        button.click()
        expect(page.locator("#server_id[data-old]")).to_have_count(0)
        expect(page.locator("#server_id.tomselected")).to_have_count(1)
    assert page.evaluate("window.firstSelect.isConnected === false && window.firstSelect.tomselect === undefined")
    assert live_count(page, "AjaxSelect") == 1
    expect(page.locator(".ts-wrapper")).to_have_count(1)
    expect(page.locator(".ts-dropdown")).to_have_count(1)
    open_dropdown(page)
    expect(page.locator(OPTIONS).first).to_have_text("server-00001")
    assert_accessible(page)


def test_light_theme_open_dropdown_is_accessible(page: Page, storybook: str):
    page.add_init_script("localStorage.setItem('fasthx-theme', 'light')")
    open_story(page, storybook, "ajax_select", "preselected")
    expect(page.locator("html")).to_have_attribute("data-bs-theme", "light")
    open_dropdown(page)
    expect(page.locator(OPTIONS).first).to_have_text("server-04242")
    expect(page.locator(f"{OPTIONS}[data-value='2']")).to_have_count(1)
    assert_accessible(page)


def test_source_field_in_a_form_labels_and_checks_the_value(page: Page, storybook: str):
    open_story(page, storybook, "ajax_select", "in_a_form")
    expect(page.locator("#server-form .ts-control .item")).to_have_text("server-04242")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#fhx-toasts-status .fhx-toast-message")).to_have_text("Chose server #4242.")
    open_story(page, storybook, "ajax_select", "in_a_form", value=99999)
    expect(page.locator("#server-form .ts-control .item")).to_have_text("99999")
    with page.expect_response("**/api/ajax_select/form") as answer:
        page.get_by_role("button", name="Save").click()
    assert answer.value.status == 422
    expect(page.locator("#server_id-error")).to_have_text("Select one of the offered options.")
    expect(page.locator("#server-form .ts-control .item")).to_have_text("99999")
    assert_accessible(page)

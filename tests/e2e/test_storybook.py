"""The storybook itself: index, story pages, controls over htmx, theme, viewports, exchange log."""

from playwright.sync_api import Page, expect

from helpers import assert_accessible, wait_ready


def test_index_lists_the_foundation_components(page: Page, storybook: str):
    page.goto(storybook + "/")
    wait_ready(page)
    for name in ("Layout", "Sidebar", "ThemeToggle", "Toast", "Modal"):
        expect(page.get_by_role("heading", name=name, exact=True)).to_be_visible()
    assert_accessible(page)


def test_controls_rerender_the_preview_over_htmx_and_log_the_exchange(page: Page, storybook: str):
    page.goto(storybook + "/components/toast/rendered")
    wait_ready(page)
    preview = page.frame_locator("#sb-preview")
    expect(preview.locator(".fhx-toast-message")).to_have_text("Changes saved.")
    page.get_by_label("message").fill("<b>Edited</b>")
    expect(preview.locator(".fhx-toast-message")).to_have_text("<b>Edited</b>")
    entry = page.locator("#sb-log-entries .sb-log-entry").first
    expect(entry.locator(".sb-log-url")).to_contain_text("/render/toast/rendered?")
    expect(entry).to_have_attribute("data-status", "200")
    entry.locator("summary").click()
    expect(entry).to_contain_text("HX-Request: true")
    expect(entry.locator(".sb-log-body")).to_contain_text("&lt;b&gt;Edited&lt;/b&gt;")
    expect(page.locator("#sb-html")).to_contain_text("&lt;b&gt;Edited&lt;/b&gt;")
    assert "message=%3Cb%3EEdited%3C%2Fb%3E" in page.url
    assert_accessible(page)


def test_exchange_log_shows_response_headers_of_story_requests(page: Page, storybook: str):
    page.goto(storybook + "/components/toast/from_server")
    wait_ready(page)
    page.frame_locator("#sb-preview").get_by_role("button", name="Show warning").click()
    entry = page.locator("#sb-log-entries .sb-log-entry").first
    expect(entry.locator(".sb-log-url")).to_contain_text("/api/toast/notify?type=warning")
    entry.locator("summary").click()
    expect(entry).to_contain_text("POST")
    expect(entry).to_contain_text('hx-trigger: {"showToast"')
    expect(entry).to_contain_text("hx-reswap: none")
    expect(page.locator("#sb-log-count")).to_have_text("1")
    page.get_by_role("button", name="Clear").click()
    expect(page.locator("#sb-log-count")).to_have_text("0")


def test_theme_and_viewport_switches(page: Page, storybook: str):
    page.goto(storybook + "/components/modal/content")
    wait_ready(page)
    page.get_by_role("button", name="Light", exact=True).click()
    expect(page.frame_locator("#sb-preview").locator("html")).to_have_attribute("data-bs-theme", "light")
    page.get_by_role("button", name="Phone").click()
    expect(page.locator("#sb-preview")).to_have_attribute("style", "width: 375px;")
    expect(page.get_by_role("button", name="Phone")).to_have_attribute("aria-pressed", "true")


def test_page_story_controls_reload_the_preview(page: Page, storybook: str):
    page.goto(storybook + "/components/layout/default")
    wait_ready(page)
    page.get_by_label("title").fill("Routers")
    expect(page.frame_locator("#sb-preview").get_by_role("heading", level=1)).to_have_text("Routers")


def test_unknown_story_is_404(page: Page, storybook: str):
    response = page.goto(storybook + "/components/toast/nope")
    assert response.status == 404


def test_controls_are_readable_in_the_light_theme(page: Page, storybook: str):
    page.add_init_script("localStorage.setItem('fasthx-theme', 'light')")
    for story in ("toast/rendered", "field/playground"):
        page.goto(f"{storybook}/components/{story}")
        wait_ready(page)
        expect(page.locator("html")).to_have_attribute("data-bs-theme", "light")
        expect(page.locator("#sb-controls label > code").first).to_be_visible()
        assert_accessible(page)

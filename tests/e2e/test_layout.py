"""Layout, Sidebar and ThemeToggle in the browser."""

from playwright.sync_api import Page, expect

from helpers import assert_accessible, live_count, open_story, reswap_story, wait_ready

THEME_AT_FIRST_PAINT = """
window.__themeWhenBodyAppeared = null;
new MutationObserver((_, observer) => {
  if (document.body) {
    window.__themeWhenBodyAppeared = document.documentElement.getAttribute('data-bs-theme');
    observer.disconnect();
  }
}).observe(document, {childList: true, subtree: true});
"""


def test_layout_renders_shell_and_is_accessible(page: Page, storybook: str):
    open_story(page, storybook, "layout", "default")
    expect(page.get_by_role("heading", level=1)).to_have_text("Devices")
    nav = page.get_by_role("navigation", name="Main navigation")
    expect(nav.get_by_role("link", name="Devices")).to_have_attribute("aria-current", "page")
    expect(page.locator(".fhx-user")).to_have_text("ada")
    expect(page.get_by_role("status")).to_have_count(1)
    assert page.title() == "Devices · Acme admin"
    assert_accessible(page)


def test_layout_htmx_round_trip_carries_the_csrf_header(page: Page, storybook: str):
    open_story(page, storybook, "layout", "default")
    with page.expect_request("**/api/layout/hello") as info:
        page.get_by_role("button", name="Say hello").click()
    token = page.get_attribute('meta[name="csrf-token"]', "content")
    assert info.value.headers["x-csrf-token"] == token and len(token) == 64
    expect(page.locator("#fhx-toasts .fhx-toast-message")).to_have_text("Hello from the server.")


def test_skip_link_moves_focus_to_content(page: Page, storybook: str):
    open_story(page, storybook, "layout", "default")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#fhx-main")).to_be_focused()


def test_sidebar_categories_collapse_and_are_remembered(page: Page, storybook: str):
    open_story(page, storybook, "layout", "default")
    crm = page.get_by_role("button", name="CRM")
    expect(crm).to_have_attribute("aria-expanded", "true")
    crm.click()
    expect(crm).to_have_attribute("aria-expanded", "false")
    expect(page.get_by_role("link", name="Customers")).to_be_hidden()
    page.reload()
    wait_ready(page)
    expect(page.get_by_role("button", name="CRM")).to_have_attribute("aria-expanded", "false")
    expect(page.get_by_role("link", name="Customers")).to_be_hidden()


def test_active_category_always_opens(page: Page, storybook: str):
    open_story(page, storybook, "layout", "default")
    page.evaluate("localStorage.setItem('fasthx-nav-collapsed', JSON.stringify(['Network', 'Tools']))")
    page.reload()
    wait_ready(page)
    expect(page.get_by_role("button", name="Network")).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_role("link", name="Devices")).to_be_visible()
    expect(page.get_by_role("button", name="Tools")).to_have_attribute("aria-expanded", "false")


def test_sidebar_keyboard(page: Page, storybook: str):
    open_story(page, storybook, "sidebar", "default")
    tools = page.get_by_role("button", name="Tools")
    tools.focus()
    page.keyboard.press("Enter")
    expect(tools).to_have_attribute("aria-expanded", "false")
    page.keyboard.press("Space")
    expect(tools).to_have_attribute("aria-expanded", "true")
    assert_accessible(page)


def test_sidebar_reswapped_ten_times_has_one_handler_per_category(page: Page, storybook: str):
    open_story(page, storybook, "sidebar", "default")
    reswap_story(page, "sidebar", "default")
    page.wait_for_function("() => fasthx.live('Sidebar') === 3")
    tools = page.get_by_role("button", name="Tools")
    tools.click()
    expect(tools).to_have_attribute("aria-expanded", "false")


def test_sidebar_becomes_off_canvas_on_a_phone(page: Page, storybook: str):
    page.set_viewport_size({"width": 375, "height": 740})
    open_story(page, storybook, "layout", "default")
    expect(page.get_by_role("link", name="Devices")).to_be_hidden()
    page.get_by_role("button", name="Open navigation").click()
    expect(page.get_by_role("link", name="Devices")).to_be_visible()
    page.wait_for_selector("#fhx-sidebar.show:not(.showing)")
    expect(page.locator("#fhx-sidebar")).to_be_focused()
    page.keyboard.press("Escape")
    expect(page.get_by_role("link", name="Devices")).to_be_hidden()
    assert_accessible(page)


def test_layout_without_sidebar(page: Page, storybook: str):
    open_story(page, storybook, "layout", "without_sidebar")
    expect(page.get_by_role("navigation", name="Main navigation")).to_have_count(0)
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    assert_accessible(page)


# Each icon's layout box (offset*: before transforms such as a collapsed category's turned chevron).
ICON_BOXES = """() => [...document.querySelectorAll('.bi')].map(icon =>
  [icon.className, icon.offsetLeft, icon.offsetTop, icon.offsetWidth, icon.offsetHeight])"""


def test_icons_keep_their_place_before_the_icons_stylesheet_arrives(browser, storybook: str):
    """The icons' stylesheet comes after the content (it does not hold up the first paint):
    until it applies, every icon already has the box it will have, so nothing moves."""
    boxes = {}
    for held in (False, True):
        context = browser.new_context(reduced_motion="reduce", viewport={"width": 1280, "height": 900})
        page = context.new_page()
        if held:
            page.route("**/bootstrap-icons.min.css", lambda route: route.fulfill(status=200, content_type="text/css", body=""))
        open_story(page, storybook, "layout", "default")
        boxes[held] = page.evaluate(ICON_BOXES)
        glyph = page.evaluate("getComputedStyle(document.querySelector('.fhx-topbar .bi'), '::before').content")
        context.close()
        assert (glyph == '""') is held
    assert len(boxes[False]) >= 5 and len(boxes[True]) == len(boxes[False])
    for early, late in zip(boxes[True], boxes[False]):
        # within a pixel: a heading's letter-spacing adds to a glyph, not to the empty box
        assert early[0] == late[0] and all(abs(a - b) <= 1 for a, b in zip(early[1:], late[1:])), (early, late)


def test_theme_is_dark_by_default_and_toggles_to_light(page: Page, storybook: str):
    open_story(page, storybook, "theme_toggle", "default")
    html = page.locator("html")
    expect(html).to_have_attribute("data-bs-theme", "dark")
    toggle = page.get_by_role("button", name="Light theme")
    expect(toggle).to_have_attribute("aria-pressed", "false")
    toggle.click()
    expect(html).to_have_attribute("data-bs-theme", "light")
    expect(toggle).to_have_attribute("aria-pressed", "true")
    assert_accessible(page)
    page.keyboard.press("Space")
    expect(html).to_have_attribute("data-bs-theme", "dark")


def test_theme_is_remembered_without_a_flash(page: Page, storybook: str):
    open_story(page, storybook, "theme_toggle", "default")
    page.get_by_role("button", name="Light theme").click()
    page.add_init_script(THEME_AT_FIRST_PAINT)
    page.reload()
    wait_ready(page)
    assert page.evaluate("window.__themeWhenBodyAppeared") == "light"
    expect(page.get_by_role("button", name="Light theme")).to_have_attribute("aria-pressed", "true")


def test_layout_is_accessible_in_the_light_theme(page: Page, storybook: str):
    open_story(page, storybook, "layout", "default")
    page.get_by_role("button", name="Light theme").click()
    assert_accessible(page)


def test_theme_toggle_reswapped_ten_times_toggles_once_per_click(page: Page, storybook: str):
    open_story(page, storybook, "theme_toggle", "default")
    reswap_story(page, "theme_toggle", "default")
    page.wait_for_function("() => fasthx.live('ThemeToggle') === 1")
    page.get_by_role("button", name="Light theme").click()
    expect(page.locator("html")).to_have_attribute("data-bs-theme", "light")
    assert live_count(page, "ThemeToggle") == 1


def test_extensions_work_on_elements_present_at_load(page: Page, storybook: str):
    open_story(page, storybook, "layout", "live_at_load")
    expect(page.locator("#ticks")).to_have_text("tick 3")


def test_page_script_in_body_end_runs_after_the_toolkit(page: Page, storybook: str):
    open_story(page, storybook, "layout", "page_script")
    expect(page.locator("#probe")).to_have_text("object object")
    assert page.locator("body > script").last.inner_text().strip().startswith('document.getElementById("probe")')

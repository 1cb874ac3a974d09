"""The theme palette in the browser, in both themes: Bootstrap parts that would keep
Bootstrap's blue (the current page, an open accordion section, a checked box, a focused
field) take the accent, and form controls have borders of at least 3:1 against the page."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from helpers import open_story

THEMES = ["dark", "light"]
BOOTSTRAP_BLUES = {"rgb(13, 110, 253)", "rgb(207, 226, 255)", "rgb(3, 22, 51)", "rgb(134, 183, 254)"}
CONTRAST = """([a, b]) => {
  const lum = (css) => {
    const [r, g, b] = css.match(/[\\d.]+/g).slice(0, 3).map((v) => {
      v = v / 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}"""


def themed(page: Page, theme: str) -> Page:
    page.add_init_script(f"localStorage.setItem('fasthx-theme', '{theme}')")
    return page


def css(page: Page, selector: str, prop: str) -> str:
    return page.locator(selector).first.evaluate("(el, prop) => getComputedStyle(el)[prop]", prop)


def accent(page: Page) -> str:
    return page.evaluate("""() => { const probe = document.createElement('span');
        probe.style.color = 'var(--fhx-accent)'; document.body.append(probe);
        const color = getComputedStyle(probe).color; probe.remove(); return color; }""")


@pytest.mark.parametrize("theme", THEMES)
def test_the_current_page_of_a_pager_is_the_accent(page: Page, storybook: str, theme: str):
    open_story(themed(page, theme), storybook, "pagination", "standalone")
    current = "#words .page-item.active .page-link"
    expect(page.locator(current)).to_have_text("1")
    assert css(page, current, "backgroundColor") == accent(page)


@pytest.mark.parametrize("theme", THEMES)
def test_an_open_section_and_a_checked_box_follow_the_accent(page: Page, storybook: str, theme: str):
    open_story(themed(page, theme), storybook, "form", "validation_round_trip")
    page.locator("#active").check()
    assert css(page, "#active", "backgroundColor") == accent(page)
    page.locator("#hostname").focus()
    assert css(page, "#hostname", "borderColor") == accent(page)
    open_story(page, storybook, "form_sections", "accordion")
    header = ".accordion-button:not(.collapsed)"
    expect(page.locator(header).first).to_be_visible()
    assert css(page, header, "backgroundColor") not in BOOTSTRAP_BLUES
    assert css(page, header, "color") not in BOOTSTRAP_BLUES


@pytest.mark.parametrize("theme", THEMES)
def test_form_controls_stand_out_from_the_page(page: Page, storybook: str, theme: str):
    open_story(themed(page, theme), storybook, "form", "validation_round_trip")
    page_bg = css(page, "body", "backgroundColor")
    for selector in ("#hostname", "#firmware", "#active", "[data-fhx-field=server_id] .ts-control"):
        border = css(page, selector, "borderTopColor")
        assert page.evaluate(CONTRAST, [border, page_bg]) >= 3, f"{selector}: {border} on {page_bg}"

"""ThemeToggle stories."""

from storybook.book import Stories

stories = Stories("ThemeToggle", "Dark by default, light on demand, remembered, applied before the page paints.", category="Layout")


@stories.story(args={"label": "Light theme"})
def default():
    """The toggle alone; aria-pressed tells whether the light theme is on."""
    return '<ui:ThemeToggle label={{ label }} /> <span class="ms-2">Current theme: <strong id="theme-name">see the page</strong></span>'

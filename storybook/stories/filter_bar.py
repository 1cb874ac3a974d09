"""FilterBar stories: shown in its table, where it lives."""

from storybook.book import Stories

stories = Stories("FilterBar", "Dropdown filters from distinct values or given choices, with Clear.", category="Data")


@stories.story()
def in_a_table():
    """Two active dropdown filters and the Clear link."""
    return '<div hx-get="{{ root }}/api/table/people?flt_city=Oslo&amp;flt_status=online" hx-trigger="load" hx-swap="outerHTML">Loading…</div>'

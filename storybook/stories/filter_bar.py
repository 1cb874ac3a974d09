"""FilterBar stories: shown in its table, where it lives."""

from storybook.book import Stories

stories = Stories("FilterBar", "Dropdown filters from distinct values or given choices, with Clear.", category="Data")


@stories.story()
def in_a_table():
    """Two active dropdown filters and the Clear link."""
    return '<div hx-get="{{ root }}/api/table/people?flt_city=Oslo&amp;flt_status=online" hx-trigger="load" hx-swap="outerHTML">Loading…</div>'


@stories.story()
def filter_only_columns():
    """Columns with `display=False`: a Region dropdown and an IP address "contains" input
    in the bar, with no column of their own."""
    return '<div hx-get="{{ root }}/api/table/assets?flt_site_id.region=Asia&amp;cf_ip_address=10.1" hx-trigger="load" hx-swap="outerHTML">Loading…</div>'

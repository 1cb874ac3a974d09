"""BulkActions stories: shown in its table, where it lives."""

from storybook.book import Stories

stories = Stories("BulkActions", 'The "With selected" menu and the selection banner of a table; selection survives paging.', category="Data")


@stories.story()
def in_a_table():
    """Check rows, page on, select all matching, then act on the ids."""
    return '<div hx-get="{{ root }}/api/table/devices?flt_site.region=Asia" hx-trigger="load" hx-swap="outerHTML">Loading…</div>'

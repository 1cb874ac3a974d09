"""HeaderFilter stories: shown in its table, where it lives."""

from storybook.book import Stories

stories = Stories("HeaderFilter", 'Per-column "contains" filters in the table header (cf_<key>), combined with search and filters.', category="Data")


@stories.story()
def in_a_table():
    """Header filters with values, kept across paging, sorting and reload."""
    return '<div hx-get="{{ root }}/api/table/people?cf_name=ada&amp;cf_email=hopper" hx-trigger="load" hx-swap="outerHTML">Loading…</div>'


@stories.story()
def through_a_foreign_key():
    """The Site column shows `site_id`; its header filter (`cf_site_id.name`) matches the
    site's name through the foreign key."""
    return '<div hx-get="{{ root }}/api/table/assets?cf_site_id.name=lab" hx-trigger="load" hx-swap="outerHTML">Loading…</div>'

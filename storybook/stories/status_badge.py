"""StatusBadge stories: known states in colour, unknown ones grey."""

from storybook.book import Stories

stories = Stories("StatusBadge", "A state as a coloured badge; unknown states are grey.", category="Data")


@stories.story(args={"value": "online"})
def single():
    """One badge; try deploying, error, queued or anything else."""
    return "<ui:StatusBadge value={{ value }} />"


@stories.story(args={"states": ["online", "deploying", "error", "queued", "offline", "something new", "<script>x</script>"]})
def all_states():
    """Every colour, an unknown state and a hostile one (shown as text)."""
    return '<div class="d-flex flex-wrap gap-2">{% for state in states %}<ui:StatusBadge value={{ state }} />{% endfor %}</div>'

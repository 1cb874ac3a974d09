"""StatusBadge stories: known states in their colour (Python's `status_color`), unknown
ones grey, a forced colour, and the same badge drawn from Python."""

from fastapi.responses import HTMLResponse
from markupsafe import Markup

from fasthx_ui import status_badge
from storybook.book import Stories

stories = Stories("StatusBadge", "A state as a coloured badge (colours from Python's status_color); unknown states are grey.", category="Data")

STATES = ["online", "deploying", "error", "queued", "offline", "something new", "<script>x</script>"]


@stories.story(args={"value": "online", "color": ""})
def single():
    """One badge; try deploying, error, queued or anything else, or force a colour."""
    return "<ui:StatusBadge value={{ value }} color={{ color }} />"


@stories.story(args={"states": STATES})
def all_states():
    """Every colour, an unknown state and a hostile one (shown as text)."""
    return '<div class="d-flex flex-wrap gap-2">{% for state in states %}<ui:StatusBadge value={{ state }} />{% endfor %}</div>'


@stories.story(args={"value": "Deploying"})
def from_python():
    """`status_badge(value)` from a route: Python picks the colour for any value typed."""
    return '<div hx-get="{{ api }}/badge?value={{ value | urlencode }}" hx-trigger="load" hx-swap="innerHTML"></div>'


@stories.router.get("/badge", response_class=HTMLResponse)
def badge(value: str = ""):
    """The badge Table cells draw, for `value`."""
    return HTMLResponse(Markup("<p>{}</p>").format(status_badge(value[:80])))

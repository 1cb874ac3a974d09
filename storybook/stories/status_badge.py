"""StatusBadge stories: the colour of a state comes from Python (`status_color`), known
states in colour, unknown ones grey."""

from fastapi.responses import HTMLResponse
from markupsafe import Markup

from fasthx_ui import status_badge, status_color
from storybook.book import Stories

stories = Stories("StatusBadge", "A state as a coloured badge; its colour is data from Python, unknown states are grey.", category="Data")

STATES = ["online", "deploying", "error", "queued", "offline", "something new", "<script>x</script>"]


@stories.story(args={"value": "online", "color": status_color("online")})
def single():
    """One badge with the colour given as data; try another value and colour."""
    return "<ui:StatusBadge value={{ value }} color={{ color }} />"


@stories.story(args={"states": {state: status_color(state) for state in STATES}})
def all_states():
    """Every colour, an unknown state and a hostile one (shown as text)."""
    return '<div class="d-flex flex-wrap gap-2">{% for state, color in states.items() %}<ui:StatusBadge value={{ state }} color={{ color }} />{% endfor %}</div>'


@stories.story(args={"value": "Deploying"})
def from_python():
    """`status_badge(value)` from a route: Python picks the colour for any value typed."""
    return '<div hx-get="{{ api }}/badge?value={{ value | urlencode }}" hx-trigger="load" hx-swap="innerHTML"></div>'


@stories.router.get("/badge", response_class=HTMLResponse)
def badge(value: str = ""):
    """The badge Table cells draw, for `value`."""
    return HTMLResponse(Markup("<p>{}</p>").format(status_badge(value[:80])))

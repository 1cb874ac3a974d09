"""Every prop of every component, given `<script>`, comes out escaped."""

from pathlib import Path

import pytest
from markupsafe import Markup

from fasthx_ui import UI
from fasthx_ui.ui import COMPONENTS_DIR
from storybook.book import component_props

PAYLOAD = '<script>alert("x")</script>'


class Hostile(dict):
    """Any object a component may be given (a nav item, an action, a state, a spec):
    every key, attribute and call yields another Hostile, and it prints as the payload."""

    def __missing__(self, key):
        return Hostile()

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return Hostile()

    def __call__(self, *args, **kwargs):
        return Hostile()

    def __iter__(self):
        return iter([Hostile()])

    def items(self):
        return [(PAYLOAD, Hostile())]

    def __len__(self):
        return 1

    def __str__(self):
        return PAYLOAD

    def __hash__(self):
        return id(self)

    def _same(self, *args):
        return Hostile()

    def _false(self, other):
        return False

    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = __truediv__ = __floordiv__ = __mod__ = _same
    __lt__ = __le__ = __gt__ = __ge__ = _false


def hostile_value(default):
    if isinstance(default, bool):
        return True
    if isinstance(default, (int, float)):
        return default
    if isinstance(default, list):
        return [Hostile()]
    if isinstance(default, dict):
        return Hostile()
    if default is None:
        return Hostile()
    return PAYLOAD


COMPONENTS = sorted(p for p in COMPONENTS_DIR.rglob("*.jinja") if not p.name.startswith("_"))


def test_autoescape_is_on():
    ui = UI(secret_key="k")
    assert ui.env.autoescape is True
    assert ui.env.from_string("{{ x }}").render(x=PAYLOAD) == "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;"


@pytest.mark.parametrize("path", COMPONENTS, ids=lambda p: p.stem)
def test_script_in_every_prop_is_escaped(path: Path):
    ui = UI(secret_key="k")
    name = "ui:" + ".".join(path.relative_to(COMPONENTS_DIR).with_suffix("").parts)
    props = {prop.name: hostile_value(prop.default) for prop in component_props(path)}
    html = ui.component(name, None, _content=Markup("<p>trusted slot</p>"), **props)
    html = html.replace(f"<script>{ui.theme_init}</script>", "")  # the Layout's own inline theme script
    assert "<script>" not in html, html
    assert "&lt;script&gt;" in html or not props, f"{name} rendered none of its props"

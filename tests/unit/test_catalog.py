"""The UI's catalog outside development reads each component once and remembers where a
component is not (JinjaX would walk the folders on every nested call); in development
(`auto_reload`) it sees edited and new component files."""

from __future__ import annotations

import os

import pytest

from fasthx_ui import UI
from fasthx_ui.catalog import auto_reload_default


def _walks(monkeypatch) -> list[str]:
    seen: list[str] = []
    real = os.walk

    def walk(top, *args, **kwargs):
        seen.append(str(top))
        return real(top, *args, **kwargs)

    monkeypatch.setattr(os, "walk", walk)
    return seen


def test_nested_calls_walk_no_folder_once_rendered(tmp_path, monkeypatch):
    (tmp_path / "Outer.jinja").write_text("{#def n #}<p>{% for i in range(n) %}<ui:StatusBadge value={{ i }} />{% endfor %}</p>")
    ui = UI(components=[tmp_path], secret_key="k", auto_reload=False)
    first = str(ui.component("ui:Outer", n=5))
    walks = _walks(monkeypatch)
    again = str(ui.component("ui:Outer", n=5))
    assert again == first and first.count("badge") == 5
    assert walks == []


def test_a_kept_component_renders_with_the_globals_of_each_page_and_thread(tmp_path):
    """Outside development a component object is kept for every call; what it renders
    still comes from the page being rendered (its globals), in any thread."""
    import threading

    (tmp_path / "Who.jinja").write_text("<b>{{ who }}</b>")
    (tmp_path / "Page.jinja").write_text("{#def n #}{% for i in range(n) %}<ui:Who />{% endfor %}")
    ui = UI(components=[tmp_path], secret_key="k", auto_reload=False)
    template = ui.env.from_string("<ui:Page n={{ 2 }} />")
    found: dict[str, str] = {}

    def page(who: str) -> None:
        ui.catalog.tmpl_globals = {"who": who}
        found[who] = str(template.render(who=who))

    threads = [threading.Thread(target=page, args=(who,)) for who in ("ann", "bob", "cy")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    page("dee")
    assert found == {who: f"<b>{who}</b><b>{who}</b>" for who in ("ann", "bob", "cy", "dee")}
    assert ui.catalog._get_component("Who", __prefix="ui") is ui.catalog._get_component("Who", __prefix="ui")


def test_auto_reload_sees_edited_and_new_components(tmp_path):
    (tmp_path / "Card.jinja").write_text("<p>one</p>")
    ui = UI(components=[tmp_path], secret_key="k", auto_reload=True)
    assert "one" in ui.component("ui:Card")
    (tmp_path / "Card.jinja").write_text("<p>two</p>")
    os.utime(tmp_path / "Card.jinja", (1, 1))  # a new mtime even within one clock tick
    assert "two" in ui.component("ui:Card")
    (tmp_path / "Later.jinja").write_text("<p>later</p>")
    assert "later" in ui.component("ui:Later")
    assert ui.env.auto_reload is True


def test_without_auto_reload_templates_are_read_once(tmp_path):
    (tmp_path / "page.html").write_text("<p>one</p>")
    ui = UI(templates=[tmp_path], secret_key="k", auto_reload=False)
    assert "one" in ui.render(None, "page.html")
    (tmp_path / "page.html").write_text("<p>two</p>")
    os.utime(tmp_path / "page.html", (1, 1))
    assert "one" in ui.render(None, "page.html") and ui.env.auto_reload is False


@pytest.mark.parametrize(("value", "expected"), [("1", True), ("true", True), ("", False), ("0", False), (None, False)])
def test_development_mode_comes_from_the_environment(monkeypatch, value, expected):
    if value is None:
        monkeypatch.delenv("FASTHX_UI_DEBUG", raising=False)
    else:
        monkeypatch.setenv("FASTHX_UI_DEBUG", value)
    assert auto_reload_default() is expected
    assert UI(secret_key="k").catalog.auto_reload is expected

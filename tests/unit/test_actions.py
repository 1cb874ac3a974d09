"""Action: the reference's dict shapes in and out, configuration errors, `{id}` filling, and
RowActions / BulkActions / ModalContent rendering Actions exactly as they render the dicts."""

from __future__ import annotations

import re

import pytest
from markupsafe import Markup

from fasthx_ui import UI, Action, as_actions
from fasthx_ui.actions import DICT_KEYS, DICT_READERS

ROW = {"label": "Deploy", "icon": "rocket", "hx_post": "/edges/{id}/deploy", "hx_target": "closest tr",
       "hx_swap": "outerHTML", "class": "btn-outline-success", "confirm": "Deploy {id}?"}
LINK = {"label": "Template", "icon": "download", "href": "/edges/{id}/template", "download": True, "target": "_blank"}
BULK = {"label": "Delete Selected", "icon": "trash", "hx_post": "/offerings/bulk-delete",
        "confirm": "Delete {count} items?", "class": "text-danger"}
MODAL = {"label": "Download", "icon": "download", "href": "/edges/7/template/download", "css_class": "btn btn-primary"}


@pytest.fixture(scope="module")
def ui() -> UI:
    return UI(secret_key="test")


def tags(html: str) -> list[tuple[str, list[str]]]:
    """Each tag's name and sorted attributes: the same HTML whatever the attribute order."""
    return [(name, sorted(re.findall(r'[\w:-]+(?:="[^"]*")?', attributes)))
            for name, attributes in re.findall(r"<(/?\w+)([^>]*)>", str(html))]


def test_row_action_dict_becomes_a_post_request():
    action = Action.from_dict(ROW)
    assert action == Action("Deploy", "rocket", "post", "/edges/{id}/deploy", target="closest tr", swap="outerHTML",
                            css_class="btn-outline-success", confirm="Deploy {id}?")


def test_link_and_modal_dicts_and_both_class_spellings():
    link = Action.from_dict(LINK)
    assert (link.method, link.url, link.href, link.download, link.link_target) == (None, "", "/edges/{id}/template", True, "_blank")
    assert (Action.from_dict(MODAL).css_class, Action.from_dict(BULK).css_class) == ("btn btn-primary", "text-danger")
    assert Action.from_dict({"label": "Log", "hx_get": "/log/{id}", "progress": True}).method == "get"
    assert Action.from_dict({"label": "Run", "hx_post": "/run/{id}", "progress": True}).progress is True


def test_an_action_answers_the_dict_keys_it_came_from():
    assert set(DICT_READERS) == DICT_KEYS
    for data in (ROW, LINK, BULK, MODAL):
        action = Action.from_dict(data)
        for key, value in data.items():
            assert action[key] == value, key
    action = Action.from_dict(ROW)
    assert action["hx_get"] == "" and action["target"] == "" and action.get("nope", "x") == "x"
    with pytest.raises(KeyError):
        action["method_name"]


@pytest.mark.parametrize(("data", "message"), [
    ({"label": "Deploy", "hx_pots": "/x"}, "unknown key(s) hx_pots"),
    ({"label": "Deploy", "icon": "rocket"}, "needs a url (hx_post or hx_get) or an href"),
    ({"label": "Deploy", "hx_post": "/a", "hx_get": "/b"}, "`hx_post` or `hx_get`, not both"),
    ({"label": "Deploy", "href": "/a", "class": "x", "css_class": "y"}, "`class` or `css_class`, not both"),
    ({"label": "Deploy", "href": "/a", "hx_post": "/b"}, "both a url and an href"),
    ({"href": "/a"}, "needs a label"),
])
def test_bad_dicts_fail_at_configuration_time(data, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        as_actions([data])


def test_bad_actions_and_items():
    with pytest.raises(ValueError, match="method must be 'get' or 'post'"):
        Action("Go", method="delete", url="/x")
    with pytest.raises(ValueError, match="`method` and `url` together"):
        Action("Go", url="/x")
    with pytest.raises(ValueError, match="an Action or a dict, not str"):
        as_actions(["Deploy"])
    assert Action("Go", method="GET", url="/x").method == "get"


def test_as_actions_keeps_actions_and_converts_dicts():
    typed = Action("Open", href="/o/{id}")
    assert as_actions([typed, ROW]) == (typed, Action.from_dict(ROW))
    assert as_actions(None) == ()


def test_resolved_quotes_the_id_in_urls_only():
    action = Action("Deploy", method="post", url="/d/{id}/go", target="#row-{id}", confirm="Deploy {id}?").resolved("a/b c<")
    assert (action.url, action.target, action.confirm) == ("/d/a%2Fb%20c%3C/go", "#row-a/b c<", "Deploy a/b c<?")
    assert Action("Delete", method="post", url="/tags/{id}/delete").resolved("../users/1").url == "/tags/..%2Fusers%2F1/delete"
    assert Action("File", href="/f/{id}?x=1").resolved(7).href == "/f/7?x=1"


@pytest.mark.parametrize("display", ["icons", "dropdown"])
@pytest.mark.parametrize("row_id", [7, "a/b c<"])
def test_row_actions_render_actions_like_dicts(ui, display, row_id):
    dicts = [ROW, LINK, {"label": "Peek", "hx_get": "/p/{id}", "hx_target": "#r-{id}"}, {"label": "Bad", "href": "javascript:x"}]
    from_dicts = ui.component("ui:RowActions", actions=dicts, row_id=row_id, display=display)
    assert tags(ui.component("ui:RowActions", actions=as_actions(dicts), row_id=row_id, display=display)) == tags(from_dicts)


def test_row_actions_defaults_and_escaping(ui):
    actions = as_actions([Action("Go", method="get", url="/g/{id}"), Action("Run", method="post", url="/r/{id}", swap="none", progress=True)])
    html = str(ui.component("ui:RowActions", actions=actions, row_id='7"><script>'))
    assert "<script>" not in html
    assert html.count('hx-target="closest tr" hx-swap="afterend"') == 2
    assert html.count('hx-sync="this:drop" hx-disable="this"') == 1  # the progress action's button only
    assert 'class="btn btn-sm btn-outline-primary"' in html
    assert 'hx-get="/g/7%22%3E%3Cscript%3E"' in html


def test_bulk_actions_render_actions_like_dicts(ui):
    dicts = [BULK, {"label": "Activate", "hx_post": "/offerings/bulk-activate"}]
    typed = str(ui.component("ui:BulkActions", actions=as_actions(dicts), table_id="t"))
    assert tags(typed) == tags(ui.component("ui:BulkActions", actions=dicts, table_id="t"))
    assert 'data-confirm="Delete {count} items?"' in typed
    get = str(ui.component("ui:BulkActions", actions=[Action("Export", method="get", url="/export")], table_id="t"))
    assert 'hx-get="/export"' in get and "hx-post" not in get


def test_modal_content_renders_actions_like_dicts(ui):
    dicts = [MODAL, {"label": "Deploy", "hx_post": "/deploy", "confirm": "Sure?"}, {"label": "Docs", "href": "/d", "target": "_blank"}]
    typed = str(ui.component("ui:ModalContent", title="T", body=Markup("<p>b</p>"), actions=as_actions(dicts)))
    assert tags(typed) == tags(ui.component("ui:ModalContent", title="T", body=Markup("<p>b</p>"), actions=dicts))
    assert 'class="btn btn-primary" href="/edges/7/template/download"' in typed
    assert 'class="btn btn-secondary"' in typed and 'target="_blank" rel="noopener"' in typed
    swapping = str(ui.component("ui:ModalContent", title="T", actions=[Action("Log", method="get", url="/l", target="#log", swap="beforeend")]))
    assert 'hx-target="#log" hx-swap="beforeend"' in swapping


def test_modal_content_submit_button_belongs_to_the_body_form(ui):
    html = str(ui.component("ui:ModalContent", title="T", body=Markup('<form id="f"></form>'),
                            submit={"label": "Go <now>", "form": "f\"x", "css_class": "btn btn-success"}))
    assert '<button type="submit" form="f&#34;x" class="btn btn-success">Go &lt;now&gt;</button>' in html
    assert html.index('type="submit"') < html.index(">Close</button>")
    plain = str(ui.component("ui:ModalContent", title="T", submit={"label": "Go", "form": "f"}))
    assert 'form="f" class="btn btn-primary">Go</button>' in plain
    assert 'type="submit"' not in str(ui.component("ui:ModalContent", title="T"))


def test_bulk_actions_mark_query_selection_actions(ui):
    actions = [Action("Publish", method="get", url="/a/action/publish/confirm", query_selection=True), Action.from_dict(BULK)]
    html = str(ui.component("ui:BulkActions", actions=actions, table_id="t"))
    assert html.count("data-fhx-batch") == 1
    assert re.search(r'data-fhx-bulk-action data-fhx-batch\s+hx-get="/a/action/publish/confirm"', html)

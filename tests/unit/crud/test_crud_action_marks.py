"""The starlette-admin style decorators and what a view collects from them:
`view.batch_actions` (ordered, default `delete` unless can_delete is off),
`view.batch_handler(name)`, the display type, and `view.parse_ids`."""

import pytest
from sqlalchemy import func, select
from starlette.requests import Request

from fasthx_ui.crud import (
    ActionFailed,
    BatchAction,
    CRUDView,
    RowAction,
    RowActionsDisplayType,
    ValidationError,
    action,
    link_row_action,
    row_action,
)
from fasthx_ui.crud.action_buttons import icon_name
from fasthx_ui.crud.actions import BATCH_MARK, ROW_MARK
from fasthx_ui.crud.db import open_session
from fasthx_ui.crud.selection import InvalidIds

from ...databases import KINDS
from .actions_app import VALUE_FORM, Article, ArticleView, Label, ReadOnlyArticleView, actions_database


def make(cls, **attrs):
    """An instance of a CRUDView subclass of `cls` with `attrs` set (templates unused here)."""
    return type("Made", (cls,), attrs)(templates=None)


def test_action_marks_the_function_with_a_frozen_batch_action():
    mark = getattr(ArticleView.publish_action, BATCH_MARK)
    assert mark == BatchAction(
        name="publish", text="Publish", confirmation="Publish {count} articles?", submit_btn_text="Yes, publish",
        submit_btn_class="btn-success", form=VALUE_FORM, icon_class="check-circle", custom_response=False,
        attr="publish_action", permission="edit",
    )
    with pytest.raises(AttributeError):
        mark.name = "other"


def test_action_defaults_follow_starlette_admin():
    @action("tidy", "Tidy up")
    def tidy(self, request, pks):
        return "ok"

    mark = getattr(tidy, BATCH_MARK)
    assert (mark.confirmation, mark.submit_btn_text, mark.submit_btn_class, mark.form) == (None, "Yes, Proceed", "btn-primary", None)
    assert mark.permission == "edit" and not mark.needs_dialog
    assert tidy(None, None, []) == "ok"  # the function itself is unchanged


def test_row_and_link_row_action_marks():
    lock = getattr(ArticleView.lock_row_action, ROW_MARK)
    assert isinstance(lock, RowAction)
    assert (lock.name, lock.is_link, lock.action_btn_class, lock.needs_dialog) == ("lock", False, "btn-outline-warning", True)
    link = getattr(ArticleView.go_to_row_action, ROW_MARK)
    assert (link.name, link.is_link, link.permission, link.needs_dialog) == ("go_to", True, "read", False)


def test_a_bad_action_name_or_permission_is_refused():
    with pytest.raises(ValueError, match="letters, digits"):
        action("no spaces", "x")
    with pytest.raises(ValueError, match="permission must be"):
        row_action("ok", "x", permission="admin")


def test_batch_actions_follow_the_actions_name_list():
    view = ArticleView(templates=None)
    assert list(view.batch_actions) == ["publish", "delete", "fail", "redirect", "away", "as_json"]
    assert view.batch_actions["delete"].permission == "delete"


def test_without_a_name_list_delete_comes_first_then_definition_order():
    view = make(ArticleView, actions=None)
    assert list(view.batch_actions) == ["delete", "publish", "fail", "redirect", "away", "as_json"]


def test_delete_is_left_out_when_deleting_is_not_allowed():
    assert list(ReadOnlyArticleView(templates=None).batch_actions) == ["publish"]
    assert "delete" not in make(ArticleView, can_delete=False).batch_actions


def test_an_unknown_name_in_actions_is_a_clear_error():
    with pytest.raises(ValueError, match="actions: no batch action named 'nope'"):
        make(ArticleView, actions=["publish", "nope"])


def test_a_subclass_override_without_the_mark_drops_the_action():
    view = make(ArticleView, actions=None, fail_action=lambda self, request, pks: None)
    assert "fail" not in view.batch_actions


def test_two_actions_with_one_name_are_refused():
    @action("publish", "Publish again")
    def again(self, request, pks):
        return ""

    with pytest.raises(ValueError, match="two actions are named 'publish'"):
        make(ArticleView, actions=None, again_action=again)


def test_batch_handler_is_the_bound_method():
    view = ArticleView(templates=None)
    assert view.batch_handler("publish") == view.publish_action
    assert view.batch_handler("delete") == view.delete_action
    with pytest.raises(KeyError):
        view.batch_handler("nope")


@pytest.mark.parametrize("value, expected", [
    (RowActionsDisplayType.DROPDOWN, RowActionsDisplayType.DROPDOWN),
    ("dropdown", RowActionsDisplayType.DROPDOWN),
    ("ICON_LIST", RowActionsDisplayType.ICON_LIST),
])
def test_display_type_accepts_the_enum_and_its_strings(value, expected):
    assert make(ArticleView, row_actions_display_type=value).row_actions_display is expected


@pytest.mark.parametrize("icon_class, name", [
    ("bi bi-lock", "lock"), ("lock", "lock"), ("fas fa-check-circle", "check-circle"),
    ("fa-solid fa-lock", "lock"), (None, ""),
])
def test_icon_class_names_a_bootstrap_icon(icon_class, name):
    assert icon_name(icon_class) == name


def test_a_forms_own_form_tags_are_left_out_of_the_dialog():
    wrapped = '<form class="x">\n  <input name="value">\n</FORM>'
    for decorate in (action, row_action):
        found = decorate("wrapped", "Wrapped", form=wrapped)(lambda self, request, pks: None)
        marked_action = getattr(found, BATCH_MARK if decorate is action else ROW_MARK)
        assert marked_action.form == '\n  <input name="value">\n'


def test_a_bad_display_type_is_a_clear_error():
    with pytest.raises(ValueError, match="icon_list or dropdown"):
        make(ArticleView, row_actions_display_type="grid")


def test_parse_ids_reads_the_primary_key_type():
    view = ArticleView(templates=None)
    assert view.parse_ids(["3", "1", "3", " 2 "]) == [3, 1, 2]
    assert view.parse_ids([]) == []
    for bad in ("abc", "", "1.5", "99999999999999999999"):
        with pytest.raises(InvalidIds, match="is not a valid id"):
            view.parse_ids(["1", bad])


def test_parse_ids_on_a_text_key_refuses_what_the_column_cannot_hold():
    class LabelView(CRUDView):
        model = Label

    view = LabelView(templates=None)
    assert view.parse_ids(["red", "blue"]) == ["red", "blue"]
    for bad in ("x" * 9, "a\x00b"):
        with pytest.raises(InvalidIds):
            view.parse_ids([bad])


@pytest.fixture(params=KINDS)
def session(request, tmp_path):
    """A session on a fresh database of each kind with three articles of "dev" and one of "other"."""
    with actions_database(request.param, tmp_path):
        db = open_session()
        db.add_all([Article(title=f"a{i}", tenant="dev") for i in range(3)] + [Article(title="theirs", tenant="other")])
        db.commit()
        yield db
        db.close()


def request_as(username, session):
    """A real Starlette request of `username` carrying `session` as starlette-admin handlers expect."""
    request = Request({"type": "http", "method": "POST", "path": "/", "headers": [], "session": {"user": {"username": username}}})
    request.state.session = session
    return request


def test_the_default_delete_action_deletes_within_scope_only(session):
    view = ArticleView(templates=None)
    ids = [row.id for row in session.scalars(select(Article).order_by(Article.id))]
    assert view.batch_handler("delete")(request_as("dev", session), ids[:1] + ids[3:]) == "Deleted 1 item."
    left = session.scalars(select(Article.title).order_by(Article.id)).all()
    assert left == ["a1", "a2", "theirs"]  # the other tenant's row is outside the scope


def test_the_default_delete_action_honours_on_model_delete(session):
    def keep(self, item, db):
        raise ValidationError(f"{item.title} is kept")

    view = make(ArticleView, on_model_delete=keep)
    ids = [row.id for row in session.scalars(select(Article))]
    with pytest.raises(ActionFailed, match="is kept"):
        view.batch_handler("delete")(request_as("dev", session), ids)
    assert session.scalar(select(func.count()).select_from(Article)) == 4


def test_row_actions_name_unknown_or_bad_entries_are_clear_errors():
    with pytest.raises(ValueError, match="row_actions: no row action named 'nope'"):
        make(ArticleView, row_actions=["view", "nope"])
    with pytest.raises(ValueError, match="row_actions: an entry is a name or a dict"):
        make(ArticleView, row_actions=["view", 3])
    with pytest.raises(ValueError, match="unknown key"):
        make(ArticleView, row_actions=["view", {"label": "X", "hx_post": "/x", "hx_postt": "/y"}])


def test_a_link_row_action_must_be_a_plain_function():
    @link_row_action("away", "Away")
    async def away(self, request, pk):
        return "/"

    with pytest.raises(TypeError, match="plain function"):
        make(ArticleView, away_row_action=away)


def test_the_row_layout_mixes_names_and_dicts_and_keeps_only_named_decorations():
    view = make(ArticleView, row_actions=["lock", {"label": "Ping", "hx_post": "/p/{id}"}, "view"])
    assert [entry if isinstance(entry, str) else entry.label for entry in view.row_action_layout] == ["lock", "Ping", "view"]
    assert list(view.decorated_row_actions) == ["lock"]
    reference = make(ArticleView, row_actions=[{"label": "Ping", "hx_post": "/p/{id}"}])
    assert reference.row_action_layout is None and [a.label for a in reference.extra_row_actions] == ["Ping"]
    assert set(reference.decorated_row_actions) == {"lock", "archive", "history", "go_to"}

"""The starlette-admin actions page's examples (reference/articles.py, only their imports
changed) on fasthx_ui.crud, SQLite and PostgreSQL: batch actions with a form in their
dialog, ActionFailed, a custom response, the default delete, a row action with a form,
a link row action, and both display types."""

import json
import re

import pytest

from .conftest import META_TOKEN, CrudClient
from .reference import articles
from .reference.models import Article

HTMX = {"HX-Request": "true"}


@pytest.fixture
def client(database):
    with CrudClient(articles.app, follow_redirects=False) as test_client:
        assert test_client.get("/test-login").status_code == 200
        test_client.token = META_TOKEN.search(test_client.get("/article").text).group(1)
        yield test_client


@pytest.fixture
def pks(db):
    items = [Article(title=f"a{i}") for i in range(3)]
    db.add_all(items)
    db.commit()
    return [item.id for item in items]


def statuses(db):
    db.expire_all()
    return {item.title: item.status for item in db.query(Article)}


def toast(response):
    return json.loads(response.headers["HX-Trigger"])["showToast"]


def row_html(html, pk):
    row = html[html.index(f'<tr data-id="{pk}"'):]
    return row[:row.index("</tr>")]


def test_the_batch_actions_follow_the_actions_list(client, pks):
    html = client.get("/article").text
    menu = html[html.index("data-fhx-bulk-menu"):html.index("data-fhx-bulk-banner")]
    items = re.findall(r"<a[^>]*data-fhx-batch[^>]*>(.*?)</a>|<button[^>]*data-fhx-batch[^>]*>(.*?)</button>", menu, re.S)
    labels = [re.sub(r"<[^>]+>", "", "".join(item)).strip() for item in items]
    assert labels == ["Mark selected articles as published", "Redirect", "Delete"]


def test_the_dialog_holds_the_confirmation_and_the_fields_in_one_form(client, pks):
    answer = client.get("/article/action/make_published/confirm", params={"ids": pks[:2]}, headers=HTMX)
    body = answer.text
    assert answer.status_code == 200
    assert "Are you sure you want to mark selected articles as published ?" in body
    assert 'name="example-text-input"' in body and "Yes, proceed" in body and "btn btn-success" in body
    assert body.count("<form") == 1 and body.count("</form>") == 1  # the example's own <form> is the dialog's
    assert body.index('name="example-text-input"') < body.index("</form>")
    assert [int(pk) for pk in re.findall(r'name="ids" value="(\d+)"', body)] == pks[:2]


def test_the_forms_input_reaches_the_handler_and_a_string_is_a_success_toast(client, db, pks):
    answer = client.htmx_post("/article/action/make_published",
                              data={"ids": [str(pk) for pk in pks[:2]], "example-text-input": "yes"})
    assert toast(answer)["message"] == "2 articles were successfully marked as published"
    assert toast(answer)["type"] == "success"
    assert statuses(db) == {"a0": "published", "a1": "published", "a2": "draft"}


def test_action_failed_is_a_danger_toast_and_nothing_changes(client, db, pks):
    answer = client.htmx_post("/article/action/make_published", data={"ids": [str(pks[0])], "example-text-input": "no"})
    assert answer.status_code == 400
    assert toast(answer)["message"] == "Sorry, We can't proceed this action now." and toast(answer)["type"] == "danger"
    assert set(statuses(db).values()) == {"draft"}


def test_the_custom_response_redirects_within_the_app_only(client, pks):
    inside = client.htmx_post("/article/action/redirect", data={"ids": [str(pks[0])], "value": f"/article/{pks[0]}"})
    assert inside.headers["HX-Redirect"] == f"/article/{pks[0]}"
    outside = client.htmx_post("/article/action/redirect", data={"ids": [str(pks[0])], "value": "https://evil.example/"})
    assert outside.headers["HX-Redirect"] == "/article"


def test_the_default_delete_action(client, db, pks):
    answer = client.htmx_post("/article/action/delete", data={"ids": [str(pk) for pk in pks[1:]]})
    assert toast(answer)["type"] == "success"
    assert list(statuses(db)) == ["a0"]


def test_the_row_actions_follow_the_row_actions_list(client, pks):
    row = row_html(client.get("/article").text, pks[0])
    assert re.findall(r'title="([^"]+)"', row) == ["View", "Edit", "Go to", "Mark as published", "Delete"]
    assert f'href="{pks[0]}"' in row  # the link row action's href is what its method returns
    assert 'class="bi bi-check-circle"' in row and "bi-fa" not in row  # Font Awesome names: the same Bootstrap icon
    assert "btn-info" in row and f'hx-get="/article/row-action/make_published/{pks[0]}/confirm"' in row


def test_the_row_action_runs_with_its_form(client, db, pks):
    dialog = client.get(f"/article/row-action/make_published/{pks[1]}/confirm", headers=HTMX).text
    assert "Are you sure you want to mark this article as published ?" in dialog and dialog.count("<form") == 1
    refused = client.htmx_post(f"/article/row-action/make_published/{pks[1]}", data={"example-text-input": ""})
    assert refused.status_code == 400 and set(statuses(db).values()) == {"draft"}
    done = client.htmx_post(f"/article/row-action/make_published/{pks[1]}", data={"example-text-input": "ok"})
    assert toast(done)["message"] == "The article was successfully marked as published"
    assert statuses(db)["a1"] == "published"


def test_both_display_types(client, pks):
    icons = row_html(client.get("/article").text, pks[0])
    assert "fhx-row-actions btn-group" in icons and 'data-bs-toggle="dropdown"' not in icons
    menu = row_html(client.get("/article_menu").text, pks[0])
    assert 'class="dropdown fhx-row-actions"' in menu and 'data-bs-toggle="dropdown"' in menu

"""The routes of the starlette-admin style actions over HTTP, on SQLite and PostgreSQL:
access, scope, bad ids, ActionFailed (rolled back), string and Response answers, the
dialog's form fields reaching the handler, `selection=all`, the default delete, row
actions and link row actions in the list."""

import json
import re
import time

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from fasthx_ui.crud.db import open_session

from ...databases import KINDS
from .actions_app import AUDITED, Article, actions_database, create_app

META_TOKEN = re.compile(r'<meta name="csrf-token" content="([^"]*)"')
HTMX = {"HX-Request": "true"}


class Client(TestClient):
    """Signed in as `username` (tenant of the same name), sending the page's CSRF token."""

    token = ""

    def sign_in(self, username="dev"):
        self.get("/test-sign-in", params={"user": json.dumps({"username": username, "groups": []})})
        self.token = META_TOKEN.search(self.get("/articles").text).group(1)
        return self

    def act(self, url, data=None, params=None, htmx=True, headers=None):
        headers = {"X-CSRF-Token": self.token, **(HTMX if htmx else {}), **(headers or {})}
        return self.post(url, data=data, params=params, headers=headers)


@pytest.fixture(scope="module")
def app_admin():
    return create_app()


@pytest.fixture
def app(app_admin):
    return app_admin[0]


@pytest.fixture
def articles(app_admin):
    """The articles view of the app (its flags are read on every request)."""
    return app_admin[1].views["articles"]


@pytest.fixture(params=KINDS)
def db(request, tmp_path):
    """A fresh database of each kind: articles a0…a6 of "dev" (a0-a3 drafts, a4-a6
    published) and one of "other"."""
    with actions_database(request.param, tmp_path):
        session = open_session()
        session.add_all([Article(title=f"a{i}", status="draft" if i < 4 else "published") for i in range(7)])
        session.add(Article(title="theirs", tenant="other"))
        session.commit()
        yield session
        session.close()


@pytest.fixture
def client(app, db):
    with Client(app, follow_redirects=False) as test_client:
        yield test_client.sign_in()


def ids(db, tenant="dev"):
    return [row.id for row in db.scalars(select(Article).where(Article.tenant == tenant).order_by(Article.id))]


def statuses(db):
    db.expire_all()
    return {row.title: row.status for row in db.scalars(select(Article))}


def toast(response):
    return json.loads(response.headers["X-Toast"])


def test_a_string_is_a_success_toast_and_the_dialog_fields_reach_the_handler(client, db):
    first, second = ids(db)[:2]
    answer = client.act("/articles/action/publish", data={"ids": [str(first), str(second)], "value": "reviewed"})
    assert answer.status_code == 200
    assert toast(answer) == {"message": "2 articles were published", "type": "success", "title": "Success"}
    assert "closeModal" in json.loads(answer.headers["HX-Trigger"])
    assert statuses(db)["a0"] == statuses(db)["a1"] == "reviewed" and statuses(db)["a2"] == "draft"


def test_ids_outside_the_scope_are_not_acted_on(client, db):
    theirs = ids(db, "other")[0]
    answer = client.act("/articles/action/publish", data={"ids": [str(ids(db)[0]), str(theirs)]})
    assert toast(answer)["message"] == "1 articles were published"
    assert statuses(db)["theirs"] == "draft"
    only_theirs = client.act("/articles/action/publish", data={"ids": [str(theirs)]})
    assert only_theirs.status_code == 404 and "none of the selected rows" in toast(only_theirs)["message"]
    assert statuses(db)["theirs"] == "draft"


@pytest.mark.parametrize("bad", [["abc"], ["1", "1.5"], ["99999999999999999999"], [""], []])
def test_bad_ids_are_a_400_and_nothing_is_written(client, db, bad):
    before = statuses(db)
    answer = client.act("/articles/action/publish", data={"ids": bad})
    assert answer.status_code == 400 and toast(answer)["type"] == "warning"
    assert answer.headers["HX-Reswap"] == "none"
    assert statuses(db) == before


def test_action_failed_rolls_back_and_is_a_danger_toast(client, db):
    before = statuses(db)
    answer = client.act("/articles/action/fail", data={"ids": [str(i) for i in ids(db)]})
    assert answer.status_code == 400
    assert toast(answer) == {"message": "Sorry, we cannot do that now.", "type": "danger", "title": "Danger"}
    assert statuses(db) == before  # the handler's flushed changes were rolled back


def test_a_redirect_becomes_hx_redirect_for_htmx_and_a_redirect_otherwise(client, db):
    first = ids(db)[0]
    answer = client.act("/articles/action/redirect", data={"ids": [str(first)]})
    assert answer.status_code == 200 and answer.headers["HX-Redirect"] == f"/articles/{first}"
    plain = client.act("/articles/action/redirect", data={"ids": [str(first)]}, htmx=False)
    assert plain.status_code == 303 and plain.headers["location"] == f"/articles/{first}"


def test_a_redirect_elsewhere_is_kept_to_our_own_list(client, db):
    answer = client.act("/articles/action/away", data={"ids": [str(ids(db)[0])]})
    assert answer.headers["HX-Redirect"] == "/articles"
    plain = client.act("/articles/action/away", data={"ids": [str(ids(db)[0])]}, htmx=False)
    assert plain.headers["location"] == "/articles"


def test_another_response_is_sent_as_is(client, db):
    answer = client.act("/articles/action/as_json", data={"ids": [str(i) for i in ids(db)[:3]]})
    assert answer.status_code == 200 and answer.json() == {"pks": ids(db)[:3]}


def finished_job(client, answer):
    """The last poll of the background job `answer` started (selection=all runs as a job)."""
    job_id = re.search(r'data-fhx-job="([0-9a-f]{32})"', answer.text)[1]
    deadline = time.monotonic() + 20
    while True:
        poll = client.get(f"/articles/jobs/{job_id}", headers=HTMX)
        if "hx-trigger" not in poll.text:
            return poll
        assert time.monotonic() < deadline, poll.text
        time.sleep(0.05)


def test_selection_all_acts_on_every_row_matching_the_search_and_filters(client, db):
    answer = client.act("/articles/action/publish", data={"selection": "all", "value": "bulk"},
                        params={"flt_status": "draft"})
    done = json.loads(finished_job(client, answer).headers["HX-Trigger"])["showToast"]
    assert done["message"] == "4 articles were published"
    assert {t for t, s in statuses(db).items() if s == "bulk"} == {"a0", "a1", "a2", "a3"}
    searched = client.act("/articles/action/publish", data={"selection": "all", "value": "again"}, params={"q": "a5"})
    finished_job(client, searched)
    assert statuses(db)["a5"] == "again"
    none = client.act("/articles/action/publish", data={"selection": "all"}, params={"q": "nothing"})
    assert none.status_code == 404 and statuses(db)["theirs"] == "draft"


def test_the_default_delete_deletes_the_selected_rows_in_scope(client, db):
    mine = ids(db)
    answer = client.act("/articles/action/delete", data={"ids": [str(mine[0]), str(mine[1]), str(ids(db, "other")[0])]})
    assert toast(answer)["message"] == "Deleted 2 items."
    assert sorted(statuses(db)) == ["a2", "a3", "a4", "a5", "a6", "theirs"]


def test_the_confirmation_dialog_holds_the_text_the_form_and_the_ids(client, db):
    first, second = ids(db)[:2]
    answer = client.get("/articles/action/publish/confirm", params={"ids": [first, second]}, headers=HTMX)
    assert answer.status_code == 200
    assert answer.headers["HX-Retarget"] == "#admin-modal .modal-content"
    assert "showModal" in json.loads(answer.headers["HX-Trigger"])
    html = answer.text
    assert "Publish 2 articles?" in html and 'name="value"' in html
    assert f'<input type="hidden" name="ids" value="{first}">' in html and f'value="{second}"' in html
    assert 'hx-post="/articles/action/publish"' in html and 'data-fhx-bulk-for="articles-table"' in html
    assert re.search(r'<button type="submit" form="fhx-action-form" class="btn btn-success">Yes, publish</button>', html)


def test_the_dialog_in_all_mode_counts_every_match_and_posts_with_the_filters(client, db):
    answer = client.get("/articles/action/delete/confirm", params={"selection": "all", "flt_status": "published"}, headers=HTMX)
    html = answer.text
    assert "Delete 3 selected items?" in html and 'name="selection" value="all"' in html
    assert 'hx-post="/articles/action/delete?selection=all&amp;flt_status=published"' in html
    assert 'class="btn btn-danger">Delete</button>' in html
    none = client.get("/articles/action/delete/confirm", params={"selection": "all", "q": "nothing"}, headers=HTMX)
    assert none.status_code == 404 and "no rows match" in toast(none)["message"]


def test_the_dialog_refuses_bad_ids_too(client, db):
    answer = client.get("/articles/action/publish/confirm", params={"ids": "x"}, headers=HTMX)
    assert answer.status_code == 400 and "is not a valid id" in toast(answer)["message"]


def test_anonymous_and_not_allowed_requests_are_refused(app, client, db, articles, monkeypatch):
    first = str(ids(db)[0])
    with Client(app, follow_redirects=False) as anonymous:
        anonymous.token = client.token
        anonymous.cookies.update({k: v for k, v in client.cookies.items() if k != "session"})
        assert anonymous.act("/articles/action/publish", data={"ids": [first]}).status_code == 401
        assert anonymous.act(f"/articles/row-action/lock/{first}").status_code == 401
    monkeypatch.setattr(articles, "allowed_users", ["somebody-else"])
    assert client.act("/articles/action/publish", data={"ids": [first]}).status_code == 403
    assert client.get("/articles/action/publish/confirm", params={"ids": first}, headers=HTMX).status_code == 403
    assert client.act(f"/articles/row-action/lock/{first}").status_code == 403
    assert statuses(db)["a0"] == "draft"


def test_a_cross_site_post_without_the_csrf_token_runs_nothing(client, db):
    headers = {**HTMX, "Sec-Fetch-Site": "cross-site"}
    answer = client.post("/articles/action/publish", data={"ids": [str(ids(db)[0])]}, headers=headers)
    assert answer.status_code == 403 and statuses(db)["a0"] == "draft"


def test_can_delete_off_is_a_403_for_delete_and_hides_it(client, db, articles, monkeypatch):
    monkeypatch.setattr(articles, "can_delete", False)
    answer = client.act("/articles/action/delete", data={"ids": [str(ids(db)[0])]})
    assert answer.status_code == 403 and len(statuses(db)) == 8
    html = client.get("/articles").text
    assert "/articles/action/delete" not in html and "/delete" not in html
    assert client.act("/ro_articles/action/delete", data={"ids": [str(ids(db)[0])]}).status_code == 403
    assert len(statuses(db)) == 8


def test_can_edit_off_is_a_403_for_edit_actions_and_hides_them(client, db, articles, monkeypatch):
    monkeypatch.setattr(articles, "can_edit", False)
    assert client.act("/articles/action/publish", data={"ids": [str(ids(db)[0])]}).status_code == 403
    assert client.act(f"/articles/row-action/lock/{ids(db)[0]}").status_code == 403
    html = client.get("/articles").text
    assert "/articles/action/publish" not in html and "/row-action/lock/" not in html and 'title="Edit"' not in html
    assert "?from=link" in html  # a link row action needs no edit permission


def test_a_row_action_posts_one_row_and_refreshes_the_table(client, db):
    first = ids(db)[0]
    answer = client.act(f"/articles/row-action/lock/{first}", data={"value": "x"})
    assert toast(answer)["message"] == "Locked a0"
    assert json.loads(answer.headers["HX-Trigger"])["refreshTable"]["id"] == "articles-table"
    again = client.act(f"/articles/row-action/lock/{first}")
    assert again.status_code == 400 and toast(again)["message"] == "This article is locked already."


def test_a_row_action_from_the_detail_page_reloads_that_page_with_the_toast(client, db):
    first, second = ids(db)[:2]
    page = f"http://testserver/articles/{first}?next=%2Farticles%3Fpage%3D2"
    answer = client.act(f"/articles/row-action/lock/{first}", data={"value": "x"}, headers={"HX-Current-URL": page})
    assert answer.status_code == 200 and answer.headers["HX-Redirect"] == f"/articles/{first}?next=%2Farticles%3Fpage%3D2"
    assert "fasthx_flash" in answer.headers["set-cookie"] and "refreshTable" not in answer.headers.get("HX-Trigger", "")
    refused = client.act(f"/articles/row-action/lock/{first}", headers={"HX-Current-URL": page})
    assert refused.status_code == 400 and "HX-Redirect" not in refused.headers  # nothing changed: the page stays
    other = client.act(f"/articles/row-action/lock/{second}", data={"value": "x"}, headers={"HX-Current-URL": page})
    assert "HX-Redirect" not in other.headers and "refreshTable" in other.headers["HX-Trigger"]  # not its page


@pytest.mark.parametrize("item", ["abc", "99999999999999999999", "0"])
def test_a_row_action_on_a_missing_row_is_a_404(client, db, item):
    answer = client.act(f"/articles/row-action/lock/{item}")
    assert answer.status_code == 404 and toast(answer)["type"] == "danger"


def test_a_row_action_on_another_tenants_row_is_a_404(client, db):
    theirs = ids(db, "other")[0]
    assert client.act(f"/articles/row-action/lock/{theirs}").status_code == 404
    assert client.get(f"/articles/row-action/lock/{theirs}/confirm", headers=HTMX).status_code == 404
    db.expire_all()
    assert not db.get(Article, theirs).locked


def test_the_list_shows_named_row_actions_in_order_and_link_hrefs_per_row(client, db):
    first = ids(db)[0]
    html = client.get("/articles").text
    row = html[html.index(f'<tr data-id="{first}"'):]
    row = row[:row.index("</tr>")]
    labels = re.findall(r'title="([^"]+)"', row)
    assert labels == ["View", "Edit", "Go to", "Lock", "History", "Delete"]  # archive: exclude_from_list
    assert f'href="/articles/{first}?from=link"' in row
    assert f'hx-get="/articles/row-action/lock/{first}/confirm"' in row


def test_the_with_selected_menu_lists_reference_and_batch_actions(client, db):
    html = client.get("/articles").text
    menu = html[html.index("data-fhx-bulk-menu"):html.index("data-fhx-bulk-banner")]
    for label in ("Archive Selected", "Publish", "Delete", "Always fails"):
        assert label in menu
    assert 'hx-get="/articles/action/publish/confirm"' in menu and 'hx-post="/articles/action/fail"' in menu
    assert menu.count("data-fhx-batch") == 6


def row_html(html, row_id):
    row = html[html.index(f'<tr data-id="{row_id}"'):]
    return row[:row.index("</tr>")]


def test_reference_row_actions_render_every_documented_field(client, db):
    first = ids(db)[0]
    row = row_html(client.get("/ro_articles").text, first)
    assert 'class="dropdown fhx-row-actions"' in row and 'data-bs-toggle="dropdown"' in row
    items = re.findall(r"<li>(.*?)</li>", row, re.S)
    assert [re.sub(r"<[^>]+>", "", item).strip() for item in items] == ["View", "Edit", "Peek", "Reset", "Export", "Docs"]
    peek, reset, export, docs = items[2:]
    assert f'hx-get="/ro_articles/{first}/peek"' in peek
    assert 'hx-target="closest tr" hx-swap="afterend"' in peek  # the documented defaults
    assert f'hx-post="/ro_articles/{first}/reset"' in reset and f'hx-target="#row-{first}" hx-swap="outerHTML"' in reset
    assert f'hx-confirm="Reset article {first}?"' in reset and "btn-outline-warning" in reset
    assert f'<a href="/ro_articles/{first}/export" download' in export and "hx-" not in export
    assert 'target="_blank" rel="noopener"' in docs and 'data-fhx-confirm="Leave for the docs?"' in docs
    assert "/delete" not in row  # can_delete is off: no Delete button


def test_icon_buttons_use_the_documented_default_class(client, db):
    row = row_html(client.get("/articles").text, ids(db)[0])
    assert 'class="fhx-row-actions btn-group btn-group-sm"' in row
    assert 'class="btn btn-sm btn-outline-primary" title="Edit"' in row  # no class given: btn-outline-primary
    assert 'class="btn btn-sm btn-outline-warning" title="Lock"' in row


def test_an_audited_view_records_each_successful_action(client, db):
    AUDITED.clear()
    first, second, third = ids(db)[:3]
    client.act("/articles/action/publish", data={"ids": [str(first), str(second)]})
    client.act("/articles/action/fail", data={"ids": [str(first)]})
    client.act(f"/articles/row-action/lock/{third}")
    client.act("/articles/action/delete", data={"ids": [str(second)]})
    events = [(e["action"], e["item_id"], e["data"] if e["action"] != "delete" else e["data"]["title"]) for e in AUDITED]
    assert events == [("publish", None, {"ids": [first, second]}), ("lock", third, {}), ("delete", second, "a1")]
    assert {e["user"]["username"] for e in AUDITED} == {"dev"}


def test_a_selection_of_more_than_a_thousand_ids_reaches_the_handler(client, db):
    many = [str(i) for i in ids(db)] + [str(100_000 + i) for i in range(1500)]  # the rest name no row
    answer = client.act("/articles/action/publish", data={"ids": many, "value": "many"})
    assert answer.status_code == 200 and toast(answer)["message"] == "7 articles were published"
    assert statuses(db)["a6"] == "many"


def test_the_detail_page_shows_the_decorated_row_actions_not_excluded_from_it(client, db):
    first = ids(db)[0]
    html = client.get(f"/articles/{first}").text
    actions = html[html.index("fhx-crud-detail-actions"):html.index("</section>")]
    assert re.findall(r'title="([^"]+)"', actions) == ["Go to", "Lock", "Archive"]  # history: exclude_from_detail
    assert f'href="/articles/{first}?from=link"' in actions
    assert f'hx-post="/articles/row-action/archive/{first}"' in actions
    answer = client.act(f"/articles/row-action/archive/{first}")
    assert toast(answer)["message"] == "Archived" and statuses(db)["a0"] == "archived"

"""The AI settings pages over ASGI, on SQLite and PostgreSQL: saved and reloaded, errors per
field with the typed text kept, the API key never in a page or a log, removing the key,
the connection test against the test AI provider, context items, tool and hook switches,
and who may open them (anonymous, a signed-in user who is no settings administrator,
an app with no settings lists, a post without CSRF)."""

import logging
import re

import pytest
from fastapi import FastAPI, Request
from fastapi.testclient import TestClient
from starlette.middleware.sessions import SessionMiddleware

from ai_settings_app import SETTINGS_ADMIN, SETTINGS_GROUP, build_app
from fasthx_ui.crud import Admin
from fasthx_ui.crud.ai.settings import load_settings
from fasthx_ui.crud.ai.settings_pages import KEY_KEPT, NO_KEY
from fasthx_ui.crud.db import open_session

from ...databases import KINDS, database_settings
from helpers import free_port

META_TOKEN = re.compile(r'<meta name="csrf-token" content="([^"]*)"')
FIELD_ERROR = re.compile(r'<div id="([a-z_]+)-error" class="invalid-feedback d-block">([^<]*)</div>')
KEY = "sk-test-5f1c9e0d-never-shown"
PAGE = {"Accept": "text/html"}
HTMX = {"HX-Request": "true"}
GOOD = {"enabled": "on", "base_url": "http://127.0.0.1:9/v1", "api_key": KEY, "model": "tiny-model",
        "temperature": "0.3", "max_tokens": "256", "timeout": "12.5", "system_prompt": "Be brief."}


@pytest.fixture(autouse=True)
def auth_on(monkeypatch):
    from fasthx_ui.crud import auth

    monkeypatch.setattr(auth, "AUTH_DISABLED", False)


@pytest.fixture(params=KINDS)
def app(request, tmp_path) -> FastAPI:
    with database_settings(request.param, tmp_path) as (url, options):
        if request.param == "sqlite":
            options = {"connect_args": {"check_same_thread": False}}
        yield build_app(url, **options)


class Client(TestClient):
    """Signs in through the app's test route and sends the page's CSRF token on posts."""

    token = ""

    def sign_in(self, username=SETTINGS_ADMIN, groups=""):
        assert self.get("/test-login", params={"username": username, "groups": groups}).status_code == 200
        self.token = META_TOKEN.search(self.get("/ai/settings", headers=PAGE).text).group(1)
        return self

    def post(self, url, *args, headers=None, **kwargs):
        return super().post(url, *args, headers={"X-CSRF-Token": self.token, **HTMX, **(headers or {})}, **kwargs)


@pytest.fixture
def client(app) -> Client:
    with Client(app, follow_redirects=False) as test_client:
        yield test_client.sign_in()


def saved():
    with open_session() as session:
        return load_settings(session)


def field_errors(html: str) -> dict[str, str]:
    return dict(FIELD_ERROR.findall(html))


def test_settings_are_saved_and_shown_again(client):
    response = client.post("/ai/settings", data=GOOD)
    assert response.status_code == 200
    assert response.headers["HX-Redirect"] == "/ai/settings"
    assert "AI settings saved." in response.headers["X-Toast"]
    settings = saved()
    assert (settings.enabled, settings.base_url, settings.api_key, settings.model) == (True, "http://127.0.0.1:9/v1", KEY, "tiny-model")
    assert (settings.temperature, settings.max_tokens, settings.timeout, settings.system_prompt) == (0.3, 256, 12.5, "Be brief.")
    page = client.get("/ai/settings", headers=PAGE)
    assert page.status_code == 200
    assert 'value="tiny-model"' in page.text and 'value="12.5"' in page.text and "Be brief." in page.text
    assert re.search(r'id="enabled"[^>]*checked', page.text)
    assert f'placeholder="{KEY_KEPT}"' in page.text


def test_a_plain_form_post_redirects_to_the_page_with_a_toast(client):
    response = client.post("/ai/settings", data=GOOD, headers={"HX-Request": ""})
    assert response.status_code == 303 and response.headers["location"] == "/ai/settings"
    page = client.get("/ai/settings", headers=PAGE)
    assert "AI settings saved." in page.text


@pytest.mark.parametrize("field, value, message", [
    ("base_url", "ftp://models.example", "Base URL must be an http:// or https:// address"),
    ("temperature", "7", "Temperature must be a number from 0 to 2"),
    ("temperature", "warm", "Enter a number"),
    ("max_tokens", "0", "Max tokens must be a whole number from 1 to"),
    ("max_tokens", "2.5", "whole number"),
    ("timeout", "", "required"),
    ("timeout", "9999", "Timeout must be a number from 1 to 600"),
])
def test_a_bad_field_is_marked_with_what_was_typed_and_nothing_is_saved(client, field, value, message):
    response = client.post("/ai/settings", data={**GOOD, field: value})
    assert response.status_code == 422
    errors = field_errors(response.text)
    assert list(errors) == [field]
    assert message.lower() in errors[field].lower()
    if value:
        assert f'value="{value}"' in response.text
    assert 'value="tiny-model"' in response.text  # the other fields keep what was typed
    assert KEY not in response.text  # but the typed key is never sent back
    assert saved().model == ""


def test_several_bad_fields_are_all_marked(client):
    response = client.post("/ai/settings", data={**GOOD, "base_url": "nope", "temperature": "-1", "timeout": "0"})
    assert response.status_code == 422
    assert set(field_errors(response.text)) == {"base_url", "temperature", "timeout"}


def test_the_key_is_never_in_a_page_nor_in_the_logs(client, ai_server, caplog):
    caplog.set_level(logging.DEBUG)
    ai_server.script([{"content": "ok"}])
    pages = [client.post("/ai/settings", data={**GOOD, "base_url": ai_server.url})]
    pages += [client.get(url, headers=PAGE) for url in ("/ai/settings", "/ai/settings/context")]
    pages += [client.post("/ai/settings", data={**GOOD, "temperature": "x"}), client.post("/ai/settings/test")]
    assert ai_server.headers()[-1]["authorization"] == f"Bearer {KEY}"  # the key was used
    for response in pages:
        assert KEY not in response.text and KEY not in str(response.headers)
    assert KEY not in caplog.text


def test_an_empty_key_field_keeps_the_key_and_remove_key_removes_it(client):
    client.post("/ai/settings", data=GOOD)
    assert client.post("/ai/settings", data={**GOOD, "api_key": "", "model": "other"}).status_code == 200
    assert (saved().api_key, saved().model) == (KEY, "other")
    page = client.get("/ai/settings", headers=PAGE).text
    assert 'name="remove_api_key"' in page
    assert client.post("/ai/settings", data={**GOOD, "api_key": "", "remove_api_key": "on"}).status_code == 200
    assert saved().api_key == ""
    page = client.get("/ai/settings", headers=PAGE).text
    assert f'placeholder="{NO_KEY}"' in page and 'name="remove_api_key"' not in page


def test_test_connection_reaches_the_provider(client, ai_server):
    client.post("/ai/settings", data={**GOOD, "base_url": ai_server.url})
    ai_server.script([{"content": "ok"}])
    response = client.post("/ai/settings/test")
    assert response.status_code == 200
    assert 'data-ai-connection="ok"' in response.text and "connected: tiny-model" in response.text
    assert ai_server.requests()[0]["model"] == "tiny-model"


def test_test_connection_says_clearly_when_the_provider_is_down(client):
    client.post("/ai/settings", data={**GOOD, "base_url": f"http://127.0.0.1:{free_port()}/v1"})
    response = client.post("/ai/settings/test")
    assert response.status_code == 200
    assert 'data-ai-connection="failed"' in response.text and "Cannot connect" in response.text


def test_test_connection_reports_an_http_error(client, ai_server):
    client.post("/ai/settings", data={**GOOD, "base_url": ai_server.url})
    ai_server.script([{"status": 500}])
    response = client.post("/ai/settings/test")
    assert 'data-ai-connection="failed"' in response.text and "500" in response.text


def test_test_connection_without_a_connection(client):
    response = client.post("/ai/settings/test")
    assert 'data-ai-connection="failed"' in response.text and "No connection yet" in response.text


def test_context_items_are_added_edited_and_deleted(client):
    response = client.post("/ai/settings/context", data={"ctx_name": "House rules", "ctx_text": "No <b>bold</b>.", "ctx_enabled": "on"})
    assert response.headers["HX-Redirect"] == "/ai/settings/context"
    client.post("/ai/settings/context", data={"ctx_name": "Glossary", "ctx_text": "CPE: customer device"})
    assert saved().context_items == [{"name": "House rules", "text": "No <b>bold</b>.", "enabled": True},
                                     {"name": "Glossary", "text": "CPE: customer device", "enabled": False}]
    assert saved().system_message().endswith("## House rules\nNo <b>bold</b>.")
    page = client.get("/ai/settings/context", headers=PAGE).text
    assert "No &lt;b&gt;bold&lt;/b&gt;." in page and "<b>bold" not in page
    edit = client.get("/ai/settings/context/1/edit", headers=HTMX)
    assert edit.headers["HX-Retarget"] == "#admin-modal .modal-content"
    assert 'value="Glossary"' in edit.text and 'action="/ai/settings/context/1"' in edit.text
    client.post("/ai/settings/context/1", data={"ctx_name": "Words", "ctx_text": "CPE: customer device", "ctx_enabled": "on"})
    assert [item["name"] for item in saved().context_items if item["enabled"]] == ["House rules", "Words"]
    confirm = client.get("/ai/settings/context/0/delete", headers=HTMX)
    assert "<strong>House rules</strong>" in confirm.text and 'hx-post="/ai/settings/context/0/delete"' in confirm.text
    assert [item["name"] for item in saved().context_items] == ["House rules", "Words"]  # asking deletes nothing
    deleted = client.post("/ai/settings/context/0/delete")
    assert "Deleted the context item House rules." in deleted.headers["X-Toast"]
    assert [item["name"] for item in saved().context_items] == ["Words"]


def test_a_bad_context_item_comes_back_with_its_errors(client):
    client.post("/ai/settings/context", data={"ctx_name": "Rules", "ctx_text": "one"})
    response = client.post("/ai/settings/context", data={"ctx_name": "", "ctx_text": "kept text"})
    assert response.status_code == 422 and "ctx_name" in field_errors(response.text) and "kept text" in response.text
    twice = client.post("/ai/settings/context", data={"ctx_name": "rules", "ctx_text": "two"})
    assert twice.status_code == 422 and "used twice" in twice.text
    assert len(saved().context_items) == 1


@pytest.mark.parametrize("index", ["5", "abc", "-1", "²"])
def test_a_missing_context_item_is_a_clear_404(client, index):
    for response in (client.get(f"/ai/settings/context/{index}/edit", headers=HTMX),
                     client.get(f"/ai/settings/context/{index}/delete", headers=HTMX),
                     client.post(f"/ai/settings/context/{index}/delete"),
                     client.post(f"/ai/settings/context/{index}", data={"ctx_name": "x", "ctx_text": "y"})):
        assert response.status_code == 404 and "no longer exists" in response.headers["X-Toast"]
    assert saved().context_items == []


def test_tools_and_hooks_are_listed_and_switched(client):
    page = client.get("/ai/settings/context", headers=PAGE).text
    assert "aisettings_lookup: Look up a device by its hostname" in page
    assert "aisettings_reboot: Reboot a device (asks before running)" in page
    assert "user_prompt_submit: Adds the date to every message" in page
    assert re.search(r'id="tool-aisettings_lookup"[^>]*checked', page)
    form = {"tool-aisettings_reboot": "on", "hook-user_prompt_submit_aisettings_dated": "on"}
    response = client.post("/ai/settings/context/switches", data=form)
    assert "Tools and hooks saved." in response.headers["X-Toast"]
    assert saved().disabled_tools == {"aisettings_lookup"} and saved().disabled_hooks == set()
    client.post("/ai/settings/context/switches", data={"tool-aisettings_lookup": "on"})
    assert saved().disabled_tools == {"aisettings_reboot"}
    assert saved().disabled_hooks == {"user_prompt_submit:aisettings_dated"}
    page = client.get("/ai/settings/context", headers=PAGE).text
    assert not re.search(r'id="tool-aisettings_reboot"[^>]*checked', page)


def test_the_settings_administrator_sees_the_settings_category(client):
    page = client.get("/ai/settings", headers=PAGE).text
    assert 'href="/ai/settings"' in page and 'href="/ai/settings/context"' in page and "AI Context &amp; Tools" in page


def test_a_member_of_the_settings_group_may_open_them(app):
    with Client(app, follow_redirects=False) as member:
        member.get("/test-login", params={"username": "eve", "groups": f"/NOC,{SETTINGS_GROUP}"})
        assert member.get("/ai/settings", headers=PAGE).status_code == 200


ROUTES = [("GET", "/ai/settings"), ("POST", "/ai/settings"), ("POST", "/ai/settings/test"), ("GET", "/ai/settings/context"),
          ("POST", "/ai/settings/context"), ("GET", "/ai/settings/context/new"), ("GET", "/ai/settings/context/0/edit"),
          ("POST", "/ai/settings/context/0"), ("GET", "/ai/settings/context/0/delete"),
          ("POST", "/ai/settings/context/0/delete"), ("POST", "/ai/settings/context/switches")]


def test_anonymous_requests_are_sent_to_sign_in(app):
    with TestClient(app, follow_redirects=False) as anonymous:
        for method, url in ROUTES:
            response = anonymous.request(method, url, headers=PAGE)
            assert response.status_code in (303, 401), (method, url)
            assert "/login?next=" in (response.headers.get("location") or response.headers.get("HX-Redirect"))
    assert saved().context_items == []


def test_a_user_who_is_no_settings_administrator_gets_403_and_no_settings_category(app):
    with TestClient(app, follow_redirects=False) as bob:
        bob.get("/test-login", params={"username": "bob", "groups": "/NOC"})
        page = bob.get("/ai/settings", headers=PAGE)
        assert page.status_code == 403 and "Only settings administrators" in page.text
        assert 'href="/ai/settings' not in page.text and "AI Settings" not in page.text
        token = META_TOKEN.search(page.text).group(1)
        for method, url in ROUTES:
            response = bob.request(method, url, headers={"X-CSRF-Token": token, **HTMX}, data={"ctx_name": "x", "ctx_text": "y"})
            assert response.status_code == 403, (method, url)
    assert saved().context_items == [] and saved().enabled is False


def test_with_no_settings_lists_the_pages_are_hidden_and_refused():
    plain = FastAPI()
    admin = Admin(plain, ai_chat=True)
    assert admin.get_nav_categories({"username": SETTINGS_ADMIN, "groups": [SETTINGS_GROUP]}) == {}
    assert admin.get_nav_categories(None) == {}

    @plain.get("/test-login")
    def test_login(request: Request):
        request.session["user"] = {"username": SETTINGS_ADMIN, "groups": [SETTINGS_GROUP]}
        return {}

    plain.add_middleware(SessionMiddleware, secret_key="plain")
    with TestClient(plain, follow_redirects=False) as ada:
        ada.get("/test-login")
        assert ada.get("/ai/settings", headers=PAGE).status_code == 403


def test_a_post_without_the_csrf_token_from_another_site_is_refused(client):
    response = client.post("/ai/settings", data=GOOD, headers={"X-CSRF-Token": "", "Sec-Fetch-Site": "cross-site"})
    assert response.status_code == 403
    assert saved().model == ""
    response = client.post("/ai/settings/context", data={"ctx_name": "x", "ctx_text": "y"},
                           headers={"X-CSRF-Token": "forged", "Origin": "https://evil.example"})
    assert response.status_code == 403
    assert saved().context_items == []

"""OIDCSignIn: authorization code + PKCE with discovery, over real HTTP between an app
served by uvicorn (in two processes for one test), the test OpenID provider (its own
process) and a client that plays the browser: it follows /login to the provider's login
form, posts the credentials there and brings the code back to /auth/callback, as a
browser would."""

from __future__ import annotations

import logging
import re
import socket
from urllib.parse import parse_qs, quote, urlencode, urlsplit, urlunsplit

import httpx
import pytest
from fastapi.routing import APIRoute
from markupsafe import escape

from fasthx_ui.crud import oidc
from fasthx_ui.crud.auth import NOT_IN_GROUP
from fasthx_ui.crud.oidc_flow import CANCELLED, EXPIRED_STATE, NOT_VERIFIED, SIGNED_OUT, OIDCSignIn
from fasthx_ui.crud.sessions import COOKIE_LIMIT

from helpers import serve

from ..oidc_provider import CLIENT_ID, CLIENT_SECRET, PASSWORD
from .crud.sweep import view_routes
from .oidc_app import create_app
from .served import served

PAGE = {"Accept": "text/html"}
META_TOKEN = re.compile(r'<meta name="csrf-token" content="([^"]*)"')
SIGN_IN_ROUTES = {"/login", "/logout", "/auth/callback"}


@pytest.fixture(scope="module")
def served_app(oidc_provider, tmp_path_factory):
    app, admin, sign_in = create_app(oidc_provider.issuer, f"sqlite:///{tmp_path_factory.mktemp('oidc') / 'notes.db'}")
    with served(app) as url:
        yield url, app, admin


@pytest.fixture
def app_url(served_app, provider):
    return served_app[0]


@pytest.fixture
def browser():
    with httpx.Client(follow_redirects=False, headers=PAGE, timeout=10) as client:
        yield client


def to_provider(browser, app_url, next_path="/notes"):
    """GET /login?next=…: the redirect to the provider's authorization endpoint."""
    answer = browser.get(f"{app_url}/login", params={"next": next_path})
    assert answer.status_code == 302, answer.text
    return answer.headers["location"]


def at_provider(browser, authorize_url, username="dev", password=PASSWORD):
    """The provider's login form, filled in: the provider's redirect back to the app."""
    form = browser.get(authorize_url)
    assert form.status_code == 200 and 'name="password"' in form.text
    answer = browser.post(authorize_url.split("?")[0], data={"_query": urlsplit(authorize_url).query,
                                                             "username": username, "password": password})
    assert answer.status_code == 302, answer.text
    return answer.headers["location"]


def sign_in(browser, app_url, username="dev", next_path="/notes"):
    """The whole round trip; the app's answer to the callback."""
    return browser.get(at_provider(browser, to_provider(browser, app_url, next_path), username))


def shows(answer, message):
    """True when the page shows `message` (escaped, as every text on a page)."""
    return str(escape(message)) in answer.text


def with_query(url, **changes):
    parts = urlsplit(url)
    query = {key: values[0] for key, values in parse_qs(parts.query).items()}
    query.update(changes)
    return urlunsplit(parts._replace(query=urlencode(query)))


def signed_in(browser, app_url):
    return browser.get(f"{app_url}/notes").status_code == 200


def test_code_flow_with_pkce_signs_in_and_goes_to_next(browser, app_url):
    authorize = to_provider(browser, app_url, "/notes?page=1")
    query = parse_qs(urlsplit(authorize).query)
    assert query["response_type"] == ["code"] and query["client_id"] == [CLIENT_ID]
    assert query["code_challenge_method"] == ["S256"] and len(query["code_challenge"][0]) >= 43
    assert query["nonce"][0] and query["state"][0] and query["scope"] == ["openid profile email"]
    assert query["redirect_uri"] == [f"{app_url}/auth/callback"]
    assert CLIENT_SECRET not in authorize
    back = browser.get(at_provider(browser, authorize))
    assert back.status_code == 303 and back.headers["location"] == "/notes?page=1"
    page = browser.get(f"{app_url}/notes")
    assert page.status_code == 200 and "dev" in page.text


def test_only_the_newest_sign_in_under_way_counts(browser, app_url):
    """Each /login keeps its state, nonce and verifier in the cookie until the callback, and
    replaces the one before (Authlib's rule), so the cookie stays small however often."""
    started = [to_provider(browser, app_url) for _ in range(12)]
    assert max(len(cookie.value) for cookie in browser.cookies.jar) < 1000
    older = browser.get(at_provider(browser, started[-2]))
    assert older.status_code == 400 and shows(older, EXPIRED_STATE)
    assert browser.get(at_provider(browser, started[-1])).status_code == 303


def test_a_signed_in_user_goes_straight_to_next(browser, app_url):
    assert sign_in(browser, app_url).status_code == 303
    answer = browser.get(f"{app_url}/login", params={"next": "/dashboard"})
    assert answer.status_code == 303 and answer.headers["location"] == "/dashboard"


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example/", "javascript:alert(1)", "/\\evil.example"])
def test_next_only_goes_to_this_app(browser, app_url, target):
    answer = sign_in(browser, app_url, next_path=target)
    assert answer.status_code == 303 and answer.headers["location"] == "/"


def test_a_tampered_state_is_refused(browser, app_url):
    callback = at_provider(browser, to_provider(browser, app_url))
    answer = browser.get(with_query(callback, state="forged-state"))
    assert answer.status_code == 400 and shows(answer, EXPIRED_STATE)
    assert not signed_in(browser, app_url)


def test_a_callback_from_another_browser_is_refused(browser, app_url):
    """The state lives in the session of the browser that started: a callback URL handed
    to another browser (login CSRF) signs nobody in."""
    callback = at_provider(browser, to_provider(browser, app_url))
    with httpx.Client(follow_redirects=False, headers=PAGE) as other:
        answer = other.get(callback)
        assert answer.status_code == 400 and shows(answer, EXPIRED_STATE)
        assert other.get(f"{app_url}/notes").status_code == 303


def test_a_callback_is_used_once(browser, app_url):
    callback = at_provider(browser, to_provider(browser, app_url))
    assert browser.get(callback).status_code == 303
    browser.get(f"{app_url}/logout")
    again = browser.get(callback)
    assert again.status_code == 400 and shows(again, EXPIRED_STATE)


@pytest.mark.parametrize("knobs", [
    {"nonce": "not-the-nonce-we-sent"},
    {"expired": True},
    {"wrong_key": True},
    {"audience": "another-client"},
    {"issuer": "http://127.0.0.1:9/realms/another"},
], ids=["wrong nonce", "expired", "wrongly signed", "wrong audience", "wrong issuer"])
def test_a_bad_id_token_is_refused(browser, app_url, provider, caplog, knobs):
    provider.misbehave(**knobs)
    with caplog.at_level(logging.WARNING, logger="fasthx_ui.crud.oidc"):
        answer = sign_in(browser, app_url)
    assert answer.status_code == 400 and shows(answer, NOT_VERIFIED)
    assert "ID token rejected" in caplog.text
    assert not signed_in(browser, app_url)
    provider.reset()
    assert sign_in(browser, app_url).status_code == 303, "the same browser signs in once the provider is right"


@pytest.mark.parametrize("status, body", [(500, "<pre>PROVIDER-BODY-91 trace</pre>"),
                                          (400, '{"error": "invalid_grant", "error_description": "PROVIDER-BODY-91"}')])
def test_a_broken_token_endpoint_shows_a_message_without_its_body(browser, app_url, provider, status, body):
    callback = at_provider(browser, to_provider(browser, app_url))
    provider.misbehave(token_status=status, token_body=body)
    answer = browser.get(callback)
    assert answer.status_code == 400 and shows(answer, oidc.UNEXPECTED) and "PROVIDER-BODY-91" not in answer.text
    assert not signed_in(browser, app_url)


def test_a_user_outside_the_allowed_groups_is_refused(browser, app_url):
    answer = sign_in(browser, app_url, username="outsider")
    assert answer.status_code == 403 and shows(answer, NOT_IN_GROUP)
    assert not signed_in(browser, app_url)


def test_a_refusal_at_the_provider_keeps_next_for_the_next_try(browser, app_url):
    callback = at_provider(browser, to_provider(browser, app_url, "/notes?q=a"))
    state = parse_qs(urlsplit(callback).query)["state"][0]
    answer = browser.get(f"{app_url}/auth/callback", params={"error": "access_denied", "state": state,
                                                            "error_description": "<b>raw provider text</b>"})
    assert answer.status_code == 400 and shows(answer, CANCELLED) and "raw provider text" not in answer.text
    assert 'href="/login?next=%2Fnotes%3Fq%3Da"' in answer.text and "Sign in with the test provider" in answer.text


def test_logout_ends_the_session(browser, app_url, provider):
    assert sign_in(browser, app_url).status_code == 303 and signed_in(browser, app_url)
    out = browser.get(f"{app_url}/logout")
    assert out.status_code == 200 and shows(out, SIGNED_OUT)
    assert browser.get(f"{app_url}/notes").headers["location"] == "/login?next=/notes"
    assert sign_in(browser, app_url).status_code == 303
    posted = browser.post(f"{app_url}/logout", headers={"Sec-Fetch-Site": "same-origin"})
    assert posted.status_code == 200 and shows(posted, SIGNED_OUT) and not signed_in(browser, app_url)
    assert provider.logouts() == [], "a provider without end_session_endpoint: the logout is ours only"


def test_logout_ends_the_providers_session_when_it_offers_rp_initiated_logout(oidc_provider, provider, tmp_path,
                                                                             browser):
    provider.misbehave(end_session=True)  # before the new app's first discovery
    app, _, _ = create_app(oidc_provider.issuer, f"sqlite:///{tmp_path / 'notes.db'}")
    with served(app) as url:
        assert sign_in(browser, url).status_code == 303
        out = browser.get(f"{url}/logout")
        assert out.status_code == 303 and not signed_in(browser, url), "our session ends first"
        target = urlsplit(out.headers["location"])
        assert f"{target.scheme}://{target.netloc}{target.path}" == f"{oidc_provider.issuer}/end-session"
        query = parse_qs(target.query)
        assert query["post_logout_redirect_uri"] == [f"{url}/login"] and query["client_id"] == [CLIENT_ID]
        back = browser.get(out.headers["location"])  # the provider checks the hint and sends the browser back
        assert back.status_code == 302 and back.headers["location"] == f"{url}/login"
        [seen] = provider.logouts()
        assert seen["sub"] and CLIENT_ID in seen["aud"] and seen["post_logout_redirect_uri"] == f"{url}/login"
        assert sign_in(browser, url).status_code == 303
        posted = browser.post(f"{url}/logout", headers={"Sec-Fetch-Site": "same-origin"})
        assert posted.status_code == 303 and browser.get(posted.headers["location"]).status_code == 302
        assert len(provider.logouts()) == 2
        alone = browser.get(f"{url}/logout")  # no session, so no ID token to end the provider's with
        assert alone.status_code == 200 and shows(alone, SIGNED_OUT)


def test_a_user_in_many_groups_stays_signed_in_and_still_ends_the_providers_session(oidc_provider, provider, tmp_path,
                                                                                      browser, caplog):
    """The ID token is kept for the provider's logout only while the session cookie stays
    under what browsers keep (they drop a bigger one silently: a sign-in loop)."""
    many = [f"/Teams/Region-{number:02d}/Operations-and-Maintenance" for number in range(40)]
    provider.misbehave(end_session=True, extra_groups=many)
    app, _, _ = create_app(oidc_provider.issuer, f"sqlite:///{tmp_path / 'notes.db'}")
    with served(app) as url, caplog.at_level(logging.INFO, logger="fasthx_ui.crud.oidc"):
        assert sign_in(browser, url).status_code == 303
        [session] = [cookie for cookie in browser.cookies.jar if cookie.name == "session"]
        assert len(session.name) + len(session.value) + 1 <= COOKIE_LIMIT, "a browser keeps this cookie"
        assert "too big to keep" in caplog.text
        page = browser.get(f"{url}/notes")
        assert page.status_code == 200 and "dev" in page.text
        out = browser.get(f"{url}/logout")
        assert out.status_code == 303 and not signed_in(browser, url)
        query = parse_qs(urlsplit(out.headers["location"]).query)
        assert "id_token_hint" not in query and query["client_id"] == [CLIENT_ID]
        assert browser.get(out.headers["location"]).headers["location"] == f"{url}/login"
        assert [seen["client_id"] for seen in provider.logouts()] == [CLIENT_ID]


@pytest.fixture
def two_processes(oidc_provider, tmp_path):
    """Two uvicorn processes of the test app, sharing its session secret."""
    started = [serve(["-m", "tests.unit.oidc_app", "--database", f"sqlite:///{tmp_path / f'{name}.db'}"],
                     env={"AUTH_DISABLED": "0", "OIDC_ISSUER": oidc_provider.issuer}) for name in ("a", "b")]
    try:
        yield [url for _, url in started]
    finally:
        for process, _ in started:
            process.terminate()
            process.wait(timeout=10)


def test_sign_in_started_at_one_process_ends_at_another(two_processes, browser):
    """State, nonce and verifier wait in the signed cookie, so behind a load balancer the
    callback may reach another process than /login did; the session then works at both."""
    first, second = two_processes
    callback = urlsplit(at_provider(browser, to_provider(browser, first, "/notes?page=1")))
    at_second = urlunsplit(callback._replace(netloc=urlsplit(second).netloc))
    back = browser.get(at_second)
    assert back.status_code == 303 and back.headers["location"] == "/notes?page=1"
    assert signed_in(browser, first) and signed_in(browser, second)
    assert browser.get(f"{first}/logout").status_code == 200
    assert not signed_in(browser, second)


def page_token(answer):
    return META_TOKEN.search(answer.text)[1]


def test_sign_in_and_logout_give_a_new_csrf_token(browser, app_url):
    browser.get(f"{app_url}/login")
    anonymous = browser.cookies["fasthx_csrf"]
    assert sign_in(browser, app_url).status_code == 303
    assert browser.cookies["fasthx_csrf"] != anonymous
    first = page_token(browser.get(f"{app_url}/dashboard"))
    cross_site = {"Sec-Fetch-Site": "cross-site"}
    out = browser.post(f"{app_url}/logout", headers={"X-CSRF-Token": first, **cross_site})
    assert out.status_code == 200 and shows(out, SIGNED_OUT)
    assert page_token(out) != first, "the signed-out page already carries the new token"
    assert sign_in(browser, app_url).status_code == 303
    again = page_token(browser.get(f"{app_url}/dashboard"))
    assert again not in (first, page_token(out))
    stale = browser.post(f"{app_url}/logout", headers={"X-CSRF-Token": first, **cross_site})
    assert stale.status_code == 403 and signed_in(browser, app_url)


def test_a_provider_that_is_down(tmp_path):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    app, _, _ = create_app(f"http://127.0.0.1:{port}", f"sqlite:///{tmp_path / 'down.db'}")
    with served(app) as url, httpx.Client(follow_redirects=False, headers=PAGE) as client:
        answer = client.get(f"{url}/login")
        assert answer.status_code == 503 and shows(answer, oidc.UNREACHABLE)


def test_every_route_refuses_anonymous_users(served_app):
    """Every route of the views (read from their routers) and of the app itself, bar sign-in's own."""
    url, app, admin = served_app
    routes = [(route.method, route.url(1)) for route in view_routes(admin)]
    routes += [(method, route.path) for route in app.routes if isinstance(route, APIRoute)
               and route.path not in SIGN_IN_ROUTES for method in route.methods]
    assert len(routes) >= 8 and ("GET", "/dashboard") in routes and ("POST", "/notes/1/delete") in routes
    wrong = []
    with httpx.Client(follow_redirects=False, base_url=url) as client:
        for method, path in routes:
            page = client.request(method, path, headers={**PAGE, "Sec-Fetch-Site": "same-origin"})
            if page.status_code != 303 or page.headers["location"] != f"/login?next={quote(path)}":
                wrong.append((method, path, page.status_code))
            api = client.request(method, path, headers={"Accept": "application/json", "Sec-Fetch-Site": "same-origin"})
            if api.status_code != 401:
                wrong.append((method, path, "api", api.status_code))
    assert wrong == []


def test_settings_from_the_environment():
    from fasthx_ui.crud import OIDCSignIn as exported

    assert exported is OIDCSignIn
    sign_in = OIDCSignIn.from_env({"OIDC_ISSUER": "https://id.example/realms/r/", "OIDC_CLIENT_ID": "app",
                                   "OIDC_CLIENT_SECRET": "s", "OIDC_SCOPES": "openid email groups",
                                   "OIDC_GROUPS_CLAIM": "roles", "OIDC_ALLOWED_GROUPS": "/a /b"})
    assert sign_in.issuer == "https://id.example/realms/r" and sign_in.client_id == "app"
    assert sign_in.scopes == ("openid", "email", "groups") and sign_in.groups_claim == "roles"
    assert sign_in.allowed_groups == ["/a", "/b"]
    with pytest.raises(ValueError, match="OIDC_CLIENT_ID, OIDC_CLIENT_SECRET"):
        OIDCSignIn.from_env({"OIDC_ISSUER": "https://id.example"})
    with pytest.raises(ValueError, match="openid"):
        OIDCSignIn(issuer="https://id.example", client_id="a", client_secret="s", scopes=("email",))

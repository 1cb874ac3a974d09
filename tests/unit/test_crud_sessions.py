"""crud.sessions: renewal on sign-in, sign-out, idle and absolute lifetimes on an injected
clock, the cookie's flags, `safe_next`, and the `Admin(sign_in=...)` hook."""

import pytest
from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse
from starlette.middleware.sessions import SessionMiddleware
from starlette.testclient import TestClient

from fasthx_ui.crud import Admin, auth, sessions

ADA = {"username": "ada", "groups": ["/NOC"]}


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: float = 1_000_000.0):
        self.now = now

    def __call__(self) -> float:
        return self.now


def session_app(clock: Clock, **options) -> FastAPI:
    app = FastAPI()

    @app.get("/me")
    def me(request: Request):
        return {"user": auth.get_current_user(request), "session": dict(request.session)}

    @app.get("/plant")
    def plant(request: Request):
        request.session["planted"] = "by someone else"
        return {}

    @app.get("/sign-in")
    def sign_in(request: Request):
        sessions.sign_in(request, ADA)
        return {}

    @app.get("/own-login")
    def own_login(request: Request):
        request.session["user"] = ADA  # the reference's way: no timestamps
        return {}

    @app.get("/sign-out")
    def sign_out(request: Request):
        sessions.sign_out(request)
        return {}

    @app.get("/go")
    def go(request: Request, next: str = "/"):
        return RedirectResponse(sessions.safe_next(next), status_code=303)

    sessions.install_sessions(app, "test-secret", clock=clock, **options)
    return app


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def client(monkeypatch, clock):
    monkeypatch.setattr(auth, "AUTH_DISABLED", False)
    return TestClient(session_app(clock, idle=600, absolute=3600), follow_redirects=False)


def me(client):
    return client.get("/me").json()


def test_sign_in_drops_the_old_session_and_a_cookie_captured_before_stays_anonymous(client):
    client.get("/plant")
    before = client.cookies["session"]
    client.get("/sign-in")
    after = client.cookies["session"]
    assert after != before
    state = me(client)
    assert state["user"] == ADA
    assert "planted" not in state["session"]
    assert set(state["session"]) == {"user", "session_id", "issued_at", "seen_at"}

    client.cookies.set("session", before)  # the cookie an attacker planted or captured earlier
    assert me(client)["user"] is None


def test_each_sign_in_gets_a_fresh_session_id(client):
    client.get("/sign-in")
    first = me(client)["session"]["session_id"]
    client.get("/sign-in")
    second = me(client)["session"]["session_id"]
    assert first != second and len(first) >= 32


def test_sign_out_clears_the_session_and_the_cookie(client):
    client.get("/sign-in")
    response = client.get("/sign-out")
    assert "session=null" in response.headers["set-cookie"]
    assert "expires=Thu, 01 Jan 1970" in response.headers["set-cookie"]
    assert "session" not in client.cookies
    assert me(client) == {"user": None, "session": {}}


def test_idle_lifetime_ends_a_quiet_session(client, clock):
    client.get("/sign-in")
    clock.now += 599
    assert me(client)["user"] == ADA
    clock.now += 599  # busy sessions move their last-seen time: still alive
    assert me(client)["user"] == ADA
    clock.now += 600
    state = me(client)
    assert state == {"user": None, "session": {}}
    clock.now -= 600  # the ended session was cleared, not just hidden
    assert me(client)["user"] is None


def test_absolute_lifetime_ends_even_a_busy_session(client, clock):
    client.get("/sign-in")
    for _ in range(7):
        clock.now += 500
        assert me(client)["user"] == ADA
    clock.now += 100  # 3,600 s after sign-in
    assert me(client)["user"] is None


def test_last_seen_moves_at_most_once_a_minute(client, clock):
    client.get("/sign-in")
    issued = me(client)["session"]["seen_at"]
    clock.now += 30
    assert me(client)["session"]["seen_at"] == issued
    clock.now += 30
    assert me(client)["session"]["seen_at"] == issued + 60


def test_tampered_timestamps_end_the_session(monkeypatch, clock):
    monkeypatch.setattr(auth, "AUTH_DISABLED", False)
    app = FastAPI()

    @app.get("/forge")
    def forge(request: Request):
        sessions.sign_in(request, ADA)
        request.session["seen_at"] = "later"
        return {}

    @app.get("/me")
    def who(request: Request):
        return {"user": auth.get_current_user(request)}

    sessions.install_sessions(app, "s", clock=clock)
    client = TestClient(app)
    client.get("/forge")
    assert client.get("/me").json() == {"user": None}


def test_a_session_written_without_sign_in_keeps_the_reference_behaviour(client, clock):
    client.get("/own-login")
    clock.now += 10 * 3600
    assert me(client)["user"] == ADA


def test_cookie_is_httponly_samesite_lax_and_lives_no_longer_than_the_session(client):
    cookie = client.get("/sign-in").headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "max-age=3600" in cookie
    assert "secure" not in cookie


def test_cookie_size_matches_the_cookie_and_a_session_too_big_for_browsers_is_logged(monkeypatch, clock, caplog):
    """Browsers drop a cookie over 4096 bytes without a word, so a user with a huge groups
    list would not stay signed in: the log says so at sign-in."""
    monkeypatch.setattr(auth, "AUTH_DISABLED", False)
    app = session_app(clock)
    big = {"username": "grace", "groups": [f"/Teams/Region-{number:03d}/Operations" for number in range(150)]}

    @app.get("/sign-in-big")
    def sign_in_big(request: Request):
        sessions.sign_in(request, big)
        return {"estimate": sessions.cookie_size(request.session)}

    client = TestClient(app)
    small = client.get("/sign-in")
    assert "too big" not in caplog.text and "browser" not in caplog.text
    value = small.headers["set-cookie"].split(";")[0]
    assert abs(len(value) - sessions.cookie_size(client.get("/me").json()["session"])) <= 8
    answer = client.get("/sign-in-big")
    assert answer.json()["estimate"] > sessions.COOKIE_LIMIT
    assert "'grace'" in caplog.text and "a browser keeps" in caplog.text


@pytest.mark.parametrize("env, option, secure", [("1", None, True), ("yes", None, True), ("", None, False), ("0", True, True), ("1", False, False)])
def test_secure_flag_from_the_option_or_session_cookie_secure(monkeypatch, clock, env, option, secure):
    monkeypatch.setenv("SESSION_COOKIE_SECURE", env)
    client = TestClient(session_app(clock, https_only=option))
    cookie = client.get("/sign-in").headers["set-cookie"].lower()
    assert ("; secure" in cookie) is secure


def test_an_app_with_its_own_session_middleware_keeps_it(clock):
    app = FastAPI()
    app.add_middleware(SessionMiddleware, secret_key="theirs", same_site="strict")
    sessions.install_sessions(app, "ours", clock=clock)
    assert [m.cls for m in app.user_middleware].count(SessionMiddleware) == 1
    assert app.state.fasthx_sessions.clock is clock


def test_lifetimes_must_be_positive():
    with pytest.raises(ValueError, match="positive"):
        sessions.install_sessions(FastAPI(), "s", idle=0)


@pytest.mark.parametrize(
    "value, expected",
    [
        ("/orders?page=2", "/orders?page=2"),
        ("/", "/"),
        ("/devices/eu%2F7", "/devices/eu%2F7"),
        ("/search?next=//elsewhere", "/search?next=//elsewhere"),
        ("//evil.com", "/"),
        ("///evil.com", "/"),
        ("https://evil.com", "/"),
        ("http:/evil.com", "/"),
        ("/\\evil.com", "/"),
        ("\\\\evil.com", "/"),
        ("%2F%2Fevil.com", "/"),
        ("javascript:alert(1)", "/"),
        ("/\t/evil.com", "/"),
        ("/\n/evil.com", "/"),
        ("/ /evil.com", "/"),
        (" /orders", "/"),
        ("/orders\x7f", "/"),
        ("orders", "/"),
        ("", "/"),
        (None, "/"),
        (["/orders"], "/"),
    ],
)
def test_safe_next_keeps_only_paths_of_this_app(value, expected):
    assert sessions.safe_next(value) == expected
    assert sessions.safe_next(value, "/home") == (expected if expected != "/" or value == "/" else "/home")


@pytest.mark.parametrize("query", ["next=//evil.com", "next=%2F%2Fevil.com", "next=https%3A%2F%2Fevil.com", "next=/%5Cevil.com", "next=%2F%09%2Fevil.com"])
def test_a_decoded_next_parameter_never_leaves_the_app(client, query):
    response = client.get(f"/go?{query}")
    assert response.status_code == 303
    assert response.headers["location"] == "/"


class Recorder:
    """A sign-in plug that records the Admin it was installed on and adds a /login."""

    def __init__(self):
        self.admins = []

    def install(self, admin):
        self.admins.append(admin)

        @admin.app.get("/login")
        def login(request: Request):
            sessions.sign_in(request, ADA)
            return {"signed_in": True}


def test_admin_installs_sessions_then_the_sign_in_plug(monkeypatch):
    monkeypatch.setattr(auth, "AUTH_DISABLED", False)
    app = FastAPI()

    @app.get("/me")
    def who(request: Request):
        return {"user": auth.get_current_user(request)}

    plug = Recorder()
    admin = Admin(app, sign_in=plug, session_secret="one-secret", session_idle=120, session_absolute=900)
    assert plug.admins == [admin] and admin.sign_in is plug
    assert app.state.fasthx_sessions.idle == 120 and app.state.fasthx_sessions.absolute == 900
    client = TestClient(app)
    assert "max-age=900" in client.get("/login").headers["set-cookie"].lower()
    assert client.get("/me").json() == {"user": ADA}


def test_admin_without_a_sign_in_plug_adds_no_session_cookie():
    app = FastAPI()
    admin = Admin(app)
    assert admin.sign_in is None
    assert SessionMiddleware not in [m.cls for m in app.user_middleware]


def test_session_https_only_marks_the_csrf_cookie_secure_too(monkeypatch):
    monkeypatch.setattr(auth, "AUTH_DISABLED", False)
    app = FastAPI()
    Admin(app, sign_in=Recorder(), session_secret="s", session_https_only=True)
    cookies = TestClient(app).get("/login").headers.get_list("set-cookie")
    assert len(cookies) == 2 and all("secure" in cookie.lower() for cookie in cookies)

"""LocalSignIn over HTTP on SQLite and PostgreSQL: the page, one message for every wrong
case, the typed username kept, renewal, logout, `next`, throttling per user and per address,
rehashing, inactive users, and CSRF on the sign-in form."""

import html

import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher
from sqlalchemy.orm import Session
from starlette.testclient import TestClient

from fasthx_ui.crud import auth
from fasthx_ui.crud.local_sign_in import MISSING, WRONG
from fasthx_ui.crud.throttle import DatabaseFailures, Limit, LoginThrottle
from fasthx_ui.crud.users import User

from ..databases import KINDS, database_engine
from .local_auth import ADA_PASSWORD, CHEAP, Clock, add_user, post_login, sign_in_app

ADA = {"username": "ada", "groups": ["/NOC"]}


@pytest.fixture(params=KINDS)
def engine(request, tmp_path, monkeypatch):
    monkeypatch.setattr(auth, "AUTH_DISABLED", False)
    with database_engine(request.param, tmp_path) as engine:
        add_user(engine, "ada", ADA_PASSWORD)
        add_user(engine, "eve", "eves password", active=False)
        yield engine


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def client(engine, clock):
    with TestClient(sign_in_app(engine, clock), follow_redirects=False) as client:
        yield client


def me(client):
    return client.get("/me").json()["user"]


def test_the_sign_in_page_is_built_from_components_and_public(client):
    page = client.get("/login?next=/orders")
    assert page.status_code == 200
    text = page.text
    assert 'class="fhx-sidebar' not in text and 'id="fhx-sidebar"' not in text
    assert 'data-fhx-form' in text and 'hx-post' not in text, "a plain form: it works without JavaScript"
    assert 'action="/login?next=/orders"' in text
    assert '<label class="form-label" for="username">Username' in text
    assert '<label class="form-label" for="password">Password' in text
    assert 'name="csrf_token"' in text
    assert 'autocomplete="current-password"' in text and 'type="password"' in text
    assert 'id="fhx-login-error"' not in text and 'aria-invalid' not in text


@pytest.mark.parametrize("username, password", [("ada", "wrong"), ("nobody", ADA_PASSWORD), ("eve", "eves password"), ("Ada", ADA_PASSWORD)])
def test_unknown_user_wrong_password_and_inactive_user_get_the_same_answer(client, username, password):
    page = post_login(client, username, password)
    assert page.status_code == 401
    assert page.context["error"] == WRONG
    assert f'<div id="fhx-login-error" class="alert alert-danger" role="alert">{WRONG}</div>' in page.text
    assert f'value="{html.escape(username)}"' in page.text, "the typed username is kept"
    assert password not in page.text, "the password is never sent back"
    assert page.text.count('aria-invalid="true"') == 2 and page.text.count('aria-describedby="fhx-login-error"') == 2
    assert "set-cookie" not in page.headers or "session=" not in page.headers["set-cookie"]
    assert me(client) is None


def test_the_typed_username_is_escaped(client):
    page = post_login(client, '<script>alert(1)</script>"', "x")
    assert "<script>alert(1)</script>" not in page.text
    assert 'value="&lt;script&gt;alert(1)&lt;/script&gt;&#34;"' in page.text


def test_empty_fields_ask_for_both_and_count_no_failure(client, engine):
    page = post_login(client, "ada", "")
    assert page.status_code == 422 and page.context["error"] == MISSING
    with engine.connect() as conn:
        assert conn.execute(sa.text("select count(*) from fasthx_login_failures")).scalar() == 0


def test_sign_in_renews_the_session_and_lands_on_next(client):
    planted = _planted()
    client.cookies.set("session", planted, domain="testserver.local")
    response = post_login(client, "  ada ", ADA_PASSWORD, next="/orders?page=2")
    assert response.status_code == 303 and response.headers["location"] == "/orders?page=2"
    assert client.cookies["session"] != planted
    assert me(client) == ADA
    with TestClient(client.app, headers={"Cookie": f"session={planted}"}) as attacker:
        assert attacker.get("/me").json() == {"user": None}, "a cookie from before sign-in never becomes a signed-in one"


def _planted() -> str:
    """A session cookie signed with the app's secret that an attacker could have planted."""
    import itsdangerous
    import json
    from base64 import b64encode

    data = b64encode(json.dumps({"planted": True}).encode())
    return itsdangerous.TimestampSigner("local-auth-secret").sign(data).decode()


@pytest.mark.parametrize("next", ["//evil.com", "https://evil.com", "/\\evil.com", "%2F%2Fevil.com", "javascript:alert(1)", "/\t/evil.com"])
def test_next_never_leaves_the_app(client, next):
    response = post_login(client, "ada", ADA_PASSWORD, next=next)
    assert response.status_code == 303 and response.headers["location"] == "/"
    assert client.get("/login", params={"next": next}).headers["location"] == "/"


def test_double_encoded_next_in_the_raw_query_string(client):
    response = client.post("/login?next=%252F%252Fevil.com", data={"username": "ada", "password": ADA_PASSWORD})
    assert response.headers["location"] == "/"


def test_signed_in_users_skip_the_page(client):
    post_login(client, "ada", ADA_PASSWORD)
    response = client.get("/login?next=/devices")
    assert response.status_code == 303 and response.headers["location"] == "/devices"


@pytest.mark.parametrize("method", ["get", "post"])
def test_logout_clears_the_session(client, method):
    post_login(client, "ada", ADA_PASSWORD)
    response = getattr(client, method)("/logout")
    assert response.status_code == 303 and response.headers["location"] == "/login"
    assert "session" not in client.cookies
    assert me(client) is None


def test_idle_and_absolute_lifetimes_apply_to_local_sign_in(engine, clock):
    with TestClient(sign_in_app(engine, clock, session_idle=300, session_absolute=1000), follow_redirects=False) as client:
        post_login(client, "ada", ADA_PASSWORD)
        clock.now += 299
        assert me(client) == ADA
        clock.now += 300
        assert me(client) is None
        post_login(client, "ada", ADA_PASSWORD)
        for _ in range(4):
            clock.now += 250
            assert me(client) == (ADA if _ < 3 else None)


def test_wrong_passwords_are_slowed_per_user(client, clock):
    for _ in range(3):
        assert post_login(client, "ada", "wrong").status_code == 401
    refused = post_login(client, "ada", ADA_PASSWORD)
    assert refused.status_code == 429 and refused.headers["retry-after"] == "1"
    assert refused.context["error"] == "Too many failed sign-ins. Try again in 1 second."
    assert me(client) is None, "the right password does not pass while the user is throttled"
    clock.now += 1
    assert post_login(client, "ada", "wrong").status_code == 401
    assert post_login(client, "ada", ADA_PASSWORD).headers["retry-after"] == "2"
    clock.now += 2
    assert post_login(client, "ADA", "wrong").status_code == 401, "counted under the name in any case"
    assert post_login(client, "ada", ADA_PASSWORD).headers["retry-after"] == "4"
    clock.now += 4
    assert post_login(client, "ada", ADA_PASSWORD).status_code == 303
    assert post_login(client, "ada", "wrong").status_code == 401, "a success forgets the user's failures"


def test_waits_double_up_to_the_cap_and_old_failures_are_forgotten(engine, clock):
    throttle = LoginThrottle(DatabaseFailures(engine), per_user=Limit(free=1, max_wait=8), forget_after=100, clock=clock)
    with TestClient(sign_in_app(engine, clock, throttle=throttle), follow_redirects=False) as client:
        waits = []
        for attempt in range(6):
            if attempt:
                clock.now += waits[-1]
            assert post_login(client, "ada", "wrong").status_code == 401
            waits.append(throttle.wait("ada", "testclient"))
        assert waits == [1, 2, 4, 8, 8, 8]
        assert post_login(client, "ada", ADA_PASSWORD).status_code == 429
        clock.now += 100
        assert throttle.wait("ada", "testclient") == 0
        post_login(client, "ada", "wrong")
        assert throttle.wait("ada", "testclient") == 1, "counting starts again from one"


def test_wrong_passwords_are_slowed_per_address_across_usernames(engine, clock):
    throttle = LoginThrottle(DatabaseFailures(engine), per_address=Limit(free=5), clock=clock)
    with TestClient(sign_in_app(engine, clock, throttle=throttle), follow_redirects=False) as client:
        for number in range(5):
            assert post_login(client, f"guess{number}", "x").status_code == 401
        refused = post_login(client, "ada", ADA_PASSWORD)
        assert refused.status_code == 429
        other = TestClient(client.app, follow_redirects=False, client=("10.0.0.9", 5000))
        assert post_login(other, "ada", ADA_PASSWORD).status_code == 303, "another address is not slowed"


def test_two_apps_on_one_database_share_the_counts(engine, clock):
    first = TestClient(sign_in_app(engine, clock), follow_redirects=False)
    second = TestClient(sign_in_app(engine, clock), follow_redirects=False)
    for client in (first, second, first):
        assert post_login(client, "ada", "wrong").status_code == 401
    assert post_login(second, "ada", ADA_PASSWORD).status_code == 429


def test_a_hash_made_with_older_parameters_is_renewed_at_sign_in(engine, clock):
    stronger = PasswordHasher(time_cost=2, memory_cost=2048, parallelism=1)
    with Session(engine) as session:
        before = session.scalar(sa.select(User.password_hash).where(User.username == "ada"))
    assert "m=1024,t=1,p=1" in before
    with TestClient(sign_in_app(engine, clock, hasher=stronger), follow_redirects=False) as client:
        assert post_login(client, "ada", "wrong").status_code == 401
        with Session(engine) as session:
            assert session.scalar(sa.select(User.password_hash).where(User.username == "ada")) == before
        assert post_login(client, "ada", ADA_PASSWORD).status_code == 303
    with Session(engine) as session:
        after = session.scalar(sa.select(User.password_hash).where(User.username == "ada"))
    assert "m=2048,t=2,p=1" in after and after != before
    with TestClient(sign_in_app(engine, clock, hasher=CHEAP), follow_redirects=False) as client:
        assert post_login(client, "ada", ADA_PASSWORD).status_code == 303, "the renewed hash still checks"


def test_a_cross_site_sign_in_post_without_the_token_is_refused(client):
    response = post_login(client, "ada", ADA_PASSWORD, **{"Sec-Fetch-Site": "cross-site"})
    assert response.status_code == 403
    assert me(client) is None


def test_the_sign_in_form_posts_with_its_token_from_a_browser(client):
    page = client.get("/login")
    token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    response = client.post(
        "/login", data={"username": "ada", "password": ADA_PASSWORD, "csrf_token": token}, headers={"Sec-Fetch-Site": "cross-site"}
    )
    assert response.status_code == 303 and me(client) == ADA


def test_sign_in_and_sign_out_give_a_new_csrf_token(client):
    before = client.get("/csrf").json()
    cookie = client.cookies["fasthx_csrf"]
    assert post_login(client, "ada", ADA_PASSWORD).status_code == 303
    after = client.get("/csrf").json()
    assert after != before and client.cookies["fasthx_csrf"] != cookie
    cross_site = {"Sec-Fetch-Site": "cross-site"}
    stale = client.post("/logout", headers={"X-CSRF-Token": before, **cross_site})
    assert stale.status_code == 403 and me(client) == ADA, "a token from before sign-in no longer passes"
    assert client.post("/logout", headers={"X-CSRF-Token": after, **cross_site}).status_code == 303
    assert me(client) is None and client.get("/csrf").json() not in (before, after)


def test_a_database_that_cannot_answer_fails_closed(clock, monkeypatch, tmp_path):
    monkeypatch.setattr(auth, "AUTH_DISABLED", False)
    gone = sa.create_engine(f"sqlite:///{tmp_path}/missing/dir/users.db")
    with TestClient(sign_in_app(gone, clock), follow_redirects=False) as client:
        page = post_login(client, "ada", ADA_PASSWORD)
    assert page.status_code == 503 and "not possible right now" in page.context["error"]


def test_two_apps_share_the_counts_in_redis(engine, clock, prefix):
    import redis

    from fasthx_ui.crud.throttle import RedisFailures

    from ..redis_keys import REDIS_URL

    def app():
        return sign_in_app(engine, clock, throttle=LoginThrottle(RedisFailures(REDIS_URL, prefix=prefix), clock=clock))

    first, second = TestClient(app(), follow_redirects=False), TestClient(app(), follow_redirects=False)
    for client in (first, second, first):
        assert post_login(client, "ada", "wrong").status_code == 401
    assert post_login(second, "ada", ADA_PASSWORD).status_code == 429
    with engine.connect() as conn:
        assert conn.execute(sa.text("select count(*) from fasthx_login_failures")).scalar() == 0, "nothing in the database"
    stored = redis.Redis.from_url(REDIS_URL, decode_responses=True)
    assert stored.hgetall(f"{prefix}login-failures:user:ada") == {"count": "3", "last": repr(clock.now)}
    assert 0 < stored.ttl(f"{prefix}login-failures:ip:testclient") <= 3600
    clock.now += 3600
    assert post_login(first, "ada", "wrong").status_code == 401
    assert stored.hget(f"{prefix}login-failures:user:ada", "count") == "1", "an old count starts again"
    clock.now += 1
    assert post_login(second, "ada", ADA_PASSWORD).status_code == 303
    assert not stored.exists(f"{prefix}login-failures:user:ada"), "a success forgets the user's failures"


def test_redis_that_cannot_answer_fails_closed(engine, clock):
    from fasthx_ui.crud.throttle import RedisFailures

    from helpers import free_port

    throttle = LoginThrottle(RedisFailures(f"redis://127.0.0.1:{free_port()}/0", socket_timeout=0.5), clock=clock)
    with TestClient(sign_in_app(engine, clock, throttle=throttle), follow_redirects=False) as client:
        page = post_login(client, "ada", ADA_PASSWORD)
        assert page.status_code == 503 and me(client) is None

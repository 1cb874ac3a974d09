"""Once local sign-in is on: every route of a test app (read from `app.routes`, so a route
added later is covered) refuses anonymous users and serves the signed-in one, and two uvicorn
processes sharing the secret accept the same session."""

import re
from urllib.parse import quote

import httpx
import pytest
from fastapi.routing import APIRoute
from starlette.routing import Mount, Route
from starlette.testclient import TestClient

from fasthx_ui.crud import auth
from fasthx_ui.crud.db import open_session

from helpers import serve
from local_sign_in_app import Gadget, create_app

from .local_auth import ADA_PASSWORD, add_user

PAGE = {"Accept": "text/html"}
HTMX = {"HX-Request": "true", "Accept": "text/html"}
API = {"Accept": "application/json"}
PARAM = re.compile(r"\{[^}]+\}")
# The only routes anonymous users may use: signing in and out, the toolkit's static files,
# and the test app's `/me` probe (it tells anybody who they are).
PUBLIC = {("GET", "/login"), ("POST", "/login"), ("GET", "/logout"), ("POST", "/logout"), ("GET", "/_fasthx/{version}/{path:path}"),
          ("GET", "/me")}


@pytest.fixture
def app(tmp_path, monkeypatch):
    monkeypatch.setattr(auth, "AUTH_DISABLED", False)
    monkeypatch.setenv("SESSION_SECRET", "routes-secret")
    app = create_app(str(tmp_path / "routes.db"))
    from fasthx_ui.crud.db import get_engine

    add_user(get_engine(), "ada", ADA_PASSWORD)
    with open_session() as session:
        session.add(Gadget(id=1, name="sprocket"))
        session.commit()
    return app


def every_route(routes, prefix=""):
    """(method, path template, URL) of every route and method, included routers' (the
    views') too."""
    for route in routes:
        if isinstance(route, Mount):
            continue  # the mounted static folder: checked on its own below
        if hasattr(route, "original_router"):  # FastAPI's include_router entry
            yield from every_route(route.original_router.routes, prefix + route.include_context.prefix)
            continue
        assert isinstance(route, APIRoute | Route), route
        path = prefix + route.path
        for method in sorted(route.methods - {"HEAD"}):
            yield method, path, PARAM.sub("1", path)


def test_every_route_refuses_anonymous_users_and_serves_the_signed_in_one(app):
    routes = list(every_route(app.routes))
    assert len(routes) > 10 and ("POST", "/gadgets/{item_id}/delete") in [(m, p) for m, p, _ in routes]
    wrong = []
    with TestClient(app, follow_redirects=False) as anonymous:
        for method, path, url in routes:
            if (method, path) in PUBLIC:
                continue
            page = anonymous.request(method, url, headers=PAGE)
            if page.status_code != 303 or page.headers.get("location") != f"/login?next={quote(url)}":
                wrong.append((method, url, "page", page.status_code))
            htmx = anonymous.request(method, url, headers=HTMX)
            if htmx.status_code != 401 or not htmx.headers.get("HX-Redirect", "").startswith("/login?next="):
                wrong.append((method, url, "htmx", htmx.status_code))
            api = anonymous.request(method, url, headers=API)
            if api.status_code != 401:
                wrong.append((method, url, "api", api.status_code))
    assert wrong == []
    with open_session() as session:
        assert session.get(Gadget, 1).name == "sprocket", "a refused request wrote nothing"

    with TestClient(app, follow_redirects=False) as signed_in:
        assert signed_in.post("/login", data={"username": "ada", "password": ADA_PASSWORD}).status_code == 303
        for method, path, url in routes:
            if method == "GET" and (method, path) not in PUBLIC:
                response = signed_in.get(url, headers=PAGE)  # some want more input (400): still not refused
                assert response.status_code < 500 and response.status_code not in (401, 403), (url, response.status_code)
                assert "/login" not in response.headers.get("location", "")


def test_the_static_mount_and_assets_are_public(app):
    with TestClient(app) as anonymous:
        admin = app.state.fasthx_ui
        assert anonymous.get(admin.static_url("fasthx_ui/fasthx_ui.css")).status_code == 200
        mounts = [route for route in app.routes if isinstance(route, Mount)]
        assert [m.path for m in mounts] == ["/static/fasthx-admin"]
        assert anonymous.get("/static/fasthx-admin/fasthx_ui/fasthx_ui.css").status_code == 200


@pytest.fixture
def three_processes(tmp_path):
    """Two processes with one secret (A, B) and one with another (C), on one database."""
    db = tmp_path / "shared.db"
    create_app(str(db), "setup")  # creates the tables before the processes start
    from fasthx_ui.crud.db import get_engine

    add_user(get_engine(), "ada", ADA_PASSWORD)
    started = []
    try:
        for secret in ("shared-secret", "shared-secret", "another-secret"):
            started.append(serve(["tests/e2e/local_sign_in_app.py", "--db", str(db)], env={"SESSION_SECRET": secret, "AUTH_DISABLED": "0"}))
        yield [url for _, url in started]
    finally:
        for process, _ in started:
            process.terminate()
            process.wait(timeout=10)


def test_two_processes_sharing_the_secret_accept_the_same_session(three_processes):
    first, second, other = three_processes
    with httpx.Client(follow_redirects=False) as browser:  # one cookie jar: cookies are per host, not per port
        page = browser.get(first + "/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        signed = browser.post(first + "/login?next=/gadgets", data={"username": "ada", "password": ADA_PASSWORD, "csrf_token": token})
        assert signed.status_code == 303 and signed.headers["location"] == "/gadgets"
        assert browser.get(first + "/me").json()["user"] == {"username": "ada", "groups": ["/NOC"]}
        at_second = browser.get(second + "/me").json()
        assert at_second == {"user": {"username": "ada", "groups": ["/NOC"]}, "port": int(second.rsplit(":", 1)[1])}
        assert browser.get(second + "/gadgets", headers=PAGE).status_code == 200
        assert browser.get(other + "/me").json()["user"] is None, "another secret does not accept the cookie"
        assert browser.get(second + "/logout").status_code == 303
        assert browser.get(first + "/me").json()["user"] is None, "signed out at B is signed out at A"


def test_pages_offer_sign_out_unless_sign_in_is_off(app, monkeypatch):
    with TestClient(app) as client:
        client.post("/login", data={"username": "ada", "password": ADA_PASSWORD})
        page = client.get("/gadgets")
        assert '<a class="btn btn-sm btn-outline-secondary fhx-sign-out" href="/logout">Sign out</a>' in page.text
    monkeypatch.setattr(auth, "AUTH_DISABLED", True)
    with TestClient(app) as client:
        page = client.get("/gadgets")
        assert page.status_code == 200 and "fhx-user" in page.text and "Sign out" not in page.text

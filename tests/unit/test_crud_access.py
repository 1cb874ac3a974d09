"""crud.access: user_allowed, the guard dependency and the answers to NotSignedIn/Forbidden."""

import json
from types import SimpleNamespace

import pytest
from fastapi import Depends, FastAPI, Request
from fastapi.responses import HTMLResponse
from starlette.middleware.sessions import SessionMiddleware
from starlette.testclient import TestClient

from fasthx_ui.crud import access, auth

ADA = {"username": "ada", "groups": ["/NOC"]}
BOB = {"username": "bob", "groups": ["/Sales"]}
HTMX = {"HX-Request": "true"}
PAGE = {"Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8"}


@pytest.mark.parametrize(
    "user, users, groups, allowed",
    [
        (None, None, None, False),
        (ADA, None, None, True),
        (ADA, ["ada"], None, True),
        (ADA, ["bob"], None, False),
        (ADA, None, ["/NOC", "/Edge-Admins"], True),
        (ADA, None, ["/Sales"], False),
        (ADA, ["bob"], ["/NOC"], True),
        (ADA, ["ada"], ["/Sales"], True),
        (ADA, [], None, False),
        ({"username": "ada"}, None, ["/NOC"], False),
        (None, ["ada"], ["/NOC"], False),
    ],
)
def test_user_allowed(user, users, groups, allowed):
    assert access.user_allowed(user, users, groups) is allowed


def test_unknown_permission_is_refused_at_setup():
    with pytest.raises(ValueError, match="unknown permission"):
        access.guard(SimpleNamespace(), "publish")


def make_client(view, forbidden_page=None) -> TestClient:
    app = FastAPI()
    access.install_access_handlers(app, forbidden_page)
    for permission in (access.READ, access.CREATE, access.EDIT, access.DELETE):
        app.add_api_route(
            f"/things/{permission}",
            lambda: HTMLResponse("ok"),
            methods=["GET", "POST"],
            dependencies=[Depends(access.guard(view, permission))],
        )

    @app.get("/sign-in")
    def sign_in(request: Request, user: str):
        request.session["user"] = json.loads(user)
        return {}

    app.add_middleware(SessionMiddleware, secret_key="test")
    return TestClient(app, follow_redirects=False)


@pytest.fixture(autouse=True)
def auth_on(monkeypatch):
    monkeypatch.setattr(auth, "AUTH_DISABLED", False)


def view(**attrs):
    return SimpleNamespace(**{"name": "things", "display_name": "Things", **attrs})


def signed_in(client: TestClient, user: dict) -> TestClient:
    client.get("/sign-in", params={"user": json.dumps(user)})
    return client


def test_anonymous_page_is_redirected_to_login_with_next():
    response = make_client(view()).get("/things/read?q=a&page=2", headers=PAGE)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/things/read%3Fq%3Da%26page%3D2"


def test_accept_decides_between_redirect_and_401():
    response = make_client(view()).get("/things/read", headers={"Accept": ""})
    assert response.status_code == 401
    response = make_client(view()).get("/things/read")
    assert response.status_code == 303


def test_anonymous_htmx_gets_401_and_a_redirect_to_the_page_in_the_browser():
    headers = {**HTMX, "HX-Current-URL": "http://testserver/things?sort=name"}
    response = make_client(view()).get("/things/read", headers=headers)
    assert response.status_code == 401
    assert response.headers["hx-redirect"] == "/login?next=/things%3Fsort%3Dname"
    assert response.headers["content-type"].startswith("text/plain")


def test_anonymous_htmx_without_current_url_goes_back_to_the_route():
    response = make_client(view()).post("/things/delete", headers=HTMX)
    assert response.status_code == 401
    assert response.headers["hx-redirect"] == "/login?next=/things/delete"


def test_anonymous_json_client_gets_401():
    response = make_client(view()).get("/things/read", headers={"Accept": "application/json"})
    assert response.status_code == 401
    assert response.text == "Sign in required."
    assert response.headers["hx-redirect"].startswith("/login?next=")


def test_signed_in_user_passes_every_permission():
    client = signed_in(make_client(view()), ADA)
    for permission in ("read", "create", "edit", "delete"):
        assert client.get(f"/things/{permission}").text == "ok"
        assert client.post(f"/things/{permission}").text == "ok"


def test_user_outside_the_allow_lists_gets_403():
    client = signed_in(make_client(view(allowed_users=["carol"], allowed_groups=["/NOC"])), BOB)
    response = client.get("/things/read", headers=PAGE)
    assert response.status_code == 403
    assert response.text == "You do not have access to Things."
    assert signed_in(client, ADA).get("/things/read").status_code == 200


def test_htmx_forbidden_is_a_danger_toast_that_swaps_nothing():
    client = signed_in(make_client(view(allowed_users=["carol"])), BOB)
    response = client.post("/things/edit", headers=HTMX)
    assert response.status_code == 403
    assert response.headers["hx-reswap"] == "none"
    toast = json.loads(response.headers["hx-trigger"])["showToast"]
    assert toast["type"] == "danger" and toast["message"] == "You do not have access to Things."


@pytest.mark.parametrize("permission, flag", [("create", "can_create"), ("edit", "can_edit"), ("delete", "can_delete")])
def test_disabled_operation_is_403_on_get_and_post(permission, flag):
    the_view = view(**{flag: False})
    client = signed_in(make_client(the_view), ADA)
    assert client.get(f"/things/{permission}").status_code == 403
    assert client.post(f"/things/{permission}").status_code == 403
    assert client.get("/things/read").status_code == 200
    others = {"create", "edit", "delete"} - {permission}
    assert all(client.post(f"/things/{other}").status_code == 200 for other in others)
    setattr(the_view, flag, True)
    assert client.post(f"/things/{permission}").status_code == 200, "flags are read per request"


def test_disabled_operation_message_names_it():
    client = signed_in(make_client(view(can_delete=False)), ADA)
    assert client.post("/things/delete").text == "Deleting is not allowed in Things."


def test_forbidden_page_renders_browser_403s():
    def page(request, message):
        return HTMLResponse(f"<h1>{message}</h1>", status_code=403)

    client = signed_in(make_client(view(allowed_groups=["/Edge-Admins"]), forbidden_page=page), ADA)
    response = client.get("/things/read", headers=PAGE)
    assert response.status_code == 403 and response.text == "<h1>You do not have access to Things.</h1>"
    json_response = client.get("/things/read", headers={"Accept": "application/json"})
    assert json_response.status_code == 403 and json_response.text == "You do not have access to Things."


def test_auth_disabled_dev_user_passes_group_lists(monkeypatch):
    monkeypatch.setattr(auth, "AUTH_DISABLED", True)
    client = make_client(view(allowed_groups=["/Edge-Admins"]))
    assert client.get("/things/read").status_code == 200

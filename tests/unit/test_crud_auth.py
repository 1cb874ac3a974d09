"""crud.auth: the current user from the session, AUTH_DISABLED read once at import."""

import json
import os
import subprocess
import sys

import pytest
from fastapi import FastAPI, Request
from starlette.middleware.sessions import SessionMiddleware
from starlette.testclient import TestClient

from fasthx_ui.crud import auth

PROBE = """
import json, os
from starlette.requests import Request
from fasthx_ui.crud import auth
before = auth.AUTH_DISABLED
os.environ["AUTH_DISABLED"] = "0" if before else "1"
from fasthx_ui.crud import auth as again
user = auth.get_current_user(Request({"type": "http", "headers": []}))
print(json.dumps({"disabled": before, "after_env_change": again.AUTH_DISABLED, "user": user}))
"""


def probe(value: str | None) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "AUTH_DISABLED"}
    if value is not None:
        env["AUTH_DISABLED"] = value
    out = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


@pytest.mark.parametrize("value", ["1", "true", "TRUE", "yes", "Yes", " yes "])
def test_auth_disabled_words_give_the_dev_user(value):
    result = probe(value)
    assert result["disabled"] is True
    assert result["user"] == {"username": "dev", "groups": ["/Edge-Admins"]}
    assert result["after_env_change"] is True, "read once, at import"


@pytest.mark.parametrize("value", [None, "", "0", "false", "no", "on", "disabled"])
def test_other_values_keep_auth_on(value):
    result = probe(value)
    assert result["disabled"] is False
    assert result["user"] is None
    assert result["after_env_change"] is False, "read once, at import"


def test_each_call_gets_its_own_copy_of_the_dev_user(monkeypatch):
    monkeypatch.setattr(auth, "AUTH_DISABLED", True)
    request = Request({"type": "http", "headers": []})
    first = auth.get_current_user(request)
    first["username"] = "mallory"
    first["groups"].append("/root")
    assert auth.get_current_user(request) == {"username": "dev", "groups": ["/Edge-Admins"]}
    assert auth.DEV_USER == {"username": "dev", "groups": ["/Edge-Admins"]}


def session_app(with_sessions: bool) -> TestClient:
    app = FastAPI()

    @app.get("/me")
    def me(request: Request):
        return {"user": auth.get_current_user(request)}

    @app.get("/sign-in")
    def sign_in(request: Request, value: str):
        request.session["user"] = json.loads(value)
        return {}

    if with_sessions:
        app.add_middleware(SessionMiddleware, secret_key="test")
    return TestClient(app)


def test_user_comes_from_the_session(monkeypatch):
    monkeypatch.setattr(auth, "AUTH_DISABLED", False)
    client = session_app(with_sessions=True)
    assert client.get("/me").json() == {"user": None}
    user = {"username": "ada", "groups": ["/NOC"]}
    client.get("/sign-in", params={"value": json.dumps(user)})
    assert client.get("/me").json() == {"user": user}


def test_a_session_value_that_is_not_a_user_is_nobody(monkeypatch):
    monkeypatch.setattr(auth, "AUTH_DISABLED", False)
    client = session_app(with_sessions=True)
    client.get("/sign-in", params={"value": json.dumps("ada")})
    assert client.get("/me").json() == {"user": None}


def test_without_session_middleware_nobody_is_signed_in(monkeypatch):
    monkeypatch.setattr(auth, "AUTH_DISABLED", False)
    assert session_app(with_sessions=False).get("/me").json() == {"user": None}


def test_auth_disabled_needs_no_session_middleware(monkeypatch):
    monkeypatch.setattr(auth, "AUTH_DISABLED", True)
    assert session_app(with_sessions=False).get("/me").json()["user"]["username"] == "dev"

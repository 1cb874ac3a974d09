"""oidc_login: the reference's password-grant sign-in, against the test OpenID provider
(a real process, tests/oidc_provider.py) and against providers that are down or broken."""

import json
import logging
import socket
import subprocess
import sys

import pytest

from fasthx_ui import crud
from fasthx_ui.crud import auth, oidc
from fasthx_ui.crud.auth import AuthError
from fasthx_ui.crud.oidc import oidc_login

from ..oidc_provider import CLIENT_SECRET, PASSWORD, write_client_secrets

MARKER = "PROVIDER-BODY-7c1e"


@pytest.fixture(autouse=True)
def default_groups(monkeypatch):
    """Each test starts from the documented default, whatever an app module set."""
    monkeypatch.setattr(auth, "ALLOWED_GROUPS", ["/Edge-Admins"])


def refused(username, password=PASSWORD):
    with pytest.raises(AuthError) as caught:
        oidc_login(username, password)
    error = caught.value
    assert error.__cause__ is None and (error.__context__ is None or error.__suppress_context__), "no chained traceback"
    return str(caught.value)


def closed_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_the_password_grant_signs_a_user_in(provider):
    assert oidc_login("dev", PASSWORD) == {"username": "dev", "groups": ["/Edge-Admins"]}


@pytest.mark.parametrize("username, password", [("dev", "wrong"), ("nobody", PASSWORD), ("dev", ""), ("", PASSWORD)])
def test_wrong_credentials(provider, username, password):
    assert refused(username, password) == "Invalid username or password"


def test_a_user_outside_the_allowed_groups_is_refused(provider):
    assert refused("outsider") == auth.NOT_IN_GROUP
    assert "group" in auth.NOT_IN_GROUP


def test_allowed_groups_is_edited_in_place_at_startup(provider):
    auth.ALLOWED_GROUPS.clear()
    auth.ALLOWED_GROUPS.extend(["/Contractors", "/superusers"])
    assert oidc_login("outsider", PASSWORD) == {"username": "outsider", "groups": ["/Contractors"]}
    assert refused("dev") == auth.NOT_IN_GROUP
    auth.ALLOWED_GROUPS.clear()
    assert oidc_login("dev", PASSWORD)["username"] == "dev", "an empty list allows anyone the provider signs in"


def test_the_default_allowed_groups_and_the_exported_names():
    code = "from fasthx_ui.crud.auth import ALLOWED_GROUPS; print(ALLOWED_GROUPS)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == "['/Edge-Admins']"
    assert crud.AuthError is auth.AuthError is oidc.AuthError
    assert crud.oidc_login is oidc_login


def test_a_provider_that_is_down(provider, tmp_path, monkeypatch):
    port = closed_port()
    secrets = write_client_secrets(tmp_path / "down.json", f"http://127.0.0.1:{port}")
    monkeypatch.setenv("OIDC_SECRETS", str(secrets))
    assert refused("dev") == oidc.UNREACHABLE


def test_a_provider_that_never_answers(provider, tmp_path, monkeypatch):
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        secrets = write_client_secrets(tmp_path / "silent.json", f"http://127.0.0.1:{silent.getsockname()[1]}")
        monkeypatch.setenv("OIDC_SECRETS", str(secrets))
        monkeypatch.setattr(oidc, "TIMEOUT", oidc.http.Timeout(0.3))
        assert refused("dev") == oidc.UNREACHABLE


@pytest.mark.parametrize("status, body, message", [
    (500, f"<html>{MARKER} stack trace</html>", oidc.UNEXPECTED),
    (502, "", oidc.UNEXPECTED),
    (401, json.dumps({"error": "invalid_client", "error_description": MARKER}), oidc.REFUSED),
    (400, json.dumps({"error": "server_error", "error_description": MARKER}), oidc.UNEXPECTED),
    (200, f"{MARKER} not json", oidc.UNEXPECTED),
    (200, json.dumps({"token_type": "Bearer"}), oidc.UNEXPECTED),
])
def test_a_broken_provider_gives_a_message_without_its_body(provider, caplog, status, body, message):
    provider.misbehave(token_status=status, token_body=body)
    with caplog.at_level(logging.DEBUG):
        text = refused("dev")
    assert text == message and MARKER not in text
    assert MARKER not in caplog.text and PASSWORD not in caplog.text and CLIENT_SECRET not in caplog.text


def test_the_userinfo_groups_decide_not_the_token(provider, tmp_path, monkeypatch):
    """A userinfo_uri that refuses the token (here: another provider's path) is an error, not a guess."""
    secrets = write_client_secrets(tmp_path / "s.json", provider.issuer, userinfo_uri=f"{provider.issuer}/nowhere")
    monkeypatch.setenv("OIDC_SECRETS", str(secrets))
    assert refused("dev") == oidc.UNEXPECTED


@pytest.mark.parametrize("content", [None, "", "{not json", "[]", '{"web": []}', '{"web": {"token_uri": "x"}}',
                                     '{"installed": {}}'])
def test_missing_or_malformed_client_secrets(tmp_path, monkeypatch, caplog, content):
    path = tmp_path / "client_secrets.json"
    if content is not None:
        path.write_text(content)
    monkeypatch.setenv("OIDC_SECRETS", str(path))
    with caplog.at_level(logging.ERROR):
        assert refused("dev") == oidc.NOT_CONFIGURED
    assert str(path) in caplog.text, "the log says which file, the page does not"
    assert str(path) not in oidc.NOT_CONFIGURED


def test_client_secrets_are_read_at_each_call(provider, tmp_path, monkeypatch):
    assert oidc_login("dev", PASSWORD)["username"] == "dev"
    wrong = write_client_secrets(tmp_path / "wrong.json", provider.issuer, client_secret="not-the-secret")
    monkeypatch.setenv("OIDC_SECRETS", str(wrong))
    assert refused("dev") == oidc.REFUSED
    monkeypatch.setenv("OIDC_SECRETS", str(provider.secrets_file))
    assert oidc_login("dev", PASSWORD)["username"] == "dev"


def test_the_default_path_is_the_working_directory(provider, tmp_path, monkeypatch):
    monkeypatch.delenv("OIDC_SECRETS")
    monkeypatch.chdir(tmp_path)
    assert refused("dev") == oidc.NOT_CONFIGURED
    write_client_secrets(tmp_path / "client_secrets.json", provider.issuer)
    assert oidc_login("dev", PASSWORD)["username"] == "dev"

"""A small OpenID provider for the sign-in tests, built from Authlib's server classes.

It runs as its own process (`python -m tests.oidc_provider --port N`) on 127.0.0.1 and
offers what a real provider (Keycloak, Entra ID…) offers a client: discovery, a JWKS of a
key generated at start, the password grant, the authorization code grant with PKCE
(S256, required) and OpenID Connect ID tokens, a userinfo endpoint and a login form.
Users, groups, codes and tokens live in memory.

`POST /_test/misbehave` (JSON) makes the next answers wrong on purpose, for the negative
tests: `nonce` (a different nonce in ID tokens), `expired` (ID tokens that expired an hour
ago), `wrong_key` (ID tokens signed by a key outside the JWKS), `audience` (another `aud`),
`issuer` (another `iss`), `extra_groups` (a list every user is in as well, in ID tokens and
userinfo: a user in many groups), `token_status` + `token_body` (the token endpoint answers
that, raw), `end_session` (discovery names the RP-initiated logout endpoint `/end-session`,
which checks the ID token hint, or without one the `client_id`, and sends the browser to
`post_logout_redirect_uri`; `GET /_test/logouts` lists the logouts it saw). `POST /_test/reset` puts everything right again.
`provider_process()` starts and stops one for a test session.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
from authlib.oauth2.rfc6749 import AuthorizationServer, InvalidGrantError, OAuth2Error
from authlib.oauth2.rfc6749.grants import AuthorizationCodeGrant, ResourceOwnerPasswordCredentialsGrant
from authlib.oauth2.rfc6749.resource_protector import ResourceProtector
from authlib.oauth2.rfc6750 import BearerTokenGenerator, BearerTokenValidator
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oidc.core import OpenIDCode, UserInfo
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet, RSAKey
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from .oidc_models import Client, Code, StarletteOAuth2Request, Token, User

CLIENT_ID = "fasthx-ui-tests"
CLIENT_SECRET = "provider-client-secret-7f3a"
PASSWORD = "secret"
USERS: dict[str, list[str]] = {
    "dev": ["/Edge-Admins"],
    "admin": ["/Staff"],
    "noc": ["/NOC"],
    "guest": ["/Staff"],
    "outsider": ["/Contractors"],
}
"""username → groups; every user's password is PASSWORD."""
ALLOWED_FOR_TESTS = ["/Edge-Admins", "/NOC", "/Staff"]
"""The groups a test app allows: every test user but `outsider`."""


class State:
    """Everything the provider keeps: keys, codes, tokens and the misbehaviour knobs."""

    def __init__(self, issuer: str):
        self.issuer = issuer
        self.key = RSAKey.generate_key(2048, parameters={"kid": "test-key", "use": "sig", "alg": "RS256"})
        self.other_key = RSAKey.generate_key(2048, parameters={"kid": "test-key", "use": "sig", "alg": "RS256"})
        self.client = Client(CLIENT_ID, CLIENT_SECRET)
        self.codes: dict[str, Code] = {}
        self.tokens: dict[str, Token] = {}
        self.knobs: dict = {}
        self.logouts: list[dict] = []


class PasswordGrant(ResourceOwnerPasswordCredentialsGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post"]

    def authenticate_user(self, username, password):
        """Wrong credentials are `invalid_grant`, as RFC 6749 and Keycloak answer."""
        user = find_user(username, password)
        if user is None:
            raise InvalidGrantError("Invalid user credentials")
        return user


class CodeGrant(AuthorizationCodeGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post"]

    def save_authorization_code(self, code, request):
        data = request.payload.data
        state.codes[code] = Code(code, request.client.client_id, data.get("redirect_uri"), request.scope,
                                 request.user, data.get("nonce"), data.get("code_challenge"),
                                 data.get("code_challenge_method"))

    def query_authorization_code(self, code, client):
        found = state.codes.get(code)
        return found if found and found.client_id == client.client_id else None

    def delete_authorization_code(self, authorization_code):
        state.codes.pop(authorization_code.code, None)

    def authenticate_user(self, authorization_code):
        return authorization_code.user


class PKCE(CodeChallenge):
    def get_authorization_code_challenge(self, authorization_code):
        return authorization_code.code_challenge

    def get_authorization_code_challenge_method(self, authorization_code):
        return authorization_code.code_challenge_method


class IDTokens(OpenIDCode):
    """ID tokens for the code grant, bent by the knobs when a test asks for it."""

    def resolve_client_private_key(self, client):
        return state.other_key if state.knobs.get("wrong_key") else state.key

    def get_client_claims(self, client):
        claims = {"iss": state.knobs.get("issuer") or state.issuer, "aud": [state.knobs.get("audience") or client.client_id]}
        if state.knobs.get("expired"):
            now = int(time.time())
            claims.update(iat=now - 7200, exp=now - 3600, auth_time=now - 7200)
        return claims

    def get_encode_header(self, client):
        return {"alg": "RS256", "kid": "test-key"}

    def exists_nonce(self, nonce, request):
        return any(code.nonce == nonce for code in state.codes.values())

    def generate_user_info(self, user, scope):
        info = user_info(user)
        if state.knobs.get("nonce"):
            info["nonce"] = state.knobs["nonce"]
        return info


def find_user(username: str, password: str) -> User | None:
    if username in USERS and secrets.compare_digest(password, PASSWORD):
        return User(username, list(USERS[username]))
    return None


def user_info(user: User) -> UserInfo:
    return UserInfo(sub=f"sub-{user.username}", preferred_username=user.username,
                    email=f"{user.username}@example.test", groups=[*user.groups, *state.knobs.get("extra_groups", [])])


class Server(AuthorizationServer):
    def query_client(self, client_id):
        return state.client if client_id == state.client.client_id else None

    def save_token(self, token, request):
        state.tokens[token["access_token"]] = Token(token["access_token"], token.get("scope", ""), request.user,
                                                    request.client, time.time() + token.get("expires_in", 3600))

    def create_oauth2_request(self, request):
        return request

    def handle_response(self, status, body, headers):
        if isinstance(body, dict):
            return JSONResponse(body, status_code=status, headers=dict(headers))
        return Response(body, status_code=status, headers=dict(headers))

    def send_signal(self, name, *args, **kwargs):
        pass


class Bearer(BearerTokenValidator):
    def authenticate_token(self, token_string):
        return state.tokens.get(token_string)


def build_server() -> Server:
    server = Server(scopes_supported=["openid", "profile", "email", "groups"])
    server.register_token_generator("default", BearerTokenGenerator(lambda *a, **k: secrets.token_urlsafe(32)))
    server.register_grant(PasswordGrant)
    server.register_grant(CodeGrant, [PKCE(required=True), IDTokens(require_nonce=True)])
    return server


async def oauth2_request(request: Request) -> StarletteOAuth2Request:
    form: dict[str, list[str]] = {}
    if request.method == "POST":
        for key, value in (await request.form()).multi_items():
            form.setdefault(key, []).append(str(value))
    return StarletteOAuth2Request(request, form)


async def discovery(request: Request) -> Response:
    base = state.issuer
    logout = {"end_session_endpoint": f"{base}/end-session"} if state.knobs.get("end_session") else {}
    return JSONResponse({
        **logout,
        "issuer": base,
        "authorization_endpoint": f"{base}/authorize",
        "token_endpoint": f"{base}/token",
        "userinfo_endpoint": f"{base}/userinfo",
        "jwks_uri": f"{base}/jwks",
        "response_types_supported": ["code"],
        "grant_types_supported": ["authorization_code", "password"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "scopes_supported": ["openid", "profile", "email", "groups"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        "code_challenge_methods_supported": ["S256"],
        "claims_supported": ["sub", "preferred_username", "email", "groups"],
    })


async def jwks(request: Request) -> Response:
    return JSONResponse(KeySet([state.key]).as_dict(private=False))


async def token(request: Request) -> Response:
    if state.knobs.get("token_status"):
        return Response(state.knobs.get("token_body", ""), status_code=state.knobs["token_status"],
                        media_type="application/json")
    return server.create_token_response(await oauth2_request(request))


async def userinfo(request: Request) -> Response:
    try:
        found = ResourceProtector()
        found.register_token_validator(Bearer())
        access = found.validate_request(["openid"], await oauth2_request(request))
    except OAuth2Error as error:
        status, body, headers = error()
        return JSONResponse(dict(body), status_code=status, headers=dict(headers))
    return JSONResponse(dict(user_info(access.user)))


LOGIN_FORM = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Test provider sign-in</title></head>
<body><main><h1>Test provider</h1>{error}
<form method="post"><input type="hidden" name="_query" value="{query}">
<label for="username">Username</label> <input id="username" name="username" autocomplete="username">
<label for="password">Password</label> <input id="password" name="password" type="password">
<button type="submit">Sign in to the test provider</button></form></main></body></html>"""


async def authorize(request: Request) -> Response:
    """The login form (GET) and its answer (POST): a redirect back to the client with a code."""
    if request.method == "GET":
        query, error = request.url.query, ""
    else:
        form = await request.form()
        query = str(form.get("_query", ""))
        user = find_user(str(form.get("username", "")), str(form.get("password", "")))
        if user is not None:
            # the authorization request is the one the form was shown for: its query string, as a GET
            original = Request({**request.scope, "method": "GET", "query_string": query.encode()})
            inner = StarletteOAuth2Request(original, {})
            try:
                grant = server.get_consent_grant(inner, end_user=user)
            except OAuth2Error as exc:
                return JSONResponse(dict(exc.get_body()), status_code=exc.status_code)
            return server.create_authorization_response(inner, grant_user=user, grant=grant)
        error = '<p role="alert">Wrong username or password.</p>'
    return HTMLResponse(LOGIN_FORM.format(error=error, query=html.escape(query)))


async def end_session(request: Request) -> Response:
    """RP-initiated logout: the hint must be an ID token this provider signed for the
    client (without a hint, `client_id` must name the client); the browser goes on to
    `post_logout_redirect_uri`."""
    query = request.query_params
    if "id_token_hint" not in query and query.get("client_id") == state.client.client_id:
        claims = {}
    else:
        try:
            claims = jwt.decode(query.get("id_token_hint", ""), state.key).claims
        except (JoseError, ValueError):
            return HTMLResponse("<p>Bad id_token_hint.</p>", status_code=400)
    target = query.get("post_logout_redirect_uri", "")
    state.logouts.append({"sub": claims.get("sub"), "aud": claims.get("aud"), "client_id": query.get("client_id"),
                          "post_logout_redirect_uri": target})
    return RedirectResponse(target, status_code=302) if target else HTMLResponse("<p>Signed out.</p>")


async def logouts(request: Request) -> Response:
    return JSONResponse(state.logouts)


async def misbehave(request: Request) -> Response:
    state.knobs.update(await request.json())
    return JSONResponse(state.knobs)


async def reset(request: Request) -> Response:
    state.knobs.clear()
    state.logouts.clear()
    return JSONResponse({})


state: State
server = build_server()


def create_app(issuer: str) -> Starlette:
    global state
    state = State(issuer)
    return Starlette(routes=[
        Route("/", lambda request: JSONResponse({"provider": "test"})),
        Route("/.well-known/openid-configuration", discovery),
        Route("/jwks", jwks),
        Route("/token", token, methods=["POST"]),
        Route("/userinfo", userinfo, methods=["GET", "POST"]),
        Route("/authorize", authorize, methods=["GET", "POST"]),
        Route("/end-session", end_session),
        Route("/_test/logouts", logouts),
        Route("/_test/misbehave", misbehave, methods=["POST"]),
        Route("/_test/reset", reset, methods=["POST"]),
    ])


@dataclass(frozen=True)
class Provider:
    """A running test provider: its issuer URL and a client_secrets.json for it."""

    issuer: str
    secrets_file: Path

    def misbehave(self, **knobs) -> None:
        httpx.post(f"{self.issuer}/_test/misbehave", json=knobs).raise_for_status()

    def logouts(self) -> list[dict]:
        return httpx.get(f"{self.issuer}/_test/logouts").json()

    def reset(self) -> None:
        httpx.post(f"{self.issuer}/_test/reset").raise_for_status()


def write_client_secrets(path: Path, issuer: str, **overrides: str) -> Path:
    """The reference's client_secrets.json (`{"web": {...}}`) for the provider at `issuer`."""
    web = {"token_uri": f"{issuer}/token", "userinfo_uri": f"{issuer}/userinfo",
           "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, **overrides}
    path.write_text(json.dumps({"web": web}))
    return path


@contextmanager
def provider_process(folder: Path) -> Iterator[Provider]:
    """Start the provider as a process on a free port; stop it on leaving."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    issuer = f"http://127.0.0.1:{port}"
    process = subprocess.Popen([sys.executable, "-m", "tests.oidc_provider", "--port", str(port)],
                               cwd=Path(__file__).parent.parent)
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"the test OpenID provider exited with {process.returncode}")
            try:
                httpx.get(issuer + "/", timeout=1)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"the test OpenID provider did not answer on {issuer}") from None
                time.sleep(0.1)
        yield Provider(issuer, write_client_secrets(folder / "client_secrets.json", issuer))
    finally:
        process.terminate()
        process.wait(timeout=10)


def main() -> None:
    import uvicorn

    os.environ["AUTHLIB_INSECURE_TRANSPORT"] = "1"  # the provider serves plain http on 127.0.0.1
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    port = parser.parse_args().port
    uvicorn.run(create_app(f"http://127.0.0.1:{port}"), host="127.0.0.1", port=port, log_level="warning")


if __name__ == "__main__":
    main()

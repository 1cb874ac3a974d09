"""The records and request adapter of the test OpenID provider (tests/oidc_provider.py):
users, the one client, authorization codes and tokens as Authlib's mixins want them, and
Authlib's request object for a Starlette request."""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from authlib.oauth2 import OAuth2Request
from authlib.oauth2.rfc6749 import ClientMixin, TokenMixin
from authlib.oauth2.rfc6749.requests import OAuth2Payload
from authlib.oidc.core import AuthorizationCodeMixin
from starlette.requests import Request


@dataclass
class User:
    username: str
    groups: list[str]

    def get_user_id(self) -> str:
        return self.username


@dataclass
class Client(ClientMixin):
    client_id: str
    client_secret: str

    def get_client_id(self):
        return self.client_id

    def get_default_redirect_uri(self):
        return None

    def get_allowed_scope(self, scope):
        return " ".join(s for s in (scope or "").split() if s in {"openid", "profile", "email", "groups"})

    def check_redirect_uri(self, redirect_uri):
        """Any callback of an app on this machine (the test apps use free ports)."""
        parts = urlsplit(redirect_uri)
        return parts.scheme == "http" and parts.hostname in {"127.0.0.1", "localhost"} and parts.path == "/auth/callback"

    def check_client_secret(self, client_secret):
        return secrets.compare_digest(client_secret, self.client_secret)

    def check_endpoint_auth_method(self, method, endpoint):
        return method in {"client_secret_basic", "client_secret_post"}

    def check_response_type(self, response_type):
        return response_type == "code"

    def check_grant_type(self, grant_type):
        return grant_type in {"password", "authorization_code"}


@dataclass
class Code(AuthorizationCodeMixin):
    code: str
    client_id: str
    redirect_uri: str
    scope: str
    user: User
    nonce: str | None
    code_challenge: str | None
    code_challenge_method: str | None
    auth_time: int = field(default_factory=lambda: int(time.time()))

    def get_redirect_uri(self):
        return self.redirect_uri

    def get_scope(self):
        return self.scope

    def get_nonce(self):
        return self.nonce

    def get_auth_time(self):
        return self.auth_time


@dataclass
class Token(TokenMixin):
    access_token: str
    scope: str
    user: User
    client: Client
    expires_at: float

    def check_client(self, client):
        return client.client_id == self.client.client_id

    def get_scope(self):
        return self.scope

    def get_expires_in(self):
        return int(self.expires_at - time.time())

    def is_expired(self):
        return time.time() >= self.expires_at

    def is_revoked(self):
        return False

    def get_user(self):
        return self.user

    def get_client(self):
        return self.client


class Payload(OAuth2Payload):
    def __init__(self, values: dict[str, list[str]]):
        self._values = values

    @property
    def data(self):
        return {key: values[0] for key, values in self._values.items()}

    @property
    def datalist(self):
        return self._values


class StarletteOAuth2Request(OAuth2Request):
    """Authlib's request object for a Starlette request whose form has been read."""

    def __init__(self, request: Request, form: dict[str, list[str]]):
        super().__init__(request.method, str(request.url), headers=request.headers)
        values: dict[str, list[str]] = {}
        for key, value in request.query_params.multi_items():
            values.setdefault(key, []).append(value)
        for key, items in form.items():
            values.setdefault(key, []).extend(items)
        self.payload = Payload(values)
        self._form = {key: items[0] for key, items in form.items()}

    @property
    def args(self):
        return dict(self.payload.data)

    @property
    def form(self):
        return self._form

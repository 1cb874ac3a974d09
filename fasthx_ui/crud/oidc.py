"""`oidc_login(username, password)`: the reference's sign-in against an OpenID provider
(Keycloak and others) through the Resource Owner Password grant.

The provider is described by a `client_secrets.json` (`{"web": {token_uri, userinfo_uri,
client_id, client_secret}}`), read at each call from the path in `OIDC_SECRETS`
(default `./client_secrets.json`). The token and userinfo calls go through Authlib's
OAuth 2 client over httpx. Every failure is an `AuthError` whose message is meant for the
person signing in: it never carries the provider's answer, a secret or a traceback (the
log gets the error code and status, never a password, secret or token).
"""

from __future__ import annotations

import json
import logging
import os
import warnings
from typing import Any

import authlib.deprecate  # noqa: F401 (its warning filters first, so the block below keeps them)

with warnings.catch_warnings():  # Authlib 1.9 asks for httpx2 at import; we run on httpx (docs/sign_in.md)
    warnings.filterwarnings("ignore", message="The httpx module is deprecated", category=DeprecationWarning)
    from authlib.integrations.httpx_client import OAuth2Client, OAuthError

try:  # the HTTP library Authlib's client runs on: httpx2 when installed, else httpx
    import httpx2 as http
except ImportError:
    import httpx as http

from fasthx_ui.crud.auth import AuthError, check_groups

SECRETS_VARIABLE = "OIDC_SECRETS"
DEFAULT_SECRETS = "./client_secrets.json"
SECRET_KEYS = ("token_uri", "userinfo_uri", "client_id", "client_secret")
SCOPE = "openid profile email"
TIMEOUT = http.Timeout(10.0, connect=5.0)

WRONG_CREDENTIALS = "Invalid username or password"
NOT_CONFIGURED = "Sign-in is not configured on this server; ask its administrator."
UNREACHABLE = "The sign-in service cannot be reached; try again in a moment."
REFUSED = "The sign-in service refused this application; ask its administrator."
UNEXPECTED = "The sign-in service gave an unexpected answer; try again in a moment."

logger = logging.getLogger("fasthx_ui.crud.oidc")


def client_secrets(path: str | None = None) -> dict[str, str]:
    """The `web` section of the client_secrets.json at `path` (else `OIDC_SECRETS`, else
    ./client_secrets.json); AuthError when it is missing, unreadable or incomplete."""
    path = path or os.environ.get(SECRETS_VARIABLE) or DEFAULT_SECRETS
    try:
        with open(path, encoding="utf-8") as file:
            web = json.load(file)["web"]
        missing = [key for key in SECRET_KEYS if not isinstance(web.get(key), str) or not web[key]]
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        logger.error("OIDC sign-in: cannot read %s (%s)", path, type(error).__name__)
        raise AuthError(NOT_CONFIGURED) from None
    if missing:
        logger.error("OIDC sign-in: %s lacks %s in its \"web\" section", path, ", ".join(missing))
        raise AuthError(NOT_CONFIGURED)
    return web


def oidc_login(username: str, password: str) -> dict[str, Any]:
    """Sign `username` in with `password` at the provider; `{"username", "groups"}`.

    Raises AuthError for wrong credentials, a user outside ALLOWED_GROUPS, an unreachable
    provider or a misconfigured client, each with its own message.
    """
    if not username or not password:
        raise AuthError(WRONG_CREDENTIALS)
    web = client_secrets()
    with OAuth2Client(web["client_id"], web["client_secret"], scope=SCOPE, timeout=TIMEOUT) as client:
        try:
            client.fetch_token(web["token_uri"], username=username, password=password, grant_type="password")
            answer = client.get(web["userinfo_uri"])
            answer.raise_for_status()
            info = answer.json()
        except OAuthError as error:
            raise _refusal(error) from None
        except http.TransportError as error:
            logger.warning("OIDC sign-in: provider unreachable (%s)", type(error).__name__)
            raise AuthError(UNREACHABLE) from None
        except (http.HTTPStatusError, ValueError) as error:
            status = getattr(getattr(error, "response", None), "status_code", "no JSON")
            logger.warning("OIDC sign-in: unexpected provider answer (%s)", status)
            raise AuthError(UNEXPECTED) from None
    return user_from_claims(info, fallback_username=username)


def user_from_claims(claims: Any, groups_claim: str = "groups", fallback_username: str | None = None,
                     allowed_groups: list[str] | None = None) -> dict[str, Any]:
    """The session's user (`{"username", "groups"}`) from userinfo or ID token claims,
    checked against `allowed_groups` (ALLOWED_GROUPS when None)."""
    if not isinstance(claims, dict):
        logger.warning("OIDC sign-in: the provider's claims are not an object")
        raise AuthError(UNEXPECTED)
    username = claims.get("preferred_username") or claims.get("email") or fallback_username or claims.get("sub")
    groups = claims.get(groups_claim) or []
    if isinstance(groups, str):
        groups = [groups]
    if not isinstance(username, str) or not isinstance(groups, list):
        logger.warning("OIDC sign-in: the provider's claims lack a usable username or %r list", groups_claim)
        raise AuthError(UNEXPECTED)
    groups = [str(group) for group in groups]
    check_groups(groups, allowed_groups)
    return {"username": username, "groups": groups}


def _refusal(error: OAuthError) -> AuthError:
    """The AuthError for an OAuth error answer (the provider's description stays out)."""
    if error.error in {"invalid_grant", "invalid_request"}:  # RFC 6749 says invalid_grant; some servers answer the other
        return AuthError(WRONG_CREDENTIALS)
    logger.warning("OIDC sign-in: the provider refused the request (%s)", error.error)
    return AuthError(REFUSED if error.error in {"invalid_client", "unauthorized_client", "unsupported_grant_type"} else UNEXPECTED)

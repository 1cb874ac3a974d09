"""`OIDCSignIn`: sign-in through an OpenID provider's own login page, with the
authorization code grant, PKCE (S256) and OIDC discovery.

`Admin(app, sign_in=OIDCSignIn(issuer=..., client_id=..., client_secret=...))` adds:

- `GET /login?next=/path`: a signed-in user goes on to `next`; anyone else is redirected
  to the provider's authorization endpoint. `state`, `nonce` and the PKCE verifier wait in
  the signed session cookie until the provider sends the browser back.
- `GET /auth/callback`: checks `state`, swaps the code (with the verifier) for tokens,
  validates the ID token (signature against the provider's JWKS, `iss`, `aud`, `exp`,
  `nonce`), checks the user's groups, signs the user in (a new session) and redirects to
  `next` (paths of this app only).
- `GET|POST /logout`: ends the session; when the provider's discovery names an
  `end_session_endpoint`, the browser goes there (RP-initiated logout, with the ID token
  as `id_token_hint` and our `/login` as `post_logout_redirect_uri`) so the provider's
  session ends too; otherwise it shows the "signed out" page. When the ID token would make
  the session cookie too big for browsers (a user in many groups), it is not kept and the
  provider's logout is asked with `client_id` alone.

Anything that goes wrong shows `oidc_sign_in.html` with a message for the person and a
button to start again; the log gets the reason, never a token or secret. Everything is
done by Authlib's Starlette client (`authlib.integrations.starlette_client`) over httpx.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode, urlsplit, urlunsplit

from authlib.integrations.base_client.errors import MismatchingStateError
from authlib.integrations.starlette_client import OAuth, OAuthError
from joserfc.errors import JoseError
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from fasthx_ui.crud.access import LOGIN_URL, LOGOUT_URL
from fasthx_ui.crud.auth import NOT_IN_GROUP, AuthError, get_current_user
from fasthx_ui.crud.oidc import TIMEOUT, UNEXPECTED, UNREACHABLE, http, user_from_claims
from fasthx_ui.crud.sessions import COOKIE_LIMIT, cookie_size, safe_next, sign_in, sign_out

if TYPE_CHECKING:
    from fasthx_ui.crud.admin import Admin

PAGE = "oidc_sign_in.html"
CLIENT_NAME = "oidc"
CALLBACK_PATH = "/auth/callback"
ENV = {
    "issuer": "OIDC_ISSUER",
    "client_id": "OIDC_CLIENT_ID",
    "client_secret": "OIDC_CLIENT_SECRET",
    "scopes": "OIDC_SCOPES",
    "groups_claim": "OIDC_GROUPS_CLAIM",
    "allowed_groups": "OIDC_ALLOWED_GROUPS",
    "redirect_uri": "OIDC_REDIRECT_URI",
    "provider_name": "OIDC_PROVIDER_NAME",
}
LIST_SETTINGS = {"scopes", "allowed_groups"}

EXPIRED_STATE = "This sign-in was not started here or took too long; please sign in again."
NOT_VERIFIED = "The sign-in service's answer could not be verified; please sign in again."
CANCELLED = "Sign-in was cancelled or refused at the sign-in service."
SIGNED_OUT = "You are signed out."
ID_TOKEN_KEY = "oidc_id_token"
"""The session key of the raw ID token, kept for the provider's logout (`id_token_hint`);
empty when it did not fit in the cookie."""

logger = logging.getLogger("fasthx_ui.crud.oidc")


class OIDCSignIn:
    """Sign-in with an OpenID provider (Keycloak, Entra ID, Auth0, Authentik, Google…).

    `issuer`: the provider's issuer URL (`<issuer>/.well-known/openid-configuration` is
    read once, then cached with its JWKS). `groups_claim`: the ID token or userinfo claim
    listing the user's groups. `allowed_groups`: who may sign in (None: `ALLOWED_GROUPS`
    of `fasthx_ui.crud.auth`; empty: anyone the provider signs in). `redirect_uri`: the
    callback URL registered at the provider (default: this app's `/auth/callback` as the
    request reached it). `provider_name` labels the sign-in button.
    """

    def __init__(
        self,
        issuer: str,
        client_id: str,
        client_secret: str,
        scopes: Iterable[str] = ("openid", "profile", "email"),
        groups_claim: str = "groups",
        allowed_groups: Iterable[str] | None = None,
        redirect_uri: str | None = None,
        provider_name: str = "your organisation's account",
    ):
        if not issuer or not client_id or not client_secret:
            raise ValueError("OIDCSignIn needs an issuer URL, a client id and a client secret")
        self.scopes = tuple(scopes)
        if "openid" not in self.scopes:
            raise ValueError("OIDCSignIn's scopes must include 'openid'")
        self.issuer = issuer.rstrip("/")
        self.client_id = client_id
        self.groups_claim = groups_claim
        self.allowed_groups = list(allowed_groups) if allowed_groups is not None else None
        self.redirect_uri = redirect_uri
        self.provider_name = provider_name
        self.oauth = OAuth()
        self.client = self.oauth.register(
            CLIENT_NAME,
            client_id=client_id,
            client_secret=client_secret,
            server_metadata_url=f"{self.issuer}/.well-known/openid-configuration",
            client_kwargs={"scope": " ".join(self.scopes), "code_challenge_method": "S256", "timeout": TIMEOUT},
        )

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> OIDCSignIn:
        """The settings from `OIDC_ISSUER`, `OIDC_CLIENT_ID`, `OIDC_CLIENT_SECRET` and the
        optional `OIDC_SCOPES`, `OIDC_ALLOWED_GROUPS` (both space-separated),
        `OIDC_GROUPS_CLAIM`, `OIDC_REDIRECT_URI`, `OIDC_PROVIDER_NAME`."""
        environ = os.environ if environ is None else environ
        settings: dict[str, Any] = {}
        for name, variable in ENV.items():
            value = environ.get(variable, "").strip()
            if value:
                settings[name] = value.split() if name in LIST_SETTINGS else value
        missing = [ENV[name] for name in ("issuer", "client_id", "client_secret") if name not in settings]
        if missing:
            raise ValueError(f"OIDC sign-in needs {', '.join(missing)} set")
        return cls(**settings)

    def install(self, admin: Admin) -> None:
        """Add `/login`, `/auth/callback` and `/logout` to the admin's app."""
        admin.public_pages.add(PAGE)
        app = admin.app
        app.add_api_route(LOGIN_URL, self.login, methods=["GET"], name="login", include_in_schema=False)
        app.add_api_route(CALLBACK_PATH, self.callback, methods=["GET"], name="oidc_callback", include_in_schema=False)
        app.add_api_route(LOGOUT_URL, self.logout, methods=["GET", "POST"], name="logout", include_in_schema=False)
        self.admin = admin

    async def login(self, request: Request) -> Response:
        """Go on to `next` when signed in, else to the provider's login page."""
        target = safe_next(request.query_params.get("next"))
        if get_current_user(request) is not None:
            return RedirectResponse(target, status_code=303)
        redirect_uri = self.redirect_uri or str(request.url_for("oidc_callback"))
        try:
            found = await self.client.create_authorization_url(redirect_uri)
        except (http.TransportError, http.HTTPStatusError, ValueError, KeyError, RuntimeError) as error:
            logger.warning("OIDC sign-in: discovery at %s failed (%s)", self.issuer, type(error).__name__)
            message = UNREACHABLE if isinstance(error, http.TransportError) else UNEXPECTED
            return self.page(request, message, target, status_code=503)
        url = found.pop("url")  # not needed at the callback: the cookie stays small
        await self.client.save_authorize_data(request, redirect_uri=redirect_uri, next=target, **found)
        return RedirectResponse(url, status_code=302)

    async def callback(self, request: Request) -> Response:
        """The provider's answer: verify it, sign the user in, go on to `next`."""
        state = request.query_params.get("state")
        saved = await self.client.framework.get_state_data(request.session, state) if state else None
        target = safe_next((saved or {}).get("next"))
        try:
            user, id_token = await self.user_from_answer(request)
        except AuthError as error:
            return self.page(request, str(error), target, status_code=403 if str(error) == NOT_IN_GROUP else 400)
        sign_in(request, user)
        request.session[ID_TOKEN_KEY] = id_token
        if cookie_size(request.session) > COOKIE_LIMIT:
            logger.info("OIDC sign-in: the ID token of %r is too big to keep; logout will name only the client",
                        user["username"])
            request.session[ID_TOKEN_KEY] = ""
        return RedirectResponse(target, status_code=303)

    async def user_from_answer(self, request: Request) -> tuple[dict[str, Any], str]:
        """The user of a verified provider answer and its raw ID token; AuthError (a
        message for people) otherwise."""
        try:
            token = await self.client.authorize_access_token(request, claims_options=self.claims_options())
            if "userinfo" not in token:
                raise AuthError(NOT_VERIFIED)
            claims = dict(token["userinfo"])
            if self.groups_claim not in claims:  # some providers put groups in userinfo only
                info = await self.client.userinfo(token=token)
                if self.groups_claim in info:
                    claims[self.groups_claim] = info[self.groups_claim]
        except MismatchingStateError:
            logger.warning("OIDC sign-in: callback with an unknown state")
            raise AuthError(EXPIRED_STATE) from None
        except OAuthError as error:
            logger.warning("OIDC sign-in: the provider refused (%s)", error.error)
            raise AuthError(CANCELLED if error.error in {"access_denied", "login_required"} else UNEXPECTED) from None
        except JoseError as error:
            logger.warning("OIDC sign-in: ID token rejected (%s: %s)", type(error).__name__, error)
            raise AuthError(NOT_VERIFIED) from None
        except http.TransportError as error:
            logger.warning("OIDC sign-in: provider unreachable (%s)", type(error).__name__)
            raise AuthError(UNREACHABLE) from None
        except (http.HTTPStatusError, ValueError, KeyError, RuntimeError) as error:
            logger.warning("OIDC sign-in: unexpected provider answer (%s)", type(error).__name__)
            raise AuthError(UNEXPECTED) from None
        return user_from_claims(claims, self.groups_claim, allowed_groups=self.allowed_groups), token["id_token"]

    def claims_options(self) -> dict[str, dict[str, Any]]:
        """What the ID token must say: issued by our issuer, for our client."""
        return {
            "iss": {"essential": True, "values": [self.issuer, f"{self.issuer}/"]},
            "aud": {"essential": True, "values": [self.client_id]},
        }

    async def logout(self, request: Request) -> Response:
        """End the session, then the provider's (when it offers RP-initiated logout and
        the session was signed in at it); else the page that offers to sign in again."""
        id_token = request.session.get(ID_TOKEN_KEY)
        sign_out(request)
        end_session = await self.end_session_endpoint() if isinstance(id_token, str) else None
        if not end_session:
            return self.page(request, None, "/", notice=SIGNED_OUT)
        hint = {"id_token_hint": id_token} if id_token else {}
        query = urlencode({**hint, "post_logout_redirect_uri": self.login_uri(request), "client_id": self.client_id})
        return RedirectResponse(f"{end_session}{'&' if '?' in end_session else '?'}{query}", status_code=303)

    async def end_session_endpoint(self) -> str | None:
        """The provider's `end_session_endpoint` from discovery; None when it has none or
        discovery cannot be read (the logout is then local only)."""
        try:
            metadata = await self.client.load_server_metadata()
        except (http.TransportError, http.HTTPStatusError, ValueError) as error:
            logger.warning("OIDC logout: discovery at %s failed (%s); local logout only", self.issuer,
                           type(error).__name__)
            return None
        found = metadata.get("end_session_endpoint")
        return found if isinstance(found, str) and urlsplit(found).scheme in ("http", "https") else None

    def login_uri(self, request: Request) -> str:
        """The absolute URL of our `/login`, where the provider sends the browser after its
        logout: on the host of `redirect_uri` when one is set, else the request's."""
        path = request.app.url_path_for("login")
        if self.redirect_uri:
            return urlunsplit(urlsplit(self.redirect_uri)._replace(path=path, query="", fragment=""))
        return str(request.url_for("login"))

    def page(self, request: Request, error: str | None, target: str, status_code: int = 200, notice: str | None = None) -> Response:
        """The sign-in page of this mode: a message and a button that starts sign-in again."""
        login_url = f"{request.app.url_path_for('login')}?{urlencode({'next': target})}"
        context = {"error": error, "notice": notice, "provider_name": self.provider_name, "login_url": login_url}
        return self.admin.templates.TemplateResponse(request, PAGE, context, status_code=status_code)


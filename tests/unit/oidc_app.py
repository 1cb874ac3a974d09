"""A test app signed in through OIDCSignIn (code + PKCE) against the test provider: one
CRUD view and one custom page, both for signed-in users only.
`python -m tests.unit.oidc_app --port N` serves it (the browser tests do), with the provider
from `OIDC_ISSUER`."""

from __future__ import annotations

import argparse
import os

import sqlalchemy as sa
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from fasthx_ui.crud import Admin, CRUDView, init_db
from fasthx_ui.crud.oidc_flow import OIDCSignIn

from ..oidc_provider import ALLOWED_FOR_TESTS, CLIENT_ID, CLIENT_SECRET


class NoteBase(DeclarativeBase):
    """This app's own metadata (the other test apps' tables stay out of it)."""


class Note(NoteBase):
    __tablename__ = "oidc_notes"
    id: Mapped[int] = mapped_column(primary_key=True)
    text: Mapped[str] = mapped_column(sa.String(100))


class NoteView(CRUDView):
    model = Note
    name = "notes"
    display_name = "Notes"


def create_app(issuer: str, database_url: str, **options) -> tuple[FastAPI, Admin, OIDCSignIn]:
    """The app, its Admin and its sign-in; `options` go to OIDCSignIn."""
    engine = init_db(database_url)
    NoteBase.metadata.create_all(engine)
    app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)
    settings = {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, "allowed_groups": ALLOWED_FOR_TESTS,
                "provider_name": "the test provider", **options}
    sign_in = OIDCSignIn(issuer=issuer, **settings)
    admin = Admin(app, title="OIDC test", sign_in=sign_in, session_secret="oidc-test-secret")
    admin.add_view(NoteView)

    @app.get("/dashboard", response_class=HTMLResponse)
    async def dashboard(request: Request):
        return admin.templates.TemplateResponse(request, "dashboard.html", {"active_page": "dashboard"})

    return app, admin, sign_in


def main() -> None:
    import uvicorn

    parser = argparse.ArgumentParser(description="the OIDC test app")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--database", default="sqlite://")
    args = parser.parse_args()
    app, _, _ = create_app(os.environ["OIDC_ISSUER"], args.database)
    uvicorn.run(app, host="127.0.0.1", port=args.port, log_level="warning")


if __name__ == "__main__":
    main()

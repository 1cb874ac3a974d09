"""Apps for the CRUD shell's tests: an Admin on a FastAPI app with sessions, a test-only
sign-in route, and a stand-in view class shaped like CRUDView (templates in, router out)."""

import json

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import HTMLResponse
from starlette.middleware.sessions import SessionMiddleware
from starlette.testclient import TestClient

from fasthx_ui.crud import access
from fasthx_ui.crud.admin import Admin

PAGE = {"Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8"}


def fake_view(name: str, category: str = "Other", icon: str = "table", **attrs) -> type:
    """A view class with a guarded list page at /<name> and an edit route (EDIT)."""

    class FakeView:
        def __init__(self, templates):
            self.templates = templates
            self.name, self.display_name, self.category, self.icon = name, name.title(), category, icon
            self.allowed_users = self.allowed_groups = None
            self.can_create = self.can_edit = self.can_delete = True
            vars(self).update(attrs)
            self.router = APIRouter()
            self.router.add_api_route(f"/{name}", self.list_page, dependencies=[Depends(access.guard(self))])
            self.router.add_api_route(
                f"/{name}/{{item_id}}/edit", self.list_page, methods=["GET", "POST"],
                dependencies=[Depends(access.guard(self, access.EDIT))],
            )

        def list_page(self, request: Request) -> HTMLResponse:
            return self.templates.TemplateResponse(request, "forbidden.html", {"message": f"list of {name}", "active_page": name})

    return FakeView


def admin_app(**admin_kwargs) -> tuple[FastAPI, Admin]:
    """A FastAPI app with SessionMiddleware, `/test-sign-in?user=<json>` and an Admin."""
    app = FastAPI()
    app.add_middleware(SessionMiddleware, secret_key="test-session")
    admin = Admin(app, **admin_kwargs)

    @app.get("/test-sign-in")
    def sign_in(request: Request, user: str):
        request.session["user"] = json.loads(user)
        return {}

    return app, admin


def client_for(app: FastAPI, user: dict | None = None) -> TestClient:
    """A test client (redirects not followed), signed in as `user` when given."""
    client = TestClient(app, follow_redirects=False)
    if user is not None:
        client.get("/test-sign-in", params={"user": json.dumps(user)})
    return client

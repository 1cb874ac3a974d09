"""Apps for the CRUD shell's tests: an Admin on a FastAPI app with sessions and a
test-only sign-in route, CRUDView classes over a small model of their own, and its
database (`pets_db`: import the fixture into a test module to use it)."""

import json

import pytest
from fastapi import FastAPI, Request
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from starlette.middleware.sessions import SessionMiddleware
from starlette.testclient import TestClient

from fasthx_ui.crud import Admin, CRUDView, init_db

PAGE = {"Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8"}


class PetBase(DeclarativeBase):
    """The shell tests' own metadata, apart from the shared `Base`."""


class Pet(PetBase):
    __tablename__ = "shell_pets"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str]


def view_class(name: str, category: str = "Other", icon: str = "table", **attrs) -> type[CRUDView]:
    """A CRUDView of `Pet` called `name` ("Pets" shown for "pets"), with `attrs` set."""
    body = {"model": Pet, "name": name, "display_name": name.title(), "category": category, "icon": icon, **attrs}
    return type(f"{name.title()}View", (CRUDView,), body)


@pytest.fixture
def pets_db(tmp_path, monkeypatch):
    """init_db() on a SQLite file holding the Pet table (crud.db as it was afterwards)."""
    from fasthx_ui.crud import db

    monkeypatch.setattr(db, "_engine", None)
    monkeypatch.setattr(db, "_sessions", None)
    engine = init_db(f"sqlite:///{tmp_path / 'pets.db'}", connect_args={"check_same_thread": False})
    PetBase.metadata.create_all(engine)
    yield engine
    engine.dispose()


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

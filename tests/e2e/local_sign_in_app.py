"""An app signing in with local users for the two-process and browser tests: one CRUD view
(gadgets) and `/me` (who is signed in). Its users and failure counts live in the SQLite file
`--db`; `SESSION_SECRET` signs the session. Hashes use argon2's lowest cost (tests make many).
`python tests/e2e/local_sign_in_app.py --db PATH --port N`"""

import os

from argon2 import PasswordHasher
from fastapi import FastAPI, Request
from sqlalchemy import Column, Integer, String

from fasthx_ui.crud import Admin, Base, CRUDView, LocalSignIn, get_current_user, init_db

from app_main import run_app

CHEAP = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


class Gadget(Base):
    __tablename__ = "local_sign_in_gadgets"
    id = Column(Integer, primary_key=True)
    name = Column(String(100), nullable=False)

    __admin_category__ = "Things"


class GadgetView(CRUDView):
    model = Gadget
    name = "gadgets"
    column_list = ["id", "name"]


def create_app(db: str, secret: str | None = None) -> FastAPI:
    engine = init_db(f"sqlite:///{db}", connect_args={"check_same_thread": False})
    Base.metadata.create_all(engine)
    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)

    @app.get("/me")
    def me(request: Request):
        return {"user": get_current_user(request), "port": request.url.port}

    admin = Admin(app, title="Local sign-in", sign_in=LocalSignIn(hasher=CHEAP, home="/gadgets"),
                  session_secret=secret or os.environ["SESSION_SECRET"])
    admin.add_view(GadgetView)
    return app


if __name__ == "__main__":
    run_app(create_app)

"""Helpers of the local sign-in tests: a cheap argon2 hasher, a hand-moved clock, and an
app signing in with `LocalSignIn` over a database of the test's own."""

from __future__ import annotations

import re

import sqlalchemy as sa
from argon2 import PasswordHasher
from fastapi import FastAPI, Request
from sqlalchemy.orm import Session
from starlette.testclient import TestClient

from fasthx_ui.crud import Admin, LocalSignIn
from fasthx_ui.crud.auth import get_current_user
from fasthx_ui.crud.throttle import DatabaseFailures, LoginThrottle
from fasthx_ui.crud.users import Passwords, create_tables, save_user
from fasthx_ui.csrf import csrf_token

# Tests pay for the hashes they make: the lowest argon2 cost (production keeps argon2-cffi's default).
CHEAP = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
META_TOKEN = re.compile(r'<meta name="csrf-token" content="([^"]*)"')
ADA_PASSWORD = "correct horse battery staple"


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: float = 2_000_000.0):
        self.now = now

    def __call__(self) -> float:
        return self.now


def add_user(engine: sa.Engine, username: str, password: str, groups=("/NOC",), active=True, hasher=CHEAP) -> None:
    create_tables(engine)
    with Session(engine) as session:
        save_user(session, Passwords(hasher), username, password, groups, active)


def sign_in_app(engine: sa.Engine, clock: Clock, *, hasher=CHEAP, throttle: LoginThrottle | None = None, **admin_options) -> FastAPI:
    """An app with local sign-in on `engine` (failure counts in the same database, on `clock`)
    , a `/me` route telling who is signed in and `/csrf`, the CSRF token a page would carry."""
    app = FastAPI()

    @app.get("/me")
    def me(request: Request):
        return {"user": get_current_user(request)}

    @app.get("/csrf")
    def token(request: Request):
        return csrf_token(request)

    plug = LocalSignIn(engine=engine, hasher=hasher, throttle=throttle or LoginThrottle(DatabaseFailures(engine), clock=clock))
    Admin(app, title="Test Admin", sign_in=plug, session_secret="local-auth-secret", **admin_options)
    app.state.fasthx_sessions.clock = clock
    return app


def post_login(client: TestClient, username: str, password: str, next: str | None = None, **headers):
    params = {"next": next} if next is not None else None
    return client.post("/login", params=params, data={"username": username, "password": password}, headers=headers)


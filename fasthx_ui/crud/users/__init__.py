"""Local users: a users table in the app's database and argon2 password hashes. The
command that creates a user is `python -m fasthx_ui.crud.users` (`__main__.py`).

The tables have their own metadata (`USERS_METADATA`, tables `fasthx_users` and the sign-in
throttle's `fasthx_login_failures`), so an app's `Base` stays its own; `create_tables(engine)`
makes them (the command and `LocalSignIn` call it, as the app's startup may).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from functools import cached_property
from datetime import datetime, timezone
from typing import Any

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

USERNAME_MAX = 150


class UsersBase(DeclarativeBase):
    """The declarative base of the sign-in tables (kept apart from the app's `Base`)."""


USERS_METADATA = UsersBase.metadata


class User(UsersBase):
    """A person who signs in with a password; `groups` feed `allowed_groups` as OIDC groups do."""

    __tablename__ = "fasthx_users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(sa.String(USERNAME_MAX), unique=True)
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    groups: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=lambda: datetime.now(timezone.utc))

    def as_session_user(self) -> dict[str, Any]:
        """What the session keeps: `{"username", "groups"}`, like `oidc_login`'s answer."""
        return {"username": self.username, "groups": list(self.groups or [])}


class LoginFailure(UsersBase):
    """Failed sign-ins under one key (`user:<name>` or `ip:<address>`), for `throttle.DatabaseFailures`."""

    __tablename__ = "fasthx_login_failures"

    key: Mapped[str] = mapped_column(sa.String(200), primary_key=True)
    count: Mapped[int] = mapped_column(default=0)
    last: Mapped[float] = mapped_column(sa.Float)


_created: set[int] = set()
_created_lock = threading.Lock()


def create_tables(engine: sa.Engine) -> None:
    """Create the sign-in tables on `engine` if they are missing (once per engine and process)."""
    with _created_lock:
        if id(engine) not in _created:
            USERS_METADATA.create_all(engine, checkfirst=True)
            _created.add(id(engine))


class Passwords:
    """Hashing and checking of passwords (argon2id through argon2-cffi; `hasher` picks the cost)."""

    def __init__(self, hasher: PasswordHasher | None = None):
        self.hasher = hasher or PasswordHasher()

    @cached_property
    def _dummy(self) -> str:
        return self.hasher.hash("no such user")

    def hash(self, password: str) -> str:
        return self.hasher.hash(password)

    def verify(self, stored: str | None, password: str) -> bool:
        """True when `password` matches `stored`. Without a stored hash (no such user) a
        dummy hash is checked, so an unknown name costs the same time as a wrong password."""
        try:
            return self.hasher.verify(stored or self._dummy, password) and stored is not None
        except (VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, stored: str) -> bool:
        """True when `stored` was made with other parameters than this hasher's."""
        try:
            return self.hasher.check_needs_rehash(stored)
        except InvalidHashError:
            return True


def check_username(username: str) -> str:
    """`username` trimmed; ValueError when it is empty, too long or has control characters."""
    name = username.strip()
    if not name or len(name) > USERNAME_MAX or any(ord(char) < 0x20 or ord(char) == 0x7F for char in name):
        raise ValueError(f"a username is 1 to {USERNAME_MAX} printable characters")
    return name


def save_user(
    session: Session, passwords: Passwords, username: str, password: str, groups: Sequence[str] = (), active: bool = True
) -> User:
    """Create `username` (or update the existing one) with this password, groups and state; committed."""
    name = check_username(username)
    if not password:
        raise ValueError("the password is empty")
    user = session.scalar(sa.select(User).where(User.username == name))
    if user is None:
        user = User(username=name)
        session.add(user)
    user.password_hash = passwords.hash(password)
    user.groups = [group.strip() for group in groups if group.strip()]
    user.active = active
    session.commit()
    return user


def check_password(session: Session, passwords: Passwords, username: str, password: str) -> dict[str, Any] | None:
    """The session user of an active `username` whose password matches, else None (unknown,
    inactive and wrong are not told apart). A hash made with older parameters is renewed."""
    user = session.scalar(sa.select(User).where(User.username == username.strip()))
    if not passwords.verify(user.password_hash if user else None, password) or user is None or not user.active:
        return None
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash(password)
        session.commit()
    return user.as_session_user()

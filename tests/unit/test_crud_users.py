"""crud.users: hashing, checking and rehashing passwords, saving users, and the
`python -m fasthx_ui.crud.users create` command (the password never echoed)."""

import os
import pty
import select
import subprocess
import sys

import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher
from sqlalchemy.orm import Session

from fasthx_ui.crud.users import Passwords, User, check_password, create_tables, save_user

from ..databases import KINDS, database_engine
from .local_auth import CHEAP

SECRET = "s3cret-Pa55word"


@pytest.fixture(params=KINDS)
def engine(request, tmp_path):
    with database_engine(request.param, tmp_path) as engine:
        create_tables(engine)
        yield engine


def test_hash_verify_and_rehash():
    passwords = Passwords(CHEAP)
    stored = passwords.hash(SECRET)
    assert stored.startswith("$argon2id$") and SECRET not in stored
    assert passwords.hash(SECRET) != stored, "salted"
    assert passwords.verify(stored, SECRET)
    assert not passwords.verify(stored, SECRET + "x")
    assert not passwords.verify(None, SECRET)
    assert not passwords.verify("not a hash", SECRET)
    assert not passwords.needs_rehash(stored)
    stronger = Passwords(PasswordHasher(time_cost=2, memory_cost=2048, parallelism=1))
    assert stronger.needs_rehash(stored) and stronger.verify(stored, SECRET)
    assert stronger.needs_rehash("not a hash")


def test_save_and_check_users(engine):
    passwords = Passwords(CHEAP)
    with Session(engine) as session:
        save_user(session, passwords, " ada ", SECRET, [" /NOC", "", "/Ops "])
        assert check_password(session, passwords, "ada", SECRET) == {"username": "ada", "groups": ["/NOC", "/Ops"]}
        assert check_password(session, passwords, "ada", "wrong") is None
        assert check_password(session, passwords, "bob", SECRET) is None
        save_user(session, passwords, "ada", "new one", [], active=False)
        assert session.scalar(sa.select(sa.func.count()).select_from(User)) == 1, "saving again updates"
        assert check_password(session, passwords, "ada", "new one") is None, "inactive"


@pytest.mark.parametrize("username, password, message", [("", SECRET, "printable"), ("a\nb", SECRET, "printable"), ("x" * 151, SECRET, "printable"), ("ada", "", "empty")])
def test_bad_users_are_refused(engine, username, password, message):
    with Session(engine) as session, pytest.raises(ValueError, match=message):
        save_user(session, Passwords(CHEAP), username, password)


def command(*args, env=None, **options):
    return subprocess.run(
        [sys.executable, "-m", "fasthx_ui.crud.users", *args], capture_output=True, text=True, timeout=120,
        env={**os.environ, **(env or {})}, **options,
    )


def stored_user(url: str, username: str) -> User | None:
    engine = sa.create_engine(url)
    try:
        with Session(engine) as session:
            return session.scalar(sa.select(User).where(User.username == username))
    finally:
        engine.dispose()


def test_create_command_with_password_on_stdin(tmp_path):
    url = f"sqlite:///{tmp_path / 'app.db'}"
    done = command("create", "alice", "--groups", "/Edge-Admins,/NOC", "--database-url", url, "--password-stdin", input=SECRET + "\n")
    assert done.returncode == 0, done.stderr
    assert "user 'alice' saved (groups: /Edge-Admins, /NOC; active)" in done.stdout
    assert SECRET not in done.stdout + done.stderr
    user = stored_user(url, "alice")
    assert user.groups == ["/Edge-Admins", "/NOC"] and user.active
    assert Passwords().verify(user.password_hash, SECRET)


def test_create_command_reads_database_url_from_the_environment(tmp_path):
    url = f"sqlite:///{tmp_path / 'env.db'}"
    done = command("create", "bob", "--inactive", "--password-stdin", input="pw\n", env={"DATABASE_URL": url})
    assert done.returncode == 0, done.stderr
    assert "groups: none; inactive" in done.stdout
    assert stored_user(url, "bob").active is False


@pytest.mark.parametrize(
    "args, stdin, status, message",
    [
        (["create", "carol", "--password-stdin"], "pw\n", 2, "give --database-url or set DATABASE_URL"),
        (["create", "carol", "--password-stdin", "--database-url", "nonsense://x"], "pw\n", 2, "error:"),
        (["create", "carol", "--password-stdin", "--database-url", "sqlite:///{tmp}/db.sqlite"], "\n", 2, "the password is empty"),
        (["create", "", "--password-stdin", "--database-url", "sqlite:///{tmp}/db.sqlite"], "pw\n", 2, "a username is"),
        (["create", "carol", "--password-stdin", "--database-url", "sqlite:///{tmp}/no/such/dir/db.sqlite"], "pw\n", 1, "the database refused"),
    ],
)
def test_create_command_says_what_is_wrong(tmp_path, args, stdin, status, message):
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    done = subprocess.run(
        [sys.executable, "-m", "fasthx_ui.crud.users", *(a.format(tmp=tmp_path) for a in args)],
        input=stdin, capture_output=True, text=True, timeout=120, env=env,
    )
    assert done.returncode == status
    assert message in done.stderr and "Traceback" not in done.stderr


def run_on_terminal(args: list[str], answers: list[str]) -> tuple[int, str]:
    """Run the command on a pseudo-terminal, typing `answers` at its prompts; its exit
    status and everything the terminal showed."""
    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "fasthx_ui.crud.users", *args], stdin=terminal, stdout=terminal, stderr=terminal,
        start_new_session=True,
    )
    os.close(terminal)
    shown, pending = b"", list(answers)
    while True:
        ready, _, _ = select.select([controller], [], [], 60)
        if not ready:
            process.kill()
            raise AssertionError(f"the command hung; it showed {shown!r}")
        try:
            chunk = os.read(controller, 1024)
        except OSError:  # the terminal closed: the command ended
            break
        if not chunk:
            break
        shown += chunk
        answered = len(answers) - len(pending)
        if pending and shown.count(b"Password") > answered and shown.endswith(b": "):
            os.write(controller, pending.pop(0).encode() + b"\n")
    os.close(controller)
    return process.wait(timeout=60), shown.decode(errors="replace")


def test_create_command_prompts_twice_without_echo(tmp_path):
    url = f"sqlite:///{tmp_path / 'tty.db'}"
    status, shown = run_on_terminal(["create", "dave", "--database-url", url], [SECRET, SECRET])
    assert status == 0, shown
    assert "Password:" in shown and "Password again:" in shown and "user 'dave' saved" in shown
    assert SECRET not in shown, "the typed password is never echoed"
    assert Passwords().verify(stored_user(url, "dave").password_hash, SECRET)


def test_create_command_refuses_two_different_passwords(tmp_path):
    url = f"sqlite:///{tmp_path / 'tty.db'}"
    status, shown = run_on_terminal(["create", "erin", "--database-url", url], [SECRET, SECRET + "!"])
    assert status == 2 and "the two passwords differ" in shown
    assert not (tmp_path / "tty.db").exists() or stored_user(url, "erin") is None

"""`python -m fasthx_ui.crud.users create USERNAME --groups a,b`: create a local user.

    python -m fasthx_ui.crud.users create alice --groups /Edge-Admins,/NOC
        [--database-url URL | $DATABASE_URL] [--password-stdin] [--inactive]

The password is read from a prompt that does not echo it (twice), or once from standard
input with `--password-stdin`. An existing user gets the new password, groups and state.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.orm import Session

from fasthx_ui.crud.users import Passwords, create_tables, save_user

DATABASE_VARIABLE = "DATABASE_URL"


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Password: ")
    if first != getpass.getpass("Password again: "):
        raise ValueError("the two passwords differ")
    return first


def main(argv: Sequence[str] | None = None) -> int:
    """The `python -m fasthx_ui.crud.users` command; returns the exit status."""
    parser = argparse.ArgumentParser(prog="python -m fasthx_ui.crud.users", description="Manage the local users of a fasthx_ui app.")
    commands = parser.add_subparsers(dest="command", required=True)
    create = commands.add_parser("create", help="create a user, or set an existing user's password and groups")
    create.add_argument("username")
    create.add_argument("--groups", default="", help="comma-separated groups, e.g. /Edge-Admins,/NOC")
    create.add_argument("--database-url", default=os.environ.get(DATABASE_VARIABLE), help=f"default: ${DATABASE_VARIABLE}")
    create.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    create.add_argument("--inactive", action="store_true", help="the user may not sign in (yet)")
    options = parser.parse_args(argv)
    if not options.database_url:
        parser.error(f"give --database-url or set {DATABASE_VARIABLE}")
    try:
        password = _read_password(options.password_stdin)
        engine = sa.create_engine(options.database_url)
    except (ValueError, sa.exc.ArgumentError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    try:
        create_tables(engine)
        with Session(engine) as session:
            user = save_user(session, Passwords(), options.username, password, options.groups.split(","), not options.inactive)
            print(f"user {user.username!r} saved (groups: {', '.join(user.groups) or 'none'}; {'active' if user.active else 'inactive'})")
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except sa.exc.SQLAlchemyError as error:
        print(f"error: the database refused: {error.__class__.__name__}: {getattr(error, 'orig', None) or error}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The reference's example app (tests/unit/crud/reference/) served for the browser tests,
on a SQLite file of its own; sign-in is its `oidc_login` against the provider named by
`OIDC_SECRETS`. `python -m tests.e2e.reference_app --port N --database sqlite:///…`"""

import argparse

import uvicorn

from fasthx_ui.crud import Base, init_db


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--database", required=True)
    args = parser.parse_args()
    from tests.unit.crud.reference.app import app  # its models join Base.metadata

    Base.metadata.create_all(init_db(args.database))

    uvicorn.run(app, host="127.0.0.1", port=args.port, log_level="warning")


if __name__ == "__main__":
    main()

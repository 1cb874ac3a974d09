"""Serve the demo: `python -m examples.demo [--host H] [--port N]`."""

import argparse

import uvicorn


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m examples.demo", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    options = parser.parse_args()
    from examples.demo.app import DATABASE_URL, app  # after parsing: the app opens its database on import

    print(f"fasthx_ui demo: http://{options.host}:{options.port}/ (database {DATABASE_URL}; Ctrl+C stops it)", flush=True)
    uvicorn.run(app, host=options.host, port=options.port, log_level="warning")


if __name__ == "__main__":
    main()

"""Serve the storybook: `python -m storybook [--host H] [--port N]`."""

import argparse

import uvicorn

from storybook.app import create_app


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m storybook", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    options = parser.parse_args()
    uvicorn.run(create_app(), host=options.host, port=options.port, log_level="warning")


if __name__ == "__main__":
    main()

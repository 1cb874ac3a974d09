"""The command line of the browser tests' small apps: `python tests/e2e/<x>_app.py --port P --db FILE`
serves `create_app(FILE)` with uvicorn on 127.0.0.1:P."""

import argparse
from collections.abc import Callable

import uvicorn
from fastapi import FastAPI


def run_app(create_app: Callable[[str], FastAPI]) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--db", required=True)
    options = parser.parse_args()
    uvicorn.run(create_app(options.db), host="127.0.0.1", port=options.port, log_level="warning")

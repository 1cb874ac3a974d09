"""Helpers for the two-process tests: two storybook processes sharing one Redis, and a
Redis server of a test's own that the test can stop and start again."""

import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager

import redis

from helpers import serve


@contextmanager
def storybooks(redis_url: str, prefix: str) -> Iterator[tuple[str, str]]:
    """Two storybook processes (A, B) with the same secret, Redis and key prefix."""
    env = {"REDIS_URL": redis_url, "FASTHX_UI_STORY_PREFIX": prefix}
    first, first_url = serve(["-m", "storybook"], env=env)
    try:
        second, second_url = serve(["-m", "storybook"], env=env)
        try:
            yield first_url, second_url
        finally:
            second.terminate()
            second.wait(timeout=10)
    finally:
        first.terminate()
        first.wait(timeout=10)


@contextmanager
def redis_server(port: int) -> Iterator[subprocess.Popen]:
    """A Redis server of this test's own (no persistence), stopped afterwards."""
    process = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    client = redis.Redis(port=port, socket_connect_timeout=0.5)
    deadline = time.monotonic() + 10
    while True:
        try:
            client.ping()
            break
        except redis.ConnectionError:
            if time.monotonic() > deadline:
                process.kill()
                raise
            time.sleep(0.05)
    try:
        yield process
    finally:
        process.terminate()
        process.wait(timeout=10)

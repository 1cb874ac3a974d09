"""The test Redis and the key prefixes that keep each test's keys apart."""

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import redis

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")


def delete_prefixed(prefix: str) -> None:
    """Remove every key under `prefix` from the test Redis."""
    client = redis.Redis.from_url(REDIS_URL)
    keys = list(client.scan_iter(match=f"{prefix}*"))
    if keys:
        client.delete(*keys)


@contextmanager
def own_prefix(tag: str = "fasthx-test") -> Iterator[str]:
    """A fresh key prefix; its keys are removed afterwards."""
    prefix = f"{tag}-{uuid.uuid4().hex}:"
    try:
        yield prefix
    finally:
        delete_prefixed(prefix)

"""Unit-test fixtures shared by the Redis-backed tests."""

import pytest

from ..redis_keys import own_prefix


@pytest.fixture
def prefix():
    """A Redis key prefix of this test's own; its keys are removed afterwards."""
    with own_prefix() as prefix:
        yield prefix

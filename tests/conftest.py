"""Suite-wide ordering: browser tests run last (on each xdist worker too: the scheduler
hands every worker its tests in collection order).

Playwright's sync API keeps an event loop running on the main thread while the
session's browser is open, and asyncio tests cannot start their own loop under it.

The test OpenID provider and the test AI provider are started once per session, by the
first test that needs them.
"""

import os
from collections.abc import Iterator

import pytest

from .ai_server import AIServer, ai_server_process
from .oidc_provider import Provider, provider_process


def pytest_collection_modifyitems(items):
    items.sort(key=lambda item: "tests/e2e/" in item.nodeid)


@pytest.fixture(scope="session")
def oidc_provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Provider]:
    """The test OpenID provider (tests/oidc_provider.py) running as a process for the
    session; `OIDC_SECRETS` names its client_secrets.json meanwhile."""
    before = os.environ.get("OIDC_SECRETS")
    with provider_process(tmp_path_factory.mktemp("oidc")) as provider:
        os.environ["OIDC_SECRETS"] = str(provider.secrets_file)
        yield provider
    if before is None:
        os.environ.pop("OIDC_SECRETS", None)
    else:
        os.environ["OIDC_SECRETS"] = before


@pytest.fixture
def provider(oidc_provider: Provider) -> Iterator[Provider]:
    """The session's provider, put right again after a test that made it misbehave."""
    yield oidc_provider
    oidc_provider.reset()


@pytest.fixture(scope="session")
def ai_server_session() -> Iterator[AIServer]:
    """The test AI provider (tests/ai_server.py) running as a process for the session."""
    with ai_server_process() as server:
        yield server


@pytest.fixture
def ai_server(ai_server_session: AIServer) -> AIServer:
    """The session's AI provider with no scripted answers and no requests logged yet."""
    ai_server_session.reset()
    return ai_server_session

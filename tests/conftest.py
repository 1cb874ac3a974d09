"""Suite-wide ordering: browser tests run last.

Playwright's sync API keeps an event loop running on the main thread while the
session's browser is open, and asyncio tests cannot start their own loop under it.
"""


def pytest_collection_modifyitems(items):
    items.sort(key=lambda item: "tests/e2e/" in item.nodeid)

"""Progress: value convention, in-process store, Redis store (real Redis) and Redis down."""

import threading

import pytest
import redis

from fasthx_ui.progress import (
    InProcessProgressStore,
    ProgressState,
    ProgressUnavailable,
    RedisProgressStore,
    parse_progress,
    progress_key,
    progress_store,
)

from ..redis_keys import REDIS_URL
from .tcp_proxy import TcpProxy

CLOSED_PORT_URL = "redis://127.0.0.1:1/0"


@pytest.fixture
def raw(prefix):
    """A plain redis-py client, as a worker would use."""
    return redis.Redis.from_url(REDIS_URL, decode_responses=True)


@pytest.mark.parametrize(
    ("value", "percent", "status", "terminal"),
    [
        (None, 0, "waiting", False),
        ("Error", 100, "failed", True),
        ("error", 100, "failed", True),
        ("0", 0, "running", False),
        ("1", 1, "running", False),
        ("42", 42, "running", False),
        ("99", 99, "running", False),
        ("99.9", 99, "running", False),
        (" 50 ", 50, "running", False),
        ("-5", 0, "running", False),
        ("100", 100, "complete", True),
        ("250", 100, "complete", True),
        (b"75", 75, "running", False),
    ],
)
def test_value_convention(value, percent, status, terminal):
    state = parse_progress(value)
    assert (state.percent, state.status, state.terminal) == (percent, status, terminal)


def test_labels_follow_the_status():
    assert parse_progress(None).label == "Waiting..."
    assert parse_progress("10").label == "Deploying..."
    assert parse_progress("100").label == "Complete"
    assert parse_progress("Error").label == "Failed"


@pytest.mark.parametrize("value", ["soon", "nan", "inf", ""])
def test_unreadable_value_is_unavailable_not_an_exception(value):
    state = parse_progress(value)
    assert state.status == "unavailable"
    assert not state.terminal
    assert "Unrecognised progress value" in state.message


def test_a_view_sets_its_own_running_label():
    assert parse_progress("10", running_label="Building...").label == "Building..."
    assert parse_progress("10").running_as("Building...").label == "Building..."
    assert parse_progress("10", "step 2").running_as("Building...").label == "step 2"
    assert parse_progress("100").running_as("Building...").label == "Complete"
    assert parse_progress(None).running_as("Building...").label == "Waiting..."
    assert parse_progress("Error", running_label="Building...").label == "Failed"


def test_message_is_carried():
    assert parse_progress("30", "Deploying 2 of 3").message == "Deploying 2 of 3"


def test_key_convention():
    assert progress_key("edges", 42) == "edges:42:progress"


def test_factory_defaults_to_in_process():
    assert isinstance(progress_store(), InProcessProgressStore)
    assert progress_store() is progress_store()
    assert isinstance(progress_store(REDIS_URL), RedisProgressStore)


def test_in_process_store_round_trip():
    store = InProcessProgressStore()
    assert store.get("jobs", 1) == ProgressState(0, "waiting", "Waiting...")
    store.set("jobs", 1, 40, "Copying files")
    assert store.get("jobs", 1) == ProgressState(40, "running", "Copying files", "Copying files")
    store.set("jobs", 1, "Error", "Disk full")
    assert store.get("jobs", 1).status == "failed"
    assert store.get("jobs", 1).message == "Disk full"
    store.set("jobs", 1, 100)
    assert store.get("jobs", 1) == ProgressState(100, "complete", "Complete")
    assert store.get("jobs", 2).status == "waiting"
    store.clear("jobs", 1)
    assert store.get("jobs", 1).status == "waiting"


@pytest.mark.parametrize("store_kind", ["memory", "redis"])
@pytest.mark.parametrize("value", ["soon", None, float("nan")])
def test_stores_refuse_values_they_could_not_read(store_kind, value, prefix):
    store = InProcessProgressStore() if store_kind == "memory" else RedisProgressStore(
        REDIS_URL, prefix=prefix
    )
    with pytest.raises(ValueError, match="number or 'Error'"):
        store.set("jobs", 1, value)
    assert store.get("jobs", 1).status == "waiting"


def test_in_process_store_keeps_the_most_recent_items():
    store = InProcessProgressStore(max_items=3)
    for item in range(5):
        store.set("jobs", item, 10 + item)
    store.set("jobs", 2, 50)
    assert [store.get("jobs", item).status for item in range(5)] == [
        "waiting", "waiting", "running", "running", "running"
    ]
    store.set("jobs", 5, 1)
    assert store.get("jobs", 3).status == "waiting"
    assert store.get("jobs", 2).percent == 50


def test_in_process_store_is_thread_safe():
    store = InProcessProgressStore()

    def work(item):
        for percent in range(101):
            store.set("jobs", item, percent)

    threads = [threading.Thread(target=work, args=(item,)) for item in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(store.get("jobs", item).status == "complete" for item in range(8))


def test_redis_store_reads_what_a_worker_writes(prefix, raw):
    store = RedisProgressStore(REDIS_URL, prefix=prefix)
    key = f"{prefix}edges:42:progress"
    assert store.key("edges", 42) == key
    assert store.get("edges", 42).status == "waiting"
    raw.set(key, "25")
    assert store.get("edges", 42).percent == 25
    raw.set(key, "50")
    assert store.get("edges", 42) == ProgressState(50, "running", "Deploying...")
    raw.set(key, "100")
    assert store.get("edges", 42).status == "complete"
    raw.set(key, "Error")
    assert store.get("edges", 42).status == "failed"


def test_redis_store_writes_the_convention(prefix, raw):
    store = RedisProgressStore(REDIS_URL, prefix=prefix)
    store.set("edges", 7, 60, "Deploying 2 of 3")
    assert raw.get(f"{prefix}edges:7:progress") == "60"
    assert raw.get(f"{prefix}edges:7:progress:message") == "Deploying 2 of 3"
    store.set("edges", 7, 70)
    assert raw.get(f"{prefix}edges:7:progress:message") is None
    assert store.get("edges", 7) == ProgressState(70, "running", "Deploying...")
    store.clear("edges", 7)
    assert raw.exists(f"{prefix}edges:7:progress") == 0


def test_redis_store_is_shared_between_clients(prefix):
    writer = RedisProgressStore(REDIS_URL, prefix=prefix)
    reader = RedisProgressStore(REDIS_URL, prefix=prefix)
    writer.set("jobs", "a-1", 33, "Step 1 of 3")
    assert reader.get("jobs", "a-1") == ProgressState(33, "running", "Step 1 of 3", "Step 1 of 3")


def test_redis_store_ttl(prefix, raw):
    RedisProgressStore(REDIS_URL, prefix=prefix, ttl=60).set("jobs", 1, 10, "x")
    assert 0 < raw.ttl(f"{prefix}jobs:1:progress") <= 60
    assert 0 < raw.ttl(f"{prefix}jobs:1:progress:message") <= 60


def test_redis_down_gives_unavailable_state():
    store = RedisProgressStore(CLOSED_PORT_URL, socket_timeout=0.5)
    state = store.get("jobs", 1)
    assert state.status == "unavailable"
    assert state.label == "Progress unavailable"
    assert "Cannot reach the progress store" in state.message
    assert not state.terminal


def test_redis_down_write_raises_a_clear_error():
    store = RedisProgressStore(CLOSED_PORT_URL, socket_timeout=0.5)
    with pytest.raises(ProgressUnavailable, match="Cannot reach the progress store"):
        store.set("jobs", 1, 10)
    with pytest.raises(ProgressUnavailable):
        store.clear("jobs", 1)


def test_redis_going_away_mid_poll(prefix):
    """Redis vanishing between two polls reads as unavailable, then recovers when it returns."""
    with TcpProxy(REDIS_URL) as proxy:
        store = RedisProgressStore(proxy.url, prefix=prefix, socket_timeout=0.5)
        store.set("jobs", 1, 20, "Halfway")
        assert store.get("jobs", 1).percent == 20
        proxy.stop()
        state = store.get("jobs", 1)
        assert state.status == "unavailable"
        assert "Cannot reach the progress store" in state.message
        proxy.start()
        assert store.get("jobs", 1) == ProgressState(20, "running", "Halfway", "Halfway")

"""Waking the outbox's readers: Redis pub/sub, PostgreSQL LISTEN/NOTIFY, or polling.

Each hub here reads the outbox on its own only every minute (``safety_interval``), so a wait
that ends within its few seconds was ended by the wake-up under test."""

from __future__ import annotations

import os
import socket

import pytest

from airtally.record.events import emit
from airtally.storage import wakeup
from airtally.storage.transactions import write_transaction
from airtally.storage.wakeup import Hub

REDIS_URL = os.environ.get("AIRTALLY_TEST_REDIS", "redis://127.0.0.1:6379/0")
QUIET = 60.0  # no reading of the outbox of the hub's own while a test waits


def _redis_reachable() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
        return True
    except OSError:
        return False


@pytest.fixture
def redis_url(monkeypatch):
    """The test Redis server, configured for this process's writers (skipped without one, but
    a failure under CI, whose .ci/run starts one)."""
    if not _redis_reachable():
        if os.environ.get("CI"):
            pytest.fail("CI is set but no Redis server answers on 127.0.0.1:6379")
        pytest.skip("no Redis server on 127.0.0.1:6379")
    monkeypatch.setenv("AIRTALLY_REDIS_URL", REDIS_URL)
    return REDIS_URL


def _write_event(engine) -> int:
    with write_transaction(engine) as conn:
        return emit(conn, "threat.created", data={}, regions=["UA-63"])


@pytest.fixture
def hub_of():
    hubs = []

    def start(engine, **options) -> Hub:
        hubs.append(Hub(engine, **options).start())
        return hubs[-1]

    yield start
    for hub in hubs:
        hub.stop()


def test_redis_wakes_a_waiting_hub(engine, redis_url, hub_of):
    hub = hub_of(engine, redis=redis_url, safety_interval=QUIET)
    assert hub.mode == "redis"
    written = _write_event(engine)
    assert hub.wait_sync(written - 1, timeout=5) == written


def test_only_a_committed_write_publishes(engine, redis_url, hub_of):
    hub = hub_of(engine, redis=redis_url, safety_interval=QUIET)
    with pytest.raises(RuntimeError):
        with write_transaction(engine) as conn:
            emit(conn, "threat.created", data={}, regions=[])
            raise RuntimeError("rolled back")
    assert hub.wait_sync(hub.latest, timeout=1) == hub.latest == 0


def test_without_redis_postgresql_notify_or_polling_wakes_a_waiting_hub(engine, hub_of, monkeypatch):
    monkeypatch.delenv("AIRTALLY_REDIS_URL", raising=False)
    postgres = engine.dialect.name == "postgresql"
    # on PostgreSQL the hub never polls here: only the NOTIFY of the write can wake it
    hub = hub_of(engine, redis="", poll_interval=QUIET if postgres else 0.05, safety_interval=QUIET)
    assert hub.mode == ("postgresql" if postgres else "poll")
    written = _write_event(engine)
    assert hub.wait_sync(written - 1, timeout=5) == written


def test_an_unreachable_redis_does_not_fail_the_write(engine, monkeypatch, caplog):
    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setattr(wakeup, "_configured_redis", f"redis://127.0.0.1:{port}/0")
    assert _write_event(engine) == 1
    assert "could not publish event 1" in caplog.text

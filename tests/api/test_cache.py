"""GET answers kept until the database changes: served again without a query, retired by any
committed write (from any connection), never kept for token holders or for "now"."""

from __future__ import annotations

import datetime as dt

import pytest

from airtally.api import cache
from airtally.api.routes import analytics
from airtally.record.ingest import ingest_text
from airtally.storage.changes import ChangeWatch
from airtally.storage.database import Database
from airtally.storage.tokens import create_token
from tests.api.conftest import client_for


@pytest.fixture
def counted(monkeypatch):
    """How many times the tally route asked the library."""
    calls = []
    real = analytics.tally_rows
    monkeypatch.setattr(analytics, "tally_rows", lambda *a, **k: calls.append(1) or real(*a, **k))
    return calls


def store_one(database, launched: int) -> None:
    ingest_text(database.engine, f"Overnight Russia launched {launched} drones; 10 were shot down.", origin="t",
                published=dt.datetime(2025, 7, 20, 9, tzinfo=dt.timezone.utc), source=f"t{launched}", kind="national")


def test_change_token_moves_on_every_write(seeded):
    watch = ChangeWatch(seeded)
    before = watch.token()
    assert before is not None and watch.token() == before
    store_one(seeded, 90)
    assert watch.token() != before
    watch.close()


def test_a_repeated_read_is_served_until_the_database_changes(client, seeded, counted):
    first = client.get("/api/tally", params={"by": "month"}).json()
    assert client.get("/api/tally", params={"by": "month"}).json() == first and len(counted) == 1
    client.get("/api/tally", params={"by": "year"})
    assert len(counted) == 2  # another query is another answer
    store_one(seeded, 90)  # a write through another connection
    changed = client.get("/api/tally", params={"by": "month"}).json()
    assert len(counted) == 3 and changed != first


def test_token_holders_answers_about_now_and_expired_ones_are_not_kept(seeded, counted, monkeypatch):
    token = create_token(seeded.engine, "reader")
    with client_for(seeded) as client:
        for _ in range(2):
            client.get("/api/tally", headers={"Authorization": f"Bearer {token}"})
        assert len(counted) == 2
        monkeypatch.setattr(cache, "TTL", 0.0)
        for _ in range(2):
            client.get("/api/tally")
        assert len(counted) == 4
    assert cache._about_now({"path": "/api/alerts/active", "query_string": b"level=oblast"})
    assert cache._about_now({"path": "/alerts", "query_string": b"at=now"})
    assert not cache._about_now({"path": "/api/alerts/active", "query_string": b"at=2022-10-10T08:20"})


def test_no_cache_when_told(seeded, counted):
    with client_for(seeded, cache_entries=0) as client:
        for _ in range(3):
            client.get("/api/tally")
    assert len(counted) == 3


@pytest.mark.postgres
def test_other_databases_writes_do_not_retire_answers(seeded):
    """On PostgreSQL the token is this database's own count, not the cluster's WAL position."""
    if seeded.backend != "postgresql":
        pytest.skip("PostgreSQL only")
    from tests.conftest import _drop_postgres, _fresh_postgres_url

    watch = ChangeWatch(seeded)
    before = watch.token()
    other = _fresh_postgres_url()
    try:
        with Database.open(other) as elsewhere:
            create_token(elsewhere.engine, "elsewhere")
        assert watch.token() == before
        create_token(seeded.engine, "here")
        assert watch.token() != before
    finally:
        _drop_postgres(other)

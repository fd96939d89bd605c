"""GET answers kept until the database changes: served again without a query, retired by any
committed write (from any connection, any process), never kept for token holders or for "now";
kept answers are sent before FastAPI, with their ETag, per path prefix and Origin."""

from __future__ import annotations

import asyncio
import datetime as dt
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from airtally.api import cache
from airtally.api.app import create_app
from airtally.api.routes import analytics
from airtally.api.settings import Settings
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


@pytest.fixture
def postgres_watch(seeded) -> ChangeWatch:
    """A ChangeWatch over ``seeded``, on PostgreSQL only (the test is skipped on SQLite)."""
    if seeded.backend != "postgresql":
        pytest.skip("PostgreSQL only")
    return ChangeWatch(seeded)


@pytest.mark.postgres
def test_other_databases_writes_do_not_retire_answers(seeded, postgres_watch):
    """On PostgreSQL the token is this database's own count, not the cluster's WAL position."""
    from tests.conftest import _drop_postgres, _fresh_postgres_url

    watch = postgres_watch
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


def test_a_write_from_another_process_is_seen_by_the_next_request(client, seeded, counted, tmp_path):
    """No delay is promised away: the token is read afresh for every request (SQLite's PRAGMA
    inline, PostgreSQL's count by a query begun after the request arrived)."""
    first = client.get("/api/tally", params={"by": "month"}).json()
    report = tmp_path / "report.txt"
    report.write_text("Overnight Russia launched 77 drones; 70 were shot down.", "utf-8")
    done = subprocess.run([sys.executable, "-c", "from airtally.cli import main; main()", "ingest", str(report),
                           "--published", "2025-07-20T09:00", "--source", "other-process", "--db", seeded.url],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    changed = client.get("/api/tally", params={"by": "month"}).json()
    assert len(counted) == 2 and changed != first


def test_a_kept_answer_is_sent_without_calling_the_application(seeded):
    app = create_app(seeded, Settings(db_url=seeded.url))
    calls = []
    inner = app.app

    async def counting(scope, receive, send):
        if scope["type"] == "http":
            calls.append(scope["path"])
        await inner(scope, receive, send)

    app.app = counting
    with TestClient(app) as client:
        answers = [client.get("/api/tally") for _ in range(3)]
    assert calls == ["/api/tally"]
    assert len({a.content for a in answers}) == 1 and len({a.headers["etag"] for a in answers}) == 1


@pytest.mark.parametrize("asked,status", [("same", 304), ("*", 304), ('W/"same"', 304), ('"other", "same"', 304),
                                          ('"other"', 200), (None, 200)])
def test_a_kept_answer_keeps_its_etag_and_304(client, counted, asked, status):
    first = client.get("/api/tally")
    tag = first.headers["etag"]
    header = None if asked is None else asked.replace('"same"', tag).replace("same", tag)
    again = client.get("/api/tally", headers={} if header is None else {"If-None-Match": header})
    assert len(counted) == 1  # served from the cache
    assert again.status_code == status and again.headers["etag"] == tag and again.headers["cache-control"] == "no-cache"
    assert again.content == (b"" if status == 304 else first.content)
    assert ("content-type" in again.headers) == (status == 200)


def test_answers_are_kept_per_path_prefix(seeded):
    app = create_app(seeded, Settings(db_url=seeded.url))
    with TestClient(app, root_path="/one") as one, TestClient(app, root_path="/two") as two:
        for _ in range(2):
            assert "/one/openapi.json" in one.get("/docs").text
            assert "/two/openapi.json" in two.get("/docs").text


def test_answers_are_kept_per_origin(seeded, counted):
    allowed, other = {"Origin": "https://example.org"}, {"Origin": "https://evil.example"}
    with client_for(seeded, cors_origins=("https://example.org",)) as client:
        for _ in range(2):
            assert client.get("/api/tally", headers=allowed).headers["access-control-allow-origin"] == "https://example.org"
            assert "access-control-allow-origin" not in client.get("/api/tally", headers=other).headers
            assert "access-control-allow-origin" not in client.get("/api/tally").headers
    assert len(counted) == 3


def test_a_get_with_a_body_is_still_capped_when_its_answer_is_kept(seeded, counted):
    with client_for(seeded, max_body_bytes=10_000) as client:
        assert client.get("/api/tally").status_code == 200
        refused = client.request("GET", "/api/tally", content=b"x" * 20_000)
        assert refused.status_code == 413 and refused.json()["error"]["code"] == "body_too_large"
    assert len(counted) == 1


def test_a_busy_sqlite_database_is_cannot_tell_not_an_error(tmp_path):
    """The token is read on the event loop, so it never waits for a lock: busy gives None (the
    request is answered by the application, uncached)."""
    path = tmp_path / "rollback.db"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE t (x)")
    watch = ChangeWatch(type("SQLiteFile", (), {"backend": "sqlite", "path": path})())
    assert watch.token() is not None
    holder.execute("BEGIN EXCLUSIVE")  # a rollback-journal database: readers are locked out
    assert watch.token() is None
    holder.execute("COMMIT")
    assert watch.token() is not None
    watch.close()
    holder.close()


@pytest.mark.postgres
def test_a_dropped_postgresql_connection_is_cannot_tell_then_reopened(seeded, postgres_watch):
    import sqlalchemy as sa

    watch = postgres_watch
    before = watch.token()
    with seeded.engine.connect() as conn:  # the server drops every other connection to this database
        conn.execute(sa.text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                             "WHERE datname = current_database() AND pid <> pg_backend_pid()"))
    assert watch.token() in (None, before)  # None when the drop is noticed by this read
    assert watch.token() == before
    store_one(seeded, 90)
    assert watch.token() not in (None, before)
    watch.close()


class GatedRead:
    """A blocking read that waits for ``release`` and returns how many reads had begun."""

    def __init__(self):
        self.begun, self.release = 0, threading.Semaphore(0)

    def __call__(self) -> int:
        self.begun += 1
        began = self.begun
        self.release.acquire()
        return began


def test_fresh_reads_are_shared_and_never_older_than_the_caller():
    read = GatedRead()
    fresh = cache.FreshReads(read)

    async def scenario():
        first = [asyncio.create_task(fresh.get()) for _ in range(3)]  # arrive together: one read
        while read.begun < 1:
            await asyncio.sleep(0.001)
        later = [asyncio.create_task(fresh.get()) for _ in range(2)]  # arrive while it runs: the next one
        await asyncio.sleep(0.01)
        assert read.begun == 1  # the next read waits for the running one to end
        read.release.release()
        assert await asyncio.gather(*first) == [1, 1, 1]
        while read.begun < 2:
            await asyncio.sleep(0.001)
        read.release.release()
        assert await asyncio.gather(*later) == [2, 2]
        read.release.release()
        assert await fresh.get() == 3  # alone: a read of its own

    asyncio.run(scenario())


def test_a_fresh_read_that_fails_is_cannot_tell():
    def failing():
        raise OSError("the database is down")

    assert asyncio.run(cache.FreshReads(failing).get()) is None


@pytest.mark.parametrize("query,origin,kept", [
    ("by=month", "https://example.org", True),
    ("by=month&pad=" + "x" * (cache.MAX_KEY // 2), None, True),
    ("by=month&pad=" + "x" * cache.MAX_KEY, None, False),
    ("by=month", "https://" + "o" * cache.MAX_KEY + ".example", False),
])
def test_a_long_query_or_origin_is_answered_but_never_kept(seeded, counted, query, origin, kept):
    headers = {"Origin": origin} if origin else {}
    with client_for(seeded) as client:
        answers = [client.get(f"/api/tally?{query}", headers=headers) for _ in range(2)]
    assert [a.status_code for a in answers] == [200, 200] and answers[0].json() == answers[1].json()
    assert len(counted) == (1 if kept else 2)


def test_many_distinct_queries_keep_at_most_entries_answers(seeded, counted):
    with client_for(seeded, cache_entries=4) as client:
        for n in range(10):
            assert client.get("/api/tally", params={"by": "month", "n": str(n)}).status_code == 200
        assert len(client.app._kept) == 4
        client.get("/api/tally", params={"by": "month", "n": "9"})  # the latest is kept
        client.get("/api/tally", params={"by": "month", "n": "0"})  # the first was dropped
    assert len(counted) == 11

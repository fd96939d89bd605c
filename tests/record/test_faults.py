"""Faults: a killed import, a locked or read-only database, two writers at once."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from airtally.errors import DatabaseError
from airtally.record.curated import import_curated
from airtally.storage.database import open_database
from airtally.storage.tables_record import attack_totals, attacks, figures, reports

CHILD = Path(__file__).with_name("children.py")
ROOT = Path(__file__).resolve().parents[2]


def _child(*args: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, str(CHILD), *args], stdout=subprocess.PIPE, text=True, env=env)


def _counts(engine) -> list[int]:
    with engine.connect() as conn:
        return [conn.execute(sa.select(sa.func.count()).select_from(t)).scalar()
                for t in (reports, figures, attacks, attack_totals)]


def test_kill_9_mid_import_leaves_nothing_and_a_rerun_completes(engine, db_url, curated_csv):
    child = _child("import", db_url, str(curated_csv), "pause")
    assert child.stdout.readline().strip() == "WRITING"  # figures written, transaction still open
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=30)
    assert _counts(engine) == [0, 0, 0, 0]
    if engine.dialect.name == "sqlite":
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    rerun = _child("import", db_url, str(curated_csv), "go")
    assert rerun.stdout.read().strip() == "DONE" and rerun.wait(timeout=60) == 0
    fresh = import_curated(curated_csv, engine)  # and a third run finds everything stored
    assert (fresh.reports, fresh.duplicates) == (0, 12)
    assert _counts(engine)[0] == 12


def _hold_write_lock(engine, db_url, seconds: float, ready: threading.Event) -> None:
    if engine.dialect.name == "sqlite":
        conn = sqlite3.connect(sa.engine.make_url(db_url).database, isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        ready.set()
        time.sleep(seconds)
        conn.execute("COMMIT")
        conn.close()
        return
    with engine.begin() as conn:
        conn.exec_driver_sql("LOCK TABLE reports IN EXCLUSIVE MODE")
        ready.set()
        time.sleep(seconds)


def test_a_locked_database_makes_the_import_wait_then_succeed(engine, db_url, curated_csv):
    ready = threading.Event()
    holder = threading.Thread(target=_hold_write_lock, args=(engine, db_url, 1.5, ready))
    holder.start()
    ready.wait(10)
    began = time.monotonic()
    summary = import_curated(curated_csv, engine)
    holder.join()
    assert time.monotonic() - began >= 1.0
    assert summary.reports == 12 and _counts(engine)[0] == 12


def _read_only_url(engine, db_url: str) -> str:
    if engine.dialect.name == "sqlite":
        return f"sqlite:///file:{sa.engine.make_url(db_url).database}?mode=ro&uri=true"
    name = sa.engine.make_url(db_url).database
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql(f'ALTER DATABASE "{name}" SET default_transaction_read_only = on')
    return db_url


def test_a_read_only_database_is_a_clear_error_and_nothing_changes(engine, db_url, curated_csv):
    url = _read_only_url(engine, db_url)
    read_only = open_database(url)
    with pytest.raises(DatabaseError, match="read-only"):
        import_curated(curated_csv, read_only)
    read_only.dispose()
    assert _counts(engine) == [0, 0, 0, 0]


def test_two_ingest_processes_on_one_sqlite_file_lose_and_duplicate_nothing(tmp_path):
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    open_database(url).dispose()
    # both ingest reports 0..79, in opposite orders, so they race for every one
    children = [_child("ingest", url, "0", "80", "up"), _child("ingest", url, "0", "80", "down")]
    for child in children:
        assert child.stdout.read().strip() == "DONE" and child.wait(timeout=120) == 0
    engine = open_database(url)
    with engine.connect() as conn:
        hashes = conn.execute(sa.select(sa.func.count(sa.distinct(reports.c.content_hash)))).scalar()
        current = conn.execute(sa.select(sa.func.count()).where(figures.c.superseded_by.is_(None))).scalar()
        dates = conn.execute(sa.select(sa.func.count(sa.distinct(attacks.c.date)))).scalar()
    assert _counts(engine)[:3] == [80, 80, 80] and hashes == 80 and dates == 80
    assert current == 80

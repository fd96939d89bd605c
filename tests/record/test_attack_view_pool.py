"""``attack_detail`` holds one pooled connection at a time: under concurrent requests a thread
holding one while waiting for another starved the pool (every thread waited for the others)."""

from __future__ import annotations

import sqlalchemy as sa

from airtally.record.attack_view import attack_detail
from airtally.record.examples import ingest_examples
from airtally.storage.database import Database


def test_one_connection_is_enough(tmp_path):
    url = f"sqlite:///{tmp_path / 'airtally.db'}"
    with Database.open(url) as database:
        ingest_examples(database.engine)
    narrow = sa.create_engine(url, pool_size=1, max_overflow=0, pool_timeout=2)
    try:
        view = attack_detail(narrow, "2025-07-04", context=True)
    finally:
        narrow.dispose()
    assert view["totals"]["drones"]["launched"] == 539 and view["alerts"]["history_covers"] is False

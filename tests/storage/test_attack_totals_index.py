"""Migration 0018: attack_totals is indexed by subject, covering what the tallies and records
sum, and SQLite reads them through it (they read a few subjects of every attack)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from airtally.analytics.records import attacks_query, months_query
from airtally.analytics.tally import tally_query
from airtally.record.examples import ingest_examples
from airtally.storage.database import create
from airtally.storage.tables_record import attack_totals
from tests.storage.migrating import migrate

INDEX = "ix_attack_totals_subject"


def _migrate(engine, revision: str, down: bool = False) -> set[str]:
    """The names of attack_totals' indexes after migrating to ``revision``."""
    return {index["name"] for index in migrate(engine, revision, down).get_indexes("attack_totals")}


def test_0018_adds_the_index_and_takes_it_away_keeping_the_rows(db_url):
    engine = create(db_url)
    assert INDEX in _migrate(engine, "head")
    ingest_examples(engine)
    count = sa.select(sa.func.count()).select_from(attack_totals)
    with engine.connect() as connection:
        stored = connection.execute(count).scalar()
    assert stored > 0
    assert INDEX not in _migrate(engine, "0017", down=True)
    assert INDEX in _migrate(engine, "head")
    with engine.connect() as connection:
        assert connection.execute(count).scalar() == stored
    engine.dispose()


QUERIES = {
    "tally by month": lambda: tally_query("sqlite", "month"),
    "tally by day, drones": lambda: tally_query("sqlite", "day", ["drones"]),
    "largest attacks": lambda: attacks_query("all", "launched").limit(10),
    "largest months": lambda: months_query("sqlite", "drones", "launched").limit(10),
}


@pytest.mark.parametrize("name", QUERIES)
def test_sqlite_reads_the_tallies_and_records_through_the_index(tmp_path, name):
    engine = create(f"sqlite:///{tmp_path / 'airtally.db'}")
    _migrate(engine, "head")
    sql = str(QUERIES[name]().compile(engine, compile_kwargs={"literal_binds": True}))
    with engine.connect() as connection:
        plan = " / ".join(row[-1] for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}"))
    assert f"COVERING INDEX {INDEX}" in plan, plan
    engine.dispose()

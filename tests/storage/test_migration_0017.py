"""Migration 0017: casualty rows carry a confidence and a reading; those stored before it read
as certain ("high", reading 1), on SQLite and PostgreSQL, and a downgrade gives the rows back."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from tests.storage.migrating import migrate

NOW = dt.datetime(2025, 7, 4, 9, tzinfo=dt.timezone.utc)


def _migrate(engine, revision: str, down: bool = False) -> set[str]:
    """The names of casualties' columns after migrating to ``revision``."""
    return {column["name"] for column in migrate(engine, revision, down).get_columns("casualties")}


def _a_casualty_stored_at_0016(connection) -> None:
    text = sa.text
    connection.execute(text("INSERT INTO sources (id, name, kind) VALUES (1, 'kyiv_ova', 'regional')"))
    connection.execute(text("INSERT INTO attacks (id, date, attacker, target, created_at) "
                            "VALUES (1, :d, 'RU', 'UA', :now)"), {"d": NOW.date(), "now": NOW})
    connection.execute(text("INSERT INTO reports (id, source_id, attack_id, kind, text, content_hash, "
                            "is_attack_report, ingested_at) VALUES (1, 1, 1, 'regional', '2 killed', 'h', :t, :now)"),
                       {"t": True, "now": NOW})
    connection.execute(text("INSERT INTO casualties (attack_id, report_id, measure, value) VALUES (1, 1, 'killed', 2)"))


def test_0017_gives_stored_casualties_high_confidence_and_back(db_url):
    from airtally.storage.database import create

    engine = create(db_url)
    try:
        assert {"confidence", "reading"}.isdisjoint(_migrate(engine, "0016"))
        with engine.begin() as connection:
            _a_casualty_stored_at_0016(connection)
        assert {"confidence", "reading"} <= _migrate(engine, "head")
        with engine.connect() as connection:
            row = connection.execute(sa.text("SELECT value, confidence, reading FROM casualties")).one()
        assert tuple(row) == (2, "high", 1)
        assert {"confidence", "reading"}.isdisjoint(_migrate(engine, "0016", down=True))
        with engine.connect() as connection:
            assert connection.execute(sa.text("SELECT value FROM casualties")).scalar_one() == 2
    finally:
        engine.dispose()


@pytest.mark.parametrize("confidence, stored", [("high", True), ("low", True), ("sure", False)])
def test_casualty_confidence_is_high_or_low(engine, confidence, stored):
    from airtally.storage.tables_record import casualties

    with engine.begin() as connection:
        _a_casualty_stored_at_0016(connection)
    statement = casualties.insert().values(attack_id=1, report_id=1, measure="injured", value=3, confidence=confidence)
    if stored:
        with engine.begin() as connection:
            connection.execute(statement)
        return
    if engine.dialect.name == "sqlite":
        pytest.skip("on SQLite no CHECK guards casualties.confidence (adding one copies the table; see 0017)")
    with pytest.raises(sa.exc.IntegrityError), engine.begin() as connection:
        connection.execute(statement)

"""The migrations (0002 and on) create exactly the alert tables the code declares."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from airtally.storage import tables  # noqa: F401  (registers every table)
from airtally.storage.metadata import metadata
from airtally.storage.tables_alerts import alert_events
from tests.storage.migrating import migrate


def test_migrated_schema_matches_the_declared_tables(engine):
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), metadata)
    assert diff == []


def _migrate(engine, revision: str, down: bool = False) -> set[str]:
    """The names of alert_events' indexes after migrating to ``revision``."""
    return {index["name"] for index in migrate(engine, revision, down).get_indexes("alert_events")}


def _alert(**fields) -> dict:
    return {"source": "alerts.in.ua", "level": "oblast", "region_code": "UA-30", "place": "UA-30",
            "started_at": dt.datetime(2023, 1, 1, tzinfo=dt.timezone.utc), "finished_at": None, **fields}


def test_0004_swaps_the_end_index_for_the_open_alerts_index_and_back(db_url):
    from airtally.storage.database import create

    engine = create(db_url)
    assert "ix_alert_events_finished_at" in _migrate(engine, "0002")
    with engine.begin() as connection:
        connection.execute(alert_events.insert(), [_alert(external_id="7")])
    upgraded = _migrate(engine, "head")
    assert "ix_alert_events_open" in upgraded and "ix_alert_events_finished_at" not in upgraded
    downgraded = _migrate(engine, "0002", down=True)
    assert "ix_alert_events_finished_at" in downgraded and "ix_alert_events_open" not in downgraded
    with engine.connect() as connection:
        assert connection.execute(sa.select(sa.func.count()).select_from(alert_events)).scalar() == 1
    engine.dispose()


def test_an_external_id_is_still_stored_once_per_source(engine):
    with engine.begin() as connection:
        connection.execute(alert_events.insert(), [_alert(external_id="7"), _alert(source="official", external_id="7"),
                                                   _alert(source="official", place="UA-30|x", raion="x", external_id=None)])
    with pytest.raises(sa.exc.IntegrityError), engine.begin() as connection:
        connection.execute(alert_events.insert(), [_alert(external_id="7", place="UA-30|y", raion="y")])

"""The alert queries read the indexes meant for them (SQLite's EXPLAIN QUERY PLAN).

``alerts active --source official`` once read every alert of the source through the unique
(source, place, ...) index: ~28 ms a query on the real history against ~1 ms without a source.
"""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from airtally.alerts.queries import active_at

AT = dt.datetime(2023, 3, 26, 0, 30, tzinfo=dt.timezone.utc)


def _plans(engine, run) -> list[str]:
    """The query plan of every SELECT on alert_events that ``run`` sends."""
    sent: list[tuple[str, object]] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("SELECT") and "alert_events" in statement:
            sent.append((statement, parameters))

    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        run()
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)
    with engine.connect() as connection:
        return [" / ".join(row[3] for row in connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters))
                for statement, parameters in sent]


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize("sources", [["official"], ["official", "volunteer"]])
def test_active_for_chosen_sources_searches_by_source_and_start(alerts_engine, sources):
    plans = [p for p in _plans(alerts_engine, lambda: active_at(alerts_engine, AT, sources=sources)) if "source=?" in p
             or "autoindex" in p]
    assert len(plans) == 2, plans  # the finished alerts in range, the ones still open
    for plan in plans:
        assert "autoindex" not in plan and "(source=? AND started_at" in plan, plan

"""upsert_events: the keys that make two events one stored alert."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from hypothesis import given
from hypothesis import strategies as st

from airtally.alerts.store import UpsertCounts, upsert_events
from airtally.model import AlertEvent
from airtally.storage.tables_alerts import alert_events, sqlite_text

UTC = dt.timezone.utc


def at(hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2023, 1, 1, hour, minute, tzinfo=UTC)


def stored(engine) -> list[dict]:
    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(sa.select(alert_events).order_by(alert_events.c.id))]


def upsert(engine, events) -> UpsertCounts:
    with engine.begin() as conn:
        return upsert_events(conn, events)


def test_same_events_twice_store_once(engine):
    events = [
        AlertEvent(region_code="UA-53", started_at=at(1), finished_at=at(2)),
        AlertEvent(region_code="UA-53", level="raion", raion="Lubenskyi raion", started_at=at(1), finished_at=at(2)),
    ]
    assert upsert(engine, events) == UpsertCounts(inserted=2)
    assert upsert(engine, events) == UpsertCounts(unchanged=2)
    assert len(stored(engine)) == 2


def test_external_id_update_replaces_a_predicted_end(engine):
    predicted = AlertEvent(
        region_code="UA-46", source="alerts-in-ua", external_id="123", started_at=at(1), finished_at=at(3),
        end_is_estimate=True,
    )
    observed = predicted.model_copy(update={"finished_at": at(2, 30), "end_is_estimate": False})
    upsert(engine, [predicted])
    assert upsert(engine, [observed]) == UpsertCounts(updated=1)
    (row,) = stored(engine)
    assert row["finished_at"] == at(2, 30) and row["end_is_estimate"] is False and row["duration_s"] == 5400


def test_an_active_alert_gets_its_end_later(engine):
    active = AlertEvent(region_code="UA-30", started_at=at(1))
    upsert(engine, [active])
    assert stored(engine)[0]["finished_at"] is None
    upsert(engine, [active.model_copy(update={"finished_at": at(1, 45)})])
    (row,) = stored(engine)
    assert row["finished_at"] == at(1, 45)


def test_times_are_stored_in_utc_whatever_zone_they_arrive_in(engine):
    kyiv_summer = dt.timezone(dt.timedelta(hours=3))
    upsert(engine, [AlertEvent(region_code="UA-30", started_at=dt.datetime(2023, 7, 1, 3, 0, tzinfo=kyiv_summer))])
    (row,) = stored(engine)
    assert row["started_at"] == dt.datetime(2023, 7, 1, 0, 0, tzinfo=UTC)
    assert row["started_at"].utcoffset() == dt.timedelta(0)


def test_same_place_and_start_in_two_sources_are_two_alerts(engine):
    event = AlertEvent(region_code="UA-30", started_at=at(1), finished_at=at(2))
    upsert(engine, [event, event.model_copy(update={"source": "volunteer"})])
    assert len(stored(engine)) == 2


@given(st.datetimes(min_value=dt.datetime(1, 1, 2), max_value=dt.datetime(9999, 12, 30),
                    timezones=st.sampled_from([dt.timezone.utc, dt.timezone(dt.timedelta(hours=3)), dt.timezone(dt.timedelta(hours=-5, minutes=-30))])))
def test_sqlite_text_is_the_utc_iso_text_without_its_offset(value):
    assert sqlite_text(value) == value.astimezone(dt.timezone.utc).isoformat(sep=" ", timespec="microseconds").removesuffix("+00:00")

"""The watcher writing to a real database (SQLite, then PostgreSQL) through upsert_events."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import sqlalchemy as sa

from airtally.alerts import formats, importer, live
from airtally.alerts.alerts_in_ua import parse_import_text
from airtally.alerts.live import ApiClient, DatabaseSink, FakeClock, Watcher
from airtally.storage.tables_alerts import alert_events as t

RESPONSES = Path(__file__).resolve().parent / "fixtures" / "responses"
T0 = dt.datetime(2024, 3, 22, 0, 5, tzinfo=dt.timezone.utc)
LM1 = "Fri, 22 Mar 2024 00:04:15 GMT"
LM2 = "Fri, 22 Mar 2024 00:41:02 GMT"


def utc(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.timezone.utc)


def rows(engine) -> dict[str, tuple]:
    query = sa.select(t.c.external_id, t.c.region_code, t.c.level, t.c.finished_at, t.c.end_is_estimate, t.c.permanent)
    with engine.connect() as connection:
        return {r.external_id: tuple(r)[1:] for r in connection.execute(query.where(t.c.source == "alerts.in.ua"))}


def watcher_for(api, engine) -> Watcher:
    clock = FakeClock(T0)
    return Watcher(ApiClient("t", base_url=api.url, timeout=2.0, clock=clock), DatabaseSink(engine), clock)


def test_snapshots_are_stored_and_finished_alerts_closed(fake_api, engine):
    fake_api.serve(fake_api.snapshot("active_night.json", LM1), fake_api.snapshot("active_after.json", LM2))
    watcher = watcher_for(fake_api, engine)
    watcher.run(max_polls=2)

    stored = rows(engine)
    assert stored == {
        "8757": ("UA-09", "oblast", None, False, True),
        "28288": ("UA-43", "oblast", None, False, True),
        "60101": ("UA-30", "oblast", utc("2024-03-22T00:41:02"), False, False),
        "60102": ("UA-63", "oblast", None, False, False),
        "60103": ("UA-12", "raion", utc("2024-03-22T00:41:02"), False, False),
        "60104": ("UA-12", "hromada", None, False, False),
        "60105": ("UA-59", "oblast", None, False, False),
    }


def test_a_restarted_watcher_continues_from_the_database(fake_api, engine):
    fake_api.serve(fake_api.snapshot("active_night.json", LM1))
    watcher_for(fake_api, engine).run(max_polls=1)

    fake_api.serve(fake_api.snapshot("active_night.json", LM1), fake_api.snapshot("active_after.json", LM2))
    again = watcher_for(fake_api, engine)
    first = again.poll()
    assert (first.new, first.finished, first.updated) == (0, 0, 0)  # the stored alerts are known
    assert again.sink.open_alerts() and again.status.stored_batches == 0
    again.poll()
    assert rows(engine)["60101"][2:4] == (utc("2024-03-22T00:41:02"), False)


def test_a_write_that_fails_midway_leaves_nothing_and_is_retried(fake_api, engine, monkeypatch):
    real = live.upsert_events
    calls = []

    def fails_after_writing(connection, events):
        real(connection, events)
        calls.append(len(events))
        if len(calls) == 1:
            raise sa.exc.OperationalError("INSERT ...", {}, Exception("disk I/O error"))

    monkeypatch.setattr(live, "upsert_events", fails_after_writing)
    fake_api.serve(fake_api.snapshot("active_night.json", LM1), fake_api.snapshot("active_night.json", LM1))
    watcher = watcher_for(fake_api, engine)

    failed = watcher.poll()
    assert failed.outcome == "retry" and "nothing stored" in failed.message
    assert rows(engine) == {}
    assert watcher.poll().outcome == "stored"
    assert len(rows(engine)) == 6 and calls == [6, 6]


def test_import_of_a_saved_response_file(engine):
    assert formats.FORMATS["alerts-in-ua"] is parse_import_text
    report = importer.import_alerts(engine, RESPONSES / "history_kyiv.json", "alerts-in-ua")
    again = importer.import_alerts(engine, RESPONSES / "history_kyiv.json")  # detected from the "{"
    # 3 alerts; the two permanent alerts are stored (once) by the first import and counted apart.
    assert (report.rows, report.inserted, again.inserted, again.unchanged) == (3, 3, 0, 3)
    assert (report.permanent_new, again.permanent_new) == (2, 0)
    assert rows(engine) == {
        "59001": ("UA-30", "oblast", utc("2024-03-18T03:25:41"), False, False),
        "59002": ("UA-30", "oblast", utc("2024-03-19T22:00:00"), True, False),
        "59003": ("UA-30", "oblast", utc("2024-03-20T10:40:00"), False, False),
    }


def test_a_predicted_end_is_replaced_by_the_observed_one(engine, fake_api):
    history = parse_import_text((RESPONSES / "history_kyiv.json").read_text("utf-8")).events
    sink = DatabaseSink(engine)
    sink.store(history)
    observed = history[1].model_copy(update={"finished_at": utc("2024-03-19T22:07:00"), "end_is_estimate": False})
    sink.store([observed])
    assert rows(engine)["59002"][2:4] == (utc("2024-03-19T22:07:00"), False)


@pytest.mark.parametrize("name", ["active_quiet.json", "active_night.json", "active_after.json"])
def test_stored_rows_read_back_equal_to_parsed_events(engine, name):
    events = parse_import_text((RESPONSES / name).read_text("utf-8")).events
    sink = DatabaseSink(engine)
    sink.store(events)
    assert sorted(sink.open_alerts(), key=lambda e: e.external_id) == sorted(events, key=lambda e: e.external_id)

"""The watcher writes the events of what it stores in the poll's own transaction: a catch-up
(a source's first poll, or the first after the watcher was down) records them, not to be sent."""

from __future__ import annotations

import datetime as dt

import pytest

from airtally.record.events import events_after
from airtally.sources.watch import catching_up
from tests.sources.test_watch import NOW, _follow, fake, night, served, watcher  # noqa: F401 (fixtures)

MINUTE = dt.timedelta(minutes=1)


def _events(engine, after=0):
    with engine.connect() as conn:
        return events_after(conn, after, limit=1000)


@pytest.mark.parametrize("last_poll, interval_s, expected", [
    (None, 300, True),  # the first poll reads history
    (NOW - 5 * MINUTE, 300, False),
    (NOW - 29 * MINUTE, 300, False),
    (NOW - 31 * MINUTE, 300, True),  # the watcher was down
    (NOW - 50 * MINUTE, 1200, False),  # within three of the source's own intervals
])
def test_a_poll_catches_up_after_a_first_poll_or_downtime(last_poll, interval_s, expected):
    assert catching_up({"last_poll_at": last_poll, "interval_s": interval_s}, NOW) is expected


def test_the_watcher_writes_events_and_a_catch_up_does_not_notify(engine, fake, served, watcher):
    _follow(engine, served)
    fake.post("kpszsu", 10, night(NOW.date() - dt.timedelta(days=1), 300), NOW - 1440 * MINUTE)
    watcher.run(once=True)  # the first poll: history
    first = _events(engine)
    assert first[0]["type"] == "attack.created" and {e["notify"] for e in first} == {False}

    watcher.test_clock.now = NOW + 5 * MINUTE
    fake.post("kpszsu", 11, night(NOW.date(), 400), NOW + 4 * MINUTE)
    fake.post("kpszsu", 12, "Група ударних БпЛА на Харківщині, курсом на Полтавщину.", NOW + 4 * MINUTE)
    watcher.run(once=True)
    later = _events(engine, first[-1]["id"])
    assert [e["type"] for e in later] == ["threat.created", "attack.created", "record.broken", "record.broken"]
    assert {e["notify"] for e in later} == {True}
    assert later[1]["created_at"] == NOW + 5 * MINUTE

    watcher.test_clock.now = NOW + 10 * MINUTE
    fake.find("kpszsu", 11).deleted = True
    watcher.run(once=True)
    gone = _events(engine, later[-1]["id"])
    assert [e["type"] for e in gone][0] == "attack.revised" and gone[0]["data"]["figures"] == {}

"""The outbox: the events a write makes, written in the write's own transaction.

The extractor is replaced by hand-made extractions (tests/record/conftest.py)."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from airtally.clock import KYIV
from airtally.record import attack_events, ingest as ingest_module
from airtally.record.events import deliverable, events_after
from airtally.record.ingest import ingest_text
from airtally.storage.tables_events import events
from airtally.storage.tables_record import reports
from tests.record.conftest import extraction

NIGHT = dt.date(2025, 8, 1)
AFTER = dt.datetime(2025, 8, 1, 9, tzinfo=KYIV)


@pytest.fixture
def fake_extractor(monkeypatch):
    """``texts[text] = Extraction``: what the stand-in extractor returns for each text."""
    texts: dict = {}
    monkeypatch.setattr(ingest_module, "run_extract", lambda text, published: texts[text])
    return texts


@pytest.fixture
def recent(monkeypatch):
    """A notification window that reaches back to the fixtures' nights."""
    monkeypatch.setenv("AIRTALLY_NOTIFY_WINDOW_HOURS", str(24 * 365 * 100))


def _events(engine) -> list[dict]:
    with engine.connect() as conn:
        return events_after(conn, 0, limit=1000)


def _report(fake, text, **figures):
    fake[text] = extraction(text, NIGHT, scope="national", **figures)
    return text


def test_a_new_attack_is_created_then_revised_and_an_unchanged_figure_tells_nothing(engine, fake_extractor, recent):
    first = _report(fake_extractor, "first: 100 drones launched, 90 shot down", drones={"launched": 100, "destroyed": 90})
    ingest_text(engine, first, origin="a", source="kpszsu", published=AFTER)
    created = _events(engine)
    assert [e["type"] for e in created] == ["attack.created", "record.broken", "record.broken"]
    attack = created[0]
    assert attack["data"]["figures"]["drones"] == {"launched": 100, "destroyed": 90}
    assert attack["data"]["before"] == {} and attack["data"]["path"] == f"/attacks/{attack['attack_id']}"
    assert attack["data"]["date"] == NIGHT.isoformat() and attack["notify"] is True

    update = _report(fake_extractor, "update: 100 drones launched, 95 shot down", drones={"launched": 100, "destroyed": 95})
    ingest_text(engine, update, origin="b", source="kpszsu", published=AFTER + dt.timedelta(hours=1))
    revised = _events(engine)[len(created):]
    assert [e["type"] for e in revised] == ["attack.revised"]
    assert revised[0]["data"]["before"]["drones"]["destroyed"] == 90
    assert revised[0]["data"]["figures"]["drones"]["destroyed"] == 95
    assert revised[0]["data"]["changed"] == ["all", "drones"]

    same = _report(fake_extractor, "again: 100 drones launched, 95 shot down", drones={"launched": 100, "destroyed": 95})
    ingest_text(engine, same, origin="c", source="kpszsu", published=AFTER + dt.timedelta(hours=2))
    assert len(_events(engine)) == len(created) + 1


@pytest.mark.parametrize("measure, value, expected", [
    ("launched", 900, ["attack.created", "record.broken", "record.broken"]),  # drones and all
    ("launched", 728, ["attack.created"]),  # a tie: the earlier attack keeps the record
    ("launched", 10, ["attack.created"]),
], ids=["larger", "tie", "smaller"])
def test_a_record_is_broken_only_by_a_larger_launch(imported, fake_extractor, recent, measure, value, expected):
    before = len(_events(imported))
    text = _report(fake_extractor, f"{value} drones", drones={measure: value})
    ingest_text(imported, text, origin="x", source="kpszsu", published=AFTER)
    made = _events(imported)[before:]
    assert [e["type"] for e in made] == expected
    for event in made[1:]:
        assert event["data"]["holder"]["launched"] == value
        assert event["data"]["previous"]["date"] == "2025-07-09"
        assert event["data"]["class"] in ("drones", "all")


def test_a_revision_that_lowers_the_record_holder_is_record_revised(engine, fake_extractor, recent):
    big = _report(fake_extractor, "big: 900 drones", drones={"launched": 900})
    ingest_text(engine, big, origin="a", source="kpszsu", published=AFTER)
    fake_extractor["other: 500 drones"] = extraction("other: 500 drones", dt.date(2025, 7, 1), drones={"launched": 500},
                                                   scope="national")
    ingest_text(engine, "other: 500 drones", origin="o", source="kpszsu", published=AFTER)
    before = len(_events(engine))
    lower = _report(fake_extractor, "correction: 400 drones", drones={"launched": 400})
    ingest_text(engine, lower, origin="b", source="kpszsu", published=AFTER + dt.timedelta(hours=1))
    made = _events(engine)[before:]
    assert [e["type"] for e in made] == ["attack.revised", "record.revised", "record.revised"]
    assert made[1]["data"]["previous"]["launched"] == 900
    assert made[1]["data"]["holder"]["launched"] == 500 and made[1]["data"]["holder"]["date"] == "2025-07-01"


def test_a_failed_ingest_leaves_no_event(engine, fake_extractor, monkeypatch):
    text = _report(fake_extractor, "100 drones", drones={"launched": 100})
    real_emit = attack_events.AttackChanges.emit

    def emit_then_fail(self):
        assert real_emit(self) > 0  # the events were written ...
        raise RuntimeError("the write fails after its events")

    monkeypatch.setattr(attack_events.AttackChanges, "emit", emit_then_fail)
    with pytest.raises(RuntimeError):
        ingest_text(engine, text, origin="a", source="kpszsu", published=AFTER)
    with engine.connect() as conn:  # ... and went with the rest of the transaction
        assert conn.execute(sa.select(sa.func.count()).select_from(events)).scalar() == 0
        assert conn.execute(sa.select(sa.func.count()).select_from(reports)).scalar() == 0


def test_a_change_to_an_attack_that_ended_long_ago_does_not_notify(engine, fake_extractor):
    text = _report(fake_extractor, "100 drones", drones={"launched": 100})
    ingest_text(engine, text, origin="a", source="kpszsu", published=AFTER)
    assert {e["notify"] for e in _events(engine)} == {False}


@pytest.mark.parametrize("event, minutes_old, expected", [
    ({"type": "threat.created", "notify": True}, 5, True),
    ({"type": "threat.created", "notify": True}, 45, False),
    ({"type": "attack.created", "notify": True}, 45, True),
    ({"type": "attack.created", "notify": False}, 0, False),
])
def test_what_may_be_delivered(event, minutes_old, expected):
    now = dt.datetime(2025, 8, 1, 3, tzinfo=dt.timezone.utc)
    at = now - dt.timedelta(minutes=minutes_old)
    assert deliverable({**event, "subject_at": at, "created_at": at}, now) is expected


def test_an_attacks_oblasts_are_those_its_reports_threats_and_alerts_name(engine, fake_extractor):
    from airtally.record.threats import store_threats
    from airtally.storage.tables_alerts import alert_events
    from airtally.storage.transactions import write_transaction

    utc = dt.timezone.utc
    start, end = dt.datetime(2025, 7, 31, 17, tzinfo=utc), dt.datetime(2025, 8, 1, 5, tzinfo=utc)
    with write_transaction(engine) as conn:
        store_threats(conn, "kpszsu", "1", start + dt.timedelta(hours=3), "Група ударних БпЛА на Сумщині, курсом на Полтавщину.")
        store_threats(conn, "kpszsu", "2", end + dt.timedelta(hours=3), "КАБи на Донеччину!")  # after the attack
        for code, began, hours in (("UA-46", start + dt.timedelta(hours=1), 2), ("UA-12", start - dt.timedelta(hours=30), 1)):
            conn.execute(alert_events.insert().values(source="official", level="oblast", region_code=code, place=code,
                                                      started_at=began, finished_at=began + dt.timedelta(hours=hours),
                                                      duration_s=hours * 3600))
    text = "100 drones"
    fake_extractor[text] = extraction(text, NIGHT, drones={"launched": 100}, scope="national", start=start, end=end)
    fake_extractor[text].regions = ["UA-30"]
    before = len(_events(engine))
    ingest_text(engine, text, origin="a", source="kpszsu", published=AFTER)
    created = _events(engine)[before]
    assert created["type"] == "attack.created"
    assert created["regions"] == ["UA-30", "UA-46", "UA-53", "UA-59"]

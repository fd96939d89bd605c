"""Every writer writes its events: channel posts (revisions, withdrawals), the threat timeline,
and the bulk imports (recorded, not to be sent)."""

from __future__ import annotations

import datetime as dt

import pytest

from airtally.record.curated import import_curated
from airtally.record.events import events_after
from airtally.record.posts import ingest_posts, store_post, withdraw_post
from airtally.record.threats import store_threats
from airtally.sources.posts import Post
from airtally.storage.transactions import write_transaction
from tests.record.test_posts import AT, EDITED, NIGHT

UTC = dt.timezone.utc


@pytest.fixture(autouse=True)
def recent(monkeypatch):
    """A notification window that reaches back to the fixtures' nights."""
    monkeypatch.setenv("AIRTALLY_NOTIFY_WINDOW_HOURS", str(24 * 365 * 100))


def _events(engine, after: int = 0) -> list[dict]:
    with engine.connect() as conn:
        return events_after(conn, after, limit=10_000)


def _types(events) -> list[str]:
    return [e["type"] for e in events]


def test_a_post_then_its_edit_then_its_deletion(engine):
    with write_transaction(engine) as conn:
        store_post(conn, Post("kpszsu", 1, AT, NIGHT), kind="national")
    first = _events(engine)
    assert _types(first) == ["attack.created", "record.broken", "record.broken", "record.broken"]
    with write_transaction(engine) as conn:
        store_post(conn, Post("kpszsu", 1, AT, EDITED), kind="national")  # 539 -> 550 drones
    edit = _events(engine, first[-1]["id"])
    assert _types(edit) == ["attack.revised"]  # the holder's own figure went up: no record is broken
    assert edit[0]["data"]["before"]["drones"]["launched"] == 539
    assert edit[0]["data"]["figures"]["drones"]["launched"] == 550
    with write_transaction(engine) as conn:
        store_post(conn, Post("kpszsu", 1, AT, EDITED), kind="national")  # read again: nothing changed
        withdraw_post(conn, "kpszsu", 1, AT + dt.timedelta(hours=1))
    gone = _events(engine, edit[-1]["id"])
    assert _types(gone)[0] == "attack.revised" and gone[0]["data"]["figures"] == {}
    assert _types(gone)[1:] == ["record.revised"] * 3  # the holder's figures are gone, no attack holds them
    assert gone[1]["data"]["holder"] is None and gone[1]["data"]["previous"]["launched"] == 550


def test_an_edit_that_changes_no_figure_tells_nothing(engine):
    with write_transaction(engine) as conn:
        store_post(conn, Post("kpszsu", 1, AT, NIGHT), kind="national")
    count = len(_events(engine))
    with write_transaction(engine) as conn:
        store_post(conn, Post("kpszsu", 1, AT, NIGHT + " Слава Україні!"), kind="national")
    assert len(_events(engine)) == count


def test_a_channel_import_records_one_event_per_attack_and_batch_not_to_be_sent(engine):
    posts = [Post("kpszsu", 1, AT, NIGHT), Post("kpszsu", 2, AT + dt.timedelta(hours=1), EDITED)]
    ingest_posts(engine, posts, kind="national")
    made = _events(engine)
    assert _types(made)[0] == "attack.created" and _types(made).count("attack.created") == 1
    assert made[0]["data"]["figures"]["drones"]["launched"] == 550  # the batch's net change
    assert {e["notify"] for e in made} == {False}


def test_a_curated_import_records_its_attacks_not_to_be_sent_and_a_reimport_nothing(engine, curated_csv):
    import_curated(curated_csv, engine)
    made = _events(engine)
    created = [e for e in made if e["type"] == "attack.created"]
    assert len(created) >= 3 and {e["notify"] for e in made} == {False}
    assert {e["data"]["class"] for e in made if e["type"] == "record.broken"} == {"drones", "missiles", "all"}
    import_curated(curated_csv, engine)
    assert len(_events(engine)) == len(made)


THREATS = "Група ударних БпЛА на Харківщині, курсом на Полтавщину.\nКАБи на Донеччину!"


def test_each_new_threat_line_is_an_event_and_an_edit_tells_only_what_it_adds(engine):
    at = dt.datetime(2025, 7, 3, 22, tzinfo=UTC)
    with write_transaction(engine) as conn:
        store_threats(conn, "kpszsu", "10", at, THREATS)
    made = _events(engine)
    assert _types(made) == ["threat.created", "threat.created"]
    assert made[0]["regions"] == ["UA-53", "UA-63"] and made[0]["data"]["heading_region"] == "UA-53"
    assert made[0]["subject_at"] == at and made[0]["threat_id"] is not None
    assert "not official alerts" in made[0]["data"]["notice"]
    with write_transaction(engine) as conn:
        store_threats(conn, "kpszsu", "10", at, THREATS + "\nВідбій загрози для Сумщини.")
    added = _events(engine, made[-1]["id"])
    assert [(e["type"], e["data"]["type"]) for e in added] == [("threat.created", "all_clear")]

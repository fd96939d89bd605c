"""Casualty figures in the record carry their confidence; a person reviews the low ones as
weapon figures are reviewed, and the decision is kept across re-reading the report (on SQLite
and PostgreSQL)."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from airtally.errors import NotFound
from airtally.model import Span
from airtally.record import ingest
from airtally.record.attack_view import attack_detail
from airtally.record.reextract import reextract
from airtally.record.review import decide, waiting
from airtally.storage import reports as report_store
from airtally.storage.tables_record import casualties
from airtally.storage.transactions import write_transaction

from .conftest import extraction, readings

DAY = dt.date(2025, 7, 4)
PUBLISHED = dt.datetime(2025, 7, 4, 9, tzinfo=dt.timezone.utc)
# Real text the engine reads as 2 killed and 9 injured (high), stored first with another reading.
TEXT = ("Overnight on 4 July 2025 Russia launched 539 drones at Ukraine. In Kyiv 2 people were killed "
        "and 9 were injured, the city's administration said.")


def _store(engine, text: str, source: str, kind: str, hurt: dict, low: tuple[str, ...] = ()) -> ingest.Outcome:
    ex = extraction(text, DAY, drones={"launched": 539})
    for measure, value in hurt.items():
        setattr(ex.casualties, measure, value)
        at = text.find(str(value))
        ex.casualties.spans[measure] = [Span(start=max(at, 0), end=max(at, 0) + len(str(value)), text=str(value),
                                             confidence="low" if measure in low else "high")]
    with write_transaction(engine) as conn:
        return ingest.store_extraction(conn, ex, text, report_store.content_hash(text), origin=f"{source}.txt",
                                       published=PUBLISHED, source=source, kind=kind)


def _casualty_id(engine, report_id: int, measure: str) -> int:
    with engine.connect() as conn:
        return conn.execute(sa.select(casualties.c.id).where(
            casualties.c.report_id == report_id, casualties.c.measure == measure,
            casualties.c.superseded_by.is_(None))).scalar_one()


def _shown(engine, attack_id: int) -> dict:
    view = attack_detail(engine, attack_id)
    return {m: (t["value"], t["unconfirmed"]) if t else None for m, t in view["casualty_totals"].items()}


def test_the_record_stores_each_casualty_figures_confidence(engine):
    news = _store(engine, "Reuters: 30 killed, 12 injured.", "reuters", "news", {"killed": 30, "injured": 12},
                  low=("killed",))
    view = attack_detail(engine, news.attack_id)
    assert sorted((c["measure"], c["value"], c["confidence"]) for c in view["casualties"]) == [
        ("injured", 12, "high"), ("killed", 30, "low")]
    assert _shown(engine, news.attack_id) == {"killed": (30, True), "injured": (12, False)}


def test_a_low_news_casualty_figure_neither_overrides_nor_conflicts_with_an_official_one(engine):
    official = _store(engine, "Kyiv city administration: 2 killed.", "kyiv_ova", "regional", {"killed": 2})
    _store(engine, "Reuters: 30 killed, officials said.", "reuters", "news", {"killed": 30}, low=("killed",))
    view = attack_detail(engine, official.attack_id)
    assert view["casualty_totals"]["killed"] == {"value": 2, "kind": "regional", "report_id": official.report_id,
                                                 "unconfirmed": False}
    assert view["casualty_conflicts"] == []
    assert [(r["item"], r["measure"], r["value"]) for r in waiting(engine)] == [("casualty", "killed", 30)]


DECISIONS = [
    # decision, value, what counts then (value, unconfirmed)
    ("accept", None, (30, False)),
    ("correct", "3", (3, False)),
    ("reject", None, None),
]


@pytest.mark.parametrize("decision, value, counted", DECISIONS, ids=[d[0] for d in DECISIONS])
def test_a_decision_settles_a_low_casualty_figure(engine, decision, value, counted):
    news = _store(engine, "Reuters: 30 killed.", "reuters", "news", {"killed": 30}, low=("killed",))
    casualty = _casualty_id(engine, news.report_id, "killed")
    done = decide(engine, casualty, decision, value, note="per the city administration", reviewer="ana",
                  item="casualty")
    assert (done["item"], done["subject"], done["measure"], done["reviewer"]) == ("casualty", "casualties", "killed", "ana")
    assert _shown(engine, news.attack_id)["killed"] == counted
    assert waiting(engine) == []
    [decided] = waiting(engine, decided=True)
    assert (decided["item"], decided["id"], decided["decision"], decided["value"]) == ("casualty", casualty, decision, 30)
    [row] = [c for c in attack_detail(engine, news.attack_id)["casualties"] if c["id"] == casualty]
    assert row["review"]["decision"] == decision and row["review"]["read_value"] == 30


def test_figure_and_casualty_ids_are_told_apart(engine):
    news = _store(engine, "Reuters: 30 killed.", "reuters", "news", {"killed": 30}, low=("killed",))
    casualty = _casualty_id(engine, news.report_id, "killed")
    with pytest.raises(NotFound, match=f"no casualty figure with id {casualty + 1000}"):
        decide(engine, casualty + 1000, "accept", reviewer="ana", item="casualty")
    assert len(waiting(engine)) == 1


def test_a_casualty_decision_is_kept_when_the_report_is_read_again(engine):
    report = _store(engine, TEXT, "reuters", "news", {"killed": 20, "injured": 9}, low=("killed",))
    decide(engine, _casualty_id(engine, report.report_id, "killed"), "correct", 3, note="per the city", reviewer="ana",
           item="casualty")
    first = reextract(engine)
    assert (first.changed, first.failed) == (1, [])
    # the engine now reads 2 killed (high); the correction still applies by its key
    assert _shown(engine, report.attack_id) == {"killed": (3, False), "injured": (9, False)}
    assert readings(engine, casualties, report.report_id) == [(1, "killed", 20, False), (1, "injured", 9, False),
                                                              (2, "killed", 2, True), (2, "injured", 9, True)]
    assert reextract(engine).changed == 0
    [decided] = waiting(engine, decided=True)
    assert (decided["measure"], decided["corrected_value"], decided["value"]) == ("killed", 3, 2)

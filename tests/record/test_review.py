"""Confidence in the record, people's review decisions and re-reading stored reports
(airtally.record.review, airtally.record.reextract), on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from airtally.analytics.attack_list import list_attacks
from airtally.analytics.tally import tally
from airtally.errors import InvalidValue, NotFound
from airtally.model import Span
from airtally.record import ingest
from airtally.record.attack_view import attack_detail
from airtally.record.frames import figures_frame
from airtally.record.reextract import reextract
from airtally.record.review import decide, waiting
from airtally.storage import reports as report_store
from airtally.storage.tables_record import attack_totals, figures
from airtally.storage.transactions import write_transaction

from .conftest import extraction, readings

DAY = dt.date(2025, 7, 4)
PUBLISHED = dt.datetime(2025, 7, 4, 9, tzinfo=dt.timezone.utc)
# Real text the engine reads as 539 launched, 476 destroyed; stored with another reading first.
TEXT = "Overnight on 4 July 2025 Russia launched 539 drones at Ukraine. Air defence shot down 476 of them."


def _store(engine, text: str, source: str, kind: str, drones: dict, low: tuple[str, ...] = ()) -> ingest.Outcome:
    ex = extraction(text, DAY, drones=drones)
    held = ex.totals.drones.spans
    for measure in low:  # a figure whose number is not in the text gets an empty span
        held.setdefault(measure, [Span(start=0, end=0, text="")])
    for measure, spans in held.items():
        for span in spans:
            span.confidence = "low" if measure in low else "high"
    with write_transaction(engine) as conn:
        return ingest.store_extraction(conn, ex, text, report_store.content_hash(text), origin=f"{source}.txt",
                                       published=PUBLISHED, source=source, kind=kind)


def _totals(engine, attack_id: int) -> dict:
    with engine.connect() as conn:
        rows = conn.execute(sa.select(attack_totals).where(attack_totals.c.attack_id == attack_id)).mappings()
        return {r["subject"]: dict(r) for r in rows}


def _figure_id(engine, report_id: int, measure: str) -> int:
    with engine.connect() as conn:
        return conn.execute(sa.select(figures.c.id).where(figures.c.report_id == report_id, figures.c.measure == measure,
                                                          figures.c.superseded_by.is_(None))).scalar_one()


def test_a_low_news_figure_neither_overrides_nor_conflicts_with_the_national_one(engine):
    national = _store(engine, "Air Force: 500 drones launched.", "kpszsu", "national", {"launched": 500})
    _store(engine, "Reuters: 700 drones, officials said.", "reuters", "news", {"launched": 700}, low=("launched",))
    view = attack_detail(engine, national.attack_id)
    assert view["totals"]["drones"]["launched"] == 500
    assert view["conflicts"] == [] and view["unconfirmed"] == []
    assert [f["value"] for f in waiting(engine)] == [700]  # still waiting for a person


def test_without_a_national_report_low_figures_count_as_unconfirmed(engine):
    news = _store(engine, "Reuters: 700 drones launched, 650 downed.", "reuters", "news",
                  {"launched": 700, "destroyed": 650}, low=("launched",))
    assert _totals(engine, news.attack_id)["drones"]["unconfirmed"] is True
    month = tally(engine, "month", "drones", source_kind=None)
    assert [(r["launched"], r["unconfirmed"]) for r in month] == [(700, 1)]
    for kind in ("news", "all"):  # the per-kind view marks it as the merged record does
        assert [r["unconfirmed"] for r in tally(engine, "month", "drones", source_kind=kind)] == [1]
    listed = list_attacks(engine)["attacks"]
    assert [(a["totals"]["drones"]["launched"], a["unconfirmed"]) for a in listed] == [(700, True)]
    assert attack_detail(engine, news.attack_id)["unconfirmed"] == ["all", "drones"]


DECISIONS = [
    # decision, value, what counts then, unconfirmed
    ("accept", None, 700, False),
    ("correct", "650", 650, False),
    ("reject", None, None, False),
]


@pytest.mark.parametrize("decision, value, counted, unconfirmed", DECISIONS, ids=[d[0] for d in DECISIONS])
def test_a_decision_settles_a_low_figure(engine, decision, value, counted, unconfirmed):
    news = _store(engine, "Reuters: 700 drones launched, 650 downed.", "reuters", "news",
                  {"launched": 700, "destroyed": 650}, low=("launched",))
    figure = _figure_id(engine, news.report_id, "launched")
    done = decide(engine, figure, decision, value, note="checked with the Air Force's post", reviewer="ana")
    assert (done["reviewer"], done["subject"], done["measure"]) == ("ana", "drones", "launched")
    row = _totals(engine, news.attack_id)["drones"]
    assert (row["launched"], row["unconfirmed"]) == (counted, unconfirmed)
    assert waiting(engine) == []
    [decided] = waiting(engine, decided=True)
    assert (decided["id"], decided["decision"], decided["reviewer"], decided["value"]) == (figure, decision, "ana", 700)
    # the figure as read stays stored and queryable, with the decision beside it
    [shown] = [f for s in attack_detail(engine, news.attack_id)["sources"] for f in s["figures"] if f["id"] == figure]
    assert shown["review"]["decision"] == decision and shown["review"]["read_value"] == 700
    exported = figures_frame(engine).set_index("figure_id").loc[figure]  # `airtally export`'s rows
    assert (exported["value"], exported["confidence"], exported["decision"]) == (700, "low", decision)


BAD_DECISIONS = [
    (999_999, "accept", None, NotFound, "no figure with id 999999"),
    (None, "correct", None, InvalidValue, "a corrected value must be a whole number"),
    (None, "correct", "-3", InvalidValue, "a corrected value must be a whole number"),
    (None, "correct", "12a", InvalidValue, "a corrected value must be a whole number"),
    (None, "correct", "\u00b2", InvalidValue, "a corrected value must be a whole number"),  # a digit int() cannot read
    (None, "reject", "5", InvalidValue, "reject takes no value"),
    (None, "approve", None, InvalidValue, "unknown decision 'approve'"),
]


@pytest.mark.parametrize("figure, decision, value, error, message", BAD_DECISIONS)
def test_a_bad_decision_is_a_clear_error_and_stores_nothing(engine, figure, decision, value, error, message):
    news = _store(engine, "Reuters: 700 drones launched.", "reuters", "news", {"launched": 700}, low=("launched",))
    with pytest.raises(error, match=message):
        decide(engine, figure or _figure_id(engine, news.report_id, "launched"), decision, value, reviewer="ana")
    assert len(waiting(engine)) == 1 and waiting(engine, decided=True) == []


def test_decisions_survive_reextract_which_is_idempotent(engine):
    report = _store(engine, TEXT, "reuters", "news", {"launched": 600, "destroyed": 476}, low=("launched",))
    decide(engine, _figure_id(engine, report.report_id, "launched"), "correct", 550, note="per the Air Force",
           reviewer="ana")
    decide(engine, _figure_id(engine, report.report_id, "destroyed"), "reject", reviewer="ana")
    first = reextract(engine)
    assert (first.reread, first.changed, first.unchanged, first.failed) == (1, 1, 0, [])
    # the engine now reads 539 (high): the correction still applies by its key, and the rejection
    row = _totals(engine, report.attack_id)["drones"]
    assert (row["launched"], row["destroyed"], row["unconfirmed"]) == (550, None, False)
    assert readings(engine, figures, report.report_id) == [(1, "launched", 600, False), (1, "destroyed", 476, False),
                                                           (2, "launched", 539, True), (2, "destroyed", 476, True)]
    again = reextract(engine)
    assert (again.reread, again.changed, again.unchanged) == (1, 0, 1)
    with engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(figures)).scalar() == 4


def test_reextract_filters_and_errors(engine):
    _store(engine, TEXT, "reuters", "news", {"launched": 600}, low=("launched",))
    assert reextract(engine, since="2025-07-05").reread == 0
    with pytest.raises(NotFound, match="no source 'nobody'"):
        reextract(engine, source="nobody")
    with pytest.raises(InvalidValue, match="--since date"):
        reextract(engine, since="July")
    assert reextract(engine, since="2025-07-04", source="reuters").changed == 1

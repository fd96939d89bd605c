"""Each stored figure keeps every span it was read from and the competing readings the engine
weighed for it (issue 16, part 3; migration 0019): the review reads them from the figure, never
from the report's extraction by a field's name, and the attack page marks every part of a sum."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from airtally.extraction import extract
from airtally.record import ingest
from airtally.record.attack_view import attack_detail
from airtally.record.review import waiting
from airtally.storage import reports as report_store
from airtally.storage.tables_record import reports
from airtally.storage.transactions import write_transaction
from tests.storage.migrating import migrate

PUBLISHED = dt.datetime(2025, 7, 5, 6, tzinfo=dt.timezone.utc)
# the rule case of tests/extraction/rules/confidence.yaml: an earlier night's launch competes
RIVALLED = ("Вночі ворог атакував Україну 112 ударними БпЛА. Сили ППО збили 96 дронів. "
            "Раніше, у ніч на 1 травня, росіяни запустили 149 дронів.")
SUM = "Overnight on July 4 Russia attacked with 539 drones and 11 missiles. Air defence shot down 268 drones and 2 missiles."


def _ingest(engine, text: str, kind: str = "news") -> ingest.Outcome:
    ex = extract(text, published=PUBLISHED.date())
    with write_transaction(engine) as conn:
        return ingest.store_extraction(conn, ex, text, report_store.content_hash(text), origin="t.txt",
                                       published=PUBLISHED, source="reuters", kind=kind)


def test_the_review_shows_the_competing_reading_stored_with_the_figure(engine):
    done = _ingest(engine, RIVALLED)
    with engine.begin() as conn:  # the report's extraction is no longer looked at
        conn.execute(reports.update().where(reports.c.id == done.report_id).values(extraction=None))
    [row] = [r for r in waiting(engine) if r["field"] == "totals.drones.launched"]
    assert row["value"] == 112 and row["evidence"]["text"].startswith("112")
    assert [c["text"] for c in row["competing"]] == ["149 дронів"]
    start, end = row["competing"][0]["start"], row["competing"][0]["end"]
    assert RIVALLED[start:end] == "149 дронів"


def test_a_sum_keeps_every_part_it_rests_on(engine):
    done = _ingest(engine, SUM, kind="national")
    view = attack_detail(engine, done.attack_id)
    figures = {(f["subject"], f["measure"]): f for s in view["sources"] for f in s["figures"]}
    launched = figures[("all", "launched")]
    assert launched["value"] == 550
    parts = [p["text"] for p in launched["spans"]["evidence"]]
    assert len(parts) == 2 and any("539" in p for p in parts) and any("11" in p for p in parts)
    assert launched["evidence"]["start"] == launched["spans"]["evidence"][0]["start"]
    for part in launched["spans"]["evidence"]:
        assert SUM[part["start"]:part["end"]] == part["text"]
    assert figures[("drones", "launched")]["spans"] == {
        "evidence": [{"start": SUM.index("539"), "end": figures[("drones", "launched")]["evidence"]["end"],
                      "text": figures[("drones", "launched")]["evidence"]["text"]}], "competing": []}


NOW = dt.datetime(2025, 7, 5, 9, tzinfo=dt.timezone.utc)
STORED_TEXT = "Russia launched 112 drones and 3 missiles; earlier 149 drones."
EXTRACTION = {
    "totals": {"drones": {"launched": 112, "spans": {"launched": [{"start": 16, "end": 26, "text": "112 drones"}]}},
               "all": {"launched": 115, "spans": {"launched": [{"start": 16, "end": 26, "text": "112 drones"},
                                                               {"start": 31, "end": 41, "text": "3 missiles"}]}}},
    "casualties": {"killed": 2, "spans": {"killed": [{"start": 0, "end": 6, "text": "Russia"}]}},
    "warnings": [{"code": "ambiguous_figure", "message": "-", "field": "totals.drones.launched", "evidence": [
        {"field": "totals.drones.launched", "start": 16, "end": 26, "text": "112 drones"},
        {"field": "totals.drones.launched", "start": 51, "end": 61, "text": "149 drones"}]}],
}


def _stored_at_0018(connection, extraction) -> None:
    text = sa.text
    connection.execute(text("INSERT INTO sources (id, name, kind) VALUES (1, 'reuters', 'news')"))
    connection.execute(text("INSERT INTO attacks (id, date, attacker, target, created_at) "
                            "VALUES (1, :d, 'RU', 'UA', :now)"), {"d": NOW.date(), "now": NOW})
    connection.execute(sa.table("reports", *[sa.column(c) for c in (
        "id", "source_id", "attack_id", "kind", "text", "content_hash", "is_attack_report", "ingested_at")],
        sa.column("extraction", sa.JSON),
    ).insert().values(id=1, source_id=1, attack_id=1, kind="news", text=STORED_TEXT, content_hash="h",
                      is_attack_report=True, ingested_at=NOW, extraction=extraction))
    insert = text("INSERT INTO figures (id, attack_id, report_id, subject, measure, value, evidence_start, evidence_end, "
                  "evidence_text, reading) VALUES (:id, 1, 1, :s, 'launched', :v, :a, :b, :t, :r)")
    connection.execute(insert, [dict(id=1, s="drones", v=112, a=16, b=26, t="112 drones", r=2),
                                dict(id=2, s="all", v=115, a=16, b=26, t="112 drones", r=2),
                                # an earlier reading whose span is not the current extraction's
                                dict(id=3, s="drones", v=149, a=51, b=61, t="149 drones", r=1)])
    connection.execute(text("INSERT INTO casualties (id, attack_id, report_id, measure, value, evidence_start, "
                            "evidence_end, evidence_text) VALUES (1, 1, 1, 'killed', 2, 0, 6, 'Russia')"))


def test_0019_fills_stored_figures_spans_from_their_reports_extraction_and_back(db_url):
    from airtally.storage.database import create

    engine = create(db_url)
    try:
        assert "spans" not in {c["name"] for c in migrate(engine, "0018").get_columns("figures")}
        with engine.begin() as connection:
            _stored_at_0018(connection, EXTRACTION)
        inspector = migrate(engine, "head")
        assert all("spans" in {c["name"] for c in inspector.get_columns(t)} for t in ("figures", "casualties"))
        figures = sa.table("figures", sa.column("id"), sa.column("spans", sa.JSON))
        casualties = sa.table("casualties", sa.column("id"), sa.column("spans", sa.JSON))
        with engine.connect() as connection:
            spans = dict(connection.execute(sa.select(figures.c.id, figures.c.spans).order_by(figures.c.id)).all())
            killed = connection.execute(sa.select(casualties.c.spans)).scalar_one()
        assert spans[1] == {"evidence": [{"start": 16, "end": 26, "text": "112 drones"}],
                            "competing": [{"start": 51, "end": 61, "text": "149 drones"}]}
        assert [p["text"] for p in spans[2]["evidence"]] == ["112 drones", "3 missiles"] and spans[2]["competing"] == []
        assert spans[3] is None  # an earlier reading: read as its one evidence_* span
        assert killed == {"evidence": [{"start": 0, "end": 6, "text": "Russia"}], "competing": []}
        assert "spans" not in {c["name"] for c in migrate(engine, "0018", down=True).get_columns("figures")}
        with engine.connect() as connection:
            assert connection.execute(sa.text("SELECT count(*) FROM figures")).scalar_one() == 3
    finally:
        engine.dispose()


@pytest.mark.parametrize("extraction", [None, "not an object"])
def test_0019_leaves_figures_whose_report_has_no_readable_extraction(db_url, extraction):
    from airtally.storage.database import create

    engine = create(db_url)
    try:
        migrate(engine, "0018")
        with engine.begin() as connection:
            _stored_at_0018(connection, extraction)
        migrate(engine, "head")
        with engine.connect() as connection:
            assert connection.execute(sa.text("SELECT count(*) FROM figures WHERE spans IS NOT NULL")).scalar_one() == 0
    finally:
        engine.dispose()


def test_the_attack_page_marks_every_part_of_a_sum_with_its_figure(engine):
    from airtally.web.views import attack_page

    done = _ingest(engine, SUM, kind="national")
    page = attack_page(engine, str(done.attack_id))
    [source] = page["sources"]
    [launched] = [f for f in source["figures"] if (f["subject"], f["measure"]) == ("all", "launched")]
    marked = [p.text for p in source["pieces"] if launched["anchor"] in p.marks]
    assert len(marked) >= 2 and any("539" in t for t in marked) and any("11" in t for t in marked)


def test_a_rereading_stores_the_spans_of_figures_stored_without_them_and_then_changes_nothing(engine):
    from airtally.record.reextract import reextract
    from airtally.storage.tables_record import figures

    done = _ingest(engine, RIVALLED)
    with engine.begin() as conn:  # as a row stored before migration 0019 that it could not fill
        conn.execute(figures.update().where(figures.c.report_id == done.report_id).values(spans=None))
    assert reextract(engine).changed == 1
    [row] = [r for r in waiting(engine) if r["field"] == "totals.drones.launched"]
    assert [c["text"] for c in row["competing"]] == ["149 дронів"]
    assert reextract(engine).changed == 0

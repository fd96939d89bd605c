"""Storing extracted reports: merging into attacks, revisions, duplicates, non-attack reports.

The extractor is replaced by hand-made extractions (tests/record/conftest.py) so that these
tests pin the record's behaviour, not the extractor's."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from airtally.record import ingest as ingest_module
from airtally.record.attack_view import attack_detail
from airtally.record.ingest import ingest_text
from airtally.storage.tables_record import attacks, figures, reports
from tests.record.conftest import extraction

NEWS = "The Ukrainian air force confirmed that Moscow had deployed 539 drones and 11 missiles; 268 drones and 2 missiles were intercepted."
from airtally.clock import KYIV


@pytest.fixture
def fake_extractor(monkeypatch):
    """``texts[text] = Extraction``: what the stand-in extractor returns for each text."""
    texts: dict = {}
    monkeypatch.setattr(ingest_module, "run_extract", lambda text, published: texts[text])
    return texts


def _count(engine, table):
    with engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(table)).scalar()


def test_news_merges_into_the_curated_attack_and_national_wins(imported, fake_extractor):
    fake_extractor[NEWS] = extraction(NEWS, drones={"launched": 539, "destroyed": 268},
                                      missiles={"launched": 11, "destroyed": 2}, scope="national", kind="news")
    attacks_before = _count(imported, attacks)
    outcome = ingest_text(imported, NEWS, origin="seed.txt", published=dt.datetime(2025, 7, 4, 12, tzinfo=KYIV))
    assert outcome.status == "stored" and _count(imported, attacks) == attacks_before
    view = attack_detail(imported, "2025-07-04")
    assert outcome.attack_id == view["id"]
    assert view["totals"]["drones"] == {"launched": 539, "destroyed": 268, "lost": 208, "hits": None}
    assert view["totals"]["missiles"]["launched"] == 11 and view["totals"]["missiles"]["destroyed"] == 2
    news = next(s for s in view["sources"] if s["origin"] == "seed.txt")
    assert news["kind"] == "news"
    launched = next(f for f in news["figures"] if (f["subject"], f["measure"]) == ("drones", "launched"))
    assert NEWS[launched["evidence"]["start"]:launched["evidence"]["end"]] == "539"


def test_a_differing_news_figure_is_listed_as_a_conflict(imported, fake_extractor):
    fake_extractor[NEWS] = extraction(NEWS, drones={"launched": 540})
    ingest_text(imported, NEWS, origin="n.txt")
    view = attack_detail(imported, "2025-07-04")
    assert {"subject": "drones", "measure": "launched", "value": 539, "other_value": 540}.items() <= \
        next(c for c in view["conflicts"] if c["subject"] == "drones").items()
    assert view["totals"]["drones"]["launched"] == 539


def test_the_same_text_twice_is_stored_once(engine, fake_extractor):
    fake_extractor[NEWS] = extraction(NEWS, drones={"launched": 539})
    assert ingest_text(engine, NEWS, origin="a.txt").status == "stored"
    assert ingest_text(engine, NEWS, origin="b.txt").status == "duplicate"
    assert _count(engine, reports) == 1


def test_a_text_that_is_not_an_attack_report_is_stored_without_an_attack(engine, fake_extractor):
    text = "The weather in Kyiv is sunny."
    fake_extractor[text] = extraction(text, date=None, attack=False)
    outcome = ingest_text(engine, text, origin="weather.txt")
    assert outcome.status == "not_attack" and outcome.attack_id is None
    with engine.connect() as conn:
        row = conn.execute(sa.select(reports.c.is_attack_report, reports.c.attack_id, reports.c.kind)).one()
    assert tuple(row) == (False, None, "news")
    assert _count(engine, attacks) == 0


@pytest.mark.parametrize(("decided", "given", "stored"), [("news", None, "news"), ("regional", None, "regional"),
                                                         ("news", "national", "national"), (None, None, "national")])
def test_the_kind_stored_is_the_extractions_unless_given(engine, fake_extractor, decided, given, stored):
    """The record stores the kind the extraction decided (it does not read the text again:
    NEWS relays the air force, yet an extraction that says regional is stored so); --kind wins;
    an extraction without a kind is stored by its scope."""
    fake_extractor[NEWS] = extraction(NEWS, drones={"launched": 539}, scope="national", kind=decided)
    ingest_text(engine, NEWS, origin="a.txt", kind=given)
    with engine.connect() as conn:
        assert conn.execute(sa.select(reports.c.kind)).scalar() == stored


def _revision(fake_extractor, launched: int) -> str:
    text = f"As of 09:00, air defence shot down drones; the enemy launched {launched} drones."
    fake_extractor[text] = extraction(text, date=dt.date(2025, 8, 1), drones={"launched": launched})
    return text


@pytest.mark.parametrize("order", ["in order", "newest first"])
def test_a_later_report_of_the_same_source_supersedes_and_the_old_value_stays(engine, fake_extractor, order):
    early, late = _revision(fake_extractor, 400), _revision(fake_extractor, 420)
    posts = [(early, 7), (late, 9)] if order == "in order" else [(late, 9), (early, 7)]
    for text, hour in posts:
        ingest_text(engine, text, origin=f"{hour}.txt", source="kpszsu", kind="national",
                    published=dt.datetime(2025, 8, 1, hour, tzinfo=KYIV))
    view = attack_detail(engine, "2025-08-01")
    assert view["totals"]["drones"]["launched"] == 420
    with engine.connect() as conn:
        rows = conn.execute(sa.select(figures.c.value, figures.c.superseded_by).order_by(figures.c.value)).all()
    assert rows[0].value == 400 and rows[0].superseded_by is not None
    assert rows[1].value == 420 and rows[1].superseded_by is None


def test_reports_of_different_sources_do_not_supersede_each_other(engine, fake_extractor):
    for launched, source in ((400, "kpszsu"), (420, "reuters")):
        ingest_text(engine, _revision(fake_extractor, launched), origin=source, source=source, kind="news")
    with engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).where(figures.c.superseded_by.is_not(None))).scalar() == 0
    assert attack_detail(engine, "2025-08-01")["totals"]["drones"]["launched"] == 400  # first stored leads


def test_a_report_without_its_own_date_joins_by_publication_date(imported, fake_extractor):
    fake_extractor[NEWS] = extraction(NEWS, date=None, drones={"launched": 539})
    outcome = ingest_text(imported, NEWS, origin="n.txt", published=dt.datetime(2025, 7, 4, 10, tzinfo=KYIV))
    assert outcome.attack_id == attack_detail(imported, "2025-07-04")["id"]


def test_a_report_with_an_overlapping_window_joins_the_attack_of_another_date(imported, fake_extractor):
    utc = dt.timezone.utc
    fake_extractor[NEWS] = extraction(NEWS, date=dt.date(2025, 7, 5), drones={"launched": 539},
                                      start=dt.datetime(2025, 7, 4, 1, tzinfo=utc), end=dt.datetime(2025, 7, 4, 2, tzinfo=utc))
    # the same-date rule comes first: 2025-07-05 has no attack, so the window decides
    outcome = ingest_text(imported, NEWS, origin="n.txt")
    assert outcome.attack_id == attack_detail(imported, "2025-07-04")["id"]


def test_a_curated_import_after_ingest_reuses_the_attack(engine, fake_extractor, curated_csv):
    from airtally.record.curated import import_curated

    fake_extractor[NEWS] = extraction(NEWS, drones={"launched": 540})
    first = ingest_text(engine, NEWS, origin="n.txt")
    import_curated(curated_csv, engine)
    view = attack_detail(engine, "2025-07-04")
    assert view["id"] == first.attack_id
    assert view["totals"]["drones"]["launched"] == 539 and view["totals_from"] == "national"
    assert any(c["other_value"] == 540 for c in view["conflicts"])


def test_one_failing_file_does_not_stop_a_batch(engine, monkeypatch, tmp_path):
    from airtally.record.ingest import ingest_paths

    good, bad = tmp_path / "good.txt", tmp_path / "bad.txt"
    good.write_text("Overnight Russia launched 30 drones; 20 were shot down.", encoding="utf-8")
    bad.write_text("boom", encoding="utf-8")

    def flaky(text, published):
        if text == "boom":
            raise RuntimeError("extractor exploded")
        return extraction(text, drones={"launched": 30})

    monkeypatch.setattr(ingest_module, "run_extract", flaky)
    summary = ingest_paths(engine, [bad, good])
    assert summary.stored == 1
    assert summary.errors == [(str(bad), "internal error: RuntimeError: extractor exploded (please report it)")]


def test_a_report_in_a_language_airtally_does_not_read_is_counted_apart_and_not_stored(engine, tmp_path):
    from airtally.record.ingest import ingest_paths

    german, english = tmp_path / "de.txt", tmp_path / "en.txt"
    german.write_text("In der Nacht hat Russland 50 Drohnen gestartet; 41 wurden über der Ukraine abgeschossen, "
                      "teilte die Luftwaffe mit.", encoding="utf-8")
    english.write_text("Overnight Russia launched 30 drones; 20 were shot down.", encoding="utf-8")
    summary = ingest_paths(engine, [german, english], published=dt.datetime(2025, 7, 4, 12, tzinfo=KYIV))
    assert (summary.unsupported_language, summary.stored, summary.not_attack, summary.errors) == (1, 1, 0, [])
    assert _count(engine, reports) == 1


NIGHT_WINDOW = (dt.datetime(2025, 7, 31, 18, tzinfo=KYIV), dt.datetime(2025, 8, 1, 9, tzinfo=KYIV))
DAY_WINDOW = (dt.datetime(2025, 8, 1, 9, tzinfo=KYIV), dt.datetime(2025, 8, 1, 15, tzinfo=KYIV))
INSIDE_NIGHT = (dt.datetime(2025, 8, 1, 0, 20, tzinfo=KYIV), dt.datetime(2025, 8, 1, 0, 30, tzinfo=KYIV))

# (name, [(published hour, window, drones launched, missiles launched)] in arrival order,
#  the attack's drones and missiles launched): one source, kpszsu.
SOURCE_REPORTS = [
    ("an overlapping later report replaces the earlier whole, figures it does not restate too",
     [(9, NIGHT_WINDOW, 400, 11), (11, NIGHT_WINDOW, 420, None)], (420, None)),
    ("the later wins whole when it arrives first",
     [(11, NIGHT_WINDOW, 420, None), (9, NIGHT_WINDOW, 400, 11)], (420, None)),
    ("a window inside the other overlaps it",
     [(9, INSIDE_NIGHT, None, 2), (11, NIGHT_WINDOW, 420, 11)], (420, 11)),
    ("windows that only touch are two waves and add up",
     [(9, NIGHT_WINDOW, 400, 11), (16, DAY_WINDOW, 30, None)], (430, 11)),
    ("an unknown window is taken as the same night",
     [(9, NIGHT_WINDOW, 400, 11), (11, (None, None), 420, None)], (420, None)),
]


@pytest.mark.parametrize("posts,expected", [pytest.param(p, e, id=name) for name, p, e in SOURCE_REPORTS])
def test_reports_of_one_source_whose_windows_overlap_are_revisions(engine, fake_extractor, posts, expected):
    for hour, (start, end), drones, missiles in posts:
        text = f"kpszsu at {hour}:00: {drones} drones, {missiles} missiles."
        fake_extractor[text] = extraction(
            text, date=dt.date(2025, 8, 1), start=start, end=end,
            drones={"launched": drones} if drones else None, missiles={"launched": missiles} if missiles else None)
        ingest_text(engine, text, origin=f"{hour}.txt", source="kpszsu", kind="national",
                    published=dt.datetime(2025, 8, 1, hour, tzinfo=KYIV))
    totals = attack_detail(engine, "2025-08-01")["totals"]
    assert (totals["drones"]["launched"], totals["missiles"]["launched"]) == expected

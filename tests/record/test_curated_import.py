"""`airtally import curated`: grouping into attacks, merging, problems, warnings, idempotence."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from airtally.errors import MalformedData, UnreadableInput
from airtally.record.curated import import_curated
from airtally.storage.tables_record import attack_totals, attacks, figures, reports

# (Kyiv date, class) -> (launched, destroyed, lost, where the totals came from), by hand from the fixture.
EXPECTED = [
    ("2025-07-04", "drones", 539, 268, 208, "national"),   # regional 4 UAV not added
    ("2025-07-04", "missiles", 11, 2, None, "national"),   # regional 2 Iskander-M not added
    ("2025-07-04", "all", 550, 270, 208, "national"),
    ("2025-07-09", "missiles", 13, 7, None, "national"),   # 6 Kinzhal + 7 combination
    ("2025-07-09", "drones", 728, 296, 415, "national"),
    ("2025-06-29", "drones", 7, 7, None, "regional"),      # two regional commands summed; Lancet not a drone total
    ("2024-10-11", "missiles", 65, 57, None, "national"),  # night post + morning post + CinCAFU's separate wave
    ("2026-03-01", "drones", 123, 110, 0, "national"),     # same post, another night
    ("2025-02-28", "drones", 105, 96, 0, "national"),
]


def _totals(engine, date: str, subject: str):
    query = (sa.select(attack_totals.c.launched, attack_totals.c.destroyed, attack_totals.c.lost,
                       attack_totals.c.source_kind)
             .join(attacks, attacks.c.id == attack_totals.c.attack_id)
             .where(attacks.c.date == dt.date.fromisoformat(date), attack_totals.c.subject == subject))
    with engine.connect() as conn:
        return tuple(conn.execute(query).one())


@pytest.mark.parametrize("date,subject,launched,destroyed,lost,kind", EXPECTED)
def test_merged_totals_of_the_fixture(imported, date, subject, launched, destroyed, lost, kind):
    assert _totals(imported, date, subject) == (launched, destroyed, lost, kind)


def test_one_attack_per_date_and_one_report_per_post_and_date(imported):
    with imported.connect() as conn:
        dates = conn.execute(sa.select(attacks.c.date).order_by(attacks.c.date)).scalars().all()
        origins = conn.execute(sa.select(reports.c.origin, reports.c.kind)).all()
    assert [d.isoformat() for d in dates] == [
        "2024-10-11", "2025-02-28", "2025-06-29", "2025-07-03", "2025-07-04", "2025-07-09", "2026-03-01"]
    assert sorted(o for o, _ in origins).count("kpszsu/posts/p0228") == 2  # one post, two nights
    assert dict(origins)["PvKPivden/posts/r0704"] == "regional"
    assert dict(origins)["CinCAFU/posts/c1011"] == "national"


def test_malformed_rows_are_reported_by_line_and_skipped(engine, curated_csv):
    summary = import_curated(curated_csv, engine)
    assert summary.problems == ["line 13: launched 'two' is not a number",
                                "line 23: unknown weapon 'Mystery-9'"]
    assert summary.rows == 20


def test_combinations_are_flagged_and_split_where_the_source_allows(imported, curated_csv):
    summary = import_curated(curated_csv, imported)  # a re-run reports no new warnings: nothing stored
    assert summary.warnings == []
    with imported.connect() as conn:
        rows = conn.execute(sa.select(figures.c.subject, figures.c.measure, figures.c.value)
                            .where(figures.c.label == "X-101/X-555 and Kalibr").order_by(figures.c.id)).all()
    assert [tuple(r) for r in rows] == [("kh-101", "launched", 50), ("kalibr", "launched", 12),
                                        ("kh-101+kalibr", "destroyed", 55)]


def test_combination_warning_names_the_line(engine, curated_csv):
    warnings = import_curated(curated_csv, engine).warnings
    assert any(w.startswith("line 3: 'X-101/X-555 and Iskander-K' is a combination") for w in warnings)
    assert any("kh-101+kalibr" in w for w in warnings)


def test_importing_twice_stores_once(imported, curated_csv):
    with imported.connect() as conn:
        before = [conn.execute(sa.select(sa.func.count()).select_from(t)).scalar() for t in (reports, figures, attacks)]
    summary = import_curated(curated_csv, imported)
    with imported.connect() as conn:
        after = [conn.execute(sa.select(sa.func.count()).select_from(t)).scalar() for t in (reports, figures, attacks)]
    assert (summary.reports, summary.duplicates) == (0, 12)
    assert before == after


def test_a_header_without_the_curated_columns_is_refused(engine, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("date,count\n2025-07-04,5\n", encoding="utf-8")
    with pytest.raises(MalformedData, match="no column time_start"):
        import_curated(bad, engine)


def test_wrong_encoding_is_refused_and_nothing_is_stored(engine, tmp_path, curated_csv):
    latin = tmp_path / "latin1.csv"
    latin.write_bytes(curated_csv.read_text("utf-8").replace("Kyiv", "Kyïv").encode("latin-1"))
    with pytest.raises(UnreadableInput, match="not UTF-8"):
        import_curated(latin, engine)
    with engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(reports)).scalar() == 0


def test_a_missing_file_is_unreadable_input(engine, tmp_path):
    with pytest.raises(UnreadableInput, match="no such file"):
        import_curated(tmp_path / "nope.csv", engine)

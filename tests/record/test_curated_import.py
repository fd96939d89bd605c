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


def _one_row_csv(tmp_path, curated_csv, *rows: str, name: str = "rows.csv", newline: str = "\n"):
    header = curated_csv.read_text("utf-8").splitlines()[0]
    path = tmp_path / name
    path.write_bytes(newline.join([header, *rows, ""]).encode("utf-8"))
    return path


def _row(header_commas: int, start="2025-07-03 20:00", end="2025-07-04 06:00", launched="40", post="kpszsu/posts/h1"):
    return f"{start},{end},Shahed-136/131,,Ukraine,,{launched},30" + "," * (header_commas - 8) + f"{post},"


@pytest.mark.parametrize("launched", ["1e309", "inf", "99999999999999999999999", "-3", "12abc", "3.5"])
def test_an_impossible_count_skips_its_row_by_line_and_the_import_goes_on(engine, tmp_path, curated_csv, launched):
    """1e309 and 99999999999999999999999 were internal errors (OverflowError) that stopped it all."""
    commas = curated_csv.read_text("utf-8").splitlines()[0].count(",")
    path = _one_row_csv(tmp_path, curated_csv, _row(commas, launched=launched),
                        _row(commas, post="kpszsu/posts/h2", start="2025-07-04 20:00", end="2025-07-05 06:00"))
    summary = import_curated(path, engine)
    assert len(summary.problems) == 1 and summary.problems[0].startswith(f"line 2: launched {launched!r}")
    assert summary.reports == 1 and _totals(engine, "2025-07-05", "drones")[0] == 40


def test_a_date_out_of_range_skips_its_row(engine, tmp_path, curated_csv):
    commas = curated_csv.read_text("utf-8").splitlines()[0].count(",")
    summary = import_curated(_one_row_csv(tmp_path, curated_csv, _row(commas, start="0001-01-01 00:00")), engine)
    assert summary.problems == ["line 2: time_start '0001-01-01 00:00' is out of range"]


def test_rows_ending_before_they_start_or_dated_in_the_future_are_warned_by_line(engine, tmp_path, curated_csv):
    commas = curated_csv.read_text("utf-8").splitlines()[0].count(",")
    path = _one_row_csv(tmp_path, curated_csv, _row(commas),
                        _row(commas, start="2025-07-05 20:00", end="2025-07-05 06:00", post="kpszsu/posts/h2"),
                        _row(commas, start="2025-07-09 20:00", end="2025-07-10 06:00", post="kpszsu/posts/h3"))
    summary = import_curated(path, engine, now=dt.datetime(2025, 7, 8, 12, tzinfo=dt.timezone.utc))
    assert summary.reports == 3 and len(summary.warnings) == 2
    assert summary.warnings[0].startswith("line 3: time_end '2025-07-05 06:00' is before time_start")
    assert summary.warnings[1].startswith("line 4: dated '2025-07-10 06:00', after the import's now")


@pytest.mark.parametrize("newline", ["\r", "\r\n"])
def test_bare_cr_and_crlf_line_ends_are_read_right(engine, tmp_path, curated_csv, newline):
    """A bare CR (old Mac) was an internal error."""
    commas = curated_csv.read_text("utf-8").splitlines()[0].count(",")
    path = _one_row_csv(tmp_path, curated_csv, _row(commas), newline=newline)
    summary = import_curated(path, engine)
    assert (summary.rows, summary.problems, _totals(engine, "2025-07-04", "drones")[0]) == (1, [], 40)


def test_a_field_past_the_csv_limit_is_malformed_data_and_nothing_is_stored(engine, tmp_path, curated_csv):
    commas = curated_csv.read_text("utf-8").splitlines()[0].count(",")
    path = _one_row_csv(tmp_path, curated_csv, _row(commas), _row(commas, post="x" * 200_000))
    with pytest.raises(MalformedData, match="line 3: not readable as CSV"):
        import_curated(path, engine)
    with engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(reports)).scalar() == 0

"""Data tier: the real curated data set (../shared/data), skipped where it is absent."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa

from airtally.record.attack_view import attack_detail
from airtally.record.curated import import_curated
from airtally.clock import KYIV
from airtally.record.export import export
from airtally.storage.tables_record import attack_totals, attacks
from tests.record.roundtrip import per_post_and_model

pytestmark = pytest.mark.data
SEED = Path(__file__).resolve().parents[3] / "shared" / "examples" / "seed-article-2025-07-04.txt"


@pytest.fixture
def real(engine, shared_data):
    summary = import_curated(shared_data / "missile_attacks_daily.csv", engine)
    return engine, summary


def _kyiv_end_dates(csv: Path) -> set:
    frame = pd.read_csv(csv, dtype=str)
    ends = pd.to_datetime(frame["time_end"].str.strip(), format="mixed")
    return set(ends.dt.date)


def test_the_night_ending_2025_07_04(real):
    engine, summary = real
    assert summary.problems == []
    view = attack_detail(engine, "2025-07-04")
    assert view["totals"]["drones"] == {"launched": 539, "destroyed": 268, "lost": 208, "hits": None}
    assert (view["totals"]["missiles"]["launched"], view["totals"]["missiles"]["destroyed"]) == (11, 2)


def test_one_attack_per_kyiv_end_date(real, shared_data):
    engine, _ = real
    with engine.connect() as conn:
        count = conn.execute(sa.select(sa.func.count()).select_from(attacks)).scalar()
    # time_end is Kyiv local time, so its calendar date is the Kyiv date
    assert count == len(_kyiv_end_dates(shared_data / "missile_attacks_daily.csv")) == 1038


def test_export_round_trips_every_post_and_model(real, shared_data, tmp_path):
    engine, _ = real
    out = tmp_path / "curated.csv"
    export(engine, out, "csv", "curated")
    original = pd.read_csv(shared_data / "missile_attacks_daily.csv", dtype=str, keep_default_na=False)
    back = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert len(back) == len(original)
    pd.testing.assert_frame_equal(per_post_and_model(back), per_post_and_model(original))


def test_the_seed_article_merges_into_the_night_ending_2025_07_04(real):
    pytest.importorskip("airtally.extraction")
    from airtally.record.ingest import ingest_text

    engine, _ = real
    with engine.connect() as conn:
        before = conn.execute(sa.select(sa.func.count()).select_from(attacks)).scalar()
    outcome = ingest_text(engine, SEED.read_text("utf-8"), origin=SEED.name,
                          published=dt.datetime(2025, 7, 4, 12, tzinfo=KYIV))
    view = attack_detail(engine, "2025-07-04")
    with engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(attacks)).scalar() == before
    assert outcome.status == "stored" and outcome.attack_id == view["id"]
    assert view["totals"]["drones"] == {"launched": 539, "destroyed": 268, "lost": 208, "hits": None}
    assert (view["totals"]["missiles"]["launched"], view["totals"]["missiles"]["destroyed"]) == (11, 2)
    assert "news" in {s["kind"] for s in view["sources"]}


NATIONAL = ("kpszsu", "GeneralStaff.ua", "CinCAFU")
REGIONAL = ("PvKPivden", "pvkshid", "PvkZahid", "PvkCenter", "kharkivoda.gov.ua")


def _independent_monthly(csv: Path, measure: str) -> pd.Series:
    """Plain pandas: per Kyiv end date keep the national rows if any, else the news rows, else
    the regional rows; count Shahed and unknown UAVs as drones; sum per month."""
    frame = pd.read_csv(csv)
    frame["date"] = pd.to_datetime(frame["time_end"].str.strip(), format="mixed").dt.date
    account = frame["source"].str.replace("https://t.me/", "", regex=False).str.split("/").str[0]
    frame["tier"] = account.map(lambda a: 0 if a in NATIONAL else 2 if a in REGIONAL else 1)
    frame = frame[frame["tier"] == frame.groupby("date")["tier"].transform("min")]
    drones = frame[frame["model"].isin(["Shahed-136/131", "Unknown UAV", "Shahed-136/131 and Lancet"])]
    month = pd.to_datetime(drones["date"]).dt.strftime("%Y-%m")
    return drones.groupby(month)[measure].sum().astype(int)


@pytest.mark.parametrize("measure", ["launched", "destroyed"])
def test_monthly_drone_totals_agree_with_an_independent_computation(real, shared_data, measure):
    engine, _ = real
    query = (sa.select(attacks.c.date, attack_totals.c[measure])
             .join(attack_totals, attack_totals.c.attack_id == attacks.c.id)
             .where(attack_totals.c.subject == "drones"))
    with engine.connect() as conn:
        frame = pd.DataFrame(conn.execute(query).all(), columns=["date", measure]).dropna()
    ours = frame.groupby(pd.to_datetime(frame["date"]).dt.strftime("%Y-%m"))[measure].sum().astype(int)
    expected = _independent_monthly(shared_data / "missile_attacks_daily.csv", measure)
    pd.testing.assert_series_equal(ours[ours > 0], expected[expected > 0], check_names=False, check_index_type=False)

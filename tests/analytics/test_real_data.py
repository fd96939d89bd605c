"""The data tier: tallies, records and claim checks on the curated data set (../shared/data),
imported with ``airtally import curated``; skipped when the data set is absent.

The monthly tallies are checked against an independent computation written plainly with
pandas from the CSV: per Kyiv date, the national posts' rows when there are any, else news,
else the regional commands' rows summed (never national and regional together).
"""

from __future__ import annotations

import pandas as pd
import pytest

from airtally.analytics.claims import check
from airtally.analytics.records import largest
from airtally.analytics.tally import tally
from airtally.catalog.weapons import catalogue

from ..conftest import PG_AVAILABLE, SHARED_DATA, _drop_postgres, _fresh_postgres_url

pytestmark = pytest.mark.data
CSV = SHARED_DATA / "missile_attacks_daily.csv"
NATIONAL = {"kpszsu", "GeneralStaff.ua", "CinCAFU"}
REGIONAL = {"PvKPivden", "pvkshid", "PvkZahid", "PvkCenter", "PvkPivnich", "kharkivoda.gov.ua"}


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def real(request, tmp_path_factory):
    """An engine holding the whole curated data set, imported once per database per module."""
    if not CSV.exists():
        pytest.skip(f"real data sets not present at {SHARED_DATA}")
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('real') / 'airtally.db'}"
    else:
        url = _fresh_postgres_url()  # skips (or fails under CI) without a server, like db_url
    from airtally.record.curated import import_curated
    from airtally.storage.database import open_database

    engine = open_database(url)
    import_curated(CSV, engine)
    yield engine
    engine.dispose()
    if request.param == "postgresql" and PG_AVAILABLE:
        _drop_postgres(url)


def independent_monthly(weapon_class: str) -> pd.DataFrame:
    """Monthly attacks/launched/destroyed/lost straight from the CSV."""
    rows = pd.read_csv(CSV)
    account = rows.source.str.replace(r"^https://(www\.)?(t\.me|facebook\.com)/", "", regex=True).str.split("/").str[0]
    rows["kind"] = account.map(lambda a: "national" if a in NATIONAL else "regional" if a in REGIONAL else "news")
    rows["date"] = rows.time_end.str[:10]  # times are Kyiv time; the attack's date is its end
    rows["month"] = rows.date.str[:7]
    # a combination ("X-101/X-555 and Kalibr") counts in the class of its first model
    rows["class"] = rows.model.map(lambda m: catalogue().by_curated(m.split(" and ")[0]).counts_as)
    # per date only the highest kind of post present: national, else news, else regional
    rank = rows.kind.map({"national": 0, "news": 1, "regional": 2})
    rows = rows[rank == rank.groupby(rows.date).transform("min")]
    rows = rows[rows["class"].notna()]
    if weapon_class != "all":
        rows = rows[rows["class"] == weapon_class]
    by_month = rows.groupby("month")
    return pd.DataFrame({
        "attacks": by_month.date.nunique(),
        "launched": by_month.launched.sum(),
        "destroyed": by_month.destroyed.sum(),
        "lost": by_month.not_reach_goal.sum(),
    }).astype(int)


@pytest.mark.parametrize("weapon_class", ["drones", "missiles", "all"])
def test_monthly_tallies_agree_with_the_csv(real, weapon_class):
    ours = pd.DataFrame(tally(real, by="month", weapon_class=weapon_class)).set_index("period")
    expected = independent_monthly(weapon_class)
    assert len(expected) > 40
    pd.testing.assert_frame_equal(ours[expected.columns].rename_axis("month"), expected, check_dtype=False)


def test_the_night_ending_2025_07_04(real):
    rows = tally(real, by="day", start="2025-07-04", end="2025-07-04")
    got = {r["class"]: (r["launched"], r["destroyed"], r["lost"]) for r in rows}
    assert got["drones"] == (539, 268, 208)
    assert got["missiles"][:2] == (11, 2)
    assert got["all"][:2] == (550, 270)


def test_largest_attack_since_the_invasion_on_2025_07_04_is_supported(real):
    result = check(real, "largest attack since the beginning of the invasion", "2025-07-04")
    assert result["verdict"] == "supported"
    assert result["attack"]["launched"] == 550
    assert result["record"]["date"] < "2025-07-04" and result["record"]["launched"] < 550


def test_on_2025_07_10_the_record_is_the_night_ending_2025_07_09(real):
    result = check(real, "largest attack since the beginning of the invasion", "2025-07-10")
    assert result["verdict"] == "contradicted"
    assert (result["record"]["date"], result["record"]["launched"]) == ("2025-07-09", 741)
    assert largest(real, top=1, as_of="2025-07-10")[0]["date"] == "2025-07-09"


@pytest.mark.parametrize("text", [
    "the largest drone and missile attack since the beginning of the invasion",
    "наймасованіша атака від початку повномасштабного вторгнення",
    "самая массированная атака с начала войны",
])
def test_the_claim_in_three_languages(real, text):
    assert check(real, text, "2025-07-04")["verdict"] == "supported"


def test_monthly_tally_by_national_reports_only_matches_where_they_lead(real):
    # months where every attack had a national post: national-only equals the merged record
    merged = {r["period"]: r["launched"] for r in tally(real, by="month", weapon_class="drones", start="2025-07", end="2025-07")}
    national = {r["period"]: r["launched"] for r in tally(real, by="month", weapon_class="drones", start="2025-07",
                                                           end="2025-07", source_kind="national")}
    assert merged == national


def test_regional_reports_only_on_2025_07_04(real):
    # PvKPivden's post that day: 4 Unknown UAV and 2 Iskander-M, a part of the national picture
    rows = tally(real, by="day", start="2025-07-04", end="2025-07-04", source_kind="regional")
    assert {r["class"]: r["launched"] for r in rows} == {"drones": 4, "missiles": 2, "all": 6}

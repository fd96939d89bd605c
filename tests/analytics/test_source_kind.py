"""``--source-kind``: tallies and records from one kind of report only (rules in airtally/analytics/totals.py)."""

from __future__ import annotations

import pytest

from airtally.analytics.claims import check
from airtally.analytics.records import largest
from airtally.analytics.tally import tally

REPORTS = """
# 07-04: one national post (a superseded class total in an older post), two regional commands, two articles
2025-07-04  national            drones         500  200  100  superseded
2025-07-04  national            shahed         539  268  208
2025-07-04  national            kh-101         10   8    -
2025-07-04  national            orlan-10       3    3    -
2025-07-04  regional:PvKPivden  unknown-drone  4    4    -
2025-07-04  regional:pvkshid    drones         6    6    -
2025-07-04  news:reuters        drones         540  -    -
2025-07-04  news:kyivindependent drones        539  -    -
# 07-05: regional posts only
2025-07-05  regional:PvKPivden  shahed         20   18   -
2025-07-05  regional:PvKPivden  iskander-m     2    0    -
2025-07-05  regional:pvkshid    shahed         10   9    -
# 07-06: two national sources: the lead (more figures) counts, the other fills what it lacks
2025-07-06  national:kpszsu           shahed   100  90   5
2025-07-06  national:GeneralStaff.ua  drones   120  -    -
2025-07-06  national:GeneralStaff.ua  kalibr   3    -    -
"""


@pytest.fixture
def reports_only(engine, build_record):
    build_record(REPORTS)
    return engine


def month(engine, kind, weapon_class):
    rows = tally(engine, by="month", weapon_class=weapon_class, source_kind=kind)
    return [(r["attacks"], r["launched"], r["destroyed"], r["lost"]) for r in rows]


@pytest.mark.parametrize(
    "kind, weapon_class, expected",
    [
        # recon drones (orlan-10) count in no class; the superseded 500 is left out
        ("national", "drones", [(2, 539 + 100, 268 + 90, 208 + 5)]),
        ("national", "missiles", [(2, 10 + 3, 8, 0)]),
        ("national", "all", [(2, 549 + 100, 276 + 90, 208 + 5)]),
        # regional commands are parts: summed
        ("regional", "drones", [(2, 4 + 6 + 20 + 10, 4 + 6 + 18 + 9, 0)]),
        ("regional", "missiles", [(1, 2, 0, 0)]),
        ("regional", "all", [(2, 10 + 32, 10 + 27, 0)]),
        # articles repeat one figure: the lead article (first stored on a tie) counts, never the sum
        ("news", "drones", [(1, 540, 0, 0)]),
    ],
)
def test_tally_by_source_kind(reports_only, kind, weapon_class, expected):
    assert month(reports_only, kind, weapon_class) == expected


def test_records_and_checks_by_source_kind(reports_only):
    top = largest(reports_only, top=2, weapon_class="drones", source_kind="regional")
    assert [(r["date"], r["launched"]) for r in top] == [("2025-07-05", 30), ("2025-07-04", 10)]
    result = check(reports_only, "the largest drone attack", "2025-07-05", source_kind="regional")
    assert result["verdict"] == "supported" and result["record"]["date"] == "2025-07-04"


def test_the_default_reads_the_merged_record_not_the_figures(reports_only):
    # REPORTS writes no attack_totals: the merged record is empty until the merge fills it
    assert tally(reports_only, by="month") == []
    assert tally(reports_only, by="month", source_kind="all") == []

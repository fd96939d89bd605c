"""Tallies per period and class over the SAMPLE record (tests/analytics/conftest.py)."""

from __future__ import annotations

import pytest

from airtally.analytics.tally import tally
from airtally.errors import InvalidValue

# period class attacks launched destroyed lost attacks_without_launched
MONTHLY_DRONES = """
2024-12 drones 1 10   8   1   0
2025-01 drones 1 20   15  2   0
2025-03 drones 2 600  450 110 0
2025-04 drones 1 100  90  5   0
2025-05 drones 1 350  300 40  0
2025-06 drones 2 950  780 150 0
2025-07 drones 4 1664 778 827 1
"""
KEYS = ("period", "class", "attacks", "launched", "destroyed", "lost", "attacks_without_launched")


def expected(table: str) -> list[dict]:
    rows = [line.split() for line in table.strip().splitlines()]
    return [dict(zip(KEYS, [r[0], r[1], *map(int, r[2:])])) for r in rows]


def picked(rows: list[dict]) -> list[dict]:
    return [{k: r[k] for k in KEYS} for r in rows]


def test_monthly_drones(sample):
    assert picked(tally(sample, by="month", weapon_class="drones")) == expected(MONTHLY_DRONES)


def test_rates_leave_out_attacks_without_a_launched_figure(sample):
    july = tally(sample, by="month", weapon_class="drones", start="2025-07", end="2025-07")[0]
    # 2025-07-05 has "destroyed 50" and no launched figure: counted in destroyed, not in the rates
    assert july["destroyed"] == 778
    assert july["destroyed_rate"] == round((268 + 296 + 164) / 1664, 4)
    assert july["interception_rate"] == round((268 + 296 + 164 + 208 + 415 + 204) / 1664, 4)
    assert (july["first_day"], july["last_day"]) == ("2025-07-01", "2025-07-31")


def test_every_class_by_default_in_order(sample):
    rows = tally(sample, by="month", start="2025-07-01", end="2025-07-31")
    assert [(r["class"], r["attacks"], r["launched"]) for r in rows] == [
        ("drones", 4, 1664),
        ("missiles", 3, 42),
        ("all", 4, 550 + 741 + 415),
    ]


def test_iso_weeks_cross_the_new_year(sample):
    rows = tally(sample, by="week", weapon_class="drones", end="2025-01-31")
    assert picked(rows) == expected("2025-W01 drones 2 30 23 3 0")
    assert (rows[0]["first_day"], rows[0]["last_day"]) == ("2024-12-30", "2025-01-05")


def test_days_and_years(sample):
    days = tally(sample, by="day", weapon_class="missiles", start="2025-07-09", end="2025-07-10")
    assert [(r["period"], r["launched"]) for r in days] == [("2025-07-09", 13), ("2025-07-10", 18)]
    years = tally(sample, by="year", weapon_class="drones")
    assert [(r["period"], r["attacks"]) for r in years] == [("2024", 1), ("2025", 11)]


def test_direction(sample):
    ua_ru = tally(sample, by="month", weapon_class="drones", direction="UA-RU")
    assert picked(ua_ru) == expected("2025-07 drones 1 900 850 0 0")
    both = tally(sample, by="month", weapon_class="drones", direction="any", start="2025-07")
    assert both[0]["attacks"] == 5


def test_empty_record(engine):
    assert tally(engine, by="month") == []


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"by": "fortnight"}, "unknown period 'fortnight'"),
        ({"weapon_class": "bombs"}, "unknown class 'bombs'"),
        ({"start": "2025-13-01"}, "not a --from date: '2025-13-01'"),
        ({"end": "July"}, "not a --to date: 'July'"),
        ({"source_kind": "blog"}, "unknown source kind 'blog'"),
        ({"direction": "RU-PL"}, "unknown direction 'RU-PL'"),
    ],
)
def test_bad_arguments_are_clear_errors(engine, kwargs, message):
    with pytest.raises(InvalidValue, match=message):
        tally(engine, **kwargs)

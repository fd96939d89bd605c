"""The largest attacks and months of the SAMPLE record (tests/analytics/conftest.py)."""

from __future__ import annotations

import pytest

from airtally.analytics.records import largest
from airtally.errors import InvalidValue


def brief(rows, key="date"):
    return [(r["rank"], r[key], r["launched"]) for r in rows]


def test_largest_attacks_by_all_weapons(sample):
    rows = largest(sample, top=3)
    assert brief(rows) == [(1, "2025-07-09", 741), (2, "2025-07-04", 550), (3, "2025-06-30", 520)]
    assert set(rows[0]) >= {"rank", "date", "class", "launched", "destroyed", "attack_id"}
    assert rows[0]["class"] == "all" and rows[0]["destroyed"] == 303


def test_as_of_answers_what_the_record_was_on_a_day(sample):
    assert brief(largest(sample, top=2, as_of="2025-07-08")) == [(1, "2025-07-04", 550), (2, "2025-06-30", 520)]
    assert brief(largest(sample, top=1, weapon_class="missiles", as_of="2025-06")) == [(1, "2025-06-30", 70)]


def test_ties_share_a_rank_and_the_earlier_attack_comes_first(engine, build_record):
    build_record("""
    2025-01-01 merged drones 100 1 -
    2025-01-02 merged drones 300 1 -
    2025-01-03 merged drones 300 1 -
    2025-01-04 merged drones 50  1 -
    """)
    assert brief(largest(engine, weapon_class="drones")) == [
        (1, "2025-01-02", 300), (1, "2025-01-03", 300), (3, "2025-01-01", 100), (4, "2025-01-04", 50)]


def test_attacks_without_a_launched_figure_are_not_ranked(sample):
    dates = [r["date"] for r in largest(sample, top=100, weapon_class="drones")]
    assert "2025-07-05" not in dates and "2025-07-06" not in dates  # no figure; UA-RU
    assert len(dates) == 11


def test_largest_months(sample):
    rows = largest(sample, top=3, weapon_class="drones", months=True)
    assert brief(rows, "period") == [(1, "2025-07", 1664), (2, "2025-06", 950), (3, "2025-03", 600)]
    assert rows[0]["attacks"] == 4
    as_of = largest(sample, top=1, weapon_class="drones", as_of="2025-07-05", months=True)
    assert brief(as_of, "period") == [(1, "2025-06", 950)]


@pytest.mark.parametrize("kwargs, message", [({"top": 0}, "--top must be 1 or more"), ({"as_of": "yesterday"}, "not a --as-of date")])
def test_bad_arguments(engine, kwargs, message):
    with pytest.raises(InvalidValue, match=message):
        largest(engine, **kwargs)


UNCONFIRMED = """
2025-06-15  merged  drones  500  400  90
2025-06-30  merged  drones  450  380  60
2025-07-04  merged  drones  539  268  208 unconfirmed
2025-07-09  merged  drones  728  296  415 unconfirmed
2025-07-10  merged  drones  397  164  204
"""
# --as-of, then the listed rows: (rank, date, unconfirmed, the confirmed record-holder named beside it)
HELD = [
    (None, [(1, "2025-07-09", True, "2025-06-15"), (2, "2025-07-04", True, "2025-06-15"),
            (3, "2025-06-15", False, None), (4, "2025-06-30", False, None), (5, "2025-07-10", False, None)]),
    ("2025-07-05", [(1, "2025-07-04", True, "2025-06-15"), (2, "2025-06-15", False, None),
                    (3, "2025-06-30", False, None)]),
    ("2025-06-30", [(1, "2025-06-15", False, None), (2, "2025-06-30", False, None)]),
]


@pytest.mark.parametrize("as_of, expected", HELD, ids=[str(h[0]) for h in HELD])
def test_an_unconfirmed_attack_keeps_its_place_with_the_confirmed_holder_beside_it(engine, build_record, as_of, expected):
    build_record(UNCONFIRMED)
    rows = largest(engine, weapon_class="drones", as_of=as_of)
    assert [(r["rank"], r["date"], r["unconfirmed"], (r["confirmed_record"] or {}).get("date")) for r in rows] == expected
    holder = next((r["confirmed_record"] for r in rows if r["confirmed_record"]), None)
    if holder:
        assert holder["value"] == 500 and isinstance(holder["attack_id"], int)


def test_with_no_confirmed_attack_the_holder_is_none_and_months_count_unconfirmed_attacks(engine, build_record):
    build_record("""
    2025-07-04  merged  drones  539  268  208 unconfirmed
    2025-07-09  merged  drones  728  296  415
    2025-08-01  merged  drones  100  90   1
    """)
    assert [(r["date"], r["confirmed_record"]) for r in largest(engine, weapon_class="drones", as_of="2025-07-05")] == [
        ("2025-07-04", None)]
    months = largest(engine, weapon_class="drones", months=True)
    assert [(m["period"], m["unconfirmed"]) for m in months] == [("2025-07", 1), ("2025-08", 0)]

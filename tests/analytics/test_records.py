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

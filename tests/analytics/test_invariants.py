"""Invariants over generated records (hypothesis, on an in-memory SQLite database)."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from airtally.analytics.claims import check
from airtally.analytics.records import largest
from airtally.analytics.tally import tally
from airtally.storage.database import open_database

from .conftest import RecordBuilder

FIRST = dt.date(2024, 12, 20)
figure = st.one_of(st.none(), st.integers(0, 900))
attack = st.tuples(st.integers(0, 120), figure, figure, figure, figure)  # day offset, drones l/d, missiles l/d
records = st.lists(attack, min_size=1, max_size=25, unique_by=lambda a: a[0])


def build(rows) -> tuple:
    """An in-memory record from generated rows; returns the engine and {date: (drones, missiles) launched}."""
    engine = open_database("sqlite://")
    lines, launched = [], {}
    for offset, drones, drones_destroyed, missiles, missiles_destroyed in rows:
        day = FIRST + dt.timedelta(days=offset)
        fmt = lambda v: "-" if v is None else str(v)  # noqa: E731
        lines.append(f"{day} merged drones {fmt(drones)} {fmt(drones_destroyed)} -")
        lines.append(f"{day} merged missiles {fmt(missiles)} {fmt(missiles_destroyed)} -")
        launched[day] = (drones, missiles)
    RecordBuilder(engine)("\n".join(lines))
    return engine, launched


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(records)
def test_every_period_adds_up_to_the_same_totals(rows):
    engine, _ = build(rows)
    sums = set()
    for by in ("day", "week", "month", "year"):
        table = tally(engine, by=by)
        sums.add(tuple(sum(r[k] for r in table if r["class"] == c) for c in ("drones", "missiles", "all")
                       for k in ("attacks", "launched", "destroyed")))
    assert len(sums) == 1


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(records)
def test_the_top_record_is_the_largest_and_a_claim_about_it_is_supported(rows):
    engine, launched = build(rows)
    drones = {day: d for day, (d, _) in launched.items() if d is not None}
    top = largest(engine, top=1, weapon_class="drones")
    if not drones:
        assert top == []
        return
    assert top[0]["launched"] == max(drones.values())
    for day, value in drones.items():
        earlier = [v for d, v in drones.items() if d < day]
        verdict = check(engine, "the largest drone attack ever", day)["verdict"]
        expected = "not_enough_data" if not earlier else "supported" if value >= max(earlier) else "contradicted"
        assert verdict == expected

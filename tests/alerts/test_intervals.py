"""The merge rule for overlapping and duplicate rows, and interval unions."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from airtally.alerts.intervals import merge_overlapping, union
from airtally.model import AlertEvent

T0 = dt.datetime(2023, 1, 1, tzinfo=dt.timezone.utc)


def ev(start_min: int, end_min: int | None, **kw) -> AlertEvent:
    end = T0 + dt.timedelta(minutes=end_min) if end_min is not None else None
    return AlertEvent(region_code=kw.pop("code", "UA-46"), started_at=T0 + dt.timedelta(minutes=start_min), finished_at=end, **kw)


def spans(events):
    return [(int((e.started_at - T0).total_seconds() // 60), e.finished_at and int((e.finished_at - T0).total_seconds() // 60)) for e in events]


def test_overlapping_rows_merge_and_duplicates_drop():
    result = merge_overlapping([ev(0, 30), ev(20, 60), ev(20, 60), ev(60, 90), ev(100, 110)], [2, 3, 4, 5, 6])
    assert spans(result.events) == [(0, 60), (60, 90), (100, 110)]
    assert result.duplicates == [4] and result.merged == [3]
    assert result.lines == [2, 5, 6]


def test_merge_keeps_the_estimate_flag_of_the_end_it_keeps():
    result = merge_overlapping([ev(0, 30), ev(10, 40, end_is_estimate=True)])
    assert spans(result.events) == [(0, 40)] and result.events[0].end_is_estimate


def test_different_places_and_sources_never_merge():
    events = [ev(0, 30), ev(10, 40, code="UA-30"), ev(10, 40, source="volunteer"), ev(10, 40, level="raion", raion="Lvivskyi raion")]
    assert len(merge_overlapping(events).events) == 4


def test_an_alert_without_an_end_is_not_merged_with_later_ones():
    assert spans(merge_overlapping([ev(0, None), ev(10, 20)]).events) == [(0, None), (10, 20)]


intervals = st.lists(st.tuples(st.integers(0, 500), st.integers(1, 60)).map(lambda p: (p[0], p[0] + p[1])), max_size=30)


@given(intervals)
def test_union_covers_exactly_the_same_minutes(pairs):
    as_time = [(T0 + dt.timedelta(minutes=s), T0 + dt.timedelta(minutes=e)) for s, e in pairs]
    merged = union(as_time)
    assert all(a[1] < b[0] for a, b in zip(merged, merged[1:]))  # sorted and disjoint
    covered = {m for s, e in pairs for m in range(s, e)}
    merged_minutes = {m for s, e in merged for m in range(int((s - T0).total_seconds() // 60), int((e - T0).total_seconds() // 60))}
    assert merged_minutes == covered

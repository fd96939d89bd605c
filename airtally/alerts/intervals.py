"""Interval arithmetic on alerts: merging overlapping rows, unions, clipping.

The merge rule (documented in the README): for one source, place and alert type, rows are
sorted by start; a row identical to the one before (same start and end) is a duplicate and is
dropped; a row that starts before the previous one ends (strictly: touching rows stay apart)
is merged into it, keeping the earlier start and the later end. An alert without an end is
never merged with later rows, and permanent alerts are left alone.

>>> a = dt.datetime(2023, 1, 1, tzinfo=dt.timezone.utc)
>>> h = dt.timedelta(hours=1)
>>> union([(a, a + 2 * h), (a + h, a + 3 * h), (a + 5 * h, a + 6 * h)]) == [(a, a + 3 * h), (a + 5 * h, a + 6 * h)]
True
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from airtally.alerts.formats import AlertRecord

Interval = tuple[dt.datetime, dt.datetime]


@dataclass
class Merged:
    """The events after merging, and what the merge did (line numbers of the rows involved)."""

    events: list[AlertRecord]
    lines: list[int]
    duplicates: list[int] = field(default_factory=list)
    merged: list[int] = field(default_factory=list)


def merge_overlapping(events: Sequence[AlertRecord], lines: list[int] | None = None) -> Merged:
    """Apply the merge rule to ``events`` (``lines`` are their line numbers, for reporting).

    ``events`` may be any records with ``AlertEvent``'s fields and ``model_copy``.
    """
    lines = lines or list(range(1, len(events) + 1))
    starts = [event.started_at for event in events]
    groups: dict[tuple, list[int]] = {}
    # One stable sort by start for all groups: each group's indexes come out in start order,
    # ties in file order.
    for i in sorted(range(len(events)), key=starts.__getitem__):
        e = events[i]
        groups.setdefault((e.source, e.region_code, e.raion or "", e.hromada or "", e.alert_type), []).append(i)
    result = Merged([], [])
    for key in sorted(groups):
        _merge_group(events, lines, groups[key], result)
    return result


def _merge_group(events: Sequence[AlertRecord], lines: list[int], order: list[int], result: Merged) -> None:
    """Merge the events of one source, place and type (``order``: their indexes by start)."""
    previous: AlertRecord | None = None
    # A duplicate has the start of the events just before it (they come by start), so only the
    # ends seen at the current start are kept: a short list, no hashing of aware datetimes.
    start: dt.datetime | None = None
    ends: list[dt.datetime | None] = []
    for i in order:
        event = events[i]
        if event.started_at != start:
            start, ends = event.started_at, []
        elif event.finished_at in ends:
            result.duplicates.append(lines[i])
            continue
        ends.append(event.finished_at)
        if previous is not None and not event.permanent and previous.finished_at is not None and event.started_at < previous.finished_at:
            result.merged.append(lines[i])
            previous = result.events[-1] = _extend(previous, event)
            continue
        previous = event
        result.events.append(event)
        result.lines.append(lines[i])


def _extend(kept: AlertRecord, later: AlertRecord) -> AlertRecord:
    assert kept.finished_at is not None, "only an alert with an end is extended (_merge_group checks)"

    if later.finished_at is None or later.finished_at > kept.finished_at:
        return kept.model_copy(update={"finished_at": later.finished_at, "end_is_estimate": later.end_is_estimate})
    return kept


def union(intervals: Iterable[Interval]) -> list[Interval]:
    """The union of half-open intervals as sorted, disjoint intervals."""
    out: list[Interval] = []
    for start, end in sorted(intervals):
        if out and start <= out[-1][1]:
            if end > out[-1][1]:
                out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out


def clip(intervals: Iterable[Interval], low: dt.datetime, high: dt.datetime) -> list[Interval]:
    """The parts of ``intervals`` inside [low, high)."""
    return [(max(s, low), min(e, high)) for s, e in intervals if s < high and e > low]


def seconds(intervals: Iterable[Interval]) -> float:
    """Total length of ``intervals`` in seconds."""
    return sum((e - s).total_seconds() for s, e in intervals)

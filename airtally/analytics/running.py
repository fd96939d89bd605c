"""This month's running tally against earlier months: the same days of each, and each whole.

"July so far (1-9 July): 1,400 drones launched; by the 9th, June had 1,100 and May 900; all of
June had 5,438." The month is the one holding ``as_of`` (default: the latest attack's date), so
a record whose last attack is months old still has a "this month".

>>> same_days_end(dt.date(2025, 2, 1), 31)
datetime.date(2025, 2, 28)
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import TypedDict

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from airtally.analytics.connect import connected
from airtally.analytics.periods import as_date
from airtally.clock import parse_date
from airtally.analytics.ranking import latest_date
from airtally.analytics.totals import MEASURES, check_class, direction_filter, totals_for
from airtally.errors import InvalidValue
from airtally.storage.tables_record import attacks


def same_days_end(first: dt.date, day: int) -> dt.date:
    """The ``day``-th of the month starting ``first``, or its last day when it is shorter."""
    return first.replace(day=min(day, calendar.monthrange(first.year, first.month)[1]))


def _month_before(first: dt.date) -> dt.date:
    return (first - dt.timedelta(days=1)).replace(day=1)


def _daily(conn: Connection, weapon_class: str, measure: str, start: dt.date, end: dt.date, direction,
           source_kind) -> tuple[dict[dt.date, int], dict[dt.date, int]]:
    """Per date: the ``measure`` summed, and how many of the date's attacks rest on unconfirmed figures."""
    totals = totals_for(source_kind)
    query = (
        sa.select(attacks.c.date, sa.func.sum(totals.c[measure]).label("value"),
                  sa.func.sum(sa.case((totals.c.unconfirmed == sa.true(), 1), else_=0)).label("unconfirmed"))
        .join(totals, totals.c.attack_id == attacks.c.id)
        .where(totals.c.subject == weapon_class, totals.c[measure].is_not(None), direction_filter(direction))
        .where(attacks.c.date >= start, attacks.c.date <= end)
        .group_by(attacks.c.date)
    )
    rows = conn.execute(query).all()
    return ({as_date(r.date): int(r.value) for r in rows},
            {as_date(r.date): int(r.unconfirmed) for r in rows if r.unconfirmed})


def running_tally(
    bind: Engine | Connection,
    as_of: str | dt.date | None = None,
    weapon_class: str = "all",
    measure: str = "launched",
    months: int = 12,
    direction: str | None = None,
    source_kind: str | None = None,
) -> dict | None:
    """The running tally of the month holding ``as_of`` against the ``months`` months before it.

    Returns None on an empty record, else ``{"as_of", "month", "day", "class", "measure",
    "value", "cumulative": [[day, value], ...], "earlier": [{"period", "same_days", "whole",
    "cumulative"}, ...] (latest first), "rank_same_days", "rank_whole", "months_compared"}``:
    the ranks are this month-to-date's competition rank among the same days of the earlier
    months, and among the earlier months whole (how many whole months it already beats, plus one).
    ``unconfirmed`` counts this month's attacks (so far) whose figures rest on unconfirmed
    readings, each earlier month's ``unconfirmed`` its own, and ``rests_on_unconfirmed`` says
    whether the value or the ranks rest on any.
    """
    check_class(weapon_class)
    if measure not in MEASURES:
        raise InvalidValue(f"unknown measure {measure!r} (use one of: {', '.join(MEASURES)})")
    if months < 1:
        raise InvalidValue(f"months must be 1 or more, not {months}")
    with connected(bind) as conn:
        day = parse_date(as_of, end=True, what="--as-of date") or latest_date(conn, direction)
        if day is None:
            return None
        first = day.replace(day=1)
        earliest = first
        for _ in range(months):
            earliest = _month_before(earliest)
        daily, unconfirmed = _daily(conn, weapon_class, measure, earliest, day, direction, source_kind)
    current = _cumulative(daily, first, day)
    earlier: list[EarlierMonth] = []
    month = first
    for _ in range(months):
        month = _month_before(month)
        last = same_days_end(month, 31)
        series = _cumulative(daily, month, last)
        if not series[-1][1] and not any(d in daily for d in _days(month, last)):
            continue  # no attack in the record that month: nothing to compare with
        earlier.append({"period": f"{month:%Y-%m}", "same_days": _at(series, day.day), "whole": series[-1][1],
                        "cumulative": series, "unconfirmed": _count(unconfirmed, month, last)})
    value = current[-1][1]
    mine = _count(unconfirmed, first, day)
    return {
        "as_of": day.isoformat(), "month": f"{first:%Y-%m}", "day": day.day, "class": weapon_class, "measure": measure,
        "value": value, "cumulative": current, "earlier": earlier, "months_compared": len(earlier),
        "rank_same_days": 1 + sum(1 for m in earlier if m["same_days"] > value),
        "rank_whole": 1 + sum(1 for m in earlier if m["whole"] > value),
        # attacks resting on unconfirmed figures: this month's so far, and whether any month compared has one
        "unconfirmed": mine, "rests_on_unconfirmed": mine > 0 or any(m["unconfirmed"] for m in earlier),
    }


class EarlierMonth(TypedDict):
    """One earlier month of ``running_tally``'s ``earlier`` list."""

    period: str  # "2025-06"
    same_days: int  # its tally up to the same day of the month
    whole: int  # its whole tally
    cumulative: list[list[int]]  # [[day, value], ...]
    unconfirmed: int  # its attacks resting on unconfirmed readings


def _count(per_day: dict[dt.date, int], first: dt.date, last: dt.date) -> int:
    return sum(n for date, n in per_day.items() if first <= date <= last)


def _days(first: dt.date, last: dt.date):
    return (first + dt.timedelta(days=i) for i in range((last - first).days + 1))


def _cumulative(daily: dict[dt.date, int], first: dt.date, last: dt.date) -> list[list[int]]:
    total, series = 0, []
    for date in _days(first, last):
        total += daily.get(date, 0)
        series.append([date.day, total])
    return series


def _at(series: list[list[int]], day: int) -> int:
    """The cumulative value on ``day`` of a month's series (its last day when the month is shorter)."""
    return series[min(day, len(series)) - 1][1]

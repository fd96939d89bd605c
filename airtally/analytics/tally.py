"""Tallies: launched, destroyed and lost per period and class, with interception rates.

One GROUP BY in the database; Python only shapes the (few) period rows.

>>> rates({"launched": 100, "destroyed": 80, "lost": 10})
(0.9, 0.8)

Rates count only attacks that have a launched figure (an attack with "destroyed 40" and no
launched figure would otherwise push a rate past 100 %); such attacks are still counted in
``attacks`` and ``destroyed`` and reported as ``attacks_without_launched``. An attack counts
in a class when it has a launched, destroyed or lost figure of that class (a night of
reconnaissance drones only is no drone attack). Periods without any attack are left out.
``unconfirmed`` counts the attacks whose figures in the row rest on a low-confidence reading no
person has reviewed (only attacks without a national report; ``airtally review`` lists them).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from airtally.analytics.connect import connected
from airtally.analytics.periods import as_date, check_period, label, period_end, period_start
from airtally.analytics.totals import CLASSES, check_class, class_order, direction_filter, has_figures, totals_for
from airtally.clock import parse_date
from airtally.errors import InvalidValue
from airtally.storage.tables_record import attacks

TALLY_COLUMNS = (
    "period",
    "class",
    "attacks",
    "launched",
    "destroyed",
    "lost",
    "interception_rate",
    "destroyed_rate",
    "attacks_without_launched",
    "unconfirmed",
)


def tally_query(
    dialect: str,
    by: str = "month",
    classes: Iterable[str] = CLASSES,
    start: dt.date | None = None,
    end: dt.date | None = None,
    source_kind: str | None = None,
    direction: str | None = None,
):
    """The SELECT behind ``tally``: one row per period and class."""
    query = _tally_select(dialect, by, tuple(classes), source_kind, direction, start is not None, end is not None)
    return query.params(_bounds(start, end))


def _bounds(start: dt.date | None, end: dt.date | None) -> dict:
    return {k: v for k, v in (("start", start), ("end", end)) if v is not None}


@functools.lru_cache(maxsize=64)
def _tally_select(
    dialect: str, by: str, classes: tuple[str, ...], source_kind: str | None, direction: str | None, from_start: bool, to_end: bool
):
    """``tally_query`` with the dates as bound parameters ``start`` and ``end``, built once per
    shape (building it costs as much CPU as SQLite takes to answer it)."""
    totals = totals_for(source_kind)
    first_day = period_start(check_period(by), attacks.c.date, dialect).label("first_day")
    has_launched = totals.c.launched.is_not(None)

    def counted(column):  # the figure, only where the attack has a launched figure
        return sa.func.coalesce(sa.func.sum(sa.case((has_launched, column))), 0)

    query = (
        sa.select(
            first_day,
            totals.c.subject,
            sa.func.count(attacks.c.id).label("attacks"),
            sa.func.coalesce(sa.func.sum(totals.c.launched), 0).label("launched"),
            sa.func.coalesce(sa.func.sum(totals.c.destroyed), 0).label("destroyed"),
            sa.func.coalesce(sa.func.sum(totals.c.lost), 0).label("lost"),
            counted(totals.c.destroyed).label("destroyed_counted"),
            counted(totals.c.lost).label("lost_counted"),
            sa.func.sum(sa.case((has_launched, 0), else_=1)).label("attacks_without_launched"),
            sa.func.sum(sa.case((totals.c.unconfirmed == sa.true(), 1), else_=0)).label("unconfirmed"),
        )
        .join(totals, totals.c.attack_id == attacks.c.id)
        .where(totals.c.subject.in_([check_class(c) for c in classes]), direction_filter(direction))
        .where(has_figures(totals))
        .group_by(sa.literal_column("first_day"), totals.c.subject)
        .order_by(sa.literal_column("first_day"), class_order(totals.c.subject))
    )
    if from_start:
        query = query.where(attacks.c.date >= sa.bindparam("start", type_=sa.Date))
    if to_end:
        query = query.where(attacks.c.date <= sa.bindparam("end", type_=sa.Date))
    return query


def rates(row) -> tuple[float | None, float | None]:
    """(interception rate, destroyed rate): (destroyed+lost)/launched and destroyed/launched."""
    launched = row["launched"]
    if not launched:
        return None, None
    destroyed = row.get("destroyed_counted", row["destroyed"]) or 0
    lost = row.get("lost_counted", row["lost"]) or 0
    return round((destroyed + lost) / launched, 4), round(destroyed / launched, 4)


def shape_row(by: str, row) -> dict:
    """A database row of ``tally_query`` as the JSON row of ``airtally tally --json``."""
    row = dict(row)
    first = as_date(row.pop("first_day"))
    interception, destroyed_rate = rates(row)
    row.pop("destroyed_counted"), row.pop("lost_counted")
    shaped = {"period": label(by, first), "class": row.pop("subject")}
    shaped.update({k: int(v) for k, v in row.items()})
    shaped.update(interception_rate=interception, destroyed_rate=destroyed_rate)
    shaped.update(first_day=first.isoformat(), last_day=period_end(by, first).isoformat())
    return shaped


def tally(
    bind: Engine | Connection,
    by: str = "month",
    weapon_class: str | None = None,
    start: str | dt.date | None = None,
    end: str | dt.date | None = None,
    source_kind: str | None = None,
    direction: str | None = None,
) -> list[dict]:
    """Launched, destroyed, lost, rates and number of attacks per ``by`` period and class.

    ``weapon_class`` None gives a row for each of drones, missiles and all; ``start``/``end``
    bound the attacks' dates (``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``, both inclusive).
    """
    classes = CLASSES if weapon_class is None else (weapon_class,)
    start, end = parse_date(start, what="--from date"), parse_date(end, end=True, what="--to date")
    if start and end and end < start:
        raise InvalidValue(f"--to ({end}) is before --from ({start}): nothing can fall between them; swap them")
    query = _tally_select(bind.dialect.name, by, classes, source_kind, direction, start is not None, end is not None)
    with connected(bind) as conn:
        return [shape_row(by, r) for r in conn.execute(query, _bounds(start, end)).mappings()]


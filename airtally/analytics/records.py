"""Records: the largest attacks and the largest months of a class, as the record stood on a date.

Ranked by launched (ties share a rank: 1, 2, 2, 4); among equals the earlier attack comes
first, because it set the record. "As of D" keeps only attacks that ended on or before D, so a
month still running on D counts up to D.

An attack whose figures rest on unconfirmed readings (low confidence, unreviewed, no national
report) may hold a record: it keeps its place, marked ``unconfirmed``, and the largest confirmed
attack is named beside it (``confirmed_record``), so a reader sees both the figure as reported
and the record that stands without it.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from airtally.analytics.connect import connected
from airtally.clock import parse_date
from airtally.analytics.tally import shape_row, tally_query
from airtally.analytics.totals import MEASURES, check_class, direction_filter, totals_for
from airtally.errors import InvalidValue
from airtally.storage.tables_record import attacks

ATTACK_COLUMNS = ("rank", "date", "class", "launched", "destroyed", "lost", "attack_id", "unconfirmed",
                  "confirmed_record")
MONTH_COLUMNS = ("rank", "period", "class", "launched", "destroyed", "lost", "attacks", "unconfirmed")


def attacks_query(
    weapon_class: str = "all",
    measure: str = "launched",
    start: dt.date | None = None,
    before: dt.date | None = None,
    as_of: dt.date | None = None,
    source_kind: str | None = None,
    direction: str | None = None,
    confirmed: bool = False,
):
    """Attacks of ``weapon_class`` with a ``measure`` figure, largest first, each marked
    ``unconfirmed`` when its figures rest on a low-confidence reading no person has reviewed.

    ``start`` <= date, date < ``before``, date <= ``as_of`` (each optional); ``confirmed``: only
    the attacks whose figures are not unconfirmed.
    """
    totals = totals_for(source_kind)
    query = (
        sa.select(
            attacks.c.id.label("attack_id"),
            attacks.c.date,
            totals.c.subject.label("class"),
            totals.c.launched,
            totals.c.destroyed,
            totals.c.lost,
            totals.c.unconfirmed,
        )
        .join(totals, totals.c.attack_id == attacks.c.id)
        .where(totals.c.subject == check_class(weapon_class), totals.c[measure].is_not(None))
        .where(direction_filter(direction))
        .order_by(totals.c[measure].desc(), attacks.c.date, attacks.c.id)
    )
    if start is not None:
        query = query.where(attacks.c.date >= start)
    if before is not None:
        query = query.where(attacks.c.date < before)
    if as_of is not None:
        query = query.where(attacks.c.date <= as_of)
    if confirmed:
        query = query.where(totals.c.unconfirmed == sa.false())
    return query


def ranked(rows: list[dict], key: str = "launched") -> list[dict]:
    """``rows`` (sorted largest first) with competition ranks: equal values share a rank.

    >>> [r["rank"] for r in ranked([{"launched": 9}, {"launched": 7}, {"launched": 7}, {"launched": 5}])]
    [1, 2, 2, 4]
    """
    out: list[dict] = []
    for position, row in enumerate(rows, start=1):
        tied = out and out[-1][key] == row[key]
        out.append({"rank": out[-1]["rank"] if tied else position, **row})
    return out


def attack_row(row) -> dict:
    """A database row of ``attacks_query`` as JSON-ready data."""
    row = dict(row)
    row["date"] = row["date"].isoformat() if isinstance(row["date"], dt.date) else str(row["date"])
    row["unconfirmed"] = bool(row.get("unconfirmed"))
    return row


def months_query(
    dialect: str,
    weapon_class: str = "all",
    measure: str = "launched",
    start: dt.date | None = None,
    end: dt.date | None = None,
    source_kind: str | None = None,
    direction: str | None = None,
):
    """Months (tally rows) of ``weapon_class`` between ``start`` and ``end``, largest ``measure`` first."""
    monthly = tally_query(dialect, "month", (weapon_class,), start, end, source_kind, direction).order_by(None).subquery()
    return sa.select(monthly).order_by(monthly.c[measure].desc(), monthly.c.first_day)


def month_row(row) -> dict:
    """A database row of ``months_query`` as JSON-ready data (a tally row; ``date`` its first day)."""
    shaped = shape_row("month", row)
    return shaped | {"date": shaped["first_day"]}


def largest(
    bind: Engine | Connection,
    top: int = 10,
    weapon_class: str = "all",
    as_of: str | dt.date | None = None,
    months: bool = False,
    source_kind: str | None = None,
    direction: str | None = None,
    measure: str = "launched",
) -> list[dict]:
    """The ``top`` largest attacks by ``measure`` (launched, destroyed or lost): rank, date,
    class, launched, destroyed, lost, attack_id, unconfirmed, confirmed_record; or with
    ``months`` the largest months (rank, period, class, ..., attacks, unconfirmed: how many of
    its attacks rest on unconfirmed figures).

    An attack whose figures rest on an unreviewed low-confidence reading keeps its place in the
    list, marked ``unconfirmed``, and ``confirmed_record`` names beside it the largest attack
    of the list's scope that does not (``{"attack_id", "date", "value"}``, None when there is
    none); the other rows have None there."""
    as_of = parse_date(as_of, end=True, what="--as-of date")
    if measure not in MEASURES:
        raise InvalidValue(f"unknown measure {measure!r} (use one of: {', '.join(MEASURES)})")
    if months:
        query, shape = months_query(bind.dialect.name, weapon_class, measure, end=as_of, source_kind=source_kind, direction=direction), month_row
    else:
        query, shape = attacks_query(weapon_class, measure, as_of=as_of, source_kind=source_kind,
                                     direction=direction), attack_row
    with connected(bind) as conn:
        rows = ranked([shape(r) for r in conn.execute(query.limit(_top(top))).mappings()], measure)
        if not months:
            holder = None
            if any(r["unconfirmed"] for r in rows):
                holder = confirmed_holder(conn, weapon_class, measure, as_of=as_of, source_kind=source_kind,
                                          direction=direction)
            for row in rows:
                row["confirmed_record"] = holder if row["unconfirmed"] else None
    return rows


def confirmed_holder(bind: Engine | Connection, weapon_class: str = "all", measure: str = "launched",
                     start: dt.date | None = None, before: dt.date | None = None, as_of: dt.date | None = None,
                     source_kind: str | None = None, direction: str | None = None) -> dict | None:
    """The largest attack by ``measure`` whose figures rest on no unconfirmed reading, in the
    scope ``attacks_query`` takes: ``{"attack_id", "date", "value"}``, or None."""
    query = attacks_query(weapon_class, measure, start, before, as_of, source_kind, direction, confirmed=True)
    with connected(bind) as conn:
        row = conn.execute(query.limit(1)).mappings().first()
    if row is None:
        return None
    shaped = attack_row(row)
    return {"attack_id": shaped["attack_id"], "date": shaped["date"], "value": shaped[measure]}


MAX_TOP = 2**31 - 1


def _top(top: int) -> int:
    if top < 1:
        raise InvalidValue(f"--top must be 1 or more, not {top}")
    return min(top, MAX_TOP)  # more than the record holds lists it all (and stays in SQL's integer range)

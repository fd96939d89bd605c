"""How an attack ranks among all attacks up to its own date, per class: "2nd largest drone attack".

The rank is a competition rank among the attacks that ended on or before the attack's date (the
record as it stood that morning): one plus the number of those attacks with a strictly larger
figure, so an attack that ties the record ranks 1st.

>>> ordinal(1), ordinal(2), ordinal(3), ordinal(11), ordinal(22)
('1st', '2nd', '3rd', '11th', '22nd')
"""

from __future__ import annotations

import datetime as dt
import functools

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from airtally.analytics.connect import connected
from airtally.analytics.periods import as_date
from airtally.analytics.totals import CLASSES, MEASURES, check_source_kind, direction_filter, totals_for
from airtally.errors import InvalidValue, NotFound
from airtally.storage.tables_record import attacks


def ordinal(n: int) -> str:
    """English ordinal of ``n``: 1st, 2nd, 3rd, 4th, 11th, 21st."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def latest_attack_id(bind: Engine | Connection, direction: str | None = None) -> int | None:
    """The id of the latest attack that has a figure (latest date, then the latest stored), or None."""
    totals = totals_for(None)
    has_figure = sa.or_(*(totals.c[m].is_not(None) for m in MEASURES))
    query = (
        sa.select(attacks.c.id)
        .join(totals, totals.c.attack_id == attacks.c.id)
        .where(direction_filter(direction), has_figure)
        .order_by(attacks.c.date.desc(), attacks.c.id.desc())
        .limit(1)
    )
    with connected(bind) as conn:
        return conn.execute(query).scalar()


def latest_date(bind: Engine | Connection, direction: str | None = None) -> dt.date | None:
    """The date of the latest attack in the record (of ``direction``, default RU-UA), or None."""
    with connected(bind) as conn:
        latest = conn.execute(sa.select(sa.func.max(attacks.c.date)).where(direction_filter(direction))).scalar()
    return as_date(latest) if latest is not None else None


def attack_ranks(
    bind: Engine | Connection, attack_id: int, measure: str = "launched", source_kind: str | None = None
) -> dict[str, dict | None]:
    """Per class (drones, missiles, all): how attack ``attack_id`` ranked by ``measure`` on its date.

    ``{class: {"rank", "of", "value", "ordinal", "record"} or None}``: ``of`` is the number of
    attacks up to that date with a figure; ``record`` the largest attack before it (date,
    value) or None; ``since`` the latest earlier attack at least as large (date, value), so the
    attack is "the largest since" the day after it, or None when it is the largest so far; None
    for a class the attack has no such figure of.

    Three queries whatever the number of classes, built once per measure and source kind: the
    attack, one aggregate over the attacks up to its date (counts, the record's value, the date
    it is the largest since), and the rows those name (the record's date, the value then).
    """
    if measure not in MEASURES:
        raise InvalidValue(f"unknown measure {measure!r} (use one of: {', '.join(MEASURES)})")
    standing_query, named_query = _rank_queries(measure, check_source_kind(source_kind))
    with connected(bind) as conn:
        attack = conn.execute(sa.select(attacks).where(attacks.c.id == attack_id)).mappings().first()
        if attack is None:
            raise NotFound(f"no attack with id {attack_id}")
        where = {"attack_id": attack["id"], "date": attack["date"], "attacker": attack["attacker"], "target": attack["target"]}
        found = {r.subject: r for r in conn.execute(standing_query, where)}
        wanted = {f"{s.subject}_{k}": getattr(s, k) for s in found.values() for k in ("record_value", "since_date")}
        named = _named(conn.execute(named_query, where | dict.fromkeys(_NAMED_PARAMS) | wanted), found) if found else {}
    return {c: _rank(found[c], named) if c in found else None for c in CLASSES}


_NAMED_PARAMS = tuple(f"{c}_{k}" for c in CLASSES for k in ("record_value", "since_date"))


@functools.lru_cache(maxsize=16)
def _rank_queries(measure: str, source_kind: str):
    """The aggregate and the named rows' query for ``attack_ranks``, with the attack's id, date
    and direction as bound parameters (built once: building them costs more than SQLite
    takes to answer them)."""
    totals = totals_for(source_kind)
    base = (  # the attacks of the same direction up to the attack's date with a figure
        sa.select(attacks.c.id, attacks.c.date, totals.c.subject, totals.c[measure].label("value"))
        .join(totals, totals.c.attack_id == attacks.c.id)
        .where(totals.c.subject.in_(CLASSES), totals.c[measure].is_not(None))
        .where(attacks.c.attacker == sa.bindparam("attacker"), attacks.c.target == sa.bindparam("target"))
        .where(attacks.c.date <= sa.bindparam("date", type_=sa.Date))
    ).cte("earlier")
    return _standing(base, totals, measure), _named_rows(base)


def _standing(base, totals, measure: str):
    """Per class the attack has a figure of: its value, how many attacks up to its date have one
    (``of``), how many a larger one, the largest value before it, the latest earlier date with a
    value at least as large."""
    attack_id, date = sa.bindparam("attack_id", type_=sa.Integer), sa.bindparam("date", type_=sa.Date)
    own = (  # read from the totals by key, not from ``base``: SQLite then walks ``base`` once per class
        sa.select(totals.c.subject, totals.c[measure].label("value"))
        .where(totals.c.attack_id == attack_id, totals.c.subject.in_(CLASSES), totals.c[measure].is_not(None))
    ).subquery("own")
    return (
        sa.select(
            own.c.subject, own.c.value,
            sa.func.count().label("of"),
            sa.func.count(sa.case((base.c.value > own.c.value, 1))).label("larger"),
            sa.func.max(sa.case((base.c.id != attack_id, base.c.value))).label("record_value"),
            sa.func.max(sa.case((sa.and_(base.c.value >= own.c.value, base.c.date < date), base.c.date))).label("since_date"),
        )
        .join(own, own.c.subject == base.c.subject)
        .group_by(own.c.subject, own.c.value)
    )


def _named_rows(base):
    """The rows of ``base`` holding each class's record value or on its "since" date (bound
    parameters ``{class}_record_value``, ``{class}_since_date``; None matches nothing)."""
    wanted = [
        sa.and_(base.c.subject == c, sa.or_(base.c.value == sa.bindparam(f"{c}_record_value", type_=sa.Integer),
                                            base.c.date == sa.bindparam(f"{c}_since_date", type_=sa.Date)))
        for c in CLASSES
    ]
    return sa.select(base.c.subject, base.c.date, base.c.value).where(sa.or_(*wanted)).order_by(base.c.date)


def _named(rows, found: dict) -> dict[tuple[str, str], tuple]:
    """(class, "record"|"since") -> (date, value): the earliest date the record value was
    reached (its setter; the attack itself, the latest, never comes first) and the value on
    the "since" date."""
    named: dict[tuple[str, str], tuple] = {}
    for row in rows:
        standing = found[row.subject]
        if row.value == standing.record_value:
            named.setdefault((row.subject, "record"), (row.date, row.value))
        if standing.since_date is not None and as_date(row.date) == as_date(standing.since_date):
            named[(row.subject, "since")] = (row.date, row.value)
    return named


def _rank(standing, named: dict[tuple[str, str], tuple]) -> dict:
    rank = standing.larger + 1
    record, since = named.get((standing.subject, "record")), named.get((standing.subject, "since"))
    return {"rank": rank, "ordinal": ordinal(rank), "of": standing.of, "value": standing.value,
            "record": {"date": as_date(record[0]).isoformat(), "value": record[1]} if record else None,
            "since": {"date": as_date(since[0]).isoformat(), "value": since[1]} if since else None}

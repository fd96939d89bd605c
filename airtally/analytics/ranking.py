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

    ``{class: {"rank", "of", "value", "ordinal", "record", "since", "unconfirmed", ...} or
    None}``: ``of`` is the number of attacks up to that date with a figure; ``record`` the
    largest attack before it (date, value, unconfirmed) or None; ``since`` the latest earlier
    attack at least as large (date, value, unconfirmed), so the attack is "the largest since"
    the day after it, or None when it is the largest so far; None for a class the attack has no
    such figure of.

    Unconfirmed figures (low confidence, unreviewed, no national report) keep their places; the
    answer says what the rank rests on: ``unconfirmed`` (the attack's own figure),
    ``larger_unconfirmed`` (how many of the larger attacks are unconfirmed) and
    ``confirmed_rank`` (its rank without them), ``confirmed_record`` (the largest confirmed
    attack before it, given when ``record`` is unconfirmed) and ``rests_on_unconfirmed`` (any
    of these).

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
        wanted = {f"{s.subject}_{k}": getattr(s, k) for s in found.values() for k in _NAMED}
        named = (_named(conn.execute(named_query, where | dict.fromkeys(_NAMED_PARAMS) | wanted), found, attack["id"])
                 if found else {})
    return {c: _rank(found[c], named) if c in found else None for c in CLASSES}


_NAMED = ("record_value", "confirmed_value", "since_date")
_NAMED_PARAMS = tuple(f"{c}_{k}" for c in CLASSES for k in _NAMED)


@functools.lru_cache(maxsize=16)
def _rank_queries(measure: str, source_kind: str):
    """The aggregate and the named rows' query for ``attack_ranks``, with the attack's id, date
    and direction as bound parameters (built once: building them costs more than SQLite
    takes to answer them)."""
    totals = totals_for(source_kind)
    base = (  # the attacks of the same direction up to the attack's date with a figure
        sa.select(attacks.c.id, attacks.c.date, totals.c.subject, totals.c[measure].label("value"),
                  totals.c.unconfirmed)
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
        sa.select(totals.c.subject, totals.c[measure].label("value"), totals.c.unconfirmed)
        .where(totals.c.attack_id == attack_id, totals.c.subject.in_(CLASSES), totals.c[measure].is_not(None))
    ).subquery("own")
    larger, earlier = base.c.value > own.c.value, base.c.id != attack_id
    return (
        sa.select(
            own.c.subject, own.c.value, own.c.unconfirmed,
            sa.func.count().label("of"),
            sa.func.count(sa.case((larger, 1))).label("larger"),
            sa.func.count(sa.case((sa.and_(larger, base.c.unconfirmed), 1))).label("larger_unconfirmed"),
            sa.func.max(sa.case((earlier, base.c.value))).label("record_value"),
            sa.func.max(sa.case((sa.and_(earlier, sa.not_(base.c.unconfirmed)), base.c.value))).label("confirmed_value"),
            sa.func.max(sa.case((sa.and_(base.c.value >= own.c.value, base.c.date < date), base.c.date))).label("since_date"),
        )
        .join(own, own.c.subject == base.c.subject)
        .group_by(own.c.subject, own.c.value, own.c.unconfirmed)
    )


def _named_rows(base):
    """The rows of ``base`` holding each class's record value or on its "since" date (bound
    parameters ``{class}_record_value``, ``{class}_since_date``; None matches nothing)."""
    wanted = [
        sa.and_(base.c.subject == c, sa.or_(base.c.value == sa.bindparam(f"{c}_record_value", type_=sa.Integer),
                                            base.c.value == sa.bindparam(f"{c}_confirmed_value", type_=sa.Integer),
                                            base.c.date == sa.bindparam(f"{c}_since_date", type_=sa.Date)))
        for c in CLASSES
    ]
    return (sa.select(base.c.subject, base.c.id, base.c.date, base.c.value, base.c.unconfirmed)
            .where(sa.or_(*wanted)).order_by(base.c.date, base.c.id))


def _named(rows, found: dict, attack_id: int) -> dict[tuple[str, str], tuple]:
    """(class, "record"|"confirmed"|"since") -> (date, value, unconfirmed): the earliest date the
    record value was reached (its setter; never the attack itself), the earliest confirmed
    attack holding the largest confirmed value, and the value on the "since" date."""
    named: dict[tuple[str, str], tuple] = {}
    for row in rows:
        standing = found[row.subject]
        mine = row.id == attack_id
        if row.value == standing.record_value and not mine:
            named.setdefault((row.subject, "record"), (row.date, row.value, bool(row.unconfirmed)))
        if row.value == standing.confirmed_value and not mine and not row.unconfirmed:
            named.setdefault((row.subject, "confirmed"), (row.date, row.value, False))
        if standing.since_date is not None and as_date(row.date) == as_date(standing.since_date):
            named[(row.subject, "since")] = (row.date, row.value, bool(row.unconfirmed))
    return named


def _dated(found: tuple | None, marked: bool = True) -> dict | None:
    if found is None:
        return None
    out = {"date": as_date(found[0]).isoformat(), "value": found[1]}
    return out | {"unconfirmed": found[2]} if marked else out


def _rank(standing, named: dict[tuple[str, str], tuple]) -> dict:
    rank = standing.larger + 1
    record = _dated(named.get((standing.subject, "record")))
    unconfirmed = bool(standing.unconfirmed)
    return {"rank": rank, "ordinal": ordinal(rank), "of": standing.of, "value": standing.value,
            "record": record, "since": _dated(named.get((standing.subject, "since"))),
            # what the rank rests on: the attack's own figure, the larger attacks, the record
            "unconfirmed": unconfirmed, "larger_unconfirmed": standing.larger_unconfirmed,
            "confirmed_rank": rank - standing.larger_unconfirmed,
            "confirmed_record": (_dated(named.get((standing.subject, "confirmed")), marked=False)
                                 if record and record["unconfirmed"] else None),
            "rests_on_unconfirmed": unconfirmed or standing.larger_unconfirmed > 0 or bool(record and record["unconfirmed"])}

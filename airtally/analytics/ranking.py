"""How an attack ranks among all attacks up to its own date, per class: "2nd largest drone attack".

The rank is a competition rank among the attacks that ended on or before the attack's date (the
record as it stood that morning): one plus the number of those attacks with a strictly larger
figure, so an attack that ties the record ranks 1st.

>>> ordinal(1), ordinal(2), ordinal(3), ordinal(11), ordinal(22)
('1st', '2nd', '3rd', '11th', '22nd')
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from airtally.analytics.connect import connected
from airtally.analytics.periods import as_date
from airtally.analytics.totals import CLASSES, MEASURES, direction_filter, totals_for
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
    """
    if measure not in MEASURES:
        raise InvalidValue(f"unknown measure {measure!r} (use one of: {', '.join(MEASURES)})")
    totals = totals_for(source_kind)
    with connected(bind) as conn:
        attack = conn.execute(sa.select(attacks).where(attacks.c.id == attack_id)).mappings().first()
        if attack is None:
            raise NotFound(f"no attack with id {attack_id}")
        own = {r.subject: r.value for r in conn.execute(
            sa.select(totals.c.subject, totals.c[measure].label("value")).where(totals.c.attack_id == attack_id))}
        return {c: _rank(conn, totals, attack, c, measure, own.get(c)) for c in CLASSES}


def _rank(conn: Connection, totals, attack, weapon_class: str, measure: str, value: int | None) -> dict | None:
    if value is None:
        return None
    same_direction = sa.and_(attacks.c.attacker == attack["attacker"], attacks.c.target == attack["target"])
    base = (
        sa.select(attacks.c.id, attacks.c.date, totals.c[measure].label("value"))
        .join(totals, totals.c.attack_id == attacks.c.id)
        .where(totals.c.subject == weapon_class, totals.c[measure].is_not(None), same_direction)
        .where(attacks.c.date <= attack["date"])
    ).subquery()
    larger = conn.execute(sa.select(sa.func.count()).where(base.c.value > value)).scalar() or 0
    of = conn.execute(sa.select(sa.func.count()).select_from(base)).scalar() or 0
    record = conn.execute(
        sa.select(base.c.date, base.c.value).where(base.c.id != attack["id"])
        .order_by(base.c.value.desc(), base.c.date).limit(1)
    ).first()
    since = conn.execute(
        sa.select(base.c.date, base.c.value).where(base.c.value >= value, base.c.date < attack["date"])
        .order_by(base.c.date.desc()).limit(1)
    ).first()
    rank = larger + 1
    return {"rank": rank, "ordinal": ordinal(rank), "of": of, "value": value,
            "record": {"date": as_date(record.date).isoformat(), "value": record.value} if record else None,
            "since": {"date": as_date(since.date).isoformat(), "value": since.value} if since else None}

"""Attacks by filters, newest first, a page at a time: ``airtally attacks`` and ``GET /api/attacks``.

Filters: the attacks' Kyiv end dates (``start``/``end``, inclusive, ``YYYY[-MM[-DD]]``), a class
the attack has figures of, a minimum launched of that class, the direction. Pages follow a
cursor (keyset pagination on date and id): an attack stored while a client pages through never
shifts, repeats or hides the attacks it has not yet seen.

>>> decode_cursor(encode_cursor(dt.date(2025, 7, 4), 798))
(datetime.date(2025, 7, 4), 798)
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from airtally.analytics.connect import connected
from airtally.analytics.periods import as_date
from airtally.clock import parse_date
from airtally.analytics.totals import CLASSES, MEASURES, check_class, direction_filter, has_figures
from airtally.errors import InvalidValue
from airtally.storage.tables_record import attack_totals, attacks

MAX_LIMIT = 500
ATTACK_LIST_COLUMNS = ("id", "date", "attacker", "target", "drones_launched", "drones_destroyed", "missiles_launched",
                       "missiles_destroyed", "all_launched", "all_destroyed", "all_lost", "totals_from", "unconfirmed")


def encode_cursor(date: dt.date, attack_id: int) -> str:
    """An opaque cursor for "the attacks after this one" (date and id, URL-safe)."""
    return base64.urlsafe_b64encode(f"{date.isoformat()}|{attack_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[dt.date, int]:
    """The (date, id) a cursor of ``encode_cursor`` holds; a clear error for anything else."""
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("ascii")
        day, attack_id = text.split("|")
        return dt.date.fromisoformat(day), int(attack_id)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise InvalidValue(f"bad cursor {cursor[:40]!r}: pass the next_cursor of an earlier page unchanged") from None


def _filtered(columns, start, end, weapon_class, min_launched, direction):
    """SELECT ``columns`` of the attacks the filters keep (``chosen``: their totals of the class)."""
    chosen = attack_totals.alias("chosen")
    query = (sa.select(*columns(chosen))
             .join(chosen, sa.and_(chosen.c.attack_id == attacks.c.id, chosen.c.subject == check_class(weapon_class)))
             .where(has_figures(chosen), direction_filter(direction)))
    if start:
        query = query.where(attacks.c.date >= start)
    if end:
        query = query.where(attacks.c.date <= end)
    if min_launched is not None:
        if min_launched < 0:
            raise InvalidValue(f"the minimum launched must be 0 or more, not {min_launched}")
        query = query.where(chosen.c.launched >= min_launched)
    return query


def matching_attacks(
    start: str | dt.date | None = None,
    end: str | dt.date | None = None,
    weapon_class: str = "all",
    min_launched: int | None = None,
    direction: str | None = None,
):
    """A SELECT of the ids of every attack the filters keep (to use as a subquery: exports)."""
    return _filtered(lambda _: (attacks.c.id,), parse_date(start, what="from date"),
                     parse_date(end, end=True, what="to date"), weapon_class, min_launched, direction)


def _page_query(start, end, weapon_class, min_launched, direction, after):
    def columns(chosen):
        return (attacks.c.id, attacks.c.date, attacks.c.start, attacks.c.end, attacks.c.attacker, attacks.c.target,
                chosen.c.source_kind)

    query = _filtered(columns, start, end, weapon_class, min_launched, direction)
    if after:
        day, attack_id = after
        query = query.where(sa.or_(attacks.c.date < day, sa.and_(attacks.c.date == day, attacks.c.id < attack_id)))
    return query.order_by(attacks.c.date.desc(), attacks.c.id.desc())


def _class_totals(conn: Connection, ids: list[int]) -> dict[int, dict]:
    rows = conn.execute(sa.select(attack_totals).where(attack_totals.c.attack_id.in_(ids),
                                                       attack_totals.c.subject.in_(CLASSES))).mappings()
    found: dict[int, dict] = {}
    for r in rows:
        found.setdefault(r["attack_id"], {})[r["subject"]] = {m: r[m] for m in (*MEASURES, "hits", "unconfirmed")}
    return found


def _iso(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime) and value.tzinfo is None:
        value = value.replace(tzinfo=dt.timezone.utc)
    return value.isoformat()


def list_attacks(
    bind: Engine | Connection,
    start: str | dt.date | None = None,
    end: str | dt.date | None = None,
    weapon_class: str = "all",
    min_launched: int | None = None,
    direction: str | None = None,
    limit: int = 50,
    cursor: str | None = None,
) -> dict:
    """``{"attacks": [...], "next_cursor": str | None}``: up to ``limit`` attacks, newest first.

    Each attack: ``id, date, start, end, attacker, target, totals_from``, ``totals`` (drones,
    missiles, all: launched, destroyed, lost, hits) and ``unconfirmed`` (some of them rest on a
    low-confidence reading no person has reviewed). ``next_cursor`` is None on the last page.
    """
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidValue(f"limit must be between 1 and {MAX_LIMIT}, not {limit}")
    query = _page_query(parse_date(start, what="from date"), parse_date(end, end=True, what="to date"),
                        weapon_class, min_launched, direction, decode_cursor(cursor) if cursor else None)
    with connected(bind) as conn:
        rows = conn.execute(query.limit(limit + 1)).mappings().all()
        page = rows[:limit]
        totals = _class_totals(conn, [r["id"] for r in page]) if page else {}
    found = [_attack(r, totals.get(r["id"], {})) for r in page]
    last = page[-1] if len(rows) > limit else None
    return {"attacks": found, "next_cursor": encode_cursor(as_date(last["date"]), last["id"]) if last else None}


def _attack(row, totals: dict) -> dict:
    empty = {m: None for m in (*MEASURES, "hits")}
    unconfirmed = any(t.pop("unconfirmed") for t in totals.values())
    return {"id": row["id"], "date": as_date(row["date"]).isoformat(), "start": _iso(row["start"]),
            "end": _iso(row["end"]), "attacker": row["attacker"], "target": row["target"],
            "totals_from": row["source_kind"], "totals": {c: totals.get(c, empty) for c in CLASSES},
            "unconfirmed": unconfirmed}


def flat_row(attack: dict) -> dict:
    """One attack of ``list_attacks`` as a flat row (``ATTACK_LIST_COLUMNS``) for tables and CSV."""
    row = {k: attack[k] for k in ("id", "date", "attacker", "target", "totals_from", "unconfirmed")}
    for cls, values in attack["totals"].items():
        row.update({f"{cls}_{m}": values[m] for m in (*MEASURES, "hits")})
    return row

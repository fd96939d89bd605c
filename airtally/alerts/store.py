"""Storing alert events: insert new ones, update changed ones, keep the rest.

An event is the same alert as a stored row when both have the same ``(source, external_id)``
(alerts.in.ua's ids), or, without an external id, the same ``(source, place, alert_type,
started_at)``. A later event for a stored alert updates its end: ``finished_at``,
``end_is_estimate`` (a predicted end replaced by an observed one) and ``permanent``.

>>> place_key("UA-53", "Lubenskyi raion", None)
'UA-53|Lubenskyi raion'
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from airtally.model import AlertEvent
from airtally.storage.tables_alerts import alert_events as t, sqlite_text

_CHUNK = 500
_UPDATED_FIELDS = ("finished_at", "duration_s", "end_is_estimate", "permanent", "external_id")


@dataclass
class UpsertCounts:
    """How many events were new, changed a stored alert, or were already stored as they are."""

    inserted: int = 0
    updated: int = 0
    unchanged: int = 0


def place_key(region_code: str, raion: str | None, hromada: str | None) -> str:
    """The one string that names a place: oblast code, then raion, then hromada."""
    return "|".join(part for part in (region_code, raion, hromada) if part)


def event_row(event: AlertEvent) -> dict:
    """The ``alert_events`` row of ``event`` (times converted to UTC)."""
    started = event.started_at.astimezone(dt.timezone.utc)
    finished = event.finished_at.astimezone(dt.timezone.utc) if event.finished_at else None
    return {
        "source": event.source,
        "external_id": event.external_id,
        "level": event.level,
        "region_code": event.region_code,
        "raion": event.raion,
        "hromada": event.hromada,
        "place": place_key(event.region_code, event.raion, event.hromada),
        "started_at": started,
        "finished_at": finished,
        "duration_s": int((finished - started).total_seconds()) if finished else None,
        "end_is_estimate": event.end_is_estimate,
        "alert_type": event.alert_type,
        "permanent": event.permanent,
    }


def _external_key(row: dict) -> tuple | None:
    return (row["source"], row["external_id"]) if row["external_id"] else None


def _natural_key(row: dict) -> tuple:
    return (row["source"], row["place"], row["alert_type"], row["started_at"])


def _chunks(items: Sequence, size: int = _CHUNK) -> Iterable[Sequence]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _stored(connection: Connection, rows: list[dict]) -> dict[tuple, dict]:
    """Stored rows that may be the same alerts as ``rows``, under both of their keys."""
    columns = [t.c.id, t.c.source, t.c.place, t.c.alert_type, t.c.started_at, *(t.c[f] for f in _UPDATED_FIELDS)]
    found: list = []
    by_source: dict[str, list[dict]] = {}
    for row in rows:
        by_source.setdefault(row["source"], []).append(row)
    for source, group in by_source.items():
        ids = sorted({r["external_id"] for r in group if r["external_id"]})
        for chunk in _chunks(ids):
            found += connection.execute(sa.select(*columns).where(t.c.source == source, t.c.external_id.in_(chunk)))
        low = min(r["started_at"] for r in group)
        high = max(r["started_at"] for r in group)
        found += connection.execute(
            sa.select(*columns).where(t.c.source == source, t.c.started_at.between(low, high))
        )
    index: dict[tuple, dict] = {}
    for record in found:
        stored = dict(record._mapping)
        index[_natural_key(stored)] = stored
        if stored["external_id"]:
            index[_external_key(stored)] = stored
    return index


def _changes(stored: dict, row: dict) -> dict:
    changed = {f: row[f] for f in _UPDATED_FIELDS if row[f] != stored[f]}
    if row["external_id"] is None:
        changed.pop("external_id", None)  # a CSV row never erases a known id
    return changed


def _insert(connection: Connection, rows: list[dict]) -> None:
    if connection.dialect.name != "sqlite":
        connection.execute(t.insert(), rows)
        return
    # SQLite: straight to the driver. SQLAlchemy's per-row parameter processing costs more
    # than the insert itself on a 100,000-row import; times are written as UtcDateTime does.
    columns = list(rows[0])
    sql = f"INSERT INTO alert_events ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
    times = [columns.index("started_at"), columns.index("finished_at")]
    values = []
    for row in rows:
        value = list(row.values())
        for i in times:
            value[i] = sqlite_text(value[i]) if value[i] else None
        values.append(tuple(value))
    connection.exec_driver_sql(sql, values)


def upsert_events(connection: Connection, events: list[AlertEvent]) -> UpsertCounts:
    """Store ``events`` on ``connection`` (inside the caller's transaction).

    Within one call a later event with the same key wins. Returns the counts.
    """
    latest: dict[tuple, dict] = {}
    for event in events:
        row = event_row(event)
        latest[_external_key(row) or _natural_key(row)] = row
    rows = list(latest.values())
    counts = UpsertCounts()
    if not rows:
        return counts
    stored = _stored(connection, rows)
    inserts, updates = [], []
    for row in rows:
        match = stored.get(_external_key(row)) if row["external_id"] else None
        match = match or stored.get(_natural_key(row))
        if match is None:
            inserts.append(row)
            continue
        changed = _changes(match, row)
        if changed:
            updates.append({**{f: match[f] for f in _UPDATED_FIELDS}, **changed, "_id": match["id"]})
        else:
            counts.unchanged += 1
    if inserts:
        _insert(connection, inserts)
    if updates:
        statement = t.update().where(t.c.id == sa.bindparam("_id")).values({f: sa.bindparam(f) for f in _UPDATED_FIELDS})
        connection.execute(statement, updates)
    counts.inserted, counts.updated = len(inserts), len(updates)
    return counts

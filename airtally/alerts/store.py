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
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from airtally.storage.tables_alerts import alert_events as t, sqlite_text

if TYPE_CHECKING:
    from airtally.alerts.formats import AlertRecord

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
    if not raion and not hromada:
        return region_code  # most alerts are oblast-wide: skip the join
    return "|".join(part for part in (region_code, raion, hromada) if part)


def event_row(event: AlertRecord) -> dict:
    """The ``alert_events`` row of ``event`` (times converted to UTC; any record with
    ``AlertEvent``'s fields will do, e.g. ``airtally.alerts.formats.AlertRow``)."""
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


def alert_key(event: AlertRecord) -> tuple:
    """The key under which ``event`` is stored: its external id, else its natural key."""
    if event.external_id:
        return (event.source, event.external_id)
    return (event.source, place_key(event.region_code, event.raion, event.hromada), event.alert_type, event.started_at)


def latest_per_alert(events: Iterable[AlertRecord]) -> list[AlertRecord]:
    """One event per ``alert_key``: the latest one, in the place of the first."""
    latest: dict[tuple, AlertRecord] = {}
    for event in events:
        latest[alert_key(event)] = event
    return list(latest.values())


def is_new_source(connection: Connection, events: Sequence[AlertRecord]) -> bool:
    """True when no event of ``events`` can be stored already: none has an external id and
    nothing of their sources is stored (the first import of a data set)."""
    if any(event.external_id for event in events):
        return False
    sources = sorted({event.source for event in events})
    return connection.execute(sa.select(t.c.id).where(t.c.source.in_(sources)).limit(1)).first() is None


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
        external = _external_key(stored)
        if external is not None:
            index[external] = stored
    return index


def _changes(stored: dict, row: dict) -> dict:
    changed = {f: row[f] for f in _UPDATED_FIELDS if row[f] != stored[f]}
    if row["external_id"] is None:
        changed.pop("external_id", None)  # a CSV row never erases a known id
    return changed


_SQLITE_INSERT = (
    "INSERT INTO alert_events (source, external_id, level, region_code, raion, hromada, place, started_at, "
    "finished_at, duration_s, end_is_estimate, alert_type, permanent) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def _sqlite_values(event: AlertRecord) -> tuple:
    """``event_row(event)`` as the tuple of ``_SQLITE_INSERT``, times as ``UtcDateTime`` writes them."""
    started, finished = event.started_at, event.finished_at
    return (
        event.source, event.external_id, event.level, event.region_code, event.raion, event.hromada,
        place_key(event.region_code, event.raion, event.hromada), sqlite_text(started),
        sqlite_text(finished) if finished else None, int((finished - started).total_seconds()) if finished else None,
        event.end_is_estimate, event.alert_type, event.permanent,
    )


def _insert(connection: Connection, events: Sequence[AlertRecord]) -> None:
    if connection.dialect.name != "sqlite":
        connection.execute(t.insert(), [event_row(event) for event in events])
        return
    # SQLite: straight to the driver. SQLAlchemy's per-row parameter processing costs more
    # than the insert itself on a 100,000-row import.
    connection.exec_driver_sql(_SQLITE_INSERT, [_sqlite_values(event) for event in events])


def upsert_events(connection: Connection, events: Sequence[AlertRecord], *, known_new: bool = False) -> UpsertCounts:
    """Store ``events`` on ``connection`` (inside the caller's transaction).

    Within one call a later event with the same key wins. Returns the counts. ``known_new``
    says that ``events`` are distinct alerts (``latest_per_alert``) none of which is stored
    yet (``is_new_source``): they are inserted without looking for stored rows.
    """
    if known_new:
        if events:
            _insert(connection, events)
        return UpsertCounts(inserted=len(events))
    events = latest_per_alert(events)
    pairs = [(event, event_row(event)) for event in events]
    counts = UpsertCounts()
    if not pairs:
        return counts
    stored = _stored(connection, [row for _, row in pairs])
    inserts, updates = [], []
    for event, row in pairs:
        external = _external_key(row)
        match = stored.get(external) if external is not None else None

        match = match or stored.get(_natural_key(row))
        if match is None:
            inserts.append(event)
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

"""The outbox: writing the events a change makes, in the change's own transaction, and reading them back.

``emit`` adds one event row (``airtally.storage.tables_events``) inside the caller's write
transaction, so the event exists exactly when the change does: a write that fails leaves
neither. The live event stream (``GET /api/events``) and the notifications' delivery read them
with ``events_after``, in id order. Event types are dotted: ``attack.created``,
``attack.revised``, ``record.broken``, ``record.revised``, ``threat.created``.

Whether an event is to be sent (``notify``) is decided when it is written: not for bulk imports
or a catch-up, nor for a change to an attack that ended more than the notification window ago
(``$AIRTALLY_NOTIFY_WINDOW_HOURS``, default 48). A threat older than its time to live
(``$AIRTALLY_THREAT_TTL_MINUTES``, default 30) is never delivered: ``deliverable`` says so at
delivery time.

>>> from airtally.storage.database import open_database
>>> engine = open_database("sqlite://")
>>> with engine.begin() as conn:
...     first = emit(conn, "threat.created", data={"type": "strike_drones"}, regions=["UA-63"])
...     [e["type"] for e in events_after(conn, first - 1)]
['threat.created']
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Sequence

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from airtally import clock
from airtally.errors import InvalidValue
from airtally.storage import wakeup
from airtally.storage.attacks import as_utc
from airtally.storage.bulk import insert_rows, inserted_id
from airtally.storage.tables_events import events

EVENT_TYPES = ("attack.created", "attack.revised", "record.broken", "record.revised", "threat.created")
DEFAULT_NOTIFY_WINDOW_HOURS = 48.0
DEFAULT_THREAT_TTL_MINUTES = 30.0


def env_number(name: str, default: float) -> float:
    text = os.environ.get(name, "").strip()
    if not text:
        return default
    try:
        value = float(text)
    except ValueError:
        raise InvalidValue(f"${name} must be a number, not {text!r}") from None
    if value < 0:
        raise InvalidValue(f"${name} must be 0 or more, not {text!r}")
    return value


def notify_window() -> dt.timedelta:
    """How recent an attack's end must be for its changes to notify ($AIRTALLY_NOTIFY_WINDOW_HOURS)."""
    return dt.timedelta(hours=env_number("AIRTALLY_NOTIFY_WINDOW_HOURS", DEFAULT_NOTIFY_WINDOW_HOURS))


def threat_ttl() -> dt.timedelta:
    """How long a threat stays worth delivering ($AIRTALLY_THREAT_TTL_MINUTES)."""
    return dt.timedelta(minutes=env_number("AIRTALLY_THREAT_TTL_MINUTES", DEFAULT_THREAT_TTL_MINUTES))


def within_window(subject_at: dt.datetime | None, now: dt.datetime | None = None) -> bool:
    """Whether a change to something that happened at ``subject_at`` is recent enough to notify."""
    return subject_at is None or subject_at >= (now or clock.now()) - notify_window()


def deliverable(event: dict, now: dt.datetime | None = None) -> bool:
    """Whether ``event`` (an ``events_after`` row) may be sent now: marked ``notify``, and a
    threat not older than its time to live (by its own time and by when it was written)."""
    if not event["notify"]:
        return False
    if event["type"] != "threat.created":
        return True
    oldest = (now or clock.now()) - threat_ttl()
    return all(moment is None or moment >= oldest for moment in (event["subject_at"], event["created_at"]))


def event_row(type: str, *, data: dict, regions: Iterable[str] = (), attack_id: int | None = None,
              threat_id: int | None = None, subject_at: dt.datetime | None = None, notify: bool = True,
              now: dt.datetime | None = None) -> dict:
    """One ``events`` row (for ``emit`` or a bulk ``emit_rows``)."""
    if type not in EVENT_TYPES:
        raise ValueError(f"unknown event type {type!r} (one of: {', '.join(EVENT_TYPES)})")
    return dict(type=type, created_at=now or clock.now(), subject_at=subject_at, attack_id=attack_id,
                threat_id=threat_id, regions=sorted(set(regions)), data=data, notify=notify)


_INSERT = events.insert()


def emit(conn: Connection, type: str, **fields) -> int:
    """Write one event inside the caller's transaction; returns its id (``event_row``'s arguments)."""
    event_id = inserted_id(conn.execute(_INSERT, event_row(type, **fields)))
    wakeup.announce(conn, event_id)
    return event_id


def emit_rows(conn: Connection, rows: Sequence[dict]) -> None:
    """Write many ``event_row`` rows in one statement (bulk imports)."""
    if rows:
        insert_rows(conn, events, list(rows))
        wakeup.announce(conn, last_event_id(conn))


def last_event_id(conn: Connection) -> int:
    """The newest event's id (0 when there is none)."""
    return conn.execute(sa.select(sa.func.max(events.c.id))).scalar() or 0


def events_after(conn: Connection, after: int, limit: int = 100, types: Iterable[str] = (),
                 region: str | None = None) -> list[dict]:
    """Up to ``limit`` events with an id above ``after``, oldest first, optionally only of
    ``types`` (exact, or a prefix ending in ``.``: ``attack.``) and concerning the oblast
    ``region`` (an event that names none concerns every oblast). A filter can leave fewer than
    ``limit``: ``read_events`` tells where to continue."""
    return read_events(conn, after, limit, types, region)[0]


def read_events(conn: Connection, after: int, limit: int = 100, types: Iterable[str] = (),
                region: str | None = None) -> tuple[list[dict], int]:
    """(``events_after``'s events, the id read up to): a reader continues from the second even
    when every event read was filtered out."""
    read = read_outbox(conn, after, limit)
    return matching(read, types, region), read[-1]["id"] if read else after


def read_outbox(conn: Connection, after: int, limit: int = 100) -> list[dict]:
    """Up to ``limit`` events with an id above ``after``, oldest first, unfiltered."""
    rows = conn.execute(sa.select(events).where(events.c.id > after).order_by(events.c.id).limit(limit)).mappings()
    return [_shape(row) for row in rows]


def matching(read: list[dict], types: Iterable[str] = (), region: str | None = None) -> list[dict]:
    """The events of ``read`` of ``types`` (exact, or a prefix like ``attack.``) that concern ``region``."""
    kinds = list(types)
    return [row for row in read if (not kinds or any(_is_of(row["type"], kind) for kind in kinds))
            and _concerns(row, region)]


def _is_of(type: str, kind: str) -> bool:
    return type == kind or (kind.endswith(".") and type.startswith(kind))


def _concerns(row: dict, region: str | None) -> bool:
    # an event that names no oblast concerns the whole country
    return region is None or not row["regions"] or region in row["regions"]


def _shape(row) -> dict:
    out = dict(row)
    out["created_at"], out["subject_at"] = as_utc(out["created_at"]), as_utc(out["subject_at"])
    out["notify"] = bool(out["notify"])
    return out


def checked_types(types: Iterable[str]) -> list[str]:
    """``types`` when each is an event type or a prefix of some (``attack.``), else an error naming them."""
    kinds = [t for t in types if t]
    for kind in kinds:
        if not any(_is_of(known, kind) for known in EVENT_TYPES):
            raise InvalidValue(f"unknown event type {kind!r} (one of: {', '.join(EVENT_TYPES)}, or a prefix like 'attack.')")
    return kinds

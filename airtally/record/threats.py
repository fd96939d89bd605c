"""The threat timeline in the record: threats read from a followed channel's post, stored and queried.

``store_threats`` runs inside the watcher's transaction for a post of a ``national`` or
``regional`` source: it reads the post's threats (``airtally.extraction.threats``), replaces
what an earlier version of the same post gave (a deleted post's are dropped: ``forget_threats``), and lets each all clear close the open threats
of the places it names (every open threat when it names none). Threats are not official alerts
and do not replace sirens (``THREAT_DISCLAIMER``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from airtally.catalog.regions import by_form, by_name, suggest
from airtally.errors import InvalidValue
from airtally.extraction.threats import parse_threats
from airtally.model import THREAT_DISCLAIMER, THREAT_TYPES, Threat
from airtally.record.events import emit
from airtally.storage.attacks import as_utc
from airtally.storage.bulk import inserted_id
from airtally.storage.tables_threats import threats as tt


def _names(code: str):
    """A threat row that names the oblast ``code`` (among its regions or its heading's)."""
    return sa.or_(*((sa.literal(" ") + column + sa.literal(" ")).like(f"% {code} %")
                    for column in (tt.c.regions, tt.c.heading_regions)))


_OF_POST = sa.select(tt.c.id).where(tt.c.source == sa.bindparam("source"), tt.c.post_key == sa.bindparam("key"))


def forget_threats(conn: Connection, source: str, post_key: str) -> None:
    """Drop the threats a post gave (an earlier version of it, or a deleted post), reopening
    what its all clears closed."""
    earlier = conn.execute(_OF_POST, {"source": source, "key": post_key}).scalars().all()
    if not earlier:  # a post read for the first time: nothing to forget (and no scan of closed_by)
        return
    conn.execute(tt.update().where(tt.c.closed_by.in_(earlier), tt.c.type != "all_clear")
                 .values(closed_at=None, closed_by=None))
    conn.execute(tt.delete().where(tt.c.id.in_(earlier)))


def close_threats(conn: Connection, clear_id: int, at: dt.datetime, places: Iterable[str]) -> int:
    """Close the threats open at ``at`` that name one of ``places`` (all of them when none): their number."""
    places = list(places)
    query = tt.update().where(tt.c.closed_at.is_(None), tt.c.type != "all_clear", tt.c.at <= at)
    if places:
        query = query.where(sa.or_(*(_names(code) for code in places)))
    return conn.execute(query.values(closed_at=at, closed_by=clear_id)).rowcount


_INSERT = tt.insert()  # built once: building a statement per threat cost more than running it


def _insert(conn: Connection, source: str, post_key: str, line: int, threat: Threat, at: dt.datetime) -> int:
    clear = threat.type == "all_clear"
    return inserted_id(conn.execute(_INSERT, dict(
        source=source, post_key=post_key, line=line, at=at, type=threat.type, regions=" ".join(threat.regions),
        heading=threat.heading, heading_region=threat.heading_region, heading_regions=" ".join(threat.heading_regions),
        count=threat.count, text=threat.text,
        closed_at=at if clear else None)))


def store_threats(conn: Connection, source: str, post_key: str, published: dt.datetime, text: str,
                  notify: bool = True) -> list[Threat]:
    """Store the threats of one post (replacing an earlier version's) and apply its all clears.
    Each threat line the earlier version did not have is a ``threat.created`` event (``notify``
    false: recorded, not to be sent, as in a catch-up)."""
    told = _told(conn, source, post_key)
    forget_threats(conn, source, post_key)
    found = parse_threats(text, at=published)
    for line, threat in enumerate(found):
        row_id = _insert(conn, source, post_key, line, threat, published)
        places = list(dict.fromkeys(threat.regions + threat.heading_regions))
        if threat.type == "all_clear":
            close_threats(conn, row_id, published, places)
        if _key(threat.type, threat.regions, threat.heading) not in told:
            emit(conn, "threat.created", data=_event_data(threat, source, post_key, published), regions=places,
                 threat_id=row_id, subject_at=published, notify=notify)
    return found


def _key(kind: str, regions: Iterable[str], heading: str | None) -> tuple:
    return kind, tuple(sorted(regions)), heading


def _told(conn: Connection, source: str, post_key: str) -> set[tuple]:
    """The threats an earlier version of the post gave (an edit tells only what it adds)."""
    rows = conn.execute(sa.select(tt.c.type, tt.c.regions, tt.c.heading)
                        .where(tt.c.source == source, tt.c.post_key == post_key))
    return {_key(row.type, row.regions.split(), row.heading) for row in rows}


def _event_data(threat: Threat, source: str, post_key: str, at: dt.datetime) -> dict:
    return {"type": threat.type, "at": at.astimezone(dt.timezone.utc).isoformat(), "regions": threat.regions,
            "heading": threat.heading, "heading_region": threat.heading_region, "heading_regions": threat.heading_regions,
            "count": threat.count, "text": threat.text,
            "source": source, "post": post_key, "notice": THREAT_DISCLAIMER}


def list_threats(conn: Connection, *, start: dt.datetime | None = None, end: dt.datetime | None = None,
                 region: str | None = None, types: Iterable[str] = ()) -> list[dict]:
    """The stored threats from ``start`` to ``end`` (inclusive), oldest first, optionally only those
    naming the oblast ``region`` (an ISO code) and of ``types``; each a dict ready for JSON."""
    query = sa.select(tt).order_by(tt.c.at, tt.c.source, tt.c.post_key, tt.c.line)
    if start is not None:
        query = query.where(tt.c.at >= start)
    if end is not None:
        query = query.where(tt.c.at <= end)
    if region is not None:
        query = query.where(_names(region))
    if types := list(types):
        query = query.where(tt.c.type.in_(types))
    return [_row(row) for row in conn.execute(query).mappings()]


def _row(row) -> dict:
    return {"at": as_utc(row["at"]), "type": row["type"], "regions": row["regions"].split(),
            "heading": row["heading"], "heading_region": row["heading_region"], "heading_regions": row["heading_regions"].split(),
            "count": row["count"], "source": row["source"],
            "post": row["post_key"], "closed_at": as_utc(row["closed_at"]), "text": row["text"]}


def threat_region(name: str) -> str:
    """The ISO code of the oblast ``name`` is (any spelling of the registry, or a report's form:
    "Харківщина", "Kharkiv"); an unknown name is an error with a did-you-mean."""
    found = by_name(name) or by_form(name)
    if found is None:
        close = suggest(name)
        hint = f" (did you mean {', '.join(close)}?)" if close else ""
        raise InvalidValue(f"--region {name!r} is not an oblast airtally knows{hint}")
    return found.code


def checked_types(types: Iterable[str]) -> list[str]:
    """``types`` when each is a threat type, else an error naming the types."""
    types = list(types)
    for kind in types:
        if kind not in THREAT_TYPES:
            raise InvalidValue(f"--type {kind!r} is not a threat type (one of: {', '.join(THREAT_TYPES)})")
    return types


def threats_between(engine: Engine, start: dt.datetime | None = None, end: dt.datetime | None = None,
                    region: str | None = None, types: Iterable[str] = ()) -> list[dict]:
    """The CLI's and the API's query: ``list_threats`` with the oblast given by name and types checked."""
    code = threat_region(region) if region else None
    kinds = checked_types(types)
    if start is not None and end is not None and end < start:
        raise InvalidValue("--to is before --from")
    with engine.connect() as conn:
        return list_threats(conn, start=start, end=end, region=code, types=kinds)

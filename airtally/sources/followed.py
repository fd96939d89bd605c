"""The sources ``airtally watch`` follows: add, list, remove, and the official ones to start with.

>>> from airtally.storage.database import open_database
>>> engine = open_database("sqlite://")
>>> with engine.begin() as conn:
...     _ = add_source(conn, "kpszsu", platform="telegram", kind="national")
...     [(s["name"], s["kind"], s["url"], s["interval_s"]) for s in list_sources(conn)]
[('kpszsu', 'national', 'https://t.me', 300.0)]
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from airtally.errors import AirtallyError, InvalidValue, NotFound
from airtally.storage.bulk import inserted_id
from airtally.storage.tables_watch import FOLLOW_KINDS, PLATFORMS, followed_sources as t
from airtally.urls import checked_http_url

TELEGRAM_BASE_URL = "https://t.me"
DEFAULT_INTERVAL = 300.0
MIN_INTERVAL = 30.0  # politeness: no source is asked more often, whatever --interval says
DEFAULT_SINCE = dt.timedelta(days=7)
# `airtally sources init`: the Air Force and the official alert channel.
OFFICIAL = (("kpszsu", "national"), ("air_alert_ua", "alerts"))


def _check(name: str, platform: str, kind: str, url: str, interval: float) -> None:
    if platform not in PLATFORMS:
        raise InvalidValue(f"platform {platform!r} is not one of {', '.join(PLATFORMS)}")
    if kind not in FOLLOW_KINDS:
        raise InvalidValue(f"kind {kind!r} is not one of {', '.join(FOLLOW_KINDS)}")
    if platform == "feed" and kind == "alerts":
        raise InvalidValue("a feed cannot be of kind alerts (the alert channel is a Telegram channel)")
    checked_http_url(url)
    if interval < MIN_INTERVAL:
        raise InvalidValue(f"--interval {interval:g} is below {MIN_INTERVAL:g} s: poll politely")
    if platform == "telegram" and (not name or not name.replace("_", "").isalnum()):
        raise InvalidValue(f"{name!r} is not a channel's public name (letters, digits and '_', as in t.me/NAME)")


def add_source(conn: Connection, name: str, *, platform: str, kind: str, url: str | None = None,
               interval: float = DEFAULT_INTERVAL, since: dt.timedelta = DEFAULT_SINCE,
               now: dt.datetime | None = None) -> int:
    """Follow a source; ``InvalidValue`` for a bad value, an AirtallyError (exit 1) for a name already followed."""
    url = (url or (TELEGRAM_BASE_URL if platform == "telegram" else name)).rstrip("/")
    _check(name, platform, kind, url, interval)
    now = now or dt.datetime.now(dt.timezone.utc)
    try:
        with conn.begin_nested():
            return inserted_id(conn.execute(t.insert().values(
                name=name, platform=platform, kind=kind, url=url, interval_s=float(interval),
                since=now - since, added_at=now, next_poll_at=now)))
    except IntegrityError:
        raise AirtallyError(f"{name!r} is followed already (airtally sources list)") from None


def init_sources(conn: Connection, *, url: str | None = None, now: dt.datetime | None = None) -> list[str]:
    """Follow the official channels not followed yet; returns the names added."""
    followed = {row for row in conn.execute(sa.select(t.c.name)).scalars()}
    added = []
    for name, kind in OFFICIAL:
        if name not in followed:
            add_source(conn, name, platform="telegram", kind=kind, url=url, now=now)
            added.append(name)
    return added


def remove_source(conn: Connection, name: str) -> None:
    """Stop following ``name`` (what it brought stays in the record)."""
    if conn.execute(t.delete().where(t.c.name == name)).rowcount == 0:
        raise NotFound(f"{name!r} is not followed (airtally sources list shows what is)")


def list_sources(conn: Connection) -> list[dict]:
    """Every followed source with where it stands: last poll, last post id, last error."""
    rows = [dict(row) for row in conn.execute(sa.select(t).order_by(t.c.name)).mappings()]
    for row in rows:  # SQLite hands back naive UTC
        for key, value in row.items():
            if isinstance(value, dt.datetime) and value.tzinfo is None:
                row[key] = value.replace(tzinfo=dt.timezone.utc)
    return rows

"""The official alert channel (Telegram ``air_alert_ua``): posts in, alert events out.

Its posts, as the official alert data set's builder reads them (that data set is built from
this channel, so the events continue its ``official`` source)::

    🔴 16:29 Повітряна тривога в Донецька область            a start
    🟢 17:02 Відбій тривоги в Донецька область.               an end
    🟡 06:22 Відбій тривоги в Дніпропетровська область        an oblast's end while a raion
    (тривога ще триває у якомусь районі)                      stays under alert
    ...                                                       sometimes a bulleted list of places
    #Донецька_область                                          last line: one hashtag per place

The time of an event is the post's publication time (the first line's clock time is its
minute in Kyiv). ``read_post`` is pure; ``follow`` folds read posts into events given the
alerts still open, applying the data set's rule for a start that never got its end: when
another start of the same place comes more than 3 hours later, the first is closed at its
start + 1 hour and marked as an estimate.

>>> import datetime as dt
>>> at = dt.datetime(2025, 7, 4, 13, 29, tzinfo=dt.timezone.utc)
>>> post = read_post("🔴 16:29 Повітряна тривога в Донецька область\\n#Донецька_область", at)
>>> post.action, [p.region_code for p in post.places], post.unknown
('start', ['UA-14'], [])
>>> events, still_open = follow([post], {})
>>> events[0].region_code, events[0].finished_at is None
('UA-14', True)
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from airtally.alerts.store import UpsertCounts, place_key, upsert_events
from airtally.catalog.normalize import fold
from airtally.catalog.place_tags import TagPlace, ignored_markers, place_by_hashtag
from airtally.model import AlertEvent, AlertLevel
from airtally.storage.tables_alerts import alert_events as t

SOURCE = "official"
_LEVELS: dict[str, AlertLevel] = {"oblast": "oblast", "raion": "raion", "hromada": "hromada"}

# The data set's rule for a start without an end (see the module docstring).
STALE_AFTER = dt.timedelta(hours=3)
ASSUMED_DURATION = dt.timedelta(hours=1)

_HASHTAG = re.compile(r"#[\w’'ʼ]+")


@dataclass
class AlertPost:
    """One post read: ``action`` is ``start``, ``end`` or None (not an alert post, or a test)."""

    published: dt.datetime
    action: str | None
    places: list[TagPlace] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)  # hashtags the registry does not know


def _action(first_line: str) -> str | None:
    # the builder's own test: an end word or a green/yellow light is an end, a start word or red a start
    if "Відбій" in first_line or "🟢" in first_line or "🟡" in first_line:
        return "end"
    if "Повітряна" in first_line or "🔴" in first_line:
        return "start"
    return None


def read_post(text: str, published: dt.datetime) -> AlertPost:
    """What one post of the channel says (pure)."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    folded = fold(text)
    if not lines or any(marker in folded for marker in ignored_markers()):
        return AlertPost(published, None)
    action = _action(lines[0])
    if action is None:
        return AlertPost(published, None)
    post = AlertPost(published, action)
    for tag in _HASHTAG.findall(lines[-1]):
        place = place_by_hashtag(tag)
        if place is None:
            post.unknown.append(tag)
        elif place not in post.places:
            post.places.append(place)
    return post


def _level(level: str) -> AlertLevel:
    """The catalog's level of a place (data: one of the three) as the model's type."""
    if level not in _LEVELS:
        raise ValueError(f"place level {level!r} in airtally/catalog/data is not one of {', '.join(_LEVELS)}")
    return _LEVELS[level]


def _event(place: TagPlace, started: dt.datetime) -> AlertEvent:

    return AlertEvent(region_code=place.region_code, level=_level(place.level), raion=place.raion, hromada=place.hromada,
                      started_at=started.astimezone(dt.timezone.utc), source=SOURCE)


def place_of(event: AlertEvent) -> str:
    return place_key(event.region_code, event.raion, event.hromada)


def follow(posts: Iterable[AlertPost], open_alerts: dict[str, AlertEvent]) -> tuple[list[AlertEvent], dict[str, AlertEvent]]:
    """The events the posts (oldest first) start or finish, and the alerts left open.

    ``open_alerts`` maps a place (``place_key``) to its alert without an end; it is not changed.
    A start for a place already under alert within 3 hours continues that alert.
    """
    still_open = dict(open_alerts)
    events: list[AlertEvent] = []
    for post in posts:
        for place in post.places:
            key = place_key(place.region_code, place.raion, place.hromada)
            current = still_open.get(key)
            if post.action == "start":
                if current is not None and post.published - current.started_at <= STALE_AFTER:
                    continue
                if current is not None:
                    events.append(current.model_copy(update={
                        "finished_at": current.started_at + ASSUMED_DURATION, "end_is_estimate": True}))
                still_open[key] = _event(place, post.published)
                events.append(still_open[key])
            elif current is not None and post.published >= current.started_at:
                events.append(current.model_copy(update={"finished_at": post.published.astimezone(dt.timezone.utc)}))
                del still_open[key]
    return events, still_open


def open_alerts(connection: Connection) -> dict[str, AlertEvent]:
    """The channel's alerts still without an end, per place (the latest start of each)."""
    rows = connection.execute(
        sa.select(t.c.region_code, t.c.level, t.c.raion, t.c.hromada, t.c.started_at)
        .where(t.c.source == SOURCE, t.c.finished_at.is_(None), t.c.permanent.is_(False))
        .order_by(t.c.started_at)
    )
    found: dict[str, AlertEvent] = {}
    for row in rows:
        event = AlertEvent(source=SOURCE, **row._mapping)
        found[place_of(event)] = event
    return found


def store_posts(connection: Connection, posts: list[AlertPost]) -> UpsertCounts:
    """Fold ``posts`` (oldest first) into the alert history, inside the caller's transaction."""
    events, _ = follow(posts, open_alerts(connection))
    return upsert_events(connection, events)

"""Which events an endpoint hears of: its --on words, its oblasts, its smallest launch.

>>> endpoint = {"on": ["attack"], "regions": ["UA-63"], "min_launched": 100}
>>> big, small = {"figures": {"all": {"launched": 400}}}, {"figures": {"all": {"launched": 40}}}
>>> matches(endpoint, {"type": "attack.created", "regions": ["UA-63", "UA-30"], "data": big})
True
>>> matches(endpoint, {"type": "attack.created", "regions": ["UA-46"], "data": big})
False
>>> matches(endpoint, {"type": "attack.created", "regions": ["UA-63"], "data": small})
False
>>> matches(endpoint, {"type": "threat.created", "regions": ["UA-63"], "data": {}})
False
"""

from __future__ import annotations

import datetime as dt

from airtally.notify.endpoints import EVENT_TYPES

THREAT_TYPE = "threat.created"


def _types(on: list[str]) -> set[str]:
    words = on or list(EVENT_TYPES)
    return {event_type for word in words for event_type in EVENT_TYPES[word]}


def launched_of(data: dict) -> int | None:
    """The number launched an event's data gives: a record's holder's, else the attack's (its
    ``all`` class, else drones and missiles together); None when it gives none.

    >>> launched_of({"figures": {"drones": {"launched": 539}, "missiles": {"launched": 11}}})
    550
    >>> launched_of({"class": "drones", "holder": {"launched": 728}})
    728
    """
    holder = data.get("holder")
    if isinstance(holder, dict) and isinstance(holder.get("launched"), int):
        return holder["launched"]
    figures = data.get("figures") or {}
    counts = {cls: values.get("launched") for cls, values in figures.items() if isinstance(values, dict)}
    if isinstance(counts.get("all"), int):
        return counts["all"]
    found = [n for n in counts.values() if isinstance(n, int)]
    return sum(found) if found else None


def matches(endpoint: dict, event: dict) -> bool:
    """Whether ``endpoint`` hears of ``event``. An event naming no oblast concerns the whole
    country and passes a region filter. --min-launched holds back attacks and records with a
    smaller (or no) launch figure; threats have no launch figure and pass it."""
    if event["type"] not in _types(endpoint["on"]):
        return False
    wanted = set(endpoint["regions"])
    named = set(event.get("regions") or ())
    if wanted and named and not wanted & named:
        return False
    least = endpoint.get("min_launched")
    if least is not None and event["type"] != THREAT_TYPE:
        launched = launched_of(event.get("data") or {})
        if launched is None or launched < least:
            return False
    return True


def expired(event: dict, now: dt.datetime, ttl: dt.timedelta) -> bool:
    """A threat older than its time to live (by its own time or by when it was stored) is never
    delivered (as ``airtally.record.events.deliverable`` judges it, with the loop's ``ttl``)."""
    if event["type"] != THREAT_TYPE:
        return False
    return any(moment is not None and moment < now - ttl for moment in (event.get("subject_at"), event["created_at"]))

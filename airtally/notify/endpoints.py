"""The endpoints notifications go to: add (checked), list, remove, get.

>>> from airtally.storage.database import open_database
>>> engine = open_database("sqlite://")
>>> with engine.begin() as conn:
...     added = add_endpoint(conn, "webhook", "https://example.org/hook", on=["attack"], regions=["Харківщина"])
...     [(e["id"], e["kind"], e["on"], e["regions"], e["enabled"]) for e in list_endpoints(conn)]
[(1, 'webhook', ['attack'], ['UA-63'], True)]
>>> added.secret.startswith("whsec_")
True
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlparse

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from airtally.errors import InvalidValue, NotFound
from airtally.notify.signing import new_secret
from airtally.record.events import last_event_id
from airtally.record.threats import threat_region
from airtally.storage.attacks import as_utc
from airtally.storage.bulk import inserted_id
from airtally.storage.tables_notify import DELIVERY_STATUSES, ENDPOINT_KINDS, notify_deliveries as nd, notify_endpoints as ne
from airtally.urls import checked_http_url

# --on: what an endpoint hears of, and the outbox's event types each word stands for
EVENT_TYPES = {
    "attack": ("attack.created",),
    "record": ("record.broken", "record.revised"),
    "revision": ("attack.revised",),
    "threat": ("threat.created",),
}


@dataclass(frozen=True)
class Added:
    """An endpoint just added: its id and, for a webhook, the secret (shown this once)."""

    id: int
    secret: str | None


def checked_url(kind: str, url: str) -> str:
    """``url`` when it is an http(s) URL (an ntfy URL with its topic as the path), else InvalidValue."""
    url = checked_http_url(url, hint=" (e.g. https://example.org/hook)")
    parsed = urlparse(url)
    if kind == "ntfy" and not parsed.path.strip("/"):
        raise InvalidValue(f"{url!r} names no ntfy topic: give the server and the topic, e.g. https://ntfy.sh/kyiv-alerts")
    return url


def checked_on(on: Iterable[str]) -> list[str]:
    """The --on words, each known (attack, record, revision, threat), in their canonical order."""
    words = set(on)
    unknown = sorted(words - set(EVENT_TYPES))
    if unknown:
        raise InvalidValue(f"--on {unknown[0]!r} is not one of {', '.join(EVENT_TYPES)}")
    return [word for word in EVENT_TYPES if word in words]


def add_endpoint(conn: Connection, kind: str, url: str, *, on: Iterable[str] = (), regions: Iterable[str] = (),
                 min_launched: int | None = None, token: str | None = None, now: dt.datetime | None = None) -> Added:
    """Add an endpoint that hears of the events stored from now on (never the history)."""
    if kind not in ENDPOINT_KINDS:
        raise InvalidValue(f"kind {kind!r} is not one of {', '.join(ENDPOINT_KINDS)}")
    if min_launched is not None and min_launched < 0:
        raise InvalidValue(f"--min-launched {min_launched} is below 0")
    codes = list(dict.fromkeys(threat_region(name) for name in regions))
    secret = new_secret() if kind == "webhook" else None
    end = last_event_id(conn)
    new_id = inserted_id(conn.execute(ne.insert().values(
        kind=kind, url=checked_url(kind, url), secret=secret, token=token or None, types=" ".join(checked_on(on)),
        regions=" ".join(codes), min_launched=min_launched, enabled=True,
        created_at=now or dt.datetime.now(dt.timezone.utc), start_after=end, scanned_to=end)))
    return Added(new_id, secret)


def endpoint_row(row) -> dict:
    """A stored endpoint as the library hands it out: lists for its filters, aware times."""
    found = dict(row)
    found["on"] = found.pop("types").split()
    found["regions"] = found["regions"].split()
    for key in ("created_at", "disabled_at"):
        found[key] = as_utc(found[key])
    return found


def get_endpoint(conn: Connection, endpoint_id: int) -> dict:
    """The endpoint ``endpoint_id``; NotFound when there is none."""
    row = conn.execute(sa.select(ne).where(ne.c.id == endpoint_id)).mappings().first()
    if row is None:
        raise NotFound(f"no notification endpoint {endpoint_id} (airtally notify list shows them)")
    return endpoint_row(row)


def list_endpoints(conn: Connection) -> list[dict]:
    """Every endpoint, oldest first, with the number of its deliveries in each state."""
    counts: dict[int, dict[str, int]] = {}
    for endpoint_id, status, number in conn.execute(
            sa.select(nd.c.endpoint_id, nd.c.status, sa.func.count()).group_by(nd.c.endpoint_id, nd.c.status)):
        counts.setdefault(endpoint_id, {})[status] = number
    rows = [endpoint_row(row) for row in conn.execute(sa.select(ne).order_by(ne.c.id)).mappings()]
    for row in rows:
        row |= {status: counts.get(row["id"], {}).get(status, 0) for status in DELIVERY_STATUSES}
    return rows


def remove_endpoint(conn: Connection, endpoint_id: int) -> None:
    """Remove an endpoint and its deliveries' state."""
    if conn.execute(ne.delete().where(ne.c.id == endpoint_id)).rowcount == 0:
        raise NotFound(f"no notification endpoint {endpoint_id} (airtally notify list shows them)")


def disable_endpoint(conn: Connection, endpoint_id: int, reason: str, now: dt.datetime) -> None:
    """Stop delivering to an endpoint (a 410 Gone): the reason is kept and listed."""
    conn.execute(ne.update().where(ne.c.id == endpoint_id).values(enabled=False, disabled_reason=reason,
                                                                  disabled_at=now))

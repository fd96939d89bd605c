"""What is sent for an event: a Standard Webhooks request, or an ntfy message (pure: no I/O).

>>> event = {"id": 7, "type": "attack.created", "created_at": dt.datetime(2025, 7, 4, 6, 0, tzinfo=dt.timezone.utc),
...          "regions": ["UA-30"], "data": {"launched": 550}}
>>> request = webhook_request({"url": "http://127.0.0.1/hook", "secret": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"},
...                           event, timestamp=1751608800)
>>> request.headers["webhook-id"], request.body
('7', b'{"type":"attack.created","timestamp":"2025-07-04T06:00:00Z","data":{"launched":550,"event_id":7,"regions":["UA-30"]}}')
>>> ntfy_request({"url": "https://ntfy.sh/kyiv", "token": None}, event).headers["Title"]
'New attack in the record'
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from airtally.catalog.yaml_text import load_yaml
from airtally.notify.signing import headers as signed_headers
from airtally.threat_types import THREAT_DISCLAIMER

MAX_LINES = 12  # an ntfy message lists at most this many of the event's figures


@dataclass(frozen=True)
class Request:
    """One HTTP POST to make."""

    url: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


@lru_cache(maxsize=1)
def _labels() -> dict:
    return load_yaml(resources.files("airtally.notify").joinpath("messages.yaml").read_text("utf-8"))


def label(event_type: str) -> dict:
    """The ntfy title, tags and priority of an event type (messages.yaml)."""
    labels = _labels()
    return labels["types"].get(event_type, labels["fallback"])


def _utc_text(value: dt.datetime) -> str:
    return value.astimezone(dt.timezone.utc).isoformat().replace("+00:00", "Z")


def payload(event: dict) -> dict:
    """The Standard Webhooks payload ``{type, timestamp, data}``; ``data`` is the event's own,
    with the event's id, regions and subject (attack or threat) added when it lacks them."""
    data = dict(event.get("data") or {})
    data.setdefault("event_id", event["id"])
    data.setdefault("regions", list(event.get("regions") or []))
    for key in ("attack_id", "threat_id"):
        if event.get(key) is not None:
            data.setdefault(key, event[key])
    return {"type": event["type"], "timestamp": _utc_text(event["created_at"]), "data": data}


def webhook_request(endpoint: dict, event: dict, timestamp: int) -> Request:
    """The signed POST of ``event`` to a webhook; ``webhook-id`` is the event's id (the same on
    every retry, so a receiver drops duplicates by it)."""
    body = json.dumps(payload(event), ensure_ascii=False, separators=(",", ":"), default=str).encode("utf-8")
    headers = signed_headers(endpoint["secret"], str(event["id"]), timestamp, body)
    return Request(endpoint["url"], body, {"content-type": "application/json", **headers})


def _text(value) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{key} {_text(inner)}" if not isinstance(inner, dict) else f"{key} ({_text(inner)})"
                         for key, inner in value.items() if inner not in (None, "", {}, []))
    if isinstance(value, list):
        return " ".join(str(item) for item in value)
    return str(value)


def _lines(event: dict) -> list[str]:
    """The event's data as short lines ("figures: drones (launched 539, destroyed 476)")."""
    hidden = set(_labels()["hide"])
    data = event.get("data") or {}
    lines = [f"{key}: {_text(value)}" for key, value in data.items()
             if key not in hidden and value not in (None, "", {}, [])]
    if event.get("regions"):
        lines.append("regions: " + " ".join(event["regions"]))
    lines = lines[:MAX_LINES]
    if event["type"].startswith("threat."):
        lines.append(THREAT_DISCLAIMER)
    return lines


def ntfy_request(endpoint: dict, event: dict) -> Request:
    """The ntfy message of ``event``: POSTed to the topic's URL with Title, Tags and Priority."""
    words = label(event["type"])
    headers = {"Title": words["title"], "Tags": ",".join(words["tags"]), "Priority": str(words["priority"])}
    if endpoint.get("token"):
        headers["Authorization"] = f"Bearer {endpoint['token']}"
    text = "\n".join(_lines(event)) or event["type"]
    return Request(endpoint["url"], text.encode("utf-8"), headers)


def request_for(endpoint: dict, event: dict, timestamp: int) -> Request:
    """The request that delivers ``event`` to ``endpoint`` (a webhook or an ntfy topic)."""
    if endpoint["kind"] == "ntfy":
        return ntfy_request(endpoint, event)
    return webhook_request(endpoint, event, timestamp)

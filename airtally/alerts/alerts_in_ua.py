"""The JSON shapes of the alerts.in.ua API, parsed into ``AlertEvent`` records; no I/O but files.

Two responses share one item shape: the active alerts (``GET /v1/alerts/active.json``) and the
history of one region (``GET /v1/regions/{uid}/alerts/month_ago.json``)::

    {"alerts": [{"id": 8757, "location_title": "Луганська область", "location_type": "oblast",
                 "started_at": "2022-04-04T16:45:39.000Z", "finished_at": null,
                 "updated_at": "2023-10-29T18:22:37.357Z", "alert_type": "air_raid",
                 "location_uid": "16", "location_oblast": "Луганська область",
                 "location_oblast_uid": 16, "location_raion": null, "notes": null,
                 "calculated": null}, ...],
     "meta": {"last_updated_at": "2023/11/06 09:11:42 +0000", "type": "full"},
     "disclaimer": "..."}

Times are UTC. A ``calculated`` end is alerts.in.ua's prediction, not an observation, and is
kept as ``end_is_estimate=True``. Every item is validated before any is returned, so a caller
never sees half a response; the first bad item raises ``MalformedData`` naming its index and field.

>>> snap = parse_active({"alerts": [], "meta": {"last_updated_at": "2023/11/06 09:11:42 +0000"}})
>>> (snap.events, snap.last_updated_at.isoformat())
([], '2023-11-06T09:11:42+00:00')
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from airtally.alerts.permanent import permanent_alerts
from airtally.catalog.regions import Region, by_name
from airtally.errors import MalformedData
from airtally.inputs import read_data_set
from airtally.model import AlertEvent, AlertLevel, AlertType


SOURCE = "alerts.in.ua"
ACTIVE_PATH = "/v1/alerts/active.json"
HISTORY_PERIODS = ("month_ago", "week_ago")

# alerts.in.ua location types -> our levels. A "city" is a city hromada, except the two cities
# that are regions of their own (Kyiv, Sevastopol): those are oblast level (see _level).
LEVELS: dict[str, AlertLevel] = {"oblast": "oblast", "raion": "raion", "hromada": "hromada", "city": "hromada"}
ALERT_TYPES: dict[str, AlertType] = {name: name for name in ("air_raid", "artillery_shelling", "urban_fights", "chemical", "nuclear")}

# The two permanent alerts of the record: region -> the UTC day the permanent alert began.
# alerts.in.ua gives them its own start times (seconds differ), hence matching the day.
PERMANENT_SINCE = {e.region_code: e.started_at.date() for e in permanent_alerts()}

_META_TIME_FORMAT = "%Y/%m/%d %H:%M:%S %z"


@dataclass(frozen=True)
class Snapshot:
    """One parsed response: its alerts and the time the server says its data is from."""

    events: list[AlertEvent]
    last_updated_at: dt.datetime | None


def history_path(location_uid: int | str, period: str = "month_ago") -> str:
    """The URL path of one region's alert history (about 2 requests a minute are allowed).

    >>> history_path(31)
    '/v1/regions/31/alerts/month_ago.json'
    """
    if period not in HISTORY_PERIODS:
        raise ValueError(f"unknown history period {period!r} (use one of {', '.join(HISTORY_PERIODS)})")
    return f"/v1/regions/{location_uid}/alerts/{period}.json"


def parse_active(data: Any) -> Snapshot:
    """The active alerts response (already decoded JSON) as a ``Snapshot``."""
    return _parse_response(data, meta_required=True)


def parse_history(data: Any) -> Snapshot:
    """A region history response (already decoded JSON) as a ``Snapshot``; ``meta`` may be absent."""
    return _parse_response(data, meta_required=False)


def parse_bytes(body: bytes, what: str = "response") -> Snapshot:
    """Decode and parse a response body; bad JSON raises ``MalformedData`` with its position.

    >>> parse_bytes(b'{"alerts": [')
    Traceback (most recent call last):
    ...
    airtally.errors.MalformedData: response is not valid JSON: Expecting value: line 1 column 13 (char 12)
    """
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise MalformedData(f"{what} is not UTF-8 text (byte {exc.start})") from exc
    return parse_text(text, what)


def parse_text(text: str, what: str = "response") -> Snapshot:
    """Parse the text of a response (active or history)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise MalformedData(f"{what} is not valid JSON: {exc}") from exc
    return _parse_response(data, meta_required=False, what=what)


def parse_file(path: str | Path) -> list[AlertEvent]:
    """The alerts in a saved alerts.in.ua response (active or history)."""
    return parse_text(read_data_set(path, "an alerts.in.ua response"), what=str(path)).events


def parse_import_text(text: str):
    """A saved response as ``airtally.alerts.formats.Parsed``, for ``import alerts --format alerts-in-ua``.

    A JSON response has no useful line numbers (the API sends one line), so an event's "line"
    is its 1-based position in the ``alerts`` list. Bad items stop the whole file.

    >>> parse_import_text('{"alerts": []}').format
    'alerts-in-ua'
    """
    # Imported here, not at the top: formats registers this parser, so that would be a cycle.
    from airtally.alerts.formats import AlertRow, Parsed

    events = parse_text(text, what="the file").events
    records: list[AlertEvent | AlertRow] = list(events)
    return Parsed(format="alerts-in-ua", records=records, lines=list(range(1, len(events) + 1)))


def _parse_response(data: Any, meta_required: bool, what: str = "response") -> Snapshot:
    if not isinstance(data, dict) or not isinstance(data.get("alerts"), list):
        raise MalformedData(f'{what} is not an alerts.in.ua response: expected an object with an "alerts" list')
    meta = data.get("meta")
    if meta is None and meta_required:
        raise MalformedData(f'{what} has no "meta" object (expected meta.last_updated_at)')
    if meta is not None and not isinstance(meta, dict):
        raise MalformedData(f'{what}: "meta" is {type(meta).__name__}, expected an object')
    updated = (meta or {}).get("last_updated_at")
    last_updated_at = _meta_time(updated, what) if updated is not None else None
    events = [parse_item(item, index) for index, item in enumerate(data["alerts"])]
    return Snapshot(events=events, last_updated_at=last_updated_at)


def parse_item(item: Any, index: int = 0) -> AlertEvent:
    """One alert object as an ``AlertEvent``; ``index`` names it in error messages.

    >>> parse_item({"id": 1, "location_type": "city", "location_uid": "31", "location_oblast_uid": 31,
    ...             "started_at": "2024-01-02T03:04:05.000Z", "alert_type": "air_raid"}).region_code
    'UA-30'
    """
    if not isinstance(item, dict):
        raise MalformedData(f"alert {index}: expected an object, got {type(item).__name__}")
    location_type = _required(item, index, "location_type")
    if location_type not in LEVELS:
        raise _bad(index, "location_type", location_type, f"one of {', '.join(LEVELS)}")
    region, is_region_itself = _region(item, index, location_type)
    level: AlertLevel = "oblast" if is_region_itself else LEVELS[location_type]
    started_at = _time(_required(item, index, "started_at"), index, "started_at")
    finished_at = _optional_time(item, index, "finished_at")
    if finished_at is not None and finished_at < started_at:
        raise _bad(index, "finished_at", item["finished_at"], "a time after started_at")
    alert_type = _alert_type(item, index)
    return AlertEvent(
        region_code=region.code,
        level=level,
        raion=_raion(item, index, level),
        hromada=_text(item, index, "location_title") if level == "hromada" else None,
        started_at=started_at,
        finished_at=finished_at,
        end_is_estimate=finished_at is not None and _calculated(item, index),
        alert_type=alert_type,
        source=SOURCE,
        external_id=_external_id(item, index),
        permanent=_is_permanent(region.code, level, alert_type, started_at),
    )


def _region(item: dict, index: int, location_type: str) -> tuple[Region, bool]:
    """The oblast the alert belongs to, and whether the alert is for that oblast as a whole."""
    uid = item.get("location_uid")
    own = by_name(str(uid)) if uid is not None else None
    region_itself = own is not None and location_type in ("oblast", "city")
    oblast_uid = item.get("location_oblast_uid")
    if oblast_uid is None:
        if own is not None and region_itself:
            return own, True
        raise _bad(index, "location_oblast_uid", None, "the alerts.in.ua UID of the oblast")
    oblast = by_name(str(oblast_uid)) if isinstance(oblast_uid, (int, str)) else None
    if oblast is None:
        raise _bad(index, "location_oblast_uid", oblast_uid, "a known alerts.in.ua oblast UID")
    return oblast, region_itself and own == oblast


def _raion(item: dict, index: int, level: str) -> str | None:
    if level == "raion":
        return _text(item, index, "location_title")
    if level == "hromada":
        return _text(item, index, "location_raion")
    return None


def _alert_type(item: dict, index: int) -> AlertType:
    value = _required(item, index, "alert_type")
    if not isinstance(value, str):
        raise _bad(index, "alert_type", value, "a string such as air_raid")
    # A type added by alerts.in.ua after this code was written is kept, as "unknown".
    return ALERT_TYPES.get(value, "unknown")


def _calculated(item: dict, index: int) -> bool:
    value = item.get("calculated")
    if value is None or isinstance(value, bool):
        return bool(value)
    raise _bad(index, "calculated", value, "true, false or null")


def _external_id(item: dict, index: int) -> str:
    value = _required(item, index, "id")
    if isinstance(value, bool) or not isinstance(value, (int, str)) or not str(value).strip():
        raise _bad(index, "id", value, "a number or non-empty string")
    return str(value).strip()


def _is_permanent(code: str, level: str, alert_type: str, started_at: dt.datetime) -> bool:
    since = PERMANENT_SINCE.get(code)
    return since is not None and level == "oblast" and alert_type == "air_raid" and started_at.date() == since


def _required(item: dict, index: int, field: str) -> Any:
    value = item.get(field)
    if value is None:
        raise MalformedData(f'alert {index}: missing "{field}"' + _id_hint(item))
    return value


def _text(item: dict, index: int, field: str) -> str | None:
    value = item.get(field)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise _bad(index, field, value, "a string")
    return value.strip()


def _optional_time(item: dict, index: int, field: str) -> dt.datetime | None:
    value = item.get(field)
    return None if value is None else _time(value, index, field)


def _time(value: Any, index: int, field: str) -> dt.datetime:
    """An alert time: ISO 8601 with ``Z`` or an offset; a time without a zone is UTC (the API's)."""
    if not isinstance(value, str):
        raise _bad(index, field, value, "an ISO 8601 time such as 2024-01-02T03:04:05.000Z")
    try:
        parsed = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        raise _bad(index, field, value, "an ISO 8601 time such as 2024-01-02T03:04:05.000Z") from None
    return _as_utc(parsed)


def _meta_time(value: Any, what: str) -> dt.datetime:
    """``meta.last_updated_at``: ``2023/11/06 09:11:42 +0000`` (the API's form) or ISO 8601."""
    if isinstance(value, str):
        for parse in (lambda s: dt.datetime.strptime(s, _META_TIME_FORMAT), dt.datetime.fromisoformat):
            try:
                return _as_utc(parse(value.strip()))
            except ValueError:
                continue
    raise MalformedData(f"{what}: meta.last_updated_at {value!r} is not a time like 2023/11/06 09:11:42 +0000")


def _as_utc(value: dt.datetime) -> dt.datetime:
    if value.tzinfo is None:
        return value.replace(tzinfo=dt.timezone.utc)
    return value.astimezone(dt.timezone.utc)


def _bad(index: int, field: str, value: Any, expected: str) -> MalformedData:
    return MalformedData(f'alert {index}: "{field}" is {value!r}, expected {expected}')


def _id_hint(item: dict) -> str:
    return f" (id {item['id']!r})" if item.get("id") is not None else ""

"""Time zones: alerts are stored in UTC and shown in Kyiv time.

>>> to_kyiv(parse_instant("2022-10-30T01:30:00Z"))
'2022-10-30T03:30:00+02:00'
>>> parse_instant("2022-10-30 05:00").isoformat()  # naive input is read as Kyiv time
'2022-10-30T03:00:00+00:00'

A Kyiv time that happens twice (03:00-04:00 on the last Sunday of October) is read as its
first occurrence (summer time); give an offset to mean the second.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from airtally.errors import InvalidValue

UTC = dt.timezone.utc


def _kyiv_zone() -> ZoneInfo:
    # "Europe/Kyiv" arrived in tzdata 2022b; older systems only know the old spelling.
    for name in ("Europe/Kyiv", "Europe/Kiev"):
        try:
            return ZoneInfo(name)
        except ZoneInfoNotFoundError:
            continue
    raise InvalidValue("no time zone data for Europe/Kyiv (install the tzdata package)")


KYIV = _kyiv_zone()


def parse_instant(text: str) -> dt.datetime:
    """An aware UTC datetime from ISO text; a value without an offset is Kyiv local time."""
    cleaned = text.strip()
    if cleaned.lower() == "now":
        return dt.datetime.now(UTC)
    try:
        value = dt.datetime.fromisoformat(cleaned.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidValue(
            f"cannot read the time {text!r} (use ISO 8601, e.g. 2024-03-22T03:00 for Kyiv time "
            "or 2024-03-22T01:00Z for UTC)"
        ) from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=KYIV)
    return value.astimezone(UTC)


def kyiv_midnight(day: dt.date) -> dt.datetime:
    """The UTC instant at which Kyiv's calendar ``day`` begins."""
    return dt.datetime.combine(day, dt.time(0), tzinfo=KYIV).astimezone(UTC)


def kyiv_time(day: dt.date, hour: int) -> dt.datetime:
    """The UTC instant of ``hour``:00 on Kyiv's calendar ``day``."""
    return dt.datetime.combine(day, dt.time(hour), tzinfo=KYIV).astimezone(UTC)


def to_kyiv(value: dt.datetime | None) -> str | None:
    """ISO text of ``value`` in Kyiv time (with its offset, +02:00 or +03:00)."""
    if value is None:
        return None
    return value.astimezone(KYIV).isoformat()


def parse_day_bound(text: str, end: bool = False) -> dt.datetime:
    """A ``--from``/``--to`` value: a Kyiv calendar day (``--to`` includes the whole day) or an instant.

    >>> parse_day_bound("2023-03-26", end=True).isoformat()
    '2023-03-26T21:00:00+00:00'
    """
    try:
        day = dt.date.fromisoformat(text.strip())
    except ValueError:
        return parse_instant(text)
    return kyiv_midnight(day + dt.timedelta(days=1) if end else day)

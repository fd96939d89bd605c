"""Kyiv time and the reading of dates and instants, for every command and layer.

Times are stored in UTC and shown in Kyiv time (+02:00 in winter, +03:00 in summer), taken from
the IANA time-zone database (the ``tzdata`` package where the system has none): there is no
fixed-offset fallback, which would be wrong half the year.

Dates are ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY`` everywhere; an instant is ISO 8601 text, in Kyiv
time when it has no offset:

>>> parse_date("2023-01"), parse_date("2023-01", end=True), parse_date("2026", end=True)
(datetime.date(2023, 1, 1), datetime.date(2023, 1, 31), datetime.date(2026, 12, 31))
>>> parse_instant("2022-10-30 05:00").isoformat()  # naive input is read as Kyiv time
'2022-10-30T03:00:00+00:00'
>>> to_kyiv(parse_instant("2022-10-30T01:30:00Z"))
'2022-10-30T03:30:00+02:00'
>>> parse_day_bound("2023-03", end=True).isoformat()  # --to includes the whole month
'2023-03-31T21:00:00+00:00'
>>> parse_published("2025-07-04").isoformat()  # a bare publication date is noon
'2025-07-04T12:00:00+03:00'

A Kyiv time that happens twice (03:00-04:00 on the last Sunday of October) is read as its first
occurrence (summer time); give an offset to mean the second. A Kyiv time that never happens
(03:00-04:00 on the last Sunday of March, skipped when the clocks go forward) is refused:

>>> parse_instant("2025-03-30T03:30")
Traceback (most recent call last):
...
airtally.errors.InvalidValue: 2025-03-30T03:30 never happened in Kyiv: the clocks went from 03:00 to 04:00 that night; give an offset (2025-03-30T03:30+02:00) or another time
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import overload
from zoneinfo import ZoneInfo

from airtally.errors import InvalidValue

UTC = dt.timezone.utc
KYIV = ZoneInfo("Europe/Kyiv")

# Dates outside these years are typing mistakes or attacks on the parser (9999-12-31 + 1 day
# overflows); the record starts in 2022.
FIRST_YEAR, LAST_YEAR = 1900, 2199
_DATE = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")
_DATE_FORMS = "YYYY-MM-DD, YYYY-MM or YYYY, e.g. 2025-07-04"
_INSTANT_FORMS = "ISO 8601, e.g. 2024-03-22T03:00 for Kyiv time or 2024-03-22T01:00Z for UTC"


def now() -> dt.datetime:
    """The current instant, in UTC."""
    return dt.datetime.now(UTC)


def _in_range(value: dt.date, text: str, what: str) -> None:
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise InvalidValue(f"{what} {text!r} is outside the years {FIRST_YEAR}-{LAST_YEAR}")


@overload
def parse_date(text: str | dt.date, end: bool = False, what: str = "date") -> dt.date: ...
@overload
def parse_date(text: None, end: bool = False, what: str = "date") -> None: ...
@overload
def parse_date(text: str | dt.date | None, end: bool = False, what: str = "date") -> dt.date | None: ...
def parse_date(text: str | dt.date | None, end: bool = False, what: str = "date") -> dt.date | None:
    """``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY`` as a date: the period's first day, or its last with ``end``.

    >>> parse_date("2025"), parse_date("2025-02", end=True)
    (datetime.date(2025, 1, 1), datetime.date(2025, 2, 28))
    """
    if text is None or isinstance(text, dt.date):
        return text.date() if isinstance(text, dt.datetime) else text
    match = _DATE.fullmatch(text.strip())
    if not match:
        raise InvalidValue(f"not a {what}: {text!r} (use {_DATE_FORMS})")
    year, month, day = (int(g) if g else None for g in match.groups())
    assert year is not None
    try:
        if month is None:
            value = dt.date(year, 12, 31) if end else dt.date(year, 1, 1)
        elif day is None:
            value = dt.date(year, month, calendar.monthrange(year, month)[1] if end else 1)
        else:
            value = dt.date(year, month, day)
    except ValueError as exc:
        raise InvalidValue(f"not a {what}: {text!r} ({exc}; use {_DATE_FORMS})") from None
    _in_range(value, text, what)
    return value


def is_date(text: str) -> bool:
    """Whether ``text`` has the shape of a date, month or year (not an instant)."""
    return _DATE.fullmatch(text.strip()) is not None


def in_kyiv(local: dt.datetime, text: str | None = None) -> dt.datetime:
    """The naive Kyiv wall time ``local`` made aware; a time the spring clock change skipped is
    refused (InvalidValue), never silently moved an hour."""
    aware = local.replace(tzinfo=KYIV)
    if aware.astimezone(UTC).astimezone(KYIV).replace(tzinfo=None) != local:
        shown = text.strip() if text else local.isoformat()
        raise InvalidValue(
            f"{shown} never happened in Kyiv: the clocks went from 03:00 to 04:00 that night; "
            f"give an offset ({shown}+02:00) or another time"
        )
    return aware


def kyiv_wall_time(local: dt.datetime) -> dt.datetime:
    """``local`` as Kyiv time in UTC, leniently: for data files, whose rows are taken as written
    (a skipped wall time is read with the winter offset)."""
    return local.replace(tzinfo=KYIV).astimezone(UTC)


def _iso(text: str, what: str) -> dt.datetime:
    try:
        value = dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise InvalidValue(f"cannot read the {what} {text!r} (use {_INSTANT_FORMS})") from None
    _in_range(value, text, what)
    return value


def parse_instant(text: str, what: str = "time") -> dt.datetime:
    """An aware UTC datetime from ISO text or ``now``; a value without an offset is Kyiv time."""
    if text.strip().lower() == "now":
        return now()
    value = _iso(text, what)
    return (value if value.tzinfo else in_kyiv(value, text)).astimezone(UTC)


def parse_day_bound(text: str, end: bool = False, what: str = "date") -> dt.datetime:
    """A ``--from``/``--to`` value as a UTC instant: a Kyiv day, month or year (``end``: the
    instant after its last day, so ``--to`` includes it whole), or an instant.

    >>> parse_day_bound("2023-03-26", end=True).isoformat()
    '2023-03-26T21:00:00+00:00'
    """
    if is_date(text):
        day = parse_date(text, end=end, what=what)
        assert day is not None
        return kyiv_midnight(day + dt.timedelta(days=1) if end else day)
    return parse_instant(text, what)


def parse_published(value: dt.datetime | dt.date | str | None) -> dt.datetime:
    """A publication time as an aware datetime: ISO text, a date (noon, Kyiv time), a datetime
    (Kyiv time when naive); None is now."""
    if value is None:
        return dt.datetime.now(KYIV)
    text = value if isinstance(value, str) else None
    if isinstance(value, str):
        value = _published(value)
    if isinstance(value, dt.datetime):
        _in_range(value, text or value.isoformat(), "publication time")
        return value if value.tzinfo else in_kyiv(value, text)
    if isinstance(value, dt.date):
        _in_range(value, text or value.isoformat(), "publication date")
        return dt.datetime(value.year, value.month, value.day, 12, tzinfo=KYIV)
    raise InvalidValue(f"published must be a date, a datetime or an ISO string, not {type(value).__name__}")


def _published(text: str) -> dt.datetime | dt.date:
    try:
        if "T" in text or ":" in text:
            return dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidValue(
            f"published {text!r} is not an ISO date or datetime (e.g. 2025-07-04 or 2025-07-04T09:30+03:00)"
        ) from None


def from_kyiv(value: dt.datetime | None) -> dt.datetime | None:
    """``value`` in UTC; a naive value is Kyiv time."""
    if value is None:
        return None
    return (value if value.tzinfo else value.replace(tzinfo=KYIV)).astimezone(UTC)


def kyiv_date(moment: dt.datetime) -> dt.date:
    """The Kyiv calendar date of an aware instant."""
    return moment.astimezone(KYIV).date()


def kyiv_midnight(day: dt.date) -> dt.datetime:
    """The UTC instant at which Kyiv's calendar ``day`` begins."""
    return dt.datetime.combine(day, dt.time(0), tzinfo=KYIV).astimezone(UTC)


def kyiv_time(day: dt.date, hour: int) -> dt.datetime:
    """The UTC instant of ``hour``:00 on Kyiv's calendar ``day``."""
    return dt.datetime.combine(day, dt.time(hour), tzinfo=KYIV).astimezone(UTC)


@overload
def to_kyiv(value: dt.datetime) -> str: ...
@overload
def to_kyiv(value: None) -> None: ...
@overload
def to_kyiv(value: dt.datetime | None) -> str | None: ...
def to_kyiv(value: dt.datetime | None) -> str | None:
    """ISO text of ``value`` in Kyiv time (with its offset, +02:00 or +03:00); naive is UTC."""
    if value is None:
        return None
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(KYIV).isoformat()

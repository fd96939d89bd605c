"""Calendar periods: grouping attacks by day, ISO week, month or year.

Periods are named by their first day; ``label`` gives the name people read:

>>> label("week", dt.date(2025, 6, 30)), label("month", dt.date(2025, 6, 1))
('2025-W27', '2025-06')

Dates given by a person (``--from 2025-06``) are read by airtally.clock.parse_date.
"""

from __future__ import annotations

import calendar
import datetime as dt

import sqlalchemy as sa

from airtally.errors import InvalidValue

PERIODS = ("day", "week", "month", "year")


def check_period(by: str) -> str:
    """``by`` itself when it names a period, else a clear error."""
    if by not in PERIODS:
        raise InvalidValue(f"unknown period {by!r} (use one of: {', '.join(PERIODS)})")
    return by


def period_start(by: str, column, dialect: str):
    """A SQL expression for the first day of the ``by`` period holding the date ``column``.

    Weeks are ISO weeks (Monday to Sunday). The modifiers are literal SQL, not bound
    parameters, so that the same expression in SELECT and GROUP BY compares equal on PostgreSQL.
    """
    check_period(by)
    if by == "day":
        return column
    if dialect == "sqlite":
        modifiers = {"week": ("'weekday 0'", "'-6 days'"), "month": ("'start of month'",), "year": ("'start of year'",)}
        return sa.func.date(column, *map(sa.literal_column, modifiers[by]), type_=sa.Date)
    return sa.cast(sa.func.date_trunc(sa.literal_column(f"'{by}'"), column), sa.Date)


def label(by: str, start: dt.date) -> str:
    """The name of the ``by`` period that begins on ``start``: 2025-07-04, 2025-W27, 2025-07, 2025."""
    if by == "day":
        return start.isoformat()
    if by == "week":
        year, week, _ = start.isocalendar()
        return f"{year}-W{week:02d}"
    if by == "month":
        return f"{start.year}-{start.month:02d}"
    return str(start.year)


def period_end(by: str, start: dt.date) -> dt.date:
    """The last day of the ``by`` period that begins on ``start``."""
    if by == "day":
        return start
    if by == "week":
        return start + dt.timedelta(days=6)
    if by == "month":
        return start.replace(day=calendar.monthrange(start.year, start.month)[1])
    return start.replace(month=12, day=31)


def as_date(value) -> dt.date:
    """A date from what a driver returns for a DATE expression (a date, datetime or ISO string)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])

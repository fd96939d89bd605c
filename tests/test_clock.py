"""One clock: Kyiv time from the IANA database, and one reading of dates and instants."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from airtally import clock
from airtally.errors import InvalidValue

PACKAGE = Path(__file__).resolve().parent.parent / "airtally"


def test_kyiv_time_is_defined_once():
    """No other module builds its own Kyiv zone or a fixed-offset stand-in for it."""
    pattern = re.compile(r"ZoneInfo\(|Europe/Kyiv|Europe/Kiev|timezone\(.*timedelta\(hours=")
    others = [f"{p.relative_to(PACKAGE)}: {line.strip()}" for p in PACKAGE.rglob("*.py") if p.name != "clock.py"
              for line in p.read_text("utf-8").splitlines()
              if pattern.search(line) and not line.lstrip().startswith(">>>")]  # examples may use an offset
    assert others == []


def test_kyiv_time_follows_the_clock_changes():
    assert clock.to_kyiv(dt.datetime(2025, 1, 15, 12, tzinfo=clock.UTC)).endswith("+02:00")
    assert clock.to_kyiv(dt.datetime(2025, 7, 15, 12, tzinfo=clock.UTC)).endswith("+03:00")
    assert clock.kyiv_midnight(dt.date(2025, 3, 30)) == dt.datetime(2025, 3, 29, 22, tzinfo=clock.UTC)
    assert clock.kyiv_midnight(dt.date(2025, 3, 31)) == dt.datetime(2025, 3, 30, 21, tzinfo=clock.UTC)


@pytest.mark.parametrize("text,end,expected", [
    ("2023-01", False, dt.date(2023, 1, 1)), ("2023-01", True, dt.date(2023, 1, 31)),
    ("2024-02", True, dt.date(2024, 2, 29)), ("2026", False, dt.date(2026, 1, 1)),
    ("2026", True, dt.date(2026, 12, 31)), (" 2025-07-04 ", True, dt.date(2025, 7, 4)),
])
def test_dates_months_and_years(text, end, expected):
    assert clock.parse_date(text, end=end) == expected


@pytest.mark.parametrize("text", ["2025-13", "2025-02-30", "25-07-04", "July 2025", "", "NaN", "9999-12-30",
                                  "0001-01-01", "2025-07-04T10:00", "1" * 40])
def test_what_is_not_a_date(text):
    with pytest.raises(InvalidValue):
        clock.parse_date(text)


def test_day_bounds_take_the_same_forms_as_dates():
    assert clock.parse_day_bound("2023-01") == dt.datetime(2022, 12, 31, 22, tzinfo=clock.UTC)
    assert clock.parse_day_bound("2023-01", end=True) == dt.datetime(2023, 1, 31, 22, tzinfo=clock.UTC)
    assert clock.parse_day_bound("2023", end=True) == dt.datetime(2023, 12, 31, 22, tzinfo=clock.UTC)
    assert clock.parse_day_bound("2023-05-01T12:00Z") == dt.datetime(2023, 5, 1, 12, tzinfo=clock.UTC)


def test_a_time_the_spring_change_skipped_is_refused():
    with pytest.raises(InvalidValue, match="never happened in Kyiv"):
        clock.parse_instant("2025-03-30T03:30")
    with pytest.raises(InvalidValue, match="never happened in Kyiv"):
        clock.parse_published("2025-03-30T03:30")
    assert clock.parse_instant("2025-03-30T03:30+02:00") == dt.datetime(2025, 3, 30, 1, 30, tzinfo=clock.UTC)
    assert clock.parse_instant("2025-03-30T04:00") == dt.datetime(2025, 3, 30, 1, 0, tzinfo=clock.UTC)


def test_a_time_the_autumn_change_repeats_is_its_first_occurrence():
    assert clock.parse_instant("2025-10-26T03:30") == dt.datetime(2025, 10, 26, 0, 30, tzinfo=clock.UTC)


@pytest.mark.parametrize("text", ["9999-12-30", "9999-12-31T23:59", "0001-01-01", "2025-07-04T25:00", "tomorrow"])
def test_publication_times_out_of_range_or_unreadable(text):
    with pytest.raises(InvalidValue):
        clock.parse_published(text)


@pytest.mark.parametrize("module", ["airtally.clock", "airtally.inputs", "airtally.urls"])
def test_doctests(module):
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(module), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0

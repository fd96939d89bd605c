"""Small exceptions whose message names the bad value and the next step.

The CLI turns each into one line on standard error and the exit code it carries:

==== =====================================================
code meaning
==== =====================================================
0    success (also: readable text that is not an attack report)
1    any other airtally error (nothing found for the value given, a missing setting)
2    bad command-line usage: an unknown option, or a value an option or argument cannot take
     (a date, a choice, a region, a path to write to)
3    unreadable input: missing, empty, binary, not UTF-8, too large
4    database problem: unreachable, read-only, locked, not migrated
5    malformed data file: bad CSV/JSON rows that stopped an import
6    a report in a language airtally does not read (``airtally extract``)
==== =====================================================
"""

from __future__ import annotations


class AirtallyError(Exception):
    """Base of every error airtally reports to a person."""

    exit_code = 1

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class UnreadableInput(AirtallyError):
    """The input cannot be read as text (missing, empty, binary, not UTF-8, too large)."""

    exit_code = 3


class DatabaseError(AirtallyError):
    """The database cannot be opened or written."""

    exit_code = 4


class MalformedData(AirtallyError):
    """A data file (CSV, JSON) has rows that cannot be read."""

    exit_code = 5


class UnsupportedLanguage(AirtallyError):
    """A report is in a language airtally does not read (German, Polish, ...): no figures."""

    exit_code = 6


class InvalidValue(AirtallyError):
    """An argument has a value airtally cannot use (a date, a region, a weapon name): bad usage."""

    exit_code = 2


class NotFound(AirtallyError):
    """What was asked for is not in the record (an attack id, a report id, a date without an
    attack): a well-formed value that names nothing."""

    exit_code = 1

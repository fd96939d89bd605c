"""The alert data-set formats: pure parsers from text to ``AlertEvent`` records.

Every parser takes the whole text of a file and returns a ``Parsed``: the events with the line
each came from, the rows it could not read (``errors``) and the rows it read with a documented
fix-up (``quirks``, e.g. swapped oblast/raion columns). Nothing is silently dropped or changed.

>>> parsed = parse_volunteer("region,started_at,finished_at,naive\\n"
...     "Kyiv City,2022-02-25 16:36:22+00:00,2022-02-25 17:06:22+00:00,True\\n")
>>> parsed.events[0].region_code, parsed.events[0].end_is_estimate, parsed.lines
('UA-30', True, [2])
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache, partial
from typing import NamedTuple
from operator import itemgetter

from airtally.alerts.alerts_in_ua import parse_import_text
from airtally.catalog.regions import by_name, subdivision
from airtally.errors import MalformedData
from airtally.model import AlertEvent, AlertLevel, AlertType

# The volunteer data set's own rule for an alert whose end message never came (naive=True).
ASSUMED_DURATION = dt.timedelta(minutes=30)
HEADERS = {
    "official": ("oblast", "raion", "hromada", "level", "started_at", "finished_at"),
    "volunteer": ("region", "started_at", "finished_at", "naive"),
}


@dataclass(frozen=True)
class Problem:
    """A row that could not be read, or was read with a fix-up; ``line`` is 1-based."""

    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


class AlertRow(NamedTuple):
    """An event as the CSV parsers build it: ``AlertEvent``'s fields, in its order, unvalidated.

    The parsers check every field themselves (registry codes, levels, aware UTC times), so the
    importer stores these directly; validating a pydantic model per row was a fifth of a
    100,000-row import. ``Parsed.events`` turns them into (validated) ``AlertEvent`` records.
    The fields are written out so that they are typed; a test checks they are ``AlertEvent``'s.

    >>> AlertRow._fields[:6]
    ('region_code', 'level', 'raion', 'hromada', 'started_at', 'finished_at')
    """

    region_code: str
    level: AlertLevel
    raion: str | None
    hromada: str | None
    started_at: dt.datetime
    finished_at: dt.datetime | None
    end_is_estimate: bool
    alert_type: AlertType
    source: str
    external_id: str | None
    permanent: bool

    def model_copy(self, update: dict) -> AlertRow:
        """A copy with the fields of ``update`` changed (as on ``AlertEvent``, for the merge)."""
        return self._replace(**update)


# What the parsers return and the importer stores: either kind of record, same fields.
AlertRecord = AlertEvent | AlertRow

# AlertRow from a tuple of all its fields in AlertRow._fields order (the parsers below write
# them out), without the generated __new__'s Python-level call.
_row = partial(tuple.__new__, AlertRow)


@dataclass
class Parsed:
    """What a parser read: records (``lines[i]`` is the line of ``records[i]``), errors, quirks.

    ``records`` are ``AlertEvent`` or ``AlertRow`` (same fields); ``events`` gives ``AlertEvent``.
    """

    format: str
    records: list[AlertRecord] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    quirks: list[Problem] = field(default_factory=list)

    @property
    def events(self) -> list[AlertEvent]:
        """The records as ``AlertEvent`` (each ``AlertRow`` validated on the way)."""
        return [r if isinstance(r, AlertEvent) else AlertEvent(**r._asdict()) for r in self.records]

    def add(self, line: int, record: AlertRecord) -> None:

        self.records.append(record)
        self.lines.append(line)


class RowError(ValueError):
    """One row cannot be read; the message says what is wrong with it."""


Parser = Callable[[str], Parsed]


def _time(value: str, column: str) -> dt.datetime:
    try:
        parsed = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        raise RowError(f"{column} {value!r} is not a time (expected e.g. 2022-03-15 16:10:34+00:00)") from None
    if parsed.tzinfo is None:
        raise RowError(f"{column} {value!r} has no UTC offset (the alert CSVs write +00:00)")
    return parsed if parsed.tzinfo is dt.timezone.utc else parsed.astimezone(dt.timezone.utc)


def _end(start: dt.datetime, value: str) -> dt.datetime | None:
    if not value.strip():
        return None
    end = _time(value, "finished_at")
    if end < start:
        raise RowError(f"finished_at {value} is before started_at {start.isoformat(sep=' ')}")
    return end


@lru_cache(maxsize=4096)
def _region_code(name: str) -> str | None:
    region = by_name(name) if name else None
    return region.code if region else None


def _rows(text: str, fmt: str) -> Iterator[tuple[int, tuple[str, ...] | str]]:
    """(line number, the format's columns in ``HEADERS`` order), or (line number, what is wrong).

    A header without the format's columns stops at once; blank lines are skipped.
    """
    reader = _reader(text)
    try:
        yield from _checked_rows(reader, fmt)
    except csv.Error as exc:  # a field past the csv module's limit, a stray quote before the end
        raise MalformedData(f"line {reader.line_num}: not readable as CSV ({exc}); nothing was imported") from None


def _reader(text: str):
    """A csv reader of ``text`` with universal newlines: bare CR line ends (old Mac) read too."""
    return csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=None))


def _checked_rows(reader, fmt: str) -> Iterator[tuple[int, tuple[str, ...] | str]]:
    header = [column.strip() for column in next(reader, [])]
    missing = [c for c in HEADERS[fmt] if c not in header]
    if missing:
        raise MalformedData(
            f"not a {fmt} alert CSV: line 1 lacks the column(s) {', '.join(missing)} "
            f"(expected the header {','.join(HEADERS[fmt])})"
        )
    position = {c: i for i, c in enumerate(header)}  # a repeated column: its last copy, as in a dict
    columns, width = itemgetter(*(position[c] for c in HEADERS[fmt])), len(header)
    for values in reader:
        if not values:
            continue
        if len(values) != width:
            yield reader.line_num, f"{len(values)} columns where the header has {width}"
        else:
            yield reader.line_num, columns(values)


def _parse(text: str, fmt: str, read_row: Callable[[tuple[str, ...], Parsed, int], AlertRow]) -> Parsed:
    parsed = Parsed(fmt)
    add_record, add_line = parsed.records.append, parsed.lines.append
    for line, row in _rows(text, fmt):
        try:
            if isinstance(row, str):
                raise RowError(row)
            add_record(read_row(row, parsed, line))
            add_line(line)
        except RowError as exc:
            parsed.errors.append(Problem(line, str(exc)))
    return parsed


def _official_place(oblast: str, raion: str | None, parsed: Parsed, line: int) -> tuple[str, str | None]:
    """The oblast code and raion of an official row, reading swapped columns right."""
    code = _region_code(oblast)
    if code is not None:
        return code, raion
    swapped = _region_code(raion) if raion else None
    if swapped:
        parsed.quirks.append(Problem(line, f"oblast and raion columns swapped ({oblast!r} / {raion!r}); read as raion of {raion}"))
        return swapped, oblast
    place = subdivision(oblast)
    if place is not None:
        parsed.quirks.append(Problem(line, f"raion {oblast!r} in the oblast column; its oblast {place.region_code} taken from the registry"))
        return place.region_code, oblast
    raise RowError(f"unknown oblast {oblast!r} (not in airtally/catalog/data/regions.yaml)")


def _official_row(row: tuple[str, ...], parsed: Parsed, line: int) -> AlertRow:
    oblast, raion_column, hromada_column, level, started_at, finished_at = row
    level = level.strip()
    if level not in ("oblast", "raion", "hromada"):
        raise RowError(f"level {level!r} is not oblast, raion or hromada")
    code, raion = _official_place(oblast.strip(), raion_column.strip() or None, parsed, line)
    hromada = hromada_column.strip() or None
    if (level == "oblast" and (raion or hromada)) or (level == "raion" and (not raion or hromada)) or (
        level == "hromada" and not (raion and hromada)
    ):
        raise RowError(f"level {level} does not match the places named (raion {raion!r}, hromada {hromada!r})")
    start = _time(started_at, "started_at")
    end = _end(start, finished_at)
    if end is None:
        parsed.quirks.append(Problem(line, "no finished_at: stored as an alert without an end (still active)"))
    return _row((code, level, raion, hromada, start, end, False, "air_raid", "official", None, False))


def _volunteer_row(row: tuple[str, ...], parsed: Parsed, line: int) -> AlertRow:
    region, started_at, finished_at, naive = row
    code = _region_code(region.strip())
    if code is None:
        raise RowError(f"unknown region {region!r} (not in airtally/catalog/data/regions.yaml)")
    flag = naive.strip().lower()
    if flag not in ("true", "false"):
        raise RowError(f"naive {naive!r} is not True or False")
    start = _time(started_at, "started_at")
    end = _end(start, finished_at)
    estimate = flag == "true"
    if end is None:
        end, estimate = start + ASSUMED_DURATION, True
        parsed.quirks.append(Problem(line, "no finished_at: end assumed 30 min after the start, as the data set does for naive rows"))
    return _row((code, "oblast", None, None, start, end, estimate, "air_raid", "volunteer", None, False))


def parse_official(text: str) -> Parsed:
    """The official alert CSV (oblast, raion, hromada, level, started_at, finished_at, source)."""
    return _parse(text, "official", _official_row)


def parse_volunteer(text: str) -> Parsed:
    """The volunteer alert CSV (region, started_at, finished_at, naive); naive ends are estimates."""
    return _parse(text, "volunteer", _volunteer_row)


# Format name -> parser.
FORMATS: dict[str, Parser] = {
    "official": parse_official,
    "volunteer": parse_volunteer,
    "alerts-in-ua": parse_import_text,
}


def detect_format(text: str) -> str:
    """The format of ``text`` from its first line: a CSV header, or JSON for alerts.in.ua.

    >>> detect_format("region,started_at,finished_at,naive\\n")
    'volunteer'
    """
    first = text.lstrip("\ufeff \t\r\n")[:1]
    if first in ("{", "["):
        return "alerts-in-ua"
    try:
        header = {c.strip() for c in next(_reader(text), [])}
    except csv.Error:
        header = set()
    for name, columns in HEADERS.items():
        if set(columns) <= header:
            return name
    raise MalformedData(
        "cannot tell the alert format from line 1; pass --format official|volunteer|alerts-in-ua "
        f"(official: {','.join(HEADERS['official'])}; volunteer: {','.join(HEADERS['volunteer'])})"
    )


def parse(text: str, fmt: str | None = None) -> Parsed:
    """Parse ``text`` in format ``fmt`` (detected from the header when None)."""
    fmt = fmt or detect_format(text)
    if fmt not in FORMATS:
        raise MalformedData(f"no parser for the alert format {fmt!r} (known: {', '.join(sorted(FORMATS))})")
    return FORMATS[fmt](text)

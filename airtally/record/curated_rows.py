"""Reading the curated data set's CSV: rows checked one by one, grouped into reports.

A row that cannot be read (a missing date, a count that is not a whole number, an unknown
weapon) is reported with its line number and skipped; the rest is kept.

>>> rows, problems = read_rows(io.StringIO(
...     "time_start,time_end,model,launched,destroyed,source\\n"
...     "2025-07-03 18:00,2025-07-04 06:00,Shahed-136/131,539,268,kpszsu/posts/a\\n"
...     "2025-07-04,,Kalibr,2,1,kpszsu/posts/a\\n"))
>>> [(r.line, r.weapons[0].id, r.counts["launched"]) for r in rows], problems
([(2, 'shahed', 539)], ['line 3: time_end is empty'])
"""

from __future__ import annotations

import ast
import csv
import datetime as dt
import difflib
import io
import math
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import yaml

from airtally.catalog.normalize import fold
from airtally import clock
from airtally.catalog.weapons import Weapon, catalogue
from airtally.clock import kyiv_wall_time
from airtally.errors import MalformedData

REQUIRED = ("time_start", "time_end", "model", "launched", "source")
# Curated column -> our measure (not_reach_goal is "locationally lost").
MEASURE_OF = {"launched": "launched", "destroyed": "destroyed", "not_reach_goal": "lost"}
OWN_COLUMNS = ("time_start", "time_end", "model", "source", *MEASURE_OF)


class RowError(ValueError):
    """A row that cannot be read; the message says which field and why."""


@dataclass
class CuratedRow:
    line: int
    source: str
    model: str
    weapons: tuple[Weapon, ...]
    start: dt.datetime | None  # UTC; None when the row gives only a date
    end: dt.datetime | None
    date: dt.date  # Kyiv date of time_end
    time_start: str
    time_end: str
    counts: dict[str, int | None]
    fields: dict[str, str]
    raw: list[str] = field(default_factory=list)
    subject: str = ""  # the catalogue id, or "a+b" for a combination of models

    def __post_init__(self) -> None:
        self.subject = "+".join(w.id for w in self.weapons)


@lru_cache(maxsize=1)
def source_kinds() -> dict:
    text = resources.files("airtally.record").joinpath("data/curated_sources.yaml").read_text("utf-8")
    return yaml.safe_load(text)


@lru_cache(maxsize=8192)
def account(source: str) -> str:
    """The account of a source path: ``"https://t.me/kpszsu/44624"`` -> ``"kpszsu"``."""
    for prefix in source_kinds()["url_prefixes"]:
        if source.startswith(prefix):
            source = source[len(prefix):]
    return source.split("/")[0]


@lru_cache(maxsize=8192)
def kind_of(source: str) -> str:
    """national / regional / news for a curated ``source`` path."""
    name = fold(account(source))
    for kind in ("national", "regional"):
        if name in {fold(a) for a in source_kinds()[kind]}:
            return kind
    return "news"


@lru_cache(maxsize=8192)
def parse_time(text: str, column: str) -> tuple[dt.datetime, bool]:
    """(UTC time, whether the text had a time of day) for a Kyiv local time."""
    text = text.strip()
    if not text:
        raise RowError(f"{column} is empty")
    if len(text) in (10, 16):  # the common shapes, without strptime's cost
        try:
            local = dt.datetime.fromisoformat(text)
            return _wall_time(local, text, column), len(text) == 16
        except ValueError:
            pass
    for fmt, timed in (("%Y-%m-%d %H:%M", True), ("%Y-%m-%d %H:%M:%S", True), ("%Y-%m-%d", False)):
        try:
            local = dt.datetime.strptime(text, fmt)
        except ValueError:
            continue
        return _wall_time(local, text, column), timed
    raise RowError(f"{column} {text!r} is not a date (expected YYYY-MM-DD or YYYY-MM-DD HH:MM)")


def _wall_time(local: dt.datetime, text: str, column: str) -> dt.datetime:
    try:
        return kyiv_wall_time(local)
    except OverflowError:  # year 1 in Kyiv is before year 1 in UTC
        raise RowError(f"{column} {text!r} is out of range") from None


@lru_cache(maxsize=8192)
def kyiv_date(moment: dt.datetime) -> dt.date:
    """The Kyiv calendar date of a UTC time."""
    return clock.kyiv_date(moment)


# No attack comes near this; a count above it is a typo or a hostile file (and would not even
# fit the database's integer column past 2,147,483,647).
MAX_COUNT = 100_000


@lru_cache(maxsize=8192)  # counts repeat; the cache spares re-parsing them row after row
def parse_count(text: str, column: str) -> int | None:
    """A whole, non-negative count; "" and "nan" are None. "12.0" is 12.

    >>> parse_count("1e309", "launched")
    Traceback (most recent call last):
    airtally.record.curated_rows.RowError: launched '1e309' is not a whole non-negative count
    """
    text = text.strip()
    if not text or text.lower() == "nan":
        return None
    try:
        value = float(text)
    except ValueError:
        raise RowError(f"{column} {text!r} is not a number") from None
    if math.isnan(value):
        return None
    if not math.isfinite(value) or value < 0 or value != int(value):
        raise RowError(f"{column} {text!r} is not a whole non-negative count")
    if value > MAX_COUNT:
        raise RowError(f"{column} {text!r} is more than {MAX_COUNT:,}: not a plausible count")
    return int(value)


@lru_cache(maxsize=1024)
def weapons_of(model: str) -> tuple[Weapon, ...]:
    """The catalogue models of a curated model name; combinations ("A and B") give each part."""
    parts = [p.strip() for p in model.split(" and ")] if model.strip() else []
    found = [catalogue().by_curated(p) for p in parts]
    weapons = tuple(w for w in found if w is not None)
    if not parts or len(weapons) < len(found):
        known = [n for w in catalogue() for n in w.curated]
        bad = next((p for p, w in zip(parts, found) if w is None), model)
        hint = difflib.get_close_matches(bad, known, n=1)
        raise RowError(f"unknown weapon {bad!r}" + (f" (did you mean {hint[0]}?)" if hint else ""))
    return weapons


def launched_parts(row: CuratedRow) -> dict[str, int] | None:
    """A combination's launched figure split by ``launched_details`` when the parts add up."""
    text = row.fields.get("launched_details", "").strip()
    if len(row.weapons) < 2 or not text or row.counts["launched"] is None:
        return None
    try:
        details = ast.literal_eval(text)
        parts: dict[str, int] = {}
        for k, v in details.items():
            weapon = catalogue().by_curated(k)
            if weapon is None:  # a part the catalogue does not know: the split cannot be checked
                return None
            parts[weapon.id] = int(v)
    except (ValueError, SyntaxError, AttributeError, TypeError):
        return None
    if set(parts) != {w.id for w in row.weapons} or sum(parts.values()) != row.counts["launched"]:
        return None
    return parts


def _row(line: int, header: list[str], values: list[str]) -> CuratedRow:
    if len(values) != len(header):
        raise RowError(f"has {len(values)} fields, the header has {len(header)}")
    cells = dict(zip(header, values))
    start, _ = parse_time(cells["time_start"], "time_start")
    end, timed = parse_time(cells["time_end"], "time_end")
    source = cells["source"].strip()
    if not source:
        raise RowError("source is empty")
    counts = {c: parse_count(cells.get(c, ""), c) for c in MEASURE_OF}
    return CuratedRow(
        line=line, source=source, model=cells["model"].strip(), weapons=weapons_of(cells["model"]),
        start=start if timed else None, end=end if timed else None,
        date=kyiv_date(end), time_start=cells["time_start"], time_end=cells["time_end"],
        counts=counts, fields={k: v for k, v in cells.items() if k not in OWN_COLUMNS}, raw=values,
    )


def read_rows(stream: io.TextIOBase) -> tuple[list[CuratedRow], list[str]]:
    """The readable rows and one message per unreadable row ("line 14: ...").

    Give ``stream`` universal newlines (``io.StringIO(text, newline=None)``): a file saved with
    bare CR line ends (old Mac) is then read like any other."""
    reader = csv.reader(stream)
    line = 1
    try:
        header = [h.strip() for h in next(reader, [])]
        missing = [c for c in REQUIRED if c not in header]
        if missing:
            raise MalformedData(f"not the curated CSV format: no column {', '.join(missing)} in the header {header[:8]}")
        rows, problems = [], []
        line = reader.line_num + 1
        for values in reader:
            try:
                if any(v.strip() for v in values):
                    rows.append(_row(line, header, values))
            except RowError as exc:
                problems.append(f"line {line}: {exc}")
            line = reader.line_num + 1
    except csv.Error as exc:  # a field past the csv module's limit, a stray quote before the end
        raise MalformedData(f"line {line}: not readable as CSV ({exc}); nothing was imported") from None
    return rows, problems


def row_warnings(rows: list[CuratedRow], now: dt.datetime) -> list[str]:
    """Rows kept but unlikely as written: an end before the start, a date after ``now`` + 1 day."""
    found = []
    latest = now + dt.timedelta(days=1)
    for row in rows:
        start, end = parse_time(row.time_start, "time_start")[0], parse_time(row.time_end, "time_end")[0]
        if end < start:
            found.append(f"line {row.line}: time_end {row.time_end.strip()!r} is before time_start "
                         f"{row.time_start.strip()!r}")
        if max(start, end) > latest:
            found.append(f"line {row.line}: dated {max(row.time_start, row.time_end).strip()!r}, after the import's "
                         f"now ({clock.to_kyiv(now)[:16]}): a typo?")
    return found

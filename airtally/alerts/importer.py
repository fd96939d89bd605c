"""Importing an alert history file: read, parse, merge, store in one transaction.

Idempotent: the same file twice stores its alerts once (see airtally.alerts.store for the keys).
Rows that cannot be read stop the import with their line numbers (nothing is written), unless
``skip_bad`` is set, in which case they are left out and listed in the report. The two permanent
alerts are stored with every import (once). The first import of a data set (nothing of its
source stored yet) inserts without looking for stored rows, which stores exactly what the
lookups would (tests/alerts/test_fast_path.py).

Example (library use)::

    with Database.open(url) as db:
        report = import_alerts(db.engine, Path("official_data_en.csv"))
    print(report.inserted, report.quirks[:3])
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from operator import attrgetter
from pathlib import Path

from sqlalchemy.engine import Engine

from airtally.alerts.formats import Problem, parse
from airtally.alerts.intervals import merge_overlapping
from airtally.alerts.permanent import permanent_alerts
from airtally.alerts.store import UpsertCounts, is_new_source, latest_per_alert, upsert_events
from airtally.errors import DatabaseError, MalformedData
from airtally.inputs import read_data_set
from airtally.storage.transactions import write_transaction

CHUNK = 5000
SHOWN_ERRORS = 10
Progress = Callable[[int, int], None]


@dataclass
class ImportReport:
    """What one import read, merged and stored."""

    path: str
    format: str
    rows: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    permanent_new: int = 0  # the permanent alerts, stored by the first import
    duplicates: list[int] = field(default_factory=list)
    merged: list[int] = field(default_factory=list)
    quirks: list[Problem] = field(default_factory=list)
    skipped: list[Problem] = field(default_factory=list)

    def add(self, counts: UpsertCounts) -> None:
        self.inserted += counts.inserted
        self.updated += counts.updated
        self.unchanged += counts.unchanged


def _refuse_bad_rows(path: Path, errors: list[Problem]) -> None:
    shown = "; ".join(str(p) for p in errors[:SHOWN_ERRORS])
    more = f" (and {len(errors) - SHOWN_ERRORS} more)" if len(errors) > SHOWN_ERRORS else ""
    raise MalformedData(
        f"{path}: {len(errors)} row(s) cannot be read, nothing was imported: {shown}{more}. "
        "Fix those rows, or pass --skip-bad to import the rest."
    )


def import_alerts(
    engine: Engine, path: Path, fmt: str | None = None, skip_bad: bool = False, progress: Progress | None = None
) -> ImportReport:
    """Import the alert file at ``path`` (format detected when ``fmt`` is None) into ``engine``."""
    parsed = parse(read_data_set(path, "an alert history"), fmt)
    if parsed.errors and not skip_bad:
        _refuse_bad_rows(path, parsed.errors)
    merged = merge_overlapping(parsed.records, parsed.lines)
    report = ImportReport(str(path), parsed.format, rows=len(parsed.records) + len(parsed.errors))
    report.duplicates, report.merged = merged.duplicates, merged.merged
    report.quirks, report.skipped = parsed.quirks, parsed.errors
    # One event per stored alert before chunking, so that no count depends on where a chunk ends.
    events = latest_per_alert(sorted(merged.events, key=attrgetter("started_at")))
    # Under the write lock: a concurrent import of another file (both storing the permanent
    # alerts) or of the same one waits, then finds what the first stored.
    try:
        with write_transaction(engine) as connection:
            report.permanent_new = upsert_events(connection, permanent_alerts()).inserted
            known_new = is_new_source(connection, events)
            for start in range(0, len(events), CHUNK):
                report.add(upsert_events(connection, events[start : start + CHUNK], known_new=known_new))
                if progress:
                    progress(min(start + CHUNK, len(events)), len(events))
    except DatabaseError as exc:
        raise DatabaseError(f"{exc.message}; nothing was imported") from exc
    return report

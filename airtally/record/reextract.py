"""``airtally reextract``: read stored reports again with the current engine.

Each report whose figures the engine now reads differently gets a new reading: its figures
are stored again (``figures.reading`` one more), the previous reading's stay stored and
superseded, the attack's totals follow the latest, and people's review decisions apply to the
new figures by their key (report, subject, measure). One write transaction per changed report,
under the write lock; the engine runs before it, outside the lock. A second run with the same
engine changes nothing. The attack a report belongs to is kept (a re-read date does not move
it). Casualty figures are read again the same way (``casualties.reading``: the previous rows stay
stored, superseded; decisions apply by report and measure); claims stay as first read.

>>> summary = reextract(engine, since="2025-07")          # doctest: +SKIP
>>> summary.reread, summary.changed, summary.unchanged    # doctest: +SKIP
(120, 4, 116)
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy.engine import Connection, Engine

from airtally.clock import from_kyiv, parse_date
from airtally.errors import AirtallyError, DatabaseError, NotFound
from airtally.record.attack_events import AttackChanges
from airtally.record.figures_of import casualty_rows, figure_rows
from airtally.record.ingest import run_extract, superseded
from airtally.record.merge import recompute
from airtally.storage import attacks as attack_store
from airtally.storage import casualties as casualty_store
from airtally.storage import readings
from airtally.storage import reports as report_store
from airtally.storage.transactions import write_transaction


@dataclass
class ReextractSummary:
    reread: int = 0
    changed: int = 0
    unchanged: int = 0
    failed: list[tuple[int, str]] = field(default_factory=list)
    attacks: set[int] = field(default_factory=set)

    def as_dict(self) -> dict:
        return {"reread": self.reread, "changed": self.changed, "unchanged": self.unchanged,
                "failed": len(self.failed), "attacks_changed": len(self.attacks),
                "errors": [{"report_id": r, "error": e} for r, e in self.failed]}


def _read(row: dict, keys: tuple[str, ...]) -> tuple:
    """What a row says, ``keys`` and its spans (every span it rests on, its competing readings:
    a reading that changes only those is a new reading too), in a form compared by value."""
    return (*(row.get(k) for k in keys), json.dumps(row.get("spans"), sort_keys=True))


def _signature(rows: list[dict]) -> list[tuple]:
    return sorted((_read(row, readings.READ) for row in rows), key=repr)


def _since(since: str | dt.date | None) -> dt.datetime | None:
    day = parse_date(since, what="--since date")
    return None if day is None else from_kyiv(dt.datetime.combine(day, dt.time()))


def reextract(engine: Engine, since: str | dt.date | None = None, source: str | None = None,
              on_each: Callable[[int, str], None] | None = None) -> ReextractSummary:
    """Re-read the stored reports (published on or after ``since``, a Kyiv date; of ``source``)
    with the current engine; ``on_each(report_id, status)`` after each."""
    start = _since(since)
    with engine.connect() as conn:
        source_id = None
        if source is not None:
            source_id = report_store.find_source_id(conn, source)
            if source_id is None:
                raise NotFound(f"no source {source!r} in the record (airtally attack DATE shows each report's source)")
        ids = readings.rereadable_reports(conn, start, source_id)
    summary = ReextractSummary()
    for report_id in ids:
        status = _reread_counted(engine, report_id, summary)
        if on_each:
            on_each(report_id, status)
    return summary


def _reread_counted(engine: Engine, report_id: int, summary: ReextractSummary) -> str:
    summary.reread += 1
    try:
        attack_id = reread(engine, report_id)
    except DatabaseError:
        raise  # the same for every report: stop and say it once
    except AirtallyError as exc:
        summary.failed.append((report_id, exc.message))
        return "failed"
    except Exception as exc:  # an engine bug on one text must not stop the rest
        summary.failed.append((report_id, f"internal error: {type(exc).__name__}: {exc} (please report it)"))
        return "failed"
    if attack_id is None:
        summary.unchanged += 1
        return "unchanged"
    summary.changed += 1
    summary.attacks.add(attack_id)
    return "changed"


# What a reading says of a casualty figure: two readings are the same when these are.
CASUALTY_READ = ("measure", "value", "qualifier", "confidence", "evidence_start", "evidence_end")


def _casualty_signature(rows: list[dict]) -> list[tuple]:
    return sorted((_read(row, CASUALTY_READ) for row in rows), key=repr)


def _differs(conn: Connection, report_id: int, rows: list[dict], hurt: list[dict]) -> tuple[bool, bool]:
    """Whether the figures, and the casualty figures, read differently from the latest reading."""
    figures_differ = _signature(rows) != _signature(readings.latest_reading(conn, report_id)[1])
    return figures_differ, _casualty_signature(hurt) != _casualty_signature(casualty_store.report_casualties(conn, report_id))


def reread(engine: Engine, report_id: int) -> int | None:
    """Read one report again; store a new reading when it differs. Returns the attack's id when
    the report's figures or casualty figures changed, None when the engine reads them as before."""
    with engine.connect() as conn:
        report = readings.report_to_reread(conn, report_id)
    ex = run_extract(report["text"], report["published_at"])
    rows, hurt = figure_rows(ex), casualty_rows(ex)
    with engine.connect() as conn:  # most reports read as before: no write lock for those
        if not any(_differs(conn, report_id, rows, hurt)):
            return None
    with write_transaction(engine) as conn:  # compared again: another writer may have re-read it
        figures_differ, casualties_differ = _differs(conn, report_id, rows, hurt)
        if not (figures_differ or casualties_differ):
            return None
        changes = AttackChanges(conn)
        changes.watch([report["attack_id"]])
        if figures_differ:
            number, old = readings.latest_reading(conn, report_id)
            _store_reading(conn, report, rows, number + 1, old)
        if casualties_differ:
            _store_casualties(conn, report, hurt)
        readings.store_reading_extraction(conn, report_id, ex.to_json())
        recompute(conn, [report["attack_id"]])
        changes.emit()  # the attack's revision is announced in the same transaction
    return report["attack_id"]


def _store_casualties(conn: Connection, report: dict, hurt: list[dict]) -> None:
    """The report's casualty figures as now read (``reading`` one more than the latest); the
    rows before stay stored, superseded. Review decisions apply by their key (report, measure)."""
    old = casualty_store.report_casualties(conn, report["id"])
    number = max((row["reading"] for row in old), default=1) + 1
    casualty_store.replace_casualties(conn, old, [dict(row, attack_id=report["attack_id"], report_id=report["id"],
                                                       reading=number) for row in hurt])


def _store_reading(conn: Connection, report: dict, rows: list[dict], number: int, old: list[dict]) -> None:
    ids = dict(attack_id=report["attack_id"], report_id=report["id"], reading=number)
    new = [{**ids, **row} for row in rows]
    attack_store.insert_figures(conn, new, returning=False)
    _, stored = readings.latest_reading(conn, report["id"])
    new_ids = {(row["subject"], row["measure"]): row["id"] for row in stored}
    readings.replace_reading(conn, old, new_ids)
    # A figure the previous reading did not have is superseded when a later report of the same
    # source replaced this one, as a newly ingested report's would be.
    held = {(row["subject"], row["measure"]) for row in old}
    fresh = {row["id"]: row for row in stored if (row["subject"], row["measure"]) not in held}
    if fresh:
        current = attack_store.current_figures_of_source(conn, report["attack_id"], report["source_id"])
        attack_store.supersede(conn, superseded(current, {**report, "report_id": report["id"]}, fresh))

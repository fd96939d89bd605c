"""``airtally ingest``: extract reports and store them, one transaction per report.

The same text twice is stored once (content hash). A report joins the attack of the same
direction and Kyiv end date (else one whose window overlaps); a later report of the same
source about the same attack whose window overlaps an earlier one's replaces it whole (the
"as of 11:00" update; ``superseded``); ``attack_totals`` is brought up to date in the same
transaction, for the subjects that source holds (airtally.record.incremental).

>>> outcome = ingest_text(engine, text, origin="seed.txt", published=when)   # doctest: +SKIP
>>> outcome.status, outcome.attack_id                                          # doctest: +SKIP
('stored', 412)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.engine import Connection, Engine

from airtally.clock import KYIV, from_kyiv, kyiv_date
from airtally.errors import AirtallyError, DatabaseError
from airtally.inputs import read_text
from airtally.model import Extraction
from airtally.record.attack_events import AttackChanges
from airtally.record.figures_of import casualty_rows, claim_rows, figure_rows
from airtally.record.incremental import update_source
from airtally.storage import attacks as attack_store
from airtally.storage import reports as report_store
from airtally.storage.bulk import insert_rows
from airtally.storage.tables_record import casualties, claims
from airtally.storage.transactions import write_transaction

@dataclass
class Outcome:
    """What happened to one report: stored, duplicate, not_attack (stored, no attack) or
    unsupported_language (not stored); a duplicate carries the ids of the report stored before
    with the same text."""

    status: str
    report_id: int | None = None
    attack_id: int | None = None


@dataclass
class IngestSummary:
    """What became of a batch of texts or posts (``count`` each ``Outcome``)."""

    stored: int = 0
    revised: int = 0  # a post's edit stored as its next revision (or a withdrawn post seen again)
    duplicates: int = 0
    not_attack: int = 0
    empty: int = 0  # posts without text: nothing stored
    unsupported_language: int = 0  # reports in a language airtally does not read: not stored
    unplaced: int = 0  # attack reports without any date to place them
    errors: list[tuple[str, str]] = field(default_factory=list)
    attacks: set[int] = field(default_factory=set)

    def count(self, outcome: Outcome) -> None:
        name = _COUNTED.get(outcome.status, "stored")
        setattr(self, name, getattr(self, name) + 1)
        if name not in ("stored", "revised"):
            return
        if outcome.attack_id is not None:
            self.attacks.add(outcome.attack_id)
        elif name == "stored":
            self.unplaced += 1


_COUNTED = {"duplicate": "duplicates", "not_attack": "not_attack", "unsupported_language": "unsupported_language",
            "empty": "empty", "revised": "revised", "reinstated": "revised"}


def attack_date(ex: Extraction, published: dt.datetime | None) -> dt.date | None:
    """The Kyiv date the attack ended: the extracted date, else its end, else the publication's."""
    if ex.period.date:
        return ex.period.date
    moment = from_kyiv(ex.period.end) or published
    return kyiv_date(moment) if moment else None


def run_extract(text: str, published: dt.datetime | None) -> Extraction:
    """The extractor on ``text``, told the publication time (Kyiv) when known."""
    from airtally.extraction import extract  # imported on use: storing needs no extractor

    return extract(text, published=published.astimezone(KYIV) if published else None)


def ingest_text(engine: Engine, text: str, *, origin: str, published: dt.datetime | None = None,
                source: str | None = None, kind: str | None = None, notify: bool = True) -> Outcome:
    """Extract ``text`` and store it in one transaction (see the module docstring), with the
    events its change to the attack makes (``notify`` false: recorded, not to be sent)."""
    published = from_kyiv(published)
    digest = report_store.content_hash(text)
    with engine.connect() as conn:
        stored = report_store.report_of_hash(conn, digest)
    if stored:
        return Outcome("duplicate", *stored)
    ex = run_extract(text, published)
    # Under the write lock: a process that stored the same text meanwhile is seen by
    # store_extraction's own look-up, and a concurrent report of the same night finds its attack.
    with write_transaction(engine) as conn:
        changes = AttackChanges(conn, notify=notify)
        outcome = store_extraction(conn, ex, text, digest, origin=origin, published=published,
                                   source=source or Path(origin).name, kind=kind, changes=changes)
        changes.emit()
        return outcome


def store_extraction(conn: Connection, ex: Extraction, text: str, digest: str, *, origin: str,
                     published: dt.datetime | None, source: str, kind: str | None, post: dict | None = None,
                     changes: AttackChanges | None = None) -> Outcome:
    """Store one extracted report (inside the caller's transaction) and write the events its
    change to the attack makes (``airtally.record.attack_events``): the one way from an
    extraction to an outcome, for a file, an export's post and a followed channel's post alike.

    A text in a language airtally does not read is not stored (``unsupported_language``);
    ``kind`` decides the report's kind when given, else the extraction's (``Extraction.kind``): the
    text is not read again here.
    ``post`` (``post_id``, ``revision``) stores a channel's post: its identity is the post, not
    the text, so another report with the same text is no duplicate (airtally.record.posts).
    ``changes`` given: the attack is only watched, the caller writes the events when its whole
    change is done (a post's revision also withdraws the revision before it)."""
    if ex.unsupported_language:
        return Outcome("unsupported_language")  # nothing read, nothing stored
    stored = report_store.report_of_hash(conn, digest) if post is None else None
    if stored:
        return Outcome("duplicate", *stored)
    kind = kind or ex.kind or ex.scope or "news"  # an extraction made without a kind: its scope
    start, end = from_kyiv(ex.period.start), from_kyiv(ex.period.end)
    date = attack_date(ex, published) if ex.is_attack_report else None
    attack_id = None
    if date is not None:
        attacker, target = ex.attacker or "RU", ex.target or "UA"
        attack_id = attack_store.find_or_create_attack(conn, date, attacker, target, start, end)
    source_id = report_store.source_id(conn, source, kind)
    report_id = report_store.insert_reports(conn, [dict(
        source_id=source_id, attack_id=attack_id, kind=kind,
        language=ex.language, published_at=published, text=text, content_hash=digest, origin=origin,
        period_start=start, period_end=end, is_attack_report=ex.is_attack_report, extraction=ex.to_json(),
        **(post or {}),
    )])[0]
    if attack_id is not None:
        watching = changes or AttackChanges(conn)
        watching.watch([attack_id])
        me = dict(report_id=report_id, source_id=source_id, published_at=published, period_start=start, period_end=end)
        _store_details(conn, ex, me, attack_id)
        if changes is None:
            watching.emit()
    if not ex.is_attack_report:
        return Outcome("not_attack", report_id)
    return Outcome("stored", report_id, attack_id)


def _store_details(conn: Connection, ex: Extraction, me: dict, attack_id: int) -> None:
    ids = dict(attack_id=attack_id, report_id=me["report_id"])
    rows = [{**ids, **row} for row in figure_rows(ex)]
    attack_store.insert_figures(conn, rows, returning=False)
    insert_rows(conn, casualties, [{**ids, **row} for row in casualty_rows(ex)])
    insert_rows(conn, claims, [{**ids, **row} for row in claim_rows(ex)])
    if not rows:
        return  # nothing to supersede or merge
    # Only this source's current figures can be superseded or change the merge: read those.
    current = attack_store.current_figures_of_source(conn, attack_id, me["source_id"])
    # The new figures come back in the order they were inserted (by id): no RETURNING needed.
    new_ids = [row["id"] for row in current if row["report_id"] == me["report_id"]]
    replaced = superseded(current, me, dict(zip(new_ids, rows)))
    attack_store.supersede(conn, replaced)
    update_source(conn, attack_id, me["source_id"], [row for row in current if row["id"] not in replaced])


def superseded(everything: list[dict], me: dict, new: dict[int, dict]) -> dict[int, int]:
    """The figures superseded when the report ``me`` (its figures ``new``) joins its attack.

    A report of the same source whose window overlaps this report's is a revision of it: the
    later (by publication time, then by arrival) replaces the earlier whole, so the earlier
    one's figures stop counting, those the later restates and those it does not (as an edited
    post's old revision does). Windows that do not overlap are separate waves and add up.
    ``everything`` holds the source's current figures of the attack. Returns old figure id ->
    the id of the figure replacing it: the later report's figure of the same subject and
    measure, else its first figure."""
    replaced: dict[int, int] = {}
    others: dict[int, list[dict]] = {}
    for row in everything:
        if (row["report_id"] != me["report_id"] and row["source_id"] == me["source_id"] and not row["superseded_by"]
                and windows_overlap(row, me)):
            others.setdefault(row["report_id"], []).append(row)
    mine = [{"id": fid, **row} for fid, row in new.items()]
    for rows in others.values():
        older, newer = (mine, rows) if _is_later(rows[0], me) else (rows, mine)
        replaced.update(_replacements(older, newer))
    return replaced


def _replacements(older: list[dict], newer: list[dict]) -> dict[int, int]:
    by_key = {(row["subject"], row["measure"]): row["id"] for row in reversed(newer)}
    return {row["id"]: by_key.get((row["subject"], row["measure"]), newer[0]["id"]) for row in older}


def windows_overlap(a: dict, b: dict) -> bool:
    """Whether two reports' windows share time (an unknown bound overlaps everything). Windows
    that only touch (a night to 09:00, a day from 09:00) are consecutive waves; the same
    window, even one instant long, overlaps itself."""
    bounds = (a["period_start"], a["period_end"], b["period_start"], b["period_end"])
    if None in bounds:
        return True
    if (a["period_start"], a["period_end"]) == (b["period_start"], b["period_end"]):
        return True
    return a["period_start"] < b["period_end"] and b["period_start"] < a["period_end"]


def _is_later(a: dict, b: dict) -> bool:
    return a["published_at"] is not None and b["published_at"] is not None and a["published_at"] > b["published_at"]


def ingest_paths(engine: Engine, paths: Iterable[Path], *, published: dt.datetime | None = None,
                 source: str | None = None, kind: str | None = None,
                 on_each: Callable[[Path, Outcome | None], None] | None = None) -> IngestSummary:
    """Ingest each file; an unreadable file is recorded in ``errors`` and skipped."""
    summary = IngestSummary()
    for path in paths:
        outcome = None
        try:
            outcome = ingest_text(engine, read_text(path), origin=str(path), published=published,
                                  source=source, kind=kind)
            summary.count(outcome)
        except DatabaseError:
            raise  # the same for every file: stop and say it once
        except AirtallyError as exc:
            summary.errors.append((str(path), exc.message))
        except Exception as exc:  # an extractor bug on one text must not stop a batch of thousands
            summary.errors.append((str(path), f"internal error: {type(exc).__name__}: {exc} (please report it)"))
        if on_each:
            on_each(path, outcome)
    return summary

"""A report's readings: the figures each run of the engine over its text gave (``figures.reading``).

``airtally reextract`` adds a reading when the engine now reads a report differently: the
previous reading's figures stay stored, superseded, and the attack's figures follow the latest.

>>> from airtally.storage.database import open_database
>>> engine = open_database("sqlite://")
>>> with engine.connect() as conn:
...     rereadable_reports(conn)
[]
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from airtally.storage.attacks import as_utc
from airtally.storage.tables_record import figures, reports

# What a reading says of a figure: two readings are the same when these are.
READ = ("subject", "weapon_class", "measure", "value", "qualifier", "confidence", "evidence_start", "evidence_end")


def rereadable_reports(conn: Connection, since: dt.datetime | None = None, source_id: int | None = None) -> list[int]:
    """Ids of the reports the engine read (not the curated data set's rows, which no engine
    read), placed in an attack and not withdrawn; published (else stored) at or after ``since``."""
    query = sa.select(reports.c.id).where(reports.c.language.is_not(None), reports.c.attack_id.is_not(None),
                                          reports.c.withdrawn_at.is_(None))
    if since is not None:
        query = query.where(sa.func.coalesce(reports.c.published_at, reports.c.ingested_at) >= since)
    if source_id is not None:
        query = query.where(reports.c.source_id == source_id)
    return list(conn.execute(query.order_by(reports.c.id)).scalars())


_REPORT = sa.select(reports.c.id, reports.c.text, reports.c.published_at, reports.c.attack_id, reports.c.source_id,
                    reports.c.period_start, reports.c.period_end).where(reports.c.id == sa.bindparam("id"))


def report_to_reread(conn: Connection, report_id: int) -> dict:
    """``id, text, published_at, attack_id, source_id, period_start, period_end`` of a report."""
    row = dict(conn.execute(_REPORT, {"id": report_id}).mappings().one())
    for key in ("published_at", "period_start", "period_end"):
        row[key] = as_utc(row[key])
    return row


def latest_reading(conn: Connection, report_id: int) -> tuple[int, list[dict]]:
    """(the report's latest reading number, that reading's figures; 0 and [] without figures)."""
    of_report = figures.c.report_id == report_id
    latest = conn.execute(sa.select(sa.func.max(figures.c.reading)).where(of_report)).scalar()
    if latest is None:
        return 0, []
    rows = conn.execute(sa.select(figures).where(of_report, figures.c.reading == latest).order_by(figures.c.id))
    return latest, [dict(r) for r in rows.mappings()]


def replace_reading(conn: Connection, old: list[dict], new_ids: dict[tuple, int]) -> None:
    """Retire a reading's figures ``old`` for a new one (``new_ids``: (subject, measure) -> the new
    figure's id), keeping the links between revisions:

    - an old figure that counted is superseded by the new figure of its key, else by itself
      (it stops counting);
    - an old figure superseded by another report's figure: the new one of its key is too;
    - another report's figure an old one superseded: the new figure of its key supersedes it,
      else the new reading's first figure (the later report replaces the earlier whole), and
      when the new reading has no figures at all it counts again."""
    first = min(new_ids.values(), default=None)
    for row in old:
        key = (row["subject"], row["measure"])
        by_other = row["superseded_by"] is not None and row["superseded_by"] != row["id"]
        replacement = new_ids.get(key)
        conn.execute(figures.update().where(figures.c.id == row["id"])
                     .values(superseded_by=replacement if replacement and not by_other else
                             row["superseded_by"] if by_other else row["id"]))
        if by_other and replacement:
            conn.execute(figures.update().where(figures.c.id == replacement).values(superseded_by=row["superseded_by"]))
        conn.execute(figures.update().where(figures.c.superseded_by == row["id"], figures.c.report_id != row["report_id"])
                     .values(superseded_by=replacement or first))


def store_reading_extraction(conn: Connection, report_id: int, extraction: dict) -> None:
    """Keep the latest reading's full result on the report (its warnings name competing spans)."""
    conn.execute(reports.update().where(reports.c.id == report_id).values(extraction=extraction))

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


# Statements built once: building a Core construct per call costs more than running it.
_LATEST = sa.select(sa.func.max(figures.c.reading)).where(figures.c.report_id == sa.bindparam("r"))
_READING = (sa.select(figures).where(figures.c.report_id == sa.bindparam("r"), figures.c.reading == sa.bindparam("n"))
            .order_by(figures.c.id))
_SUPERSEDE = figures.update().where(figures.c.id == sa.bindparam("fid")).values(superseded_by=sa.bindparam("by"))
# Another report's figures an old one superseded (of the same attack: its index finds them,
# where superseded_by has none).
_REPOINT = (figures.update()
            .where(figures.c.attack_id == sa.bindparam("a"), figures.c.superseded_by == sa.bindparam("old"),
                   figures.c.report_id != sa.bindparam("r"))
            .values(superseded_by=sa.bindparam("by")))


def latest_reading(conn: Connection, report_id: int) -> tuple[int, list[dict]]:
    """(the report's latest reading number, that reading's figures; 0 and [] without figures)."""
    latest = conn.execute(_LATEST, {"r": report_id}).scalar()
    if latest is None:
        return 0, []
    return latest, [dict(r) for r in conn.execute(_READING, {"r": report_id, "n": latest}).mappings()]


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
    retired, followed, repointed = [], [], []
    for row in old:
        replacement = new_ids.get((row["subject"], row["measure"]))
        by_other = row["superseded_by"] is not None and row["superseded_by"] != row["id"]
        if by_other:
            if replacement:
                followed.append({"fid": replacement, "by": row["superseded_by"]})
        else:
            retired.append({"fid": row["id"], "by": replacement or row["id"]})
        repointed.append({"a": row["attack_id"], "old": row["id"], "r": row["report_id"], "by": replacement or first})
    for statement, parameters in ((_SUPERSEDE, retired), (_SUPERSEDE, followed), (_REPOINT, repointed)):
        if parameters:
            conn.execute(statement, parameters)


def store_reading_extraction(conn: Connection, report_id: int, extraction: dict) -> None:
    """Keep the latest reading's full result on the report (its warnings name competing spans)."""
    conn.execute(reports.update().where(reports.c.id == report_id).values(extraction=extraction))

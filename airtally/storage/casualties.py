"""Casualty figures (killed, injured) as they count: with a person's decision applied and each
row's report kind, source and publication time.

A casualty row keeps what the engine read; a decision on it is stored in ``reviews`` under the
subject ``casualties`` (``tables_reviews.CASUALTIES_REVIEWED``), keyed by report and measure, so
it applies again to the rows a later reading of the report gives.

>>> from airtally.storage.database import open_database
>>> with open_database("sqlite://").connect() as conn:
...     attack_casualties(conn, 1), casualty_key(conn, 1)
([], None)
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from airtally.storage.attacks import as_utc
from airtally.storage.tables_record import casualties, reports, sources
from airtally.storage.tables_reviews import CASUALTIES, CASUALTIES_REVIEWED, CASUALTY_REVIEW_COLUMNS

# A casualty row as it counts (``value``, ``confidence`` after a decision; ``read_*`` as read).
CASUALTY_COLUMNS = (
    casualties.c.id, casualties.c.attack_id, casualties.c.report_id, casualties.c.measure, casualties.c.qualifier,
    casualties.c.evidence_start, casualties.c.evidence_end, casualties.c.evidence_text, casualties.c.reading,
    casualties.c.superseded_by, *CASUALTY_REVIEW_COLUMNS,
    reports.c.kind, reports.c.source_id, sources.c.name.label("source"), reports.c.published_at,
)
_OF_ATTACK = (
    sa.select(*CASUALTY_COLUMNS)
    .select_from(CASUALTIES_REVIEWED.join(reports, reports.c.id == casualties.c.report_id)
                 .join(sources, sources.c.id == reports.c.source_id))
    .where(casualties.c.attack_id == sa.bindparam("a"))
    .order_by(casualties.c.id)
)
_KEY = sa.select(casualties.c.id, casualties.c.report_id, casualties.c.attack_id, casualties.c.measure,
                 casualties.c.superseded_by).where(casualties.c.id == sa.bindparam("id"))


def attack_casualties(conn: Connection, attack_id: int) -> list[dict]:
    """Every casualty row (current and superseded) of one attack, oldest first, as it counts."""
    rows = [dict(r) for r in conn.execute(_OF_ATTACK, {"a": attack_id}).mappings()]
    for row in rows:
        row["published_at"] = as_utc(row["published_at"])
    return rows


def casualty_key(conn: Connection, casualty_id: int) -> dict | None:
    """The review key of one casualty row (``report_id``, ``subject`` "casualties", ``measure``)
    with its ``id``, ``attack_id`` and ``superseded_by``; None when there is no such row."""
    row = conn.execute(_KEY, {"id": casualty_id}).mappings().first()
    return None if row is None else {**dict(row), "subject": CASUALTIES}


def report_casualties(conn: Connection, report_id: int) -> list[dict]:
    """The current casualty rows of one report (what a new reading of it replaces)."""
    query = (sa.select(casualties).where(casualties.c.report_id == report_id, casualties.c.superseded_by.is_(None))
             .order_by(casualties.c.id))
    return [dict(r) for r in conn.execute(query).mappings()]


def replace_casualties(conn: Connection, old: list[dict], new: list[dict]) -> None:
    """Store ``new`` casualty rows (a report's next reading) and mark ``old`` superseded: by the
    new row of the same measure, else by itself (the measure is no longer read)."""
    if new:
        conn.execute(casualties.insert(), new)
    if not old:
        return
    report_id = old[0]["report_id"]
    stored = conn.execute(sa.select(casualties.c.id, casualties.c.measure)
                          .where(casualties.c.report_id == report_id, casualties.c.superseded_by.is_(None),
                                 casualties.c.id.not_in([row["id"] for row in old]))).all()
    by_measure = {row.measure: row.id for row in stored}
    for row in old:
        by = by_measure.get(row["measure"], row["id"])
        conn.execute(casualties.update().where(casualties.c.id == row["id"]).values(superseded_by=by))

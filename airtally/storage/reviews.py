"""People's decisions on low-confidence figures (weapon and casualty figures), and the figures as
those decisions leave them.

A figure row keeps what the engine read; a decision is stored apart, keyed by the report, the
subject and the measure, and joined to the figures when they are read (``tables_reviews``:
``REVIEWED`` is ``figures`` with its decision, ``REVIEW_COLUMNS`` what counts).

>>> from airtally.storage.database import open_database
>>> engine = open_database("sqlite://")
>>> with engine.connect() as conn:
...     pending(conn)
[]
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from airtally.storage.attacks import as_utc
from airtally.storage.tables_record import casualties, figures, reports, sources
from airtally.storage.tables_reviews import CASUALTIES, CASUALTIES_REVIEWED, DECISIONS, REVIEWED, reviews

_FIGURE = (sa.select(figures.c.id, figures.c.report_id, figures.c.attack_id, figures.c.subject, figures.c.measure,
                     figures.c.superseded_by)
           .where(figures.c.id == sa.bindparam("id")))


def figure_key(conn: Connection, figure_id: int) -> dict | None:
    """``id, report_id, attack_id, subject, measure, superseded_by`` of one figure, or None."""
    row = conn.execute(_FIGURE, {"id": figure_id}).mappings().first()
    return dict(row) if row else None


def store_decision(conn: Connection, key: dict, decision: str, value: int | None, note: str | None,
                   reviewer: str, when: dt.datetime) -> None:
    """Store the decision on the figure ``key`` names (``report_id, subject, measure``), in
    place of an earlier one on the same key (inside the caller's write transaction)."""
    assert decision in DECISIONS
    where = (reviews.c.report_id == key["report_id"], reviews.c.subject == key["subject"],
             reviews.c.measure == key["measure"])
    conn.execute(reviews.delete().where(*where))
    conn.execute(reviews.insert().values(report_id=key["report_id"], subject=key["subject"], measure=key["measure"],
                                         decision=decision, value=value, note=note, reviewer=reviewer,
                                         decided_at=when))


_LISTED = (
    figures.c.id, figures.c.attack_id, figures.c.report_id, sources.c.name.label("source"), reports.c.kind,
    reports.c.origin, figures.c.subject, figures.c.weapon_class, figures.c.measure, figures.c.value,
    figures.c.qualifier, figures.c.confidence, figures.c.evidence_start, figures.c.evidence_end,
    figures.c.evidence_text, figures.c.spans, figures.c.rule, reviews.c.decision, reviews.c.value.label("corrected_value"),
    reviews.c.note, reviews.c.reviewer, reviews.c.decided_at,
)


def _listed(decided: bool):
    query = (sa.select(*_LISTED)
             .select_from(REVIEWED.join(reports, reports.c.id == figures.c.report_id)
                          .join(sources, sources.c.id == reports.c.source_id))
             .where(figures.c.superseded_by.is_(None)))
    if decided:  # whatever its confidence: a person may settle a figure read as high, too
        return query.where(reviews.c.id.is_not(None)).order_by(figures.c.id)
    return query.where(figures.c.confidence == "low", reviews.c.id.is_(None)).order_by(figures.c.id)


_CASUALTY_LISTED = (
    casualties.c.id, casualties.c.attack_id, casualties.c.report_id, sources.c.name.label("source"), reports.c.kind,
    reports.c.origin, sa.literal(CASUALTIES).label("subject"), sa.null().label("weapon_class"), casualties.c.measure,
    casualties.c.value, casualties.c.qualifier, casualties.c.confidence, casualties.c.evidence_start,
    casualties.c.evidence_end, casualties.c.evidence_text, casualties.c.spans, sa.null().label("rule"), reviews.c.decision,
    reviews.c.value.label("corrected_value"), reviews.c.note, reviews.c.reviewer, reviews.c.decided_at,
)


def _casualties_listed(decided: bool):
    query = (sa.select(*_CASUALTY_LISTED)
             .select_from(CASUALTIES_REVIEWED.join(reports, reports.c.id == casualties.c.report_id)
                          .join(sources, sources.c.id == reports.c.source_id))
             .where(casualties.c.superseded_by.is_(None)))
    if decided:
        return query.where(reviews.c.id.is_not(None)).order_by(casualties.c.id)
    return query.where(casualties.c.confidence == "low", reviews.c.id.is_(None)).order_by(casualties.c.id)


def pending(conn: Connection, limit: int | None = None, decided: bool = False) -> list[dict]:
    """The current low-confidence figures no person has decided on (``decided``: the current
    figures a person has decided on), oldest first, each with its report, source and evidence:
    weapon figures first (``item`` "figure"), then casualty figures (``item`` "casualty", subject
    "casualties", measure killed or injured; their ids are the casualty rows')."""
    rows: list[dict] = []
    for item, query in (("figure", _listed(decided)), ("casualty", _casualties_listed(decided))):
        if limit is not None:
            query = query.limit(limit - len(rows))
        rows += [{"item": item, **r} for r in conn.execute(query).mappings()]
        if limit is not None and len(rows) >= limit:
            break
    for row in rows:
        row["decided_at"] = as_utc(row["decided_at"])
    return rows

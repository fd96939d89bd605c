"""The record as pandas DataFrames, for notebooks and exports.

>>> attacks_frame(engine).loc[lambda f: f.date == dt.date(2025, 7, 4), "drones_launched"]   # doctest: +SKIP
412    539
"""

from __future__ import annotations


import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from airtally.record.merge import CLASS_SUBJECTS, MEASURES
from airtally.storage.tables_record import attack_totals, attacks, figures, reports, sources
from airtally.storage.tables_reviews import REVIEWED, reviews

FIGURE_COLUMNS = [
    "figure_id", "attack_id", "date", "attacker", "target", "report_id", "source", "kind", "origin",
    "published_at", "subject", "weapon_class", "label", "line", "measure", "value", "qualifier",
    "evidence_start", "evidence_end", "evidence_text", "rule", "superseded_by",
    "confidence", "reading", "decision", "corrected_value",
]


def _utc(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    for column in columns:
        frame[column] = pd.to_datetime(frame[column], utc=True)
    return frame


def figures_frame(engine: Engine, current_only: bool = False, attack_ids=None) -> pd.DataFrame:
    """Every figure (long format: one row per attack × report × subject × measure) with its
    attack's date and direction and its report's source, kind and evidence; ``attack_ids`` (a
    SELECT of attack ids) keeps only those attacks' figures. ``value`` and ``confidence`` are as
    the engine read them; ``decision`` and ``corrected_value`` a person's review, if any."""
    query = (
        sa.select(figures.c.id.label("figure_id"), figures.c.attack_id, attacks.c.date, attacks.c.attacker,
                  attacks.c.target, figures.c.report_id, sources.c.name.label("source"), reports.c.kind,
                  reports.c.origin, reports.c.published_at, figures.c.subject, figures.c.weapon_class,
                  figures.c.label, figures.c.line, figures.c.measure, figures.c.value, figures.c.qualifier,
                  figures.c.evidence_start, figures.c.evidence_end, figures.c.evidence_text, figures.c.rule,
                  figures.c.superseded_by, figures.c.confidence, figures.c.reading, reviews.c.decision,
                  reviews.c.value.label("corrected_value"))
        .select_from(REVIEWED)
        .join(attacks, attacks.c.id == figures.c.attack_id)
        .join(reports, reports.c.id == figures.c.report_id)
        .join(sources, sources.c.id == reports.c.source_id)
        .order_by(figures.c.id)
    )
    if current_only:
        query = query.where(figures.c.superseded_by.is_(None))
    if attack_ids is not None:
        query = query.where(figures.c.attack_id.in_(attack_ids))
    with engine.connect() as conn:
        frame = pd.DataFrame(conn.execute(query).mappings().all(), columns=FIGURE_COLUMNS)
    return _utc(frame, ["published_at"])


def attacks_frame(engine: Engine) -> pd.DataFrame:
    """One row per attack: date, window, direction, and the merged class totals as columns
    ``drones_launched`` ... ``all_hits`` (from ``attack_totals``), plus ``totals_from`` and
    ``unconfirmed`` (some rest on a low-confidence reading no person has reviewed)."""
    with engine.connect() as conn:
        base = pd.DataFrame(conn.execute(sa.select(attacks.c.id, attacks.c.date, attacks.c.start, attacks.c.end,
                                                   attacks.c.attacker, attacks.c.target)
                                         .order_by(attacks.c.date, attacks.c.id)).mappings().all(),
                            columns=["id", "date", "start", "end", "attacker", "target"])
        totals = pd.DataFrame(conn.execute(sa.select(attack_totals).where(attack_totals.c.subject.in_(CLASS_SUBJECTS)))
                              .mappings().all(), columns=[c.name for c in attack_totals.columns])
    wide = totals.pivot(index="attack_id", columns="subject", values=list(MEASURES))
    wide.columns = [f"{subject}_{measure}" for measure, subject in wide.columns]
    wide = wide.reindex(columns=[f"{s}_{m}" for s in CLASS_SUBJECTS for m in MEASURES]).astype("Int64")
    kinds = totals.groupby("attack_id")["source_kind"].first().rename("totals_from")
    unconfirmed = totals.groupby("attack_id")["unconfirmed"].any().rename("unconfirmed")
    frame = base.join(wide, on="id").join(kinds, on="id").join(unconfirmed, on="id")
    return _utc(frame, ["start", "end"])

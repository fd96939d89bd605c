"""A person's decisions on figures the engine was unsure of (``airtally review``).

A decision is keyed by what it is about, not by a figure row: the report, the subject (a class
total or a weapon model; ``casualties`` for a casualty figure, whose measure is killed or
injured) and the measure. Re-reading the report (``airtally reextract``) adds
new figure rows; the decision applies to them by the same key.
"""

from __future__ import annotations

import sqlalchemy as sa

from airtally.storage.metadata import metadata
from airtally.storage.tables_record import casualties, figures

DECISIONS = ("accept", "correct", "reject")
# The subject a decision on a casualty figure (killed, injured) is stored under.
CASUALTIES = "casualties"

reviews = sa.Table(
    "reviews",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("report_id", sa.Integer, sa.ForeignKey("reports.id"), nullable=False),
    sa.Column("subject", sa.String(64), nullable=False),
    sa.Column("measure", sa.String(16), nullable=False),
    # accept: the figure counts as high; correct: ``value`` counts in its place; reject: it
    # stops counting (it stays stored and queryable).
    sa.Column("decision", sa.String(8), nullable=False),
    sa.Column("value", sa.Integer),
    sa.Column("note", sa.Text),
    # The API token's name, or the local user on the CLI.
    sa.Column("reviewer", sa.String(200), nullable=False),
    sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
    sa.UniqueConstraint("report_id", "subject", "measure", name="uq_reviews_key"),
    sa.CheckConstraint("decision = 'accept' OR decision = 'correct' OR decision = 'reject'", name="decision"),
    sa.CheckConstraint("decision <> 'correct' OR value IS NOT NULL", name="correction_value"),
)


def _counted(table: sa.Table) -> tuple[sa.ColumnElement, sa.ColumnElement, tuple[sa.ColumnElement, ...]]:
    """What counts of a row of ``table`` (figures or casualties) joined to its decision: a
    correction's value, and "high" once a person accepted or corrected it; then the columns a
    reviewed read selects (value and confidence as counted, the decision, and what was read)."""
    value = sa.case((reviews.c.decision == "correct", reviews.c.value), else_=table.c.value)
    confidence = sa.case((reviews.c.decision.in_(("accept", "correct")), "high"), else_=table.c.confidence)
    return value, confidence, (value.label("value"), confidence.label("confidence"), reviews.c.decision,
                               table.c.value.label("read_value"), table.c.confidence.label("read_confidence"))


_KEY = sa.and_(reviews.c.report_id == figures.c.report_id, reviews.c.subject == figures.c.subject,
               reviews.c.measure == figures.c.measure)
# ``figures`` with each figure's decision, if any: select from this to read the columns below.
REVIEWED = figures.outerjoin(reviews, _KEY)
VALUE, CONFIDENCE, REVIEW_COLUMNS = _counted(figures)

_CASUALTY_KEY = sa.and_(reviews.c.report_id == casualties.c.report_id, reviews.c.subject == CASUALTIES,
                        reviews.c.measure == casualties.c.measure)
# ``casualties`` with each casualty figure's decision, and what counts of it, as for figures.
CASUALTIES_REVIEWED = casualties.outerjoin(reviews, _CASUALTY_KEY)
CASUALTY_VALUE, CASUALTY_CONFIDENCE, CASUALTY_REVIEW_COLUMNS = _counted(casualties)

"""Tables of the attack record: sources, reports, attacks, figures, casualties, claims.

Append-only: a report is never changed after it is stored; a later revision of a figure
(the Air Force's "as of 09:00" update) adds a row and marks the older one superseded, so
old values stay queryable. ``attack_totals`` is derived: the merged figures per attack,
recomputed by airtally.record.merge in the same transaction as every write to an attack.
"""

from __future__ import annotations

import sqlalchemy as sa

from airtally.storage.metadata import metadata

# Which kind of post a report is: the Air Force's national post, a regional command's post,
# or a news article (also officials' statements relayed by news).
REPORT_KINDS = ("national", "regional", "news")

sources = sa.Table(
    "sources",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    # e.g. "kpszsu", "PvKPivden", "reuters", "file"
    sa.Column("name", sa.String(200), nullable=False, unique=True),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.CheckConstraint("kind IN ('national', 'regional', 'news')", name="kind"),
)

attacks = sa.Table(
    "attacks",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    # Kyiv calendar date on which the attack ended (the morning after an overnight attack).
    sa.Column("date", sa.Date, nullable=False, index=True),
    sa.Column("start", sa.DateTime(timezone=True)),
    sa.Column("end", sa.DateTime(timezone=True)),
    sa.Column("attacker", sa.String(2), nullable=False),
    sa.Column("target", sa.String(2), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.UniqueConstraint("date", "attacker", "target", name="uq_attacks_date_direction"),
)

reports = sa.Table(
    "reports",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("source_id", sa.Integer, sa.ForeignKey("sources.id"), nullable=False),
    sa.Column("attack_id", sa.Integer, sa.ForeignKey("attacks.id"), index=True),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("language", sa.String(2)),
    sa.Column("published_at", sa.DateTime(timezone=True)),
    # Verbatim text as read (UTF-8 decoded); evidence offsets point into it. For a curated
    # data set row group this is the post's path and the rows as CSV.
    sa.Column("text", sa.Text, nullable=False),
    # sha256 of the text: the same text twice is stored once. A channel's post hashes its
    # identity and revision with its normalised text (``airtally.record.posts.post_hash``):
    # two posts with the same text are two reports.
    sa.Column("content_hash", sa.String(64), nullable=False, unique=True),
    # Where the report came from: a file name, a URL, a curated data set `source` path.
    sa.Column("origin", sa.String(500)),
    # The time window the report covers (UTC), used to match it to an attack.
    sa.Column("period_start", sa.DateTime(timezone=True)),
    sa.Column("period_end", sa.DateTime(timezone=True)),
    sa.Column("is_attack_report", sa.Boolean, nullable=False),
    # The extractor's full result (JSON), kept for provenance and re-reading.
    sa.Column("extraction", sa.JSON),
    sa.Column("ingested_at", sa.DateTime(timezone=True), nullable=False),
    # A channel's post: its id in the channel (the source). Its identity is (source, post id):
    # two posts with the same text are two reports; an edit is the post's next ``revision``.
    sa.Column("post_id", sa.BigInteger),
    sa.Column("revision", sa.Integer),
    # Set when the post was deleted or a later revision replaced this one: its figures then
    # stop counting (each is marked superseded by itself, or by the revision's figure).
    sa.Column("withdrawn_at", sa.DateTime(timezone=True)),
    sa.CheckConstraint("kind IN ('national', 'regional', 'news')", name="kind"),
)
_IS_POST = reports.c.post_id.isnot(None)
sa.Index("uq_reports_post_revision", reports.c.source_id, reports.c.post_id, reports.c.revision, unique=True,
         sqlite_where=_IS_POST, postgresql_where=_IS_POST)
# One source's reports of an attack (a new report's own earlier figures are among them).
sa.Index("ix_reports_attack_source", reports.c.attack_id, reports.c.source_id)

figures = sa.Table(
    "figures",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("attack_id", sa.Integer, sa.ForeignKey("attacks.id"), nullable=False, index=True),
    sa.Column("report_id", sa.Integer, sa.ForeignKey("reports.id"), nullable=False, index=True),
    # A catalogue weapon id ("shahed", "kh-101"), or a class total: "drones", "missiles", "all".
    sa.Column("subject", sa.String(64), nullable=False),
    sa.Column("weapon_class", sa.String(32)),
    # The weapon name as the source wrote it ("X-101/X-555 and Kalibr"), when it had one.
    sa.Column("label", sa.String(200)),
    # The curated data set's line number the figure came from (None for ingested text).
    sa.Column("line", sa.Integer),
    # launched | destroyed | lost | hits
    sa.Column("measure", sa.String(16), nullable=False),
    sa.Column("value", sa.Integer, nullable=False),
    # exact | min | max | about  (an approximate figure keeps its one number and its qualifier)
    sa.Column("qualifier", sa.String(8), nullable=False, server_default="exact"),
    sa.Column("evidence_start", sa.Integer),
    sa.Column("evidence_end", sa.Integer),
    sa.Column("evidence_text", sa.Text),
    # Every span the figure was read from and the competing readings the engine weighed for it:
    # {"evidence": [{"start", "end", "text"}, ...], "competing": [...]} (migration 0019); NULL
    # for curated rows, whose one span is evidence_* (``airtally.record.figures_of.spans_of``).
    sa.Column("spans", sa.JSON),
    sa.Column("rule", sa.String(100)),
    # high | low: "low" when the engine read another competing value for the same field
    # (curated rows, and figures stored before confidence existed, are "high").
    sa.Column("confidence", sa.String(4), nullable=False, server_default="high"),
    # Which reading of its report this figure comes from: 1 when ingested, one more for each
    # `airtally reextract` that read the report differently (earlier readings stay, superseded).
    sa.Column("reading", sa.Integer, nullable=False, server_default="1"),
    # Set when a later report of the same source replaced this figure.
    sa.Column("superseded_by", sa.Integer, sa.ForeignKey("figures.id")),
    # ORs rather than IN: SQLite checks an IN list by building a temporary index for every
    # inserted row, most of the cost of a bulk insert (migration 0003 rewrote them on SQLite).
    sa.CheckConstraint("measure = 'launched' OR measure = 'destroyed' OR measure = 'lost' OR measure = 'hits'",
                       name="measure"),
    sa.CheckConstraint("qualifier = 'exact' OR qualifier = 'min' OR qualifier = 'max' OR qualifier = 'about'",
                       name="qualifier"),
    sa.CheckConstraint("confidence = 'high' OR confidence = 'low'", name="confidence"),
)
sa.Index("ix_figures_attack_subject", figures.c.attack_id, figures.c.subject, figures.c.measure)
# The current figures of a report: what a new report of the same source may supersede.
sa.Index("ix_figures_current", figures.c.report_id,
         sqlite_where=figures.c.superseded_by.is_(None), postgresql_where=figures.c.superseded_by.is_(None))

casualties = sa.Table(
    "casualties",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("attack_id", sa.Integer, sa.ForeignKey("attacks.id"), nullable=False, index=True),
    sa.Column("report_id", sa.Integer, sa.ForeignKey("reports.id"), nullable=False),
    sa.Column("measure", sa.String(16), nullable=False),  # killed | injured
    sa.Column("value", sa.Integer, nullable=False),
    sa.Column("qualifier", sa.String(8), nullable=False, server_default="exact"),
    sa.Column("evidence_start", sa.Integer),
    sa.Column("evidence_end", sa.Integer),
    sa.Column("evidence_text", sa.Text),
    # Every span the figure was read from and the competing readings the engine weighed for it:
    # {"evidence": [{"start", "end", "text"}, ...], "competing": [...]} (migration 0019); NULL
    # for curated rows, whose one span is evidence_* (``airtally.record.figures_of.spans_of``).
    sa.Column("spans", sa.JSON),
    # high | low, and the reading of its report, as for figures (migration 0017)
    sa.Column("confidence", sa.String(4), nullable=False, server_default="high"),
    sa.Column("reading", sa.Integer, nullable=False, server_default="1"),
    sa.Column("superseded_by", sa.Integer, sa.ForeignKey("casualties.id")),
    sa.CheckConstraint("confidence = 'high' OR confidence = 'low'", name="confidence"),
)

claims = sa.Table(
    "claims",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("report_id", sa.Integer, sa.ForeignKey("reports.id"), nullable=False, index=True),
    sa.Column("attack_id", sa.Integer, sa.ForeignKey("attacks.id"), index=True),
    sa.Column("kind", sa.String(32), nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("start", sa.Integer, nullable=False),
    sa.Column("end", sa.Integer, nullable=False),
)

# Derived: the merged figures of each attack per class ("drones", "missiles", "all") and per
# weapon model, with the report each value came from. Rebuilt by airtally.record.merge.
attack_totals = sa.Table(
    "attack_totals",
    metadata,
    sa.Column("attack_id", sa.Integer, sa.ForeignKey("attacks.id"), primary_key=True),
    sa.Column("subject", sa.String(64), primary_key=True),
    sa.Column("weapon_class", sa.String(32)),
    sa.Column("launched", sa.Integer),
    sa.Column("destroyed", sa.Integer),
    sa.Column("lost", sa.Integer),
    sa.Column("hits", sa.Integer),
    # The report the launched figure (else the first figure present) came from, and its kind.
    sa.Column("report_id", sa.Integer, sa.ForeignKey("reports.id")),
    sa.Column("source_kind", sa.String(16)),
    # Some value of the row rests on a low-confidence figure no person has reviewed yet (only
    # possible without a national report: a low news figure never overrides a national one).
    sa.Column("unconfirmed", sa.Boolean, nullable=False, server_default=sa.false()),
)
# The tallies and records read a few subjects of every attack: by subject, covering what they
# sum, so that SQLite need not look each attack's totals up (migration 0018).
sa.Index("ix_attack_totals_subject", attack_totals.c.subject, attack_totals.c.attack_id, attack_totals.c.launched,
         attack_totals.c.destroyed, attack_totals.c.lost, attack_totals.c.unconfirmed)

# The curated data set's rows as read, so that an export in the curated schema gives back
# every column (targets, hit locations, details, unknown columns); the figures themselves
# live in ``figures`` (with ``line``) and are joined back on export.
curated_rows = sa.Table(
    "curated_rows",
    metadata,
    sa.Column("report_id", sa.Integer, sa.ForeignKey("reports.id"), primary_key=True),
    sa.Column("line", sa.Integer, primary_key=True),
    sa.Column("model", sa.String(200), nullable=False),
    sa.Column("time_start", sa.String(32)),
    sa.Column("time_end", sa.String(32)),
    # Every other column of the row by its header name, as written.
    sa.Column("fields", sa.JSON, nullable=False),
)

# Derived, the merge's state per source (rebuilt by airtally.record.merge with attack_totals;
# an attack without rows here is rebuilt from its figures when a report next joins it). A new
# report changes its own source's rows, and ``attack_totals`` only for the subjects they hold:
# ingest then costs what the report changes, not what its attack has collected.
# Each source's current figures summed per subject and measure, class totals completed.
source_totals = sa.Table(
    "source_totals",
    metadata,
    sa.Column("attack_id", sa.Integer, sa.ForeignKey("attacks.id"), primary_key=True),
    sa.Column("source_id", sa.Integer, sa.ForeignKey("sources.id"), primary_key=True),
    sa.Column("subject", sa.String(64), primary_key=True),
    sa.Column("measure", sa.String(16), primary_key=True),
    sa.Column("value", sa.Integer, nullable=False),
    sa.Column("report_id", sa.Integer, sa.ForeignKey("reports.id")),
    # Whether the source stated the subject itself (its weapon_class then counts), rather than
    # only summing it from its weapons.
    sa.Column("stated", sa.Boolean, nullable=False),
    sa.Column("weapon_class", sa.String(32)),
    # The value rests on a low-confidence figure not yet reviewed.
    sa.Column("low", sa.Boolean, nullable=False, server_default=sa.false()),
    # The source's kind, place in the merge order and role, as in ``attack_sources`` (here too,
    # so that the first source of a value and the sum of the adding ones are index reads).
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("size", sa.Integer, nullable=False),
    sa.Column("first_id", sa.Integer, nullable=False),
    sa.Column("additive", sa.Boolean, nullable=False),
)
_KEY = (source_totals.c.attack_id, source_totals.c.subject, source_totals.c.measure, source_totals.c.kind)
sa.Index("ix_source_totals_order", *_KEY, source_totals.c.size.desc(), source_totals.c.first_id)
sa.Index("ix_source_totals_adding", *_KEY, sqlite_where=source_totals.c.additive == sa.true(),
         postgresql_where=source_totals.c.additive == sa.true())
sa.Index("ix_source_totals_stated", source_totals.c.attack_id, source_totals.c.subject, source_totals.c.first_id,
         sqlite_where=source_totals.c.stated == sa.true(), postgresql_where=source_totals.c.stated == sa.true())

# Each source with current figures in an attack: its place in the merge order (size = how many
# values it has, first_id = its first current figure), its window, and whether it adds to the
# lead source's values (a separate wave, or a regional part) or only fills what the lead lacks.
attack_sources = sa.Table(
    "attack_sources",
    metadata,
    sa.Column("attack_id", sa.Integer, sa.ForeignKey("attacks.id"), primary_key=True),
    sa.Column("source_id", sa.Integer, sa.ForeignKey("sources.id"), primary_key=True),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("size", sa.Integer, nullable=False),
    sa.Column("first_id", sa.Integer, nullable=False),
    sa.Column("start", sa.DateTime(timezone=True)),
    sa.Column("end", sa.DateTime(timezone=True)),
    sa.Column("additive", sa.Boolean, nullable=False),
)

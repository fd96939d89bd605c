"""The threat timeline: live threats read from the followed channels' posts (not official alerts).

One row per threat line of a post (``airtally.extraction.threats``), keyed by the source, the
post and the line's place among the post's threats. ``regions`` holds the oblasts the line
names as space-separated ISO codes ("UA-63 UA-59"; empty: none named, the whole country);
``heading_regions`` every oblast its heading names, space-separated (``heading_region`` the
first); ``count`` the number the line states ("3 БпЛА"), null when it states none. A
threat is open until an all clear that names one of its places (or names none) closes it:
``closed_at`` is the all clear's time, ``closed_by`` its row. An all clear is closed at its own
time.
"""

from __future__ import annotations

import sqlalchemy as sa

from airtally.storage.metadata import metadata

threats = sa.Table(
    "threats",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("source", sa.String(200), nullable=False),
    sa.Column("post_key", sa.String(500), nullable=False),
    sa.Column("line", sa.Integer, nullable=False),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("type", sa.String(24), nullable=False),
    sa.Column("regions", sa.String(400), nullable=False, server_default=""),
    sa.Column("heading", sa.String(500)),
    sa.Column("heading_region", sa.String(8)),
    sa.Column("heading_regions", sa.String(400), nullable=False, server_default=""),
    sa.Column("count", sa.Integer),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("closed_at", sa.DateTime(timezone=True)),
    sa.Column("closed_by", sa.Integer, sa.ForeignKey("threats.id", ondelete="SET NULL")),
    sa.UniqueConstraint("source", "post_key", "line", name="uq_threats_source_post_line"),
    sa.CheckConstraint("type IN ('strike_drones', 'jet_drones', 'cruise_missiles', 'ballistic_missiles', 'hypersonic', "
                       "'guided_bombs', 'aircraft_takeoff', 'all_clear')", name="type"),
)
sa.Index("ix_threats_at", threats.c.at)
sa.Index("ix_threats_open", threats.c.closed_at, threats.c.at)

"""Tables of the watcher: the sources it follows and the posts it has read from them.

A followed source is a Telegram channel (read through its web preview) or a feed, of a kind:
``national``, ``regional`` or ``news`` posts become reports of the record (the record's
``sources`` row of the same name); ``alerts`` posts become events of the alert history.
Where the watcher stopped (``last_post_id``), its HTTP validators and its last error are stored
with the source, in the same transaction as the posts they cover.
"""

from __future__ import annotations

import sqlalchemy as sa

from airtally.storage.metadata import metadata

PLATFORMS = ("telegram", "feed")
FOLLOW_KINDS = ("national", "regional", "news", "alerts")

followed_sources = sa.Table(
    "followed_sources",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    # the channel's name ("kpszsu"), or the feed's name (its URL unless given)
    sa.Column("name", sa.String(200), nullable=False, unique=True),
    sa.Column("platform", sa.String(16), nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),
    # the preview's base URL (https://t.me) for a channel; the feed's URL for a feed
    sa.Column("url", sa.String(1000), nullable=False),
    sa.Column("interval_s", sa.Float, nullable=False),
    # the first poll pages back while posts are newer than this
    sa.Column("since", sa.DateTime(timezone=True), nullable=False),
    sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("last_poll_at", sa.DateTime(timezone=True)),
    sa.Column("next_poll_at", sa.DateTime(timezone=True)),
    sa.Column("last_post_id", sa.BigInteger),
    sa.Column("last_error", sa.Text),
    sa.Column("last_error_at", sa.DateTime(timezone=True)),
    # failed polls in a row: the backoff grows with them
    sa.Column("failures", sa.Integer, nullable=False, server_default="0"),
    sa.Column("etag", sa.String(500)),
    sa.Column("last_modified", sa.String(100)),
    sa.CheckConstraint("platform IN ('telegram', 'feed')", name="platform"),
    sa.CheckConstraint("kind IN ('national', 'regional', 'news', 'alerts')", name="kind"),
)

# Every post the watcher has read, by its key in the source (a channel's post id, a feed
# item's id): what it said (the normalised text's hash), what became of it, whether it is gone.
source_posts = sa.Table(
    "source_posts",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("source_id", sa.Integer, sa.ForeignKey("followed_sources.id", ondelete="CASCADE"), nullable=False),
    sa.Column("post_key", sa.String(500), nullable=False),
    sa.Column("published_at", sa.DateTime(timezone=True)),
    sa.Column("text_hash", sa.String(64), nullable=False),
    # stored (a report or alert events) | pending (to read again: an unknown place) | empty
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("note", sa.Text),
    # the text of a post kept to be read again (``pending``); None once it is stored
    sa.Column("text", sa.Text),
    sa.Column("report_id", sa.Integer, sa.ForeignKey("reports.id")),
    sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("deleted_at", sa.DateTime(timezone=True)),
    sa.UniqueConstraint("source_id", "post_key", name="uq_source_posts_source_post"),
    sa.CheckConstraint("status IN ('stored', 'pending', 'empty')", name="status"),
)
sa.Index("ix_source_posts_published_at", source_posts.c.source_id, source_posts.c.published_at)

"""Tables of notifications: the endpoints events are delivered to, and each delivery's state.

An endpoint is a webhook (Standard Webhooks: signed with its ``whsec_`` secret, which is stored
as given because signing needs it) or an ntfy topic (an optional bearer token). Its filters:
``types`` (space-separated: attack record revision threat; empty: all), ``regions``
(space-separated ISO 3166-2:UA codes; empty: everywhere) and ``min_launched``. It receives the
outbox's events after ``start_after`` (the outbox's end when it was added: no history);
``scanned_to`` is how far the delivery loop has matched events against it.

A delivery is one (endpoint, event): ``pending`` until it is ``delivered`` or ``failed`` (gave
up), or ``expired`` (a threat past its time to live). ``next_attempt_at`` is when it may be sent
(a retry's backoff, or a claim's lease while it is being sent), so a restarted loop resumes
where the last one stopped and nothing is sent by two loops at once.
"""

from __future__ import annotations

import sqlalchemy as sa

from airtally.storage.metadata import metadata

ENDPOINT_KINDS = ("webhook", "ntfy")
DELIVERY_STATUSES = ("pending", "delivered", "failed", "expired")

notify_endpoints = sa.Table(
    "notify_endpoints",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("kind", sa.String(16), nullable=False),
    # a webhook's URL; an ntfy server's URL with the topic as its path (https://ntfy.sh/kyiv)
    sa.Column("url", sa.String(2000), nullable=False),
    # a webhook's whsec_ secret (kept: Standard Webhooks signs with it); None for ntfy
    sa.Column("secret", sa.String(200)),
    # an ntfy access token, sent as a bearer token
    sa.Column("token", sa.String(500)),
    sa.Column("types", sa.String(100), nullable=False, server_default=""),
    sa.Column("regions", sa.String(400), nullable=False, server_default=""),
    sa.Column("min_launched", sa.Integer),
    sa.Column("enabled", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.Column("disabled_reason", sa.Text),
    sa.Column("disabled_at", sa.DateTime(timezone=True)),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("start_after", sa.BigInteger, nullable=False, server_default="0"),
    sa.Column("scanned_to", sa.BigInteger, nullable=False, server_default="0"),
    sa.CheckConstraint("kind IN ('webhook', 'ntfy')", name="kind"),
)

notify_deliveries = sa.Table(
    "notify_deliveries",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("endpoint_id", sa.Integer, sa.ForeignKey("notify_endpoints.id", ondelete="CASCADE"), nullable=False),
    sa.Column("event_id", sa.BigInteger, sa.ForeignKey("events.id", ondelete="CASCADE"), nullable=False),
    sa.Column("status", sa.String(16), nullable=False, server_default="pending"),
    sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
    sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("last_status_code", sa.Integer),
    sa.Column("last_error", sa.Text),
    sa.Column("delivered_at", sa.DateTime(timezone=True)),
    sa.UniqueConstraint("endpoint_id", "event_id", name="uq_notify_deliveries_endpoint_event"),
    sa.CheckConstraint("status IN ('pending', 'delivered', 'failed', 'expired')", name="status"),
)
# the loop's question: which pending deliveries are due
sa.Index("ix_notify_deliveries_due", notify_deliveries.c.status, notify_deliveries.c.next_attempt_at)

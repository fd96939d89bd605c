"""The outbox: one row per change worth telling, written in the same transaction as the change.

Read by the live event stream (``GET /api/events``, Server-Sent Events: ``id`` is the event id)
and by the notifications' delivery loop (``airtally.record.events``). Ids grow with commit
order: every writer holds the database's write lock (``write_transaction``), so a reader that
has seen id N never later finds a committed event below N.

- ``type``: dotted, ``attack.created``, ``attack.revised``, ``record.broken``,
  ``record.revised``, ``threat.created`` (``airtally.record.events.EVENT_TYPES``).
- ``subject_at``: when the thing told of happened (an attack's end, else its date's end; a
  threat's time), what the notification window and a threat's time to live are measured from.
- ``regions``: a JSON list of the oblasts (ISO 3166-2:UA codes) the event concerns.
- ``data``: the JSON payload a subscriber needs (``airtally.record.events``).
- ``notify``: false for what is recorded but not to be sent (bulk imports, a catch-up after
  downtime, changes to attacks that ended outside the notification window).
"""

from __future__ import annotations

import sqlalchemy as sa

from airtally.storage.metadata import metadata

events = sa.Table(
    "events",
    metadata,
    sa.Column("id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True, autoincrement=True),
    sa.Column("type", sa.String(40), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("subject_at", sa.DateTime(timezone=True)),
    sa.Column("attack_id", sa.Integer),
    sa.Column("threat_id", sa.Integer),
    sa.Column("regions", sa.JSON, nullable=False),
    sa.Column("data", sa.JSON, nullable=False),
    sa.Column("notify", sa.Boolean, nullable=False),
)
sa.Index("ix_events_attack_id", events.c.attack_id)

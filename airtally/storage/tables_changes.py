"""One row counting committed writes: on PostgreSQL ``write_transaction`` adds one in every
write, so a reader can tell in one indexed read whether anything changed
(airtally.storage.changes)."""

from __future__ import annotations

import sqlalchemy as sa

from airtally.storage.metadata import metadata

changes = sa.Table(
    "changes",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("writes", sa.BigInteger, nullable=False),
)

"""The API's write tokens: a name and the sha256 of the token, never the token itself."""

from __future__ import annotations

import sqlalchemy as sa

from airtally.storage.metadata import metadata

api_tokens = sa.Table(
    "api_tokens",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    # Who holds it ("newsroom-bot"): written into the log with every write it makes.
    sa.Column("name", sa.String(100), nullable=False, unique=True),
    # sha256 hex of the token; the token is shown once, when it is created.
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    # Set by `airtally token revoke`; a revoked token is refused (401) but its row stays.
    sa.Column("revoked_at", sa.DateTime(timezone=True)),
)

"""Alembic environment: runs on the connection airtally.storage.database hands it."""

from __future__ import annotations

from alembic import context

from airtally.storage import tables  # noqa: F401  (registers every table on the metadata)
from airtally.storage.metadata import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through airtally.storage.database.migrate()")

context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()

"""Migration 0002 creates exactly the alert tables the code declares."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from airtally.storage import tables  # noqa: F401  (registers every table)
from airtally.storage.metadata import metadata


def test_migrated_schema_matches_the_declared_tables(engine):
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), metadata)
    assert diff == []

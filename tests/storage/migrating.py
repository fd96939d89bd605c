"""Moving a test database's schema through the migrations, as the migration tests do."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import command

from airtally.storage.database import alembic_config


def migrate(engine: sa.Engine, revision: str, down: bool = False) -> sa.Inspector:
    """Upgrade (or downgrade) ``engine``'s schema to ``revision`` in one transaction; an
    inspector of the schema afterwards."""
    config = alembic_config(engine)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        (command.downgrade if down else command.upgrade)(config, revision)
    return sa.inspect(engine)

"""Opening the database: URL resolution, engine settings, migrations to the newest schema.

The default is an embedded SQLite file in the platform's data directory; ``--db URL`` or
``AIRTALLY_DB`` override it, and a PostgreSQL URL (``postgresql+psycopg://...``) works the same.
"""

from __future__ import annotations

import os
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from platformdirs import user_data_dir
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, OperationalError

from airtally.errors import DatabaseError

ENV_VAR = "AIRTALLY_DB"
MIGRATIONS = Path(__file__).parent / "migrations"


def default_url() -> str:
    """``sqlite:///<platform data dir>/airtally.db``."""
    return f"sqlite:///{Path(user_data_dir('airtally')) / 'airtally.db'}"


def resolve_url(url: str | None = None) -> str:
    """The URL to use: the argument, else ``$AIRTALLY_DB``, else the default file."""
    return url or os.environ.get(ENV_VAR) or default_url()


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets readers run beside one writer; busy_timeout makes a second writer wait
    # for the lock instead of failing at once.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def create(url: str | None = None) -> Engine:
    """An engine for ``url`` (not yet migrated); SQLite files get their folder created."""
    url = resolve_url(url)
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise DatabaseError(f"not a database URL: {url!r} (try sqlite:///path/to/airtally.db)") from exc
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(parsed)
        sa.event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return sa.create_engine(parsed, pool_pre_ping=True)


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest migration (a no-op when it is already there)."""
    try:
        with engine.begin() as connection:
            config = alembic_config(engine)
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    except OperationalError as exc:
        raise DatabaseError(f"cannot open the database {engine.url!r}: {exc.orig}") from exc


def open_database(url: str | None = None) -> Engine:
    """An engine for ``url`` with the schema migrated to the newest version."""
    engine = create(url)
    migrate(engine)
    return engine

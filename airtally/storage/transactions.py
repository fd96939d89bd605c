"""Write transactions that either finish or leave no trace, and clear database errors.

SQLite: a write transaction starts with ``BEGIN IMMEDIATE`` so that a second writer waits
for the lock (``busy_timeout``) at the start instead of failing half-way with "database is
locked" when its read snapshot has gone stale; PostgreSQL keeps its default behaviour.

>>> from airtally.storage.database import open_database
>>> engine = open_database("sqlite://")
>>> with write_transaction(engine) as conn:
...     _ = conn.exec_driver_sql("SELECT 1")
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError, InternalError, OperationalError

from airtally.errors import DatabaseError


def database_error(engine: Engine, exc: DBAPIError) -> DatabaseError:
    """A one-line DatabaseError naming the database and the fix for common failures."""
    where = engine.url.render_as_string(hide_password=True)
    text = str(exc.orig or exc).strip().splitlines()[0]
    lowered = text.lower()
    if "readonly" in lowered or "read-only" in lowered or "read only" in lowered:
        return DatabaseError(f"the database {where} is read-only: {text} (use a writable file or --db URL)")
    if "locked" in lowered or "busy" in lowered:
        return DatabaseError(
            f"the database {where} stayed locked by another writer: {text} (try again when it has finished)"
        )
    return DatabaseError(f"cannot write to the database {where}: {text}")


@contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """One transaction for a write: committed when the block ends, rolled back on any error."""
    try:
        with engine.begin() as conn:
            if conn.dialect.name == "sqlite":
                conn.exec_driver_sql("BEGIN IMMEDIATE")
            yield conn
    except (OperationalError, InternalError) as exc:  # not IntegrityError: callers handle races
        raise database_error(engine, exc) from exc


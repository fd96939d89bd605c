"""How every command opens the database: ``--db URL`` and the global ``--lock-timeout``.

Commands that only read open it read-only (a SQLite file in a read-only folder can be
queried; the schema is migrated only when it is out of date); writers wait for the write lock.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

    from airtally.storage.database import Database

# Set by the root command's --lock-timeout (None: $AIRTALLY_LOCK_TIMEOUT, else 60 s).
settings: dict = {"lock_timeout": None}


@contextmanager
def opened(db: str | None, *, read_only: bool = False) -> Iterator[Database]:
    """``with opened(db) as database``: the database migrated, its engine disposed after."""
    from airtally.storage.database import Database  # imported on use: `airtally --help` stays quick

    with Database.open(db, read_only=read_only, lock_timeout=settings["lock_timeout"]) as database:
        yield database


@contextmanager
def writing(db: str | None) -> Iterator[Connection]:
    """``with writing(db) as conn``: one write transaction that holds the write lock (writers
    at once wait for each other: airtally.storage.transactions)."""
    from airtally.storage.transactions import write_transaction

    with opened(db) as database, write_transaction(database.engine) as conn:
        yield conn

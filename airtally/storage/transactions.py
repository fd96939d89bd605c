"""Write transactions that either finish or leave no trace, one writer at a time, and clear
database errors.

A write transaction first takes the database's write lock, so that writers run one after the
other exactly as if they had been started in turn: each reads what the one before it
committed (attacks, sources, permanent alerts, report hashes) and its get-or-create finds it.
A writer waits for the lock up to the lock timeout (``Database(lock_timeout=...)``,
``$AIRTALLY_LOCK_TIMEOUT``, default 60 s), then fails with a DatabaseError (exit code 4).

- SQLite: ``BEGIN IMMEDIATE`` (the database's own write lock; ``busy_timeout`` is the wait),
  so a second writer waits at the start instead of failing half-way with "database is
  locked" when its read snapshot has gone stale.
- PostgreSQL: ``pg_advisory_xact_lock`` on one key that every airtally writer takes (the
  server's ``lock_timeout`` is the wait), released when the transaction ends. Readers never
  wait for it.

>>> from airtally.storage.database import open_database
>>> engine = open_database("sqlite://")
>>> with write_transaction(engine) as conn:
...     _ = conn.exec_driver_sql("SELECT 1")
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError, IntegrityError

from airtally.errors import DatabaseError
from airtally.storage.database import WRITER_LOCK, engine_lock_timeout, engine_where

# Every write transaction on PostgreSQL counts itself: readers compare the count to know that
# nothing changed (airtally.storage.changes; SQLite readers ask PRAGMA data_version instead). In
# one statement that a database at an older revision, without the table, lets pass (the
# migration tests write to such databases).
_COUNT_WRITE = sa.text(
    "DO $$ BEGIN UPDATE changes SET writes = writes + 1 WHERE id = 1; "
    "EXCEPTION WHEN undefined_table THEN NULL; END $$"
)


def count_write(conn: Connection) -> None:
    """Add one to ``changes`` on PostgreSQL (see above); nothing on SQLite."""
    if conn.dialect.name == "postgresql":
        conn.execute(_COUNT_WRITE)


_UNREACHABLE = ("connection refused", "could not connect", "could not translate host", "timeout expired",
                "name or service not known", "no route to host", "connection to server")


def database_error(engine: Engine, exc: DBAPIError, doing: str = "write") -> DatabaseError:
    """A one-line DatabaseError naming the database and the fix for common failures."""
    where = engine_where(engine)
    text = (str(exc.orig or exc).strip().splitlines() or [type(exc).__name__])[0]
    lowered = text.lower()
    if "readonly" in lowered or "read-only" in lowered or "read only" in lowered:
        return DatabaseError(f"the database {where} is read-only: {text} (use a writable file or --db URL)")
    if "locked" in lowered or "busy" in lowered or "lock timeout" in lowered:
        waited = engine_lock_timeout(engine)
        return DatabaseError(
            f"another writer holds the database {where}: waited {waited:g} s for it ({text}); try again "
            "when it has finished, or wait longer with --lock-timeout / $AIRTALLY_LOCK_TIMEOUT"
        )
    if "not a database" in lowered or "file is encrypted" in lowered:
        return DatabaseError(f"{where} is not an airtally database (not a SQLite file): {text}")
    if "unable to open database file" in lowered:
        return DatabaseError(f"cannot open the database {where}: {text} (does its folder exist and can you write to it?)")
    if re.search(r'database "[^"]*" does not exist', lowered):
        return DatabaseError(f"no database {where} on that server: {text} (create it first: createdb NAME)")
    if any(marker in lowered for marker in _UNREACHABLE):
        return DatabaseError(f"cannot reach the database {where}: {text}")
    verb = {"write": "write to", "open": "open", "migrate": "migrate"}.get(doing, doing)
    return DatabaseError(f"cannot {verb} the database {where}: {text}")


def take_write_lock(conn: Connection) -> None:
    """Hold the database's write lock until ``conn``'s transaction ends (call first thing)."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITER_LOCK})


_AFTER_COMMIT = "airtally.after_commit"


def after_commit(conn: Connection, action: Callable[[], None], key: str | None = None) -> bool:
    """Run ``action`` once ``conn``'s write transaction has committed (not when it rolls back):
    what only a committed change may do, such as waking readers in other processes. An action
    registered again under the same ``key`` replaces the earlier one (once per transaction).
    False when ``conn`` is in no ``write_transaction`` (nothing is registered)."""
    actions = conn.info.get(_AFTER_COMMIT)
    if actions is None:
        return False
    actions[key if key is not None else object()] = action
    return True


@contextmanager
def collecting_after_commit(conn: Connection) -> Iterator[dict[object, Callable[[], None]]]:
    """Collect the ``after_commit`` actions of the transaction the caller runs on ``conn`` inside
    this block; the caller runs them (``run_actions``) once it has committed."""
    actions: dict[object, Callable[[], None]] = {}
    conn.info[_AFTER_COMMIT] = actions
    try:
        yield actions
    finally:
        conn.info.pop(_AFTER_COMMIT, None)  # info outlives the transaction (it is the pooled connection's)


def run_actions(actions: dict[object, Callable[[], None]]) -> None:
    for action in actions.values():
        action()


@contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """One transaction for a write, holding the write lock and counted (``count_write``):
    committed when the block ends, rolled back on any error; then the ``after_commit`` actions."""
    try:
        with engine.begin() as conn:
            take_write_lock(conn)
            count_write(conn)
            with collecting_after_commit(conn) as actions:
                yield conn
    except IntegrityError:
        raise  # a constraint the caller's data broke: not a database problem
    except DBAPIError as exc:
        raise database_error(engine, exc) from exc
    run_actions(actions)

"""A token that changes whenever anyone commits a write to the database: what a cache of
answers computed from it is keyed on.

- SQLite: ``PRAGMA data_version`` on a connection of our own that never writes: SQLite changes
  it on every commit made by any other connection, from any process. It reads the WAL index in
  shared memory (~5 us) and never waits for a lock (when SQLite is busy it answers None: cannot
  tell), so ``instant`` is true and an event loop may call it inline, without a thread.
- PostgreSQL: the ``changes`` row that every ``write_transaction`` adds one to in the same
  transaction, so the count moves exactly when a write becomes visible. Read on a connection of
  our own in autocommit (one round trip, ~0.13 ms of CPU; through the engine's pool, with its
  pre-ping and reset, it was ~1 ms). (Not the server's WAL
  position: it moves with every other database's writes in the same cluster, and a shared
  cluster kept every answer from being reused.)
- In-memory SQLite: None (no other connection can write it; callers do not cache).

>>> import tempfile, pathlib
>>> from airtally.storage.database import Database
>>> db = Database.open(f"sqlite:///{pathlib.Path(tempfile.mkdtemp()) / 'a.db'}")
>>> watch = ChangeWatch(db)
>>> before = watch.token()
>>> from airtally.storage.tokens import create_token
>>> _ = create_token(db.engine, "x")
>>> watch.token() != before
True
"""

from __future__ import annotations

import sqlite3
import threading
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from airtally.storage.database import Database

_WRITES_SQL = "SELECT writes FROM changes WHERE id = 1"


class ChangeWatch:
    """``token()``: a string that differs after any committed write (None: cannot tell).
    ``instant``: whether ``token()`` answers in microseconds and never waits (SQLite), so that
    it may be called on an event loop; on PostgreSQL it is a query, for a worker thread."""

    def __init__(self, database: Database) -> None:
        self.database = database
        self.instant = database.backend == "sqlite"
        self._lock = threading.Lock()
        self._sqlite: sqlite3.Connection | None = None
        self._postgresql: Any = None  # a psycopg.Connection, imported only when used

    def token(self) -> str | None:
        if self.database.backend == "postgresql":
            return self._postgresql_token()
        with self._lock:
            try:
                connection = self._sqlite or self._connect()
                return None if connection is None else str(connection.execute("PRAGMA data_version").fetchone()[0])
            except sqlite3.Error:  # busy (timeout 0: never waited for), or unreadable: cannot tell this time
                return None

    def _postgresql_token(self) -> str | None:
        import psycopg  # only here: SQLite users never import the driver

        with self._lock:
            try:
                if self._postgresql is None:
                    url = self.database.engine.url.set(drivername="postgresql")
                    self._postgresql = psycopg.connect(url.render_as_string(hide_password=False), autocommit=True,
                                                       connect_timeout=10)
                return str(self._postgresql.execute(_WRITES_SQL).fetchone()[0])  # type: ignore[index]
            except psycopg.Error:  # unreachable, or the connection was dropped: cannot tell; reopened next time
                self._close_postgresql()
                return None

    def _close_postgresql(self) -> None:
        if self._postgresql is not None:
            self._postgresql.close()
            self._postgresql = None

    def _connect(self) -> sqlite3.Connection | None:
        path = self.database.path
        if path is None or not path.exists():
            return None
        # read-only and autocommit: it never holds a snapshot, so each PRAGMA sees the latest
        # commit; timeout 0: a busy database is not waited for (the caller may be an event loop)
        self._sqlite = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False,
                                       isolation_level=None, timeout=0)
        return self._sqlite

    def close(self) -> None:
        with self._lock:
            self._close_postgresql()
            if self._sqlite is not None:
                self._sqlite.close()
                self._sqlite = None

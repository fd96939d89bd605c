"""One way to the database: ``Database`` resolves the URL, configures the engine, migrates
the schema (one locked step) and disposes the engine. The CLI, the API and the watcher all
open the database through it.

The default is an embedded SQLite file in the platform's data directory; ``--db URL`` or
``AIRTALLY_DB`` override it, and a PostgreSQL URL (``postgresql+psycopg://...``) works the same.

>>> with Database.open("sqlite://") as db:       # resolved, configured, migrated
...     with db.engine.connect() as conn:
...         conn.exec_driver_sql("SELECT count(*) FROM attacks").scalar()
0

``read_only=True`` is for commands that only read: SQLite is opened read-only (a file in a
read-only folder can be queried), PostgreSQL sessions refuse writes, and the schema is
migrated only when it is out of date. Writers wait up to ``lock_timeout`` seconds
(``$AIRTALLY_LOCK_TIMEOUT``, default 60) for another writer to finish; see
``airtally.storage.transactions.write_transaction``.
"""

from __future__ import annotations

import os
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import sqlalchemy as sa
from platformdirs import user_data_dir
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError

from airtally.errors import DatabaseError

if TYPE_CHECKING:
    from alembic.config import Config

ENV_VAR = "AIRTALLY_DB"
LOCK_TIMEOUT_VAR = "AIRTALLY_LOCK_TIMEOUT"
DEFAULT_LOCK_TIMEOUT = 60.0
MIGRATIONS = Path(__file__).parent / "migrations"
SUPPORTED = ("sqlite", "postgresql")
# pg_advisory_xact_lock keys: one for schema changes, one that every writer holds
# (see airtally.storage.transactions); arbitrary constants, the same in every process.
MIGRATION_LOCK = 0x41495254_0001
WRITER_LOCK = 0x41495254_0002
CONNECT_TIMEOUT = 10  # seconds to reach a PostgreSQL server
# engine -> (seconds it waits for a lock, its URL as shown to people)
_ENGINES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def default_url() -> str:
    """``sqlite:///<platform data dir>/airtally.db``."""
    return f"sqlite:///{Path(user_data_dir('airtally')) / 'airtally.db'}"


def resolve_url(url: str | None = None) -> str:
    """The URL to use: the argument, else ``$AIRTALLY_DB``, else the default file."""
    return url or os.environ.get(ENV_VAR) or default_url()


def lock_timeout_seconds(value: float | None = None) -> float:
    """How long a writer waits for another: ``value``, else ``$AIRTALLY_LOCK_TIMEOUT``, else 60 s."""
    if value is None:
        text = os.environ.get(LOCK_TIMEOUT_VAR, "").strip()
        if not text:
            return DEFAULT_LOCK_TIMEOUT
        try:
            value = float(text)
        except ValueError:
            raise DatabaseError(f"{LOCK_TIMEOUT_VAR}={text!r} is not a number of seconds (e.g. 60)") from None
    if not value >= 0 or value == float("inf"):
        raise DatabaseError(f"the lock timeout must be a number of seconds, 0 or more (got {value!r})")
    return float(value)


def parse_url(url: str) -> URL:
    """The parsed URL of a supported database, or a DatabaseError naming the supported ones.

    A bare ``postgresql://`` gets the psycopg driver airtally installs."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise DatabaseError(f"not a database URL: {url!r} (try sqlite:///path/to/airtally.db)") from None
    backend = parsed.get_backend_name()
    if backend not in SUPPORTED:
        raise DatabaseError(
            f"unsupported database {backend!r} in {parsed.render_as_string(hide_password=True)!r}: "
            "airtally supports sqlite (sqlite:///path/to/airtally.db) and postgresql "
            "(postgresql://user@host/name)"
        )
    if backend == "postgresql" and parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def _sqlite_path(parsed: URL) -> Path | None:
    """The file of a SQLite URL, or None for an in-memory database."""
    if not parsed.database or parsed.database == ":memory:" or parsed.query.get("mode") == "memory":
        return None
    return Path(parsed.database).expanduser()


class Database:
    """One airtally database.

    ``Database(url)`` resolves and checks the URL (nothing is opened yet); ``.engine`` is the
    SQLAlchemy engine, made on first use; ``.migrate()`` brings the schema to the newest
    revision under a lock (a no-op when it is there); ``.dispose()`` closes the connections.
    ``Database.open(url, ...)`` is the usual way in: the object, migrated. As a context
    manager it disposes the engine on exit::

        with Database.open(url) as db:                       # a writer
            with write_transaction(db.engine) as conn: ...
        with Database.open(url, read_only=True) as db:       # a command that only reads
            tally(db.engine, ...)
    """

    def __init__(self, url: str | None = None, *, read_only: bool = False, lock_timeout: float | None = None):
        self.url = resolve_url(url)
        self.parsed = parse_url(self.url)
        self.read_only = read_only
        self.lock_timeout = lock_timeout_seconds(lock_timeout)
        self._engine: Engine | None = None

    @classmethod
    def open(cls, url: str | None = None, *, read_only: bool = False, lock_timeout: float | None = None) -> Database:
        """The database at ``url``, its schema migrated to the newest revision."""
        database = cls(url, read_only=read_only, lock_timeout=lock_timeout)
        try:
            if not read_only:
                database.check_writable()
            database.migrate()
        except BaseException:
            database.dispose()
            raise
        return database

    @property
    def backend(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self.parsed.get_backend_name()

    @property
    def where(self) -> str:
        """The URL as shown to people (no password)."""
        return self.parsed.render_as_string(hide_password=True)

    @property
    def path(self) -> Path | None:
        """The SQLite file (None for PostgreSQL and in-memory SQLite)."""
        return _sqlite_path(self.parsed) if self.backend == "sqlite" else None

    @property
    def engine(self) -> Engine:
        """The engine (made on first use): read-only when the database was opened so."""
        if self._engine is None:
            self._engine = make_engine(self.parsed, self.lock_timeout, read_only=self.read_only)
        return self._engine

    def revision(self) -> str | None:
        """The schema revision stored in the database (None before the first migration)."""
        from alembic.runtime.migration import MigrationContext

        if self.path is not None and not self.path.exists():
            return None
        with self._errors("open"), self.engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()

    def migrate(self) -> None:
        """Bring the schema to the newest revision, as one step under a lock that concurrent
        migrations wait for; nothing is written when the schema is already current."""
        head = head_revision()
        if self.path is not None and self.path.is_dir():
            raise DatabaseError(f"{self.where} names a folder, not a SQLite database file (try {self.path / 'airtally.db'})")
        if self.revision() == head:
            return
        if self.path is not None and self.path.exists() and self.path.stat().st_size > 0:
            self._refuse_read_only_file(self.path)
        if self.path is not None:
            self._make_folder(self.path)
        # A read-only Database migrates through a writable engine of its own, then reads.
        engine = self.engine if not self.read_only else make_engine(self.parsed, self.lock_timeout)
        try:
            with self._errors("migrate"), engine.connect() as conn:
                _upgrade(conn)
        finally:
            if engine is not self._engine:
                engine.dispose()
        if self.read_only and self._engine is not None:
            self._engine.dispose()  # its connections were opened before the file existed

    def dispose(self) -> None:
        """Close every pooled connection (the object can be used again: it reconnects)."""
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc) -> None:
        self.dispose()

    def __repr__(self) -> str:
        return f"<airtally Database {self.where}{' (read-only)' if self.read_only else ''}>"

    def check_writable(self) -> None:
        """Refuse at once to write to a SQLite file that cannot be written (the file, or its
        folder, where SQLite keeps its journal), rather than fail at the first write."""
        if self.path is None or not self.path.is_file():
            return
        if not os.access(self.path, os.W_OK):
            raise DatabaseError(f"the database {self.where} is read-only (the file cannot be written): "
                                "commands that only read can use it; to write, use a writable copy")
        if not os.access(self.path.parent, os.W_OK):
            raise DatabaseError(f"the database {self.where} is read-only (its folder cannot be written, and "
                                "SQLite writes its journal there): commands that only read can use it")

    def _refuse_read_only_file(self, path: Path) -> None:
        if not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK):
            raise DatabaseError(
                f"the database {self.where} has schema revision {self.revision()!r}, this airtally needs "
                f"{head_revision()!r}, and it is read-only: run any airtally command on it once "
                "where it is writable (that migrates it), or copy it to a writable folder"
            )

    def _make_folder(self, path: Path) -> None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DatabaseError(f"cannot create the folder of the database {self.where}: {exc.strerror or exc}") from None

    @contextmanager
    def _errors(self, doing: str) -> Iterator[None]:
        try:
            yield
        except DBAPIError as exc:
            from airtally.storage.transactions import database_error

            raise database_error(self.engine, exc, doing=doing) from None


def make_engine(parsed: URL, lock_timeout: float, *, read_only: bool = False) -> Engine:
    """An engine for ``parsed`` that waits ``lock_timeout`` seconds for locks."""
    if parsed.get_backend_name() == "sqlite":
        engine = _sqlite_engine(parsed, lock_timeout, read_only)
    else:
        options = f"-c lock_timeout={int(lock_timeout * 1000)}"
        if read_only:
            options += " -c default_transaction_read_only=on"
        engine = sa.create_engine(parsed, pool_pre_ping=True,
                                  connect_args={"connect_timeout": CONNECT_TIMEOUT, "options": options})
    _ENGINES[engine] = (lock_timeout, parsed.render_as_string(hide_password=True))
    return engine


def engine_lock_timeout(engine: Engine) -> float:
    """The seconds ``engine`` waits for a lock (the default for engines made elsewhere)."""
    return _ENGINES.get(engine, (DEFAULT_LOCK_TIMEOUT, None))[0]


def engine_where(engine: Engine) -> str:
    """The URL ``engine`` was made for, as shown to people (not the read-only file: URI)."""
    return _ENGINES.get(engine, (None, None))[1] or engine.url.render_as_string(hide_password=True)


def _sqlite_engine(parsed: URL, lock_timeout: float, read_only: bool) -> Engine:
    path = _sqlite_path(parsed)
    if read_only and path is not None:
        # mode=ro: nothing can be written. A WAL database in a folder we cannot write needs
        # its -shm file, which cannot be made there: opened as immutable when no -wal is left.
        query = "mode=ro"
        wal = path.with_name(path.name + "-wal")
        if not os.access(path.parent, os.W_OK) and not (wal.exists() and wal.stat().st_size):
            query += "&immutable=1"
        parsed = parsed.set(database=f"file:{path}?{query}", query={**parsed.query, "uri": "true"})
    engine = sa.create_engine(parsed, connect_args={"timeout": lock_timeout})
    busy_ms = int(lock_timeout * 1000)

    def pragmas(dbapi_connection, _record) -> None:
        cursor = dbapi_connection.cursor()
        # busy_timeout first, so that even switching to WAL waits for a concurrent first use.
        cursor.execute(f"PRAGMA busy_timeout={busy_ms}")
        if not read_only:
            # WAL lets readers run beside one writer.
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    sa.event.listen(engine, "connect", pragmas)
    return engine


def alembic_config(engine: Engine | None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


@lru_cache(maxsize=1)
def head_revision() -> str:
    """The newest schema revision this airtally knows."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config(None)).get_current_head()
    if head is None:
        raise DatabaseError(f"no schema revision found in {MIGRATIONS}: the installed airtally is incomplete")
    return head



def _upgrade(conn: Connection) -> None:
    """Alembic's upgrade to head in one transaction that first takes the migration lock:
    a concurrent first use waits, then finds the schema made (PostgreSQL: an advisory lock;
    SQLite: BEGIN IMMEDIATE, the database's write lock)."""
    from alembic import command

    with conn.begin():
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
        config = alembic_config(conn.engine)
        config.attributes["connection"] = conn
        command.upgrade(config, "head")


def migrate(engine: Engine) -> None:
    """Bring the schema of ``engine``'s database to the newest migration, under the lock."""
    try:
        with engine.connect() as conn:
            _upgrade(conn)
    except DBAPIError as exc:
        from airtally.storage.transactions import database_error

        raise database_error(engine, exc, doing="migrate") from None


def create(url: str | None = None) -> Engine:
    """An engine for ``url`` (not yet migrated), as ``Database(url).engine`` makes it."""
    database = Database(url)
    if database.path is not None:
        database._make_folder(database.path)
    return database.engine


def open_database(url: str | None = None, *, read_only: bool = False) -> Engine:
    """An engine for ``url`` with the schema migrated: ``Database.open(url).engine``, for
    callers that only need the engine (they dispose it)."""
    return Database.open(url, read_only=read_only).engine

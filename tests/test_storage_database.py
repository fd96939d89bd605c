"""Opening a database: the Database object, URLs, migrations, clear errors."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from airtally.errors import DatabaseError
from airtally.storage.database import Database, default_url, head_revision, lock_timeout_seconds, open_database, resolve_url
from airtally.storage.transactions import write_transaction


def test_migrations_create_the_record_tables(engine):
    names = set(sa.inspect(engine).get_table_names())
    assert {"sources", "reports", "attacks", "figures", "casualties", "claims", "attack_totals"} <= names
    assert "alembic_version" in names


def test_migrating_twice_is_a_no_op(db_url):
    open_database(db_url).dispose()
    engine = open_database(db_url)
    with engine.connect() as conn:
        versions = conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalars().all()
    engine.dispose()
    assert len(versions) == 1


def test_url_resolution(monkeypatch):
    monkeypatch.delenv("AIRTALLY_DB", raising=False)
    assert resolve_url() == default_url() and default_url().startswith("sqlite:///")
    monkeypatch.setenv("AIRTALLY_DB", "sqlite:///x.db")
    assert resolve_url() == "sqlite:///x.db"
    assert resolve_url("sqlite:///y.db") == "sqlite:///y.db"


def test_bad_url_is_a_clear_error():
    with pytest.raises(DatabaseError, match="not a database URL"):
        open_database("not a url at all")


def test_unreachable_server_is_a_clear_error():
    with pytest.raises(DatabaseError, match="cannot reach the database postgresql"):
        open_database("postgresql+psycopg://nobody@127.0.0.1:1/none")


@pytest.mark.parametrize("url", ["mysql://u@localhost/x", "oracle://u@h/x", "mssql+pyodbc://u@h/x"])
def test_unsupported_database_names_the_supported_ones(url):
    with pytest.raises(DatabaseError, match="unsupported database .* supports sqlite .* and postgresql"):
        Database(url)


def test_a_bare_postgresql_url_gets_the_installed_driver():
    assert Database("postgresql://u@localhost/x").parsed.drivername == "postgresql+psycopg"


def test_database_object_opens_migrates_and_disposes(db_url):
    with Database.open(db_url) as db:
        assert db.url == db_url and db.backend in ("sqlite", "postgresql")
        assert db.revision() == head_revision()
        with write_transaction(db.engine) as conn:
            conn.exec_driver_sql("INSERT INTO sources (name, kind) VALUES ('s', 'news')")
        engine = db.engine
    assert db._engine is None and engine.pool.checkedout() == 0


def test_read_only_database_reads_and_refuses_writes(db_url):
    Database.open(db_url).dispose()
    with Database.open(db_url, read_only=True) as db:
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT count(*) FROM attacks").scalar() == 0
        with pytest.raises(DatabaseError, match="is read-only"):
            with write_transaction(db.engine) as conn:
                conn.exec_driver_sql("INSERT INTO sources (name, kind) VALUES ('s', 'news')")


def test_read_only_database_migrates_a_new_file_first(tmp_path):
    """A read-only open of a database that does not exist yet makes it (the schema is out of
    date), then reads it read-only."""
    url = f"sqlite:///{tmp_path / 'sub' / 'new.db'}"
    with Database.open(url, read_only=True) as db:
        assert db.revision() == head_revision()


def test_read_only_open_of_a_current_schema_writes_nothing(tmp_path):
    path = tmp_path / "a.db"
    Database.open(f"sqlite:///{path}").dispose()
    before = path.stat().st_mtime_ns, path.stat().st_size
    with Database.open(f"sqlite:///{path}", read_only=True) as db, db.engine.connect() as conn:
        conn.exec_driver_sql("SELECT count(*) FROM figures").scalar()
    assert (path.stat().st_mtime_ns, path.stat().st_size) == before


def test_lock_timeout_comes_from_the_argument_the_environment_or_the_default(monkeypatch):
    monkeypatch.delenv("AIRTALLY_LOCK_TIMEOUT", raising=False)
    assert lock_timeout_seconds() == 60
    assert lock_timeout_seconds(2.5) == 2.5
    monkeypatch.setenv("AIRTALLY_LOCK_TIMEOUT", "7")
    assert lock_timeout_seconds() == 7 and Database("sqlite://").lock_timeout == 7
    monkeypatch.setenv("AIRTALLY_LOCK_TIMEOUT", "soon")
    with pytest.raises(DatabaseError, match="AIRTALLY_LOCK_TIMEOUT='soon' is not a number"):
        lock_timeout_seconds()
    with pytest.raises(DatabaseError, match="0 or more"):
        lock_timeout_seconds(-1)


@pytest.mark.parametrize("name", ["airtally.storage.database", "airtally.storage.transactions"])
def test_docstring_examples(name):
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(name))
    assert result.failed == 0 and result.attempted > 0

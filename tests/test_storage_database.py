"""Opening a database: URLs, migrations, clear errors."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from airtally.errors import DatabaseError
from airtally.storage.database import default_url, open_database, resolve_url


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
    with pytest.raises(DatabaseError, match="cannot open the database"):
        open_database("postgresql+psycopg://nobody@127.0.0.1:1/none")

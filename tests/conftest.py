"""Shared fixtures: databases (SQLite and PostgreSQL), paths to the real data sets."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = Path(os.environ.get("AIRTALLY_SHARED_DATA", ROOT.parent / "shared" / "data"))
FIXTURES = Path(__file__).resolve().parent / "fixtures"
PG_ADMIN_URL = os.environ.get("AIRTALLY_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


def _postgres_reachable() -> bool:
    try:
        engine = sa.create_engine(PG_ADMIN_URL, connect_args={"connect_timeout": 3})
        with engine.connect():
            pass
        engine.dispose()
        return True
    except Exception:
        return False


PG_AVAILABLE = _postgres_reachable()


def pytest_report_header(config):
    from airtally.extraction import COMPILED

    engine = f"extraction engine: {'compiled (mypyc)' if COMPILED else 'Python'}"
    if PG_AVAILABLE:
        return [engine, f"postgresql: {PG_ADMIN_URL}"]
    return [engine, "postgresql: NOT reachable; PostgreSQL storage tests are skipped (CI would fail)"]


@pytest.fixture
def shared_data() -> Path:
    """``../shared/data``; tests that use it are skipped on a machine without it."""
    if not (SHARED_DATA / "missile_attacks_daily.csv").exists():
        pytest.skip(f"real data sets not present at {SHARED_DATA}")
    return SHARED_DATA


def _fresh_postgres_url() -> str:
    if not PG_AVAILABLE:
        if os.environ.get("CI"):
            pytest.fail(f"CI is set but PostgreSQL is not reachable at {PG_ADMIN_URL}")
        pytest.skip(f"PostgreSQL not reachable at {PG_ADMIN_URL} (and CI is unset)")
    name = f"airtally_test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return sa.engine.make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)


def _drop_postgres(url: str) -> None:
    name = sa.engine.make_url(url).database
    admin = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request, tmp_path) -> str:
    """A URL of an empty database: a temporary SQLite file, then a fresh PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'airtally.db'}"
        return
    url = _fresh_postgres_url()
    yield url
    from sqlalchemy.pool import NullPool  # noqa: F401  (engines are disposed by their owners)

    _drop_postgres(url)


@pytest.fixture
def engine(db_url):
    """A migrated engine on ``db_url``."""
    from airtally.storage.database import open_database

    eng = open_database(db_url)
    yield eng
    eng.dispose()

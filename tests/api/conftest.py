"""Fixtures of the API tests: a migrated Database on SQLite and PostgreSQL (``db_url`` of
tests/conftest.py), the bundled examples ingested into it, the app and an httpx client."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from airtally.api.app import create_app
from airtally.api.settings import Settings
from airtally.record.examples import ingest_examples
from airtally.storage.database import Database


@pytest.fixture
def database(db_url):
    with Database.open(db_url) as db:
        yield db


@pytest.fixture
def seeded(database):
    """``database`` with the bundled example reports ingested (attacks of 2025-06-17 .. 2025-07-09)."""
    ingest_examples(database.engine)
    return database


def client_for(database, root_path: str = "", **settings) -> TestClient:
    """An httpx client (Starlette's TestClient) calling the app over ``database`` in process;
    ``root_path`` is the prefix a proxy would have stripped (uvicorn's --root-path)."""
    return TestClient(create_app(database, Settings(db_url=database.url, **settings)), root_path=root_path)


@pytest.fixture
def client(seeded):
    with client_for(seeded) as c:
        yield c

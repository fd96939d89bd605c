"""Fixtures of the API tests: a migrated Database on SQLite and PostgreSQL (``db_url`` of
tests/conftest.py), the bundled examples ingested into it, the app and an httpx client."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from fastapi.testclient import TestClient

from airtally.api.app import create_app
from airtally.api.settings import Settings
from airtally.record.examples import ingest_examples
from airtally.storage.database import Database
from airtally.storage.tokens import create_token


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


@contextmanager
def reviewer_for(database) -> Iterator[tuple[TestClient, str]]:
    """A client over ``database`` and a token of the reviewer "desk-editor", as the review tests use."""
    with client_for(database) as client:
        yield client, create_token(database.engine, "desk-editor")


def assert_refused(reviewer: tuple[TestClient, str], path: str, body: dict, status: int, message: str) -> None:
    """Posting ``body`` to ``path`` with the reviewer's token is answered ``status`` with ``message``
    in it, and the one figure waiting still waits."""
    client, token = reviewer
    answer = client.post(path, json=body, headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == status, answer.text
    assert message in answer.text
    assert len(client.get("/api/review").json()["figures"]) == 1

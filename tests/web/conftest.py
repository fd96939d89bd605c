"""Fixtures for the dashboard: an app with the pages mounted over a database holding the
bundled examples and the small alert fixture, and an empty one."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

ALERTS = Path(__file__).resolve().parent.parent / "alerts" / "fixtures" / "official_small.csv"


def dashboard_app(database) -> FastAPI:
    """The pages over ``database`` (a Database or an Engine; the API's create_app mounts them
    the same way)."""
    from airtally.web import mount

    app = FastAPI()
    app.state.database = database
    mount(app)
    return app


def fill(engine) -> None:
    """The bundled examples (the night ending 2025-07-04 and others) and the alert fixture
    (Kyiv and Lviv under alert on 2022-10-10 around 08:00 Kyiv time)."""
    from airtally.alerts.importer import import_alerts
    from airtally.record.examples import ingest_examples

    ingest_examples(engine)
    import_alerts(engine, ALERTS)


@pytest.fixture
def filled(engine):
    fill(engine)
    return engine


@pytest.fixture
def client(filled):
    with TestClient(dashboard_app(filled)) as test_client:
        yield test_client


@pytest.fixture
def empty_client(engine):
    with TestClient(dashboard_app(engine)) as test_client:
        yield test_client

"""Fixtures of the alert tests: the small hand-written CSVs and a database with them imported."""

from __future__ import annotations

from pathlib import Path

import pytest

from airtally.alerts.importer import import_alerts

FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture
def alerts_engine(engine):
    """A migrated database holding both small fixture files (and the permanent alerts)."""
    import_alerts(engine, FIXTURES / "official_small.csv")
    import_alerts(engine, FIXTURES / "volunteer_small.csv")
    return engine

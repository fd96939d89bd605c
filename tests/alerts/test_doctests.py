"""The examples in the alert modules' docstrings run and hold."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = ["airtally.alerts.channel", "airtally.catalog.place_tags", "airtally.alerts.formats", "airtally.alerts.intervals", "airtally.alerts.permanent",
           "airtally.alerts.queries", "airtally.alerts.store", "airtally.storage.tables_alerts", "airtally.catalog.regions"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name))
    assert result.failed == 0 and result.attempted > 0

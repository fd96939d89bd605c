"""The examples in the sources modules' docstrings run and hold."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = ["airtally.sources.posts", "airtally.sources.telegram_page", "airtally.sources.telegram_export",
           "airtally.sources.followed", "airtally.sources.feeds",
           "airtally.record.posts"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name))
    assert result.failed == 0 and result.attempted > 0

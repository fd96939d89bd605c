"""The examples in the notify modules' docstrings run and hold."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = ["airtally.notify.signing", "airtally.notify.messages", "airtally.notify.filters",
           "airtally.notify.endpoints"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name))
    assert result.failed == 0 and result.attempted > 0

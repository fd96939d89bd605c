"""The examples in the extraction modules' docstrings run and hold."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = ["lexicon", "matcher", "document", "phrases", "links", "actions", "totals", "counts", "people",
           "dates", "claims", "language", "engine", "threats", "wordshapes", "confidence"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(f"airtally.extraction.{name}")
    failures, _ = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert failures == 0


def test_region_forms_examples():
    module = importlib.import_module("airtally.catalog.region_forms")
    assert doctest.testmod(module).failed == 0

"""The kind of an ingested report when --kind is not given."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from airtally.record.report_kind import report_kind

CASES = yaml.safe_load((Path(__file__).parent / "kind_cases.yaml").read_text("utf-8"))


@pytest.mark.parametrize("text,scope,expected", CASES)
def test_kind_from_text_and_scope(text, scope, expected):
    assert report_kind(text, scope) == expected


@pytest.mark.parametrize("given", ["national", "regional", "news"])
def test_kind_given_wins(given):
    assert report_kind("Ukraine's air force said 5 drones.", "regional", given) == given

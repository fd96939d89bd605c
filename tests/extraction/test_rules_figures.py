"""The extraction rules as a specification: each case in ``rules/*.yaml`` is a short text and the
fields it must produce."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from rules_support import actual, expected, rule_cases  # noqa: E402

from airtally.extraction import extract  # noqa: E402

FILES = ("numbers", "actions", "totals", "context", "warnings", "attack", "casualties")


def _check(case: dict) -> None:
    result = extract(case["text"], published=case.get("published"), language=case.get("lang")).to_json()
    wrong = []
    for path, value in case["expect"].items():
        got = actual(result, path)
        if path in ("warnings.codes", "claims.kinds"):
            if not set(value) <= set(got):
                wrong.append(f"{path}: expected at least {value}, got {got}")
        elif got != expected(value):
            wrong.append(f"{path}: expected {value!r}, got {got!r}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("case", [c for name in FILES for c in rule_cases(name)])
def test_rule(case: dict) -> None:
    _check(case)

"""Loading the rule cases of ``rules/*.yaml`` and comparing an extraction with their expectations."""

from __future__ import annotations

from pathlib import Path

import yaml

RULES = Path(__file__).resolve().parent / "rules"


def rule_cases(name: str) -> list:
    """The cases of ``rules/<name>.yaml`` as pytest params (id = the case's name)."""
    import pytest

    cases = yaml.safe_load((RULES / f"{name}.yaml").read_text("utf-8"))
    return [pytest.param(case, id=case["name"]) for case in cases]


def actual(result: dict, path: str):
    """The value at a dotted path of the JSON result; ``claims.kinds``/``warnings.codes`` list them,
    ``weapons.<model>.<field>`` reads the weapon of that model."""
    if path == "claims.kinds":
        return sorted({claim["kind"] for claim in result["claims"]})
    if path == "warnings.codes":
        return sorted({warning["code"] for warning in result["warnings"]})
    if path.startswith("weapons."):  # weapons.<model id>.<field>: null when the model is not listed
        _, model, field = path.split(".")
        return next((w[field] for w in result["weapons"] if w["model"] == model), None)
    value = result
    for key in path.split("."):
        value = value[key]
    if isinstance(value, dict):
        value = {k: v for k, v in value.items() if v is not None}
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        value = sorted(value)
    return value


def expected(value):
    if isinstance(value, list):
        return sorted(value) if all(isinstance(v, str) for v in value) else value
    return value

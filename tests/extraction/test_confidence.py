"""Figures that know when they are unsure: each case of ``rules/confidence.yaml`` gives the figures,
the confidence of each and the fields an ``ambiguous_figure`` warning names with the competing
reading's words; the decision's own thresholds are checked apart (abstaining leaves the field null)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from contract import assert_contract, confidence_of  # noqa: E402
from rules_support import actual, expected, rule_cases  # noqa: E402

from airtally.extraction import confidence, extract  # noqa: E402

COMPILED = not confidence.__file__.endswith(".py")


def _result(case: dict) -> dict:
    return extract(case["text"], published=case.get("published"), language=case.get("lang")).to_json()


@pytest.mark.parametrize("case", rule_cases("confidence"))
def test_confidence_case(case: dict) -> None:
    result = _result(case)
    assert_contract(case["text"], result)
    wrong = [f"{path}: expected {value!r}, got {actual(result, path)!r}"
             for path, value in case["expect"].items() if actual(result, path) != expected(value)]
    wrong += [f"{path}: expected {want}, got {confidence_of(result, path)}"
              for path, want in case["confidence"].items() if confidence_of(result, path) != want]
    warned = {w["field"]: [e["text"] for e in w["evidence"]] for w in result["warnings"] if w["code"] == "ambiguous_figure"}
    assert set(warned) == set(case["ambiguous"]), f"ambiguous_figure on {sorted(warned)}, expected {sorted(case['ambiguous'])}"
    wrong += [f"{path}: the warning quotes {warned[path]}, not {words!r}"
              for path, words in case["ambiguous"].items() if words not in warned[path]]
    assert not wrong, "\n".join(wrong)


@pytest.mark.skipif(COMPILED, reason="a compiled engine reads its weights in C, where a patch cannot reach")
def test_too_close_to_call_leaves_the_field_null(monkeypatch) -> None:
    """With the margin to abstain wider than the chosen reading's lead, the field is null, the
    figures built on it (the "all" sum) are not made, and the warning names both readings."""
    shipped = confidence.shipped_weights()
    wide = confidence.Weights(shipped.cues, low_margin=50.0, abstain_margin=50.0, low_floor=0.0)
    monkeypatch.setattr(confidence, "shipped_weights", lambda: wide)
    text = "Вночі ворог атакував Україну 112 ударними БпЛА та 3 ракетами. Раніше, у ніч на 1 травня, росіяни запустили 149 дронів."
    result = extract(text, published="2025-07-05", language="uk").to_json()
    assert_contract(text, result)
    assert result["totals"]["drones"]["launched"] is None and result["totals"]["all"]["launched"] is None
    assert result["totals"]["missiles"]["launched"] == 3
    warning = next(w for w in result["warnings"] if w.get("field") == "totals.drones.launched")
    assert "left null" in warning["message"]
    assert [e["text"] for e in warning["evidence"]] == ["112 ударними БпЛА", "149 дронів"]


def test_weights_name_only_known_cues() -> None:
    """The shipped weights (``scripts/fit_confidence.py``) weigh the cues the engine gives."""
    weights = confidence.shipped_weights()
    assert set(weights.cues) <= {*confidence.CUES, *confidence.CASUALTY_CUES}
    assert weights.abstain_margin <= weights.low_margin

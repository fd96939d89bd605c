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
from airtally.extraction.engine import readings  # noqa: E402

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
    assert weights.switch_margin >= 0


def _reading(case: dict):
    group = readings(case["text"], str(case["published"]), case.get("lang", "en")).get(case["field"], [])
    found = [r for r in group if r.value == case["value"]]
    assert found, f"no reading {case['value']!r} of {case['field']}: {[r.value for r in group]}"
    return found[0]


@pytest.mark.parametrize("case", rule_cases("cues"))
def test_reading_cues(case: dict) -> None:
    """Each reading carries the cues its words and place give it (``rules/cues.yaml``)."""
    cues = {name for name, value in _reading(case).cues.items() if value}
    assert set(case.get("has", [])) <= cues, f"missing {sorted(set(case['has']) - cues)}; has {sorted(cues)}"
    assert not set(case.get("lacks", [])) & cues, f"unexpected {sorted(set(case['lacks']) & cues)}"
    if "position" in case:
        assert _reading(case).cues.get("position", 0.0) == pytest.approx(case["position"])


# parts and their wholes the rules read alike (destroyed, the larger chosen): "from the" is no "of"
OUT_OF = "Ukrainian air defences shot down 36 missiles and 186 drones from the 67 missiles and 194 attack drones Russia fired overnight."
TOLLS = "Russia attacked Kharkiv overnight with 20 drones. One person was killed, the governor said. Three people were killed, the mayor said."
# The ranked decision with weights given here (not the fitted ones): which reading wins, how sure,
# and what the output then says. ``weights``: cue -> weight; ``switch``: the margin a rival needs
# over the rules' pick; ``low``: the margin below which the winner is low; ``ambiguous``: every field
# warned about, with the words the warning quotes (None: not checked here).
RANKED_CASES = [
    pytest.param(dict(text=OUT_OF, published="2025-03-07", weights={"chosen": 1.0, "largest": -3.0}, switch=0.5, low=1.0,
                      expect={"totals.drones.destroyed": 186, "totals.missiles.destroyed": 36, "totals.all.destroyed": 222},
                      rule={"totals.drones.destroyed": "ranked_choice", "totals.missiles.destroyed": "ranked_choice"},
                      confidence={"totals.drones.destroyed": "high", "totals.all.destroyed": "high"}, ambiguous={}),
                 id="the parts beat the whole they are counted out of; the sum follows"),
    pytest.param(dict(text=OUT_OF, published="2025-03-07", weights={"chosen": 1.0, "largest": -3.0}, switch=0.5, low=3.0,
                      expect={"totals.drones.destroyed": 186}, rule={"totals.drones.destroyed": "ranked_choice"},
                      confidence={"totals.drones.destroyed": "low", "totals.all.destroyed": "low"},
                      ambiguous={"totals.drones.destroyed": ["186 drones", "194 attack drones"],
                                 "totals.missiles.destroyed": ["36 missiles", "67 missiles"], "totals.all.destroyed": None}),
                 id="a rival that wins by less than the low margin is low, the warning names it and the rules' pick"),
    pytest.param(dict(text=OUT_OF, published="2025-03-07", weights={"chosen": 1.0, "largest": -3.0}, switch=5.0, low=1.0,
                      expect={"totals.drones.destroyed": 194}, rule={"totals.drones.destroyed": "stated_total"},
                      confidence={"totals.drones.destroyed": "low"},
                      ambiguous={"totals.drones.destroyed": ["194 attack drones", "186 drones"],
                                 "totals.missiles.destroyed": ["67 missiles", "36 missiles"], "totals.all.destroyed": None}),
                 id="short of the switch margin the rules' pick stays, low"),
    pytest.param(dict(text=TOLLS, published="2025-07-05", weights={"casualty_chosen": 1.0, "casualty_largest": -3.0}, switch=0.5,
                      low=1.0, expect={"casualties.killed": 1}, rule={"casualties.killed": "ranked_choice"},
                      confidence={"casualties.killed": "high"}, ambiguous={}),
                 id="a casualty figure is chosen the same way"),
]


@pytest.mark.skipif(COMPILED, reason="a compiled engine reads its weights in C, where a patch cannot reach")
@pytest.mark.parametrize("case", RANKED_CASES)
def test_ranked_decision_chooses(monkeypatch, case: dict) -> None:
    weights = confidence.Weights({"bias": 0.0, **case["weights"]}, low_margin=case["low"], abstain_margin=-100.0,
                                 low_floor=0.0, switch_margin=case["switch"])
    monkeypatch.setattr(confidence, "shipped_weights", lambda: weights)
    result = extract(case["text"], published=case["published"], language="en").to_json()
    assert_contract(case["text"], result)
    wrong = [f"{path}: expected {value!r}, got {actual(result, path)!r}"
             for path, value in case["expect"].items() if actual(result, path) != value]
    rules = {e["field"]: e["rule"] for e in result["evidence"]}
    wrong += [f"{path}: rule {rules.get(path)}, expected {rule}" for path, rule in case["rule"].items() if rules.get(path) != rule]
    wrong += [f"{path}: {confidence_of(result, path)}, expected {want}"
              for path, want in case["confidence"].items() if confidence_of(result, path) != want]
    warned = {w["field"]: [e["text"] for e in w["evidence"]] for w in result["warnings"] if w["code"] == "ambiguous_figure"}
    if set(warned) != set(case["ambiguous"]):
        wrong.append(f"ambiguous_figure on {sorted(warned)}, expected {sorted(case['ambiguous'])}")
    wrong += [f"{path}: the warning quotes {warned.get(path)}, expected {words}"
              for path, words in case["ambiguous"].items() if words is not None and warned.get(path) != words]
    assert not wrong, "\n".join(wrong)

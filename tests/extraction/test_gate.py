"""The quality gate's own rules, and the corpus files it reads (no engine needed)."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import gate  # noqa: E402

CASES = gate.load_cases()
FIGURE = (type(None), int, dict)


def _prediction(**changes) -> dict:
    """A contract-shaped prediction equal to ``expected`` except for ``changes`` (dotted paths)."""
    base = {
        "language": "en", "is_attack_report": True, "attacker": "RU", "target": "UA", "scope": None,
        "regions": [], "period": {"date": "2025-07-04"}, "weapons": [], "claims": [], "warnings": [],
        "totals": {"drones": {"launched": 539, "destroyed": 268, "lost": None, "hits": None},
                   "missiles": {"launched": 11, "destroyed": 2, "lost": None, "hits": None},
                   "all": {"launched": 550, "destroyed": 270}},
        "locations": {"hit": None, "debris": None}, "casualties": {"killed": None, "injured": 23},
    }
    for path, value in changes.items():
        node = base
        *parents, leaf = path.split(".")
        for key in parents:
            node = node[key]
        node[leaf] = value
    return base


EXPECTED = {
    "published": "2025-07-04", "language": "en", "is_attack_report": True, "attacker": "RU", "target": "UA",
    "period": {"date": "2025-07-04"},
    "totals": {"drones": {"launched": 539, "destroyed": 268, "lost": None},
               "missiles": {"launched": 11, "destroyed": 2}, "all": {"launched": 550, "destroyed": 270}},
    "casualties": {"killed": None, "injured": 23}, "claims": ["largest"], "must_not": [537],
}
SEED = gate.Case("en/seed", "", EXPECTED)


def test_perfect_prediction_scores_all_true_positives() -> None:
    result = gate.score_case(SEED, _prediction(claims=[{"kind": "largest", "text": "", "start": 0, "end": 0}]))
    assert (result.score.tp, result.score.fp, result.score.fn) == (13, 0, 0)
    assert result.mismatches == []


@pytest.mark.parametrize(
    ("changes", "tp", "fp", "fn"),
    [
        ({"totals.drones.launched": 540}, 11, 1, 2),  # wrong figure: FP and FN; claim missing: FN
        ({"totals.drones.launched": None}, 11, 0, 2),  # missed figure: FN only
        ({"totals.drones.lost": 208}, 12, 1, 1),  # figure where none is stated: FP
        ({"totals.drones.launched": {"min": 539, "max": None, "about": None}}, 11, 1, 2),  # approx != exact
        ({"is_attack_report": False}, 11, 1, 2),
    ],
)
def test_each_kind_of_error_is_counted(changes, tp, fp, fn) -> None:
    score = gate.score_case(SEED, _prediction(**changes)).score
    assert (score.tp, score.fp, score.fn) == (tp, fp, fn)


def test_must_not_figures_are_reported() -> None:
    result = gate.score_case(SEED, _prediction(**{"totals.all.launched": 537}))
    assert result.score.distractors == 1
    assert "must_not: totals.all.launched=537" in result.mismatches


def test_a_bare_approximate_must_not_is_refused_with_a_clear_error() -> None:
    with pytest.raises(ValueError, match="names its field"):
        gate.must_not_violations({"must_not": [{"min": 400}]}, {})


def test_floors_fail_below_and_rise_only() -> None:
    scores = {"en": gate.Score(tp=8, fp=2, fn=2)}
    baseline = {"floors": {"en": {"precision": 0.9, "recall": 0.5}}}
    assert gate.floor_checks(scores, baseline) == ["en precision 0.800 < floor 0.900"]
    raised = gate.raised_floors(scores, baseline)["floors"]["en"]
    assert raised == {"precision": 0.9, "recall": 0.8}


def test_baseline_names_every_language() -> None:
    floors = gate.load_baseline()["floors"]
    assert set(floors) == {*gate.LANGUAGES, "all"}


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_case_file_is_well_formed(case: gate.Case) -> None:
    """Every expected JSON states the core fields with well-typed, self-consistent values."""
    exp = case.expected
    assert case.id.split("/")[0] == exp["language"], "case stored under the wrong language folder"
    published = case.published.date()  # an ISO date or datetime
    assert case.text.strip(), "empty text"
    for path in gate.CORE_FIELDS:
        assert path.split(".")[0] in exp, f"{path} not stated"
        assert isinstance(gate.dig(exp, path), (*FIGURE, str, bool)), path
    if not exp["is_attack_report"]:
        stated = [p for p in gate.CORE_FIELDS[2:] if gate.dig(exp, p) is not None]
        assert not stated, f"a non-attack states {stated}"
        return
    date = exp["period"]["date"]
    assert date is None or dt.date.fromisoformat(date) <= published
    totals = exp["totals"]
    for key in ("launched", "destroyed"):
        drones, missiles, both = totals["drones"][key], totals["missiles"][key], totals["all"][key]
        if isinstance(drones, int) and isinstance(missiles, int) and isinstance(both, int):
            assert both == drones + missiles, f"all.{key} {both} != {drones} + {missiles}"


def test_every_json_has_its_text() -> None:
    folders = [p for p in gate.CASES_DIR.iterdir() if p.is_dir()]
    texts = {p.with_suffix("") for folder in folders for p in folder.glob("*.txt")}
    jsons = {p.with_suffix("") for folder in folders for p in folder.glob("*.json")}
    assert texts == jsons, f"unpaired files: {sorted(map(str, texts ^ jsons))}"
    assert all(json.loads(p.with_suffix(".json").read_text(encoding="utf-8")) for p in jsons)

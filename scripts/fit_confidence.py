"""Fit ``airtally/extraction/confidence.json``: the weights of the cues that rank the readings
competing for a field (``airtally.extraction.confidence``) and the decision's thresholds.

Fitted on the TUNED corpora only: the real corpus's tuned part (``tests/extraction/real/<lang>``)
and the gold corpus (``tests/extraction/cases``); never on ``real/heldout``. Every reading of every
chosen total and casualty figure (the rules' pick and its rivals) is one example, labelled right
when its figure is the gold's: the ranking is learnt as a logistic regression over "this candidate
is right" (L2, by Newton's method on numpy; a few dozen cues and a few thousand examples). The
thresholds are then chosen on the same examples:

- ``switch_margin`` and ``abstain_margin`` together: the pair that reads the most fields of the
  real corpus right (a rival taking the field when it outscores the rules' pick by the switch
  margin, the field left null when the top two are within the abstain margin) while reading wrong
  none of the gold corpus's fields the rules' picks read right (the gate, language by language);
  of equals, the one that overturns the rules least;
- ``low_margin`` and ``low_floor``: the fewest ``low`` marks that bring the precision of the
  figures left ``high`` to ``--target`` (or the best precision within ``--max-low``, precisions
  within half a point of it counting as equal: the fewer ``low`` marks win). The margin is at
  least 3 log-odds (``LOW_MARGINS``): a rival that close always makes the winner ``low`` and
  names itself in the warning (two officials' tolls that disagree), whatever the floor.

``--cv K`` estimates what the fit is worth on cases it has not seen: the real corpus's tuned part
is cut into K folds by case; each fold is read by the engine with weights fitted on the other
folds (and the gold corpus), and the scores of ``real_score.py`` are summed over the folds.
``--no-switch`` fits and cross-validates the decision that only rates the rules' pick (the
switch margin infinite), for comparison; ``--drop CUE,...`` fits without some cues.

    python scripts/fit_confidence.py            # fit, print the trade-off, write the JSON
    python scripts/fit_confidence.py --dry-run  # fit and print only
    python scripts/fit_confidence.py --cv 5     # cross-validated scores of the tuned part; writes nothing
    python scripts/fit_confidence.py --cv 5 --no-switch --drop position,night  # what the switch and two cues add
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "extraction"))
import gate  # noqa: E402
import real_score  # noqa: E402

from airtally.extraction import confidence  # noqa: E402
from airtally.extraction.confidence import CASUALTY_CUES, CUES, Reading, Weights, decide  # noqa: E402
from airtally.extraction.engine import readings  # noqa: E402

OUT = ROOT / "airtally" / "extraction" / "confidence.json"
FEATURES = [c for c in (*CUES, *CASUALTY_CUES) if c != "bias"]
FIELDS = (*gate.CORE_FIELDS, "casualties.killed", "casualties.injured")
NEVER = -100.0  # a margin no gap is below: never abstain
SWITCHES = (0.0, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0, math.inf)
ABSTAINS = (NEVER, 0.0, 0.25, 0.5, 0.75, 1.0, 1.5)
CV_SEED = 16
LOW_MARGINS = (3.0, 4.0, 5.0)
LOW_FLOORS = (0.0, 0.3, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.9)


@dataclass
class Example:
    """The readings of one field of one case (the rules' pick first) and the gold figure."""

    case: str
    group: list[Reading]
    gold: object


def examples(cases) -> list[Example]:
    """Every chosen total and casualty figure of ``cases`` that the gold states or leaves null."""
    found = []
    for case in cases:
        for field, group in readings(case.text, case.published, case.language).items():
            if field in FIELDS:
                found.append(Example(case.id, group, gate.dig(case.expected, field)))
    return found


def _rows(example: Example) -> list[list[float]]:
    return [[1.0, *(reading.cues.get(name, 0.0) for name in FEATURES)] for reading in example.group]


def _right(example: Example) -> list[bool]:
    return [gate.normalize_value(reading.value) == example.gold for reading in example.group]


def fit(data: list[tuple[Example, float]], l2: float = 1.0, rank_weight: float = 1.0, rounds: int = 30,
        dropped: frozenset[str] = frozenset()) -> np.ndarray:
    """One weight vector (bias first) for two losses summed, by Newton's method with an L2 penalty
    (not on the bias): the logistic loss of "this reading is right" over every reading (what the
    floor reads: how likely the winner is right), and the ranking loss of a field's readings where
    exactly one is right (a softmax over them, conditional logit: which reading wins). Each
    example weighs ``data``'s weight."""
    points, labels, sample, groups = [], [], [], []
    for example, weight in data:
        rows, right = _rows(example), _right(example)
        points += rows
        labels += [float(r) for r in right]
        sample += [weight] * len(rows)
        if len(rows) > 1 and sum(right) == 1:
            groups.append((np.array(rows), right.index(True), weight * rank_weight))
    xs, ys, ss = np.array(points), np.array(labels), np.array(sample)
    k = xs.shape[1]
    keep = np.array([True, *(name not in dropped for name in FEATURES)])  # a dropped cue's column is all zero
    xs[:, ~keep] = 0.0
    groups = [(rows * keep, right, weight) for rows, right, weight in groups]
    w = np.zeros(k)
    penalty = np.full(k, l2)
    penalty[0] = 0.0
    for _ in range(rounds):
        p = 1 / (1 + np.exp(-np.clip(xs @ w, -30, 30)))
        grad = xs.T @ (ss * (p - ys)) + penalty * w
        hess = (xs * (ss * p * (1 - p))[:, None]).T @ xs + np.diag(penalty)
        for rows, right, weight in groups:  # the bias is the same for every reading: it cancels here
            z = rows @ w
            q = np.exp(z - z.max())
            q /= q.sum()
            mean = q @ rows
            grad += weight * (mean - rows[right])
            hess += weight * ((rows * q[:, None]).T @ rows - np.outer(mean, mean))
        step = np.linalg.solve(hess + 1e-9 * np.eye(k), grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w


def fit_cues(real: list[Example], gold: list[Example], gold_weight: float, rank_weight: float,
             dropped: frozenset[str] = frozenset()) -> dict[str, float]:
    """The cues' weights, fitted on every reading of ``real`` and ``gold`` (a ``dropped`` cue weighs 0)."""
    w = fit([(e, 1.0) for e in real] + [(e, gold_weight) for e in gold], rank_weight=rank_weight, dropped=dropped)
    return {"bias": round(float(w[0]), 3), **{name: round(float(v), 3) for name, v in zip(FEATURES, w[1:])}}


def outcome(data: list[Example], weights: Weights) -> dict[str, float]:
    """Over the decided fields: how many read right, how many switched away from the rules' pick,
    high and low counts, and the precision of the high ones."""
    right = switched = high = high_right = low = 0
    for example in data:
        verdict, winner, _ = decide(example.group, weights)
        value = None if verdict == "abstain" else winner.value
        correct = gate.normalize_value(value) == example.gold
        right += correct
        switched += winner is not example.group[0]
        if verdict == "low":
            low += 1
        elif verdict == "high":
            high += 1
            high_right += correct
    return {"right": right, "switched": switched, "high": high, "low": low,
            "precision": high_right / high if high else 1.0}


def choose_switch(cues: dict[str, float], real: list[Example], gold: list[Example], switches, quiet: bool) -> tuple[float, float]:
    """(switch_margin, abstain_margin): the most real fields right, no gold field lost (none the
    rules' picks read right read wrong: the gate's known failures gain no entry, in no language)."""
    rules = Weights(cues, NEVER, NEVER, 0.0)  # the rules' picks, never abstaining
    floor = outcome(gold, rules)["right"]
    picked_right = [_read_right(example, rules) for example in gold]
    best: tuple[tuple, tuple[float, float]] | None = None
    for switch in switches:
        for abstain in ABSTAINS:
            weights = Weights(cues, NEVER, abstain, 0.0, switch)
            on_real, on_gold = outcome(real, weights), outcome(gold, weights)
            lost = sum(was and not _read_right(example, weights) for example, was in zip(gold, picked_right))
            if not quiet:
                print(f"switch {switch} abstain {abstain}: real right {on_real['right']} (switched {on_real['switched']}), "
                      f"gold right {on_gold['right']} of {len(gold)} (rules' picks {floor}), gold lost {lost}")
            if lost:
                continue
            # of equals: fewer switches, then the larger switch margin, then fewer abstentions
            key = (on_real["right"], -on_real["switched"], switch, -abstain)
            if best is None or key > best[0]:
                best = (key, (switch, abstain))
    return best[1] if best else (math.inf, NEVER)


def _read_right(example: Example, weights: Weights) -> bool:
    verdict, winner, _ = decide(example.group, weights)
    return gate.normalize_value(None if verdict == "abstain" else winner.value) == example.gold


def choose_low(cues: dict[str, float], real: list[Example], switch: float, abstain: float, target: float,
               max_low: float, quiet: bool, tie: float = 0.005) -> tuple[float, float]:
    """(low_margin, low_floor): the fewest low marks reaching ``target``, else the best precision
    with at most ``max_low`` of the figures low, where precisions within ``tie`` of the best count
    as equal (a field or two of the few hundred marked high) and the fewer low marks win."""
    points = []  # (precision, share low, thresholds)
    for low_margin in LOW_MARGINS:
        for low_floor in LOW_FLOORS:
            weights = Weights(cues, max(low_margin, abstain), abstain, low_floor, switch)
            result = outcome(real, weights)
            share = result["low"] / len(real)
            if not quiet:
                print(f"low below margin {low_margin} or p {low_floor}: low {share:.3f}, precision {result['precision']:.3f}")
            points.append((result["precision"], share, (weights.low_margin, low_floor)))
    reached = [p for p in points if p[0] >= target]
    within = reached or [p for p in points if p[1] <= max_low]
    if not within:
        return (max(abstain, 0.0), 0.0)
    best = max(p[0] for p in within)
    return min((p for p in within if p[0] >= (target if reached else best - tie)), key=lambda p: p[1])[2]


def fit_all(real: list[Example], gold: list[Example], args, quiet: bool = False) -> dict:
    """The shipped JSON's content, fitted on ``real`` and ``gold``."""
    cues = fit_cues(real, gold, args.gold_weight, args.rank_weight, frozenset(args.drop))
    if not quiet:
        print(f"{len(real)} + {len(gold)} fields (real, gold), {sum(len(e.group) for e in real + gold)} readings")
        print("weights:", json.dumps(cues))
    switch, abstain = choose_switch(cues, real, gold, (math.inf,) if args.no_switch else SWITCHES, quiet)
    low_margin, low_floor = choose_low(cues, real, switch, abstain, args.target, args.max_low, quiet)
    return {"cues": cues, "switch_margin": None if math.isinf(switch) else switch, "low_margin": low_margin,
            "abstain_margin": abstain, "low_floor": low_floor}


def as_weights(shipped: dict) -> Weights:
    switch = shipped["switch_margin"]
    return Weights(shipped["cues"], shipped["low_margin"], shipped["abstain_margin"], shipped["low_floor"],
                   math.inf if switch is None else switch)


def cross_validate(cases, real: list[Example], gold: list[Example], folds: int, args) -> dict[str, real_score.FieldScore]:
    """The tuned part's scores, each fold read with weights fitted without it."""
    ids = sorted(case.id for case in cases)
    random.Random(CV_SEED).shuffle(ids)
    fold_of = {case_id: k % folds for k, case_id in enumerate(ids)}
    results, sureness = [], []
    for k in range(folds):
        shipped = fit_all([e for e in real if fold_of[e.case] != k], gold, args, quiet=True)
        weights = as_weights(shipped)
        sureness += [sure(e, weights) for e in real if fold_of[e.case] == k]
        confidence.shipped_weights = lambda weights=weights: weights  # the engine reads its weights through this
        held = [case for case in cases if fold_of[case.id] == k]
        scored = [gate.score_case(case, gate.extract_case(case)) for case in held]
        taken = switched(scored)
        print(f"fold {k + 1}/{folds}: {len(held)} cases; switch {shipped['switch_margin']}, abstain "
              f"{shipped['abstain_margin']}, low {shipped['low_margin']} / {shipped['low_floor']}; "
              f"rivals taken over the rules' pick {len(taken)}, right {sum(taken)}")
        results += scored
    print("fields the decision weighs, held folds pooled (thresholds aside): precision of the rest with the "
          "least sure marked low: " + ", ".join(f"{share:.0%} low {precision_past(sureness, share):.3f}"
                                                 for share in (0.0, 0.1, 0.2, 0.3, 0.4)))
    return real_score.score_results(results)


def sure(example: Example, weights: Weights) -> tuple[float, bool]:
    """How sure the decision is of a field (the winner's log-odds, or its lead over the closest
    rival when that is less) and whether its figure is right."""
    verdict, winner, rival = decide(example.group, weights)
    mine = weights.score(winner.cues)
    lead = mine - weights.score(rival.cues) if rival is not None else mine
    right = verdict != "abstain" and gate.normalize_value(winner.value) == example.gold
    return (min(mine, lead), right)


def precision_past(sureness: list[tuple[float, bool]], share: float) -> float:
    """The share right of the fields left once the least sure ``share`` of them are set aside."""
    ranked = sorted(sureness)
    kept = ranked[round(share * len(ranked)):]
    return sum(right for _, right in kept) / len(kept) if kept else 1.0


def switched(results) -> list[bool]:
    """For every field the decision took from a rival (rule ``ranked_choice``): whether it is right."""
    found = []
    for result in results:
        fields = {e["field"] for e in result.predicted["evidence"] if e["rule"] == confidence.RANKED}
        found += [gate.normalize_value(gate.dig(result.predicted, f)) == gate.normalize_value(gate.dig(result.case.expected, f))
                  for f in sorted(fields)]
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", type=float, default=0.95,
                        help="precision of high figures to reach on the real corpus's tuned part")
    parser.add_argument("--gold-weight", type=float, default=0.25,
                        help="weight of a gold-corpus example beside a real one (the gold corpus reads almost all right)")
    parser.add_argument("--max-low", type=float, default=0.2,
                        help="the largest share of figures to mark low when the target is out of reach")
    parser.add_argument("--rank-weight", type=float, default=1.0,
                        help="weight of the ranking loss (which reading of a field wins) beside the logistic loss")
    parser.add_argument("--drop", type=lambda text: [c for c in text.split(",") if c], default=[], metavar="CUE,...",
                        help="fit without these cues (weight 0), to see what they are worth; with --cv")
    parser.add_argument("--no-switch", action="store_true", help="never overturn the rules' pick (rate it only)")
    parser.add_argument("--cv", type=int, default=0, metavar="K", help="K-fold cross-validation by case; writes nothing")
    parser.add_argument("--dry-run", action="store_true")
    args = parser.parse_args(argv)
    if args.cv == 1 or args.cv < 0:
        parser.error("--cv needs at least 2 folds")
    unknown = sorted(set(args.drop) - set(FEATURES))
    if unknown:
        parser.error(f"--drop: no cue {', '.join(unknown)} (the cues: {', '.join(FEATURES)})")
    tuned = real_score.load_part("tuned")
    real, gold = examples(tuned), examples(gate.load_cases())
    if args.cv:
        scores = cross_validate(tuned, real, gold, args.cv, args)
        print(real_score.table(scores, f"cv {args.cv}"))
        return 0
    shipped = fit_all(real, gold, args)
    print("thresholds:", {k: v for k, v in shipped.items() if k != "cues"})
    print("on the real corpus:", outcome(real, as_weights(shipped)))
    if not args.dry_run:
        OUT.write_text(json.dumps(shipped, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

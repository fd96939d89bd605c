"""Fit ``airtally/extraction/confidence.json``: the weights of the cues that weigh competing readings
of a total (``airtally.extraction.confidence``) and the decision's thresholds.

Fitted on the TUNED corpora only: the real corpus's tuned part (``tests/extraction/real/<lang>``)
and the gold corpus (``tests/extraction/cases``); never on ``real/heldout``. Every reading of every
chosen total is one example, labelled right when its figure is the gold's; a logistic regression
(L2, by Newton's method: a few cues and a few thousand examples need no library) gives each cue
its weight. The thresholds are then chosen on the same examples: abstaining only where it gains
more fields than it loses, and the fewest ``low`` marks that bring the precision of the figures
left ``high`` to ``--target``.

    python scripts/fit_confidence.py            # fit, print the trade-off, write the JSON
    python scripts/fit_confidence.py --dry-run  # fit and print only
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "extraction"))
import gate  # noqa: E402
import real_score  # noqa: E402

from airtally.extraction.confidence import CASUALTY_CUES, CUES, Weights, decide  # noqa: E402
from airtally.extraction.engine import readings  # noqa: E402

OUT = ROOT / "airtally" / "extraction" / "confidence.json"
FEATURES = [c for c in (*CUES, *CASUALTY_CUES) if c != "bias"]


def examples(cases) -> list[tuple[list, object]]:
    """(readings of one field, the gold figure) for every chosen figure of ``cases``."""
    found = []
    for case in cases:
        for field, group in readings(case.text, case.published, case.language).items():
            if field in gate.CORE_FIELDS:
                found.append((group, gate.dig(case.expected, field)))
    return found


def _solve(a: list[list[float]], b: list[float]) -> list[float]:
    """Gaussian elimination with partial pivoting (a small, well-conditioned system)."""
    n = len(b)
    m = [row[:] + [b[i]] for i, row in enumerate(a)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(m[r][col]))
        m[col], m[pivot] = m[pivot], m[col]
        for r in range(n):
            if r != col and m[col][col]:
                f = m[r][col] / m[col][col]
                m[r] = [x - f * y for x, y in zip(m[r], m[col])]
    return [m[i][n] / m[i][i] if m[i][i] else 0.0 for i in range(n)]


def fit(xs: list[list[float]], ys: list[int], sample: list[float], l2: float = 1.0, rounds: int = 25) -> list[float]:
    """Logistic regression weights (bias first) by Newton's method with an L2 penalty; ``sample``
    weighs each example."""
    rows = [[1.0, *x] for x in xs]
    k = len(rows[0])
    w = [0.0] * k
    for _ in range(rounds):
        grad = [l2 * wi if i else 0.0 for i, wi in enumerate(w)]
        hess = [[(l2 if i == j and i else 0.0) for j in range(k)] for i in range(k)]
        for row, y, s in zip(rows, ys, sample):
            p = 1 / (1 + math.exp(-max(-30.0, min(30.0, sum(a * b for a, b in zip(w, row))))))
            for i in range(k):
                grad[i] += s * (p - y) * row[i]
                for j in range(k):
                    hess[i][j] += s * p * (1 - p) * row[i] * row[j]
        step = _solve(hess, grad)
        w = [a - b for a, b in zip(w, step)]
    return w


def outcome(data, weights: Weights) -> dict[str, float]:
    """Over the chosen readings: fields gained and lost by abstaining, high and low counts, and
    the precision of the high ones."""
    gained = lost = high = high_right = low = 0
    for group, gold in data:
        verdict, _ = decide(group, weights)
        right = gate.normalize_value(group[0].value) == gold
        if verdict == "abstain":
            gained += gold is None
            lost += right
        elif verdict == "low":
            low += 1
        else:
            high += 1
            high_right += right
    return {"gained": gained, "lost": lost, "high": high, "low": low,
            "precision": high_right / high if high else 1.0}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", type=float, default=0.95,
                        help="precision of high figures to reach on the real corpus's tuned part")
    parser.add_argument("--gold-weight", type=float, default=0.25,
                        help="weight of a gold-corpus example beside a real one (the gold corpus reads almost all right)")
    parser.add_argument("--max-low", type=float, default=0.2,
                        help="the largest share of figures to mark low when the target is out of reach")
    parser.add_argument("--dry-run", action="store_true")
    args = parser.parse_args(argv)
    real = examples(real_score.load_part("tuned"))
    gold_cases = examples(gate.load_cases())
    xs, ys, sample = [], [], []
    for data, weight in ((real, 1.0), (gold_cases, args.gold_weight)):
        for group, gold in data:
            for reading in group:
                xs.append([reading.cues.get(name, 0.0) for name in FEATURES])
                ys.append(int(gate.normalize_value(reading.value) == gold))
                sample.append(weight)
    w = fit(xs, ys, sample)
    cues = {"bias": round(w[0], 3), **{name: round(v, 3) for name, v in zip(FEATURES, w[1:])}}
    print(f"{len(real)} + {len(gold_cases)} chosen figures (real, gold), {len(xs)} readings, {sum(ys)} right")
    print("weights:", json.dumps(cues))
    # abstain: the widest margin whose abstentions gain as many fields as they lose on the real
    # corpus and lose none of the gold corpus's (the gate)
    abstain = -100.0
    for margin in (0.0, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0):
        result, on_gold = outcome(real, Weights(cues, -100.0, margin, 0.0)), outcome(gold_cases, Weights(cues, -100.0, margin, 0.0))
        print(f"abstain below {margin}: {result}, gold corpus loses {on_gold['lost']}")
        if result["gained"] >= result["lost"] and not on_gold["lost"]:
            abstain = margin
    data = real
    # low: the fewest marks that reach the target precision; failing that, the best precision
    # with at most --max-low of the figures marked low
    best = None
    for low_margin in (abstain, 1.0, 2.0, 3.0, 4.0, 5.0):
        for floor in (0.0, 0.3, 0.5, 0.6, 0.7, 0.8, 0.9):
            weights = Weights(cues, max(low_margin, abstain), abstain, floor)
            result = outcome(data, weights)
            share = result["low"] / len(data)
            print(f"low below margin {low_margin} or p {floor}: low {share:.3f}, precision {result['precision']:.3f}")
            reached = result["precision"] >= args.target
            key = (reached, -share if reached else result["precision"]) if share <= args.max_low or reached else None
            if key is not None and (best is None or key > best[0]):
                best = (key, (weights.low_margin, floor))
    chosen = best[1] if best else (abstain, 0.0)
    shipped = {"cues": cues, "low_margin": chosen[0], "abstain_margin": abstain, "low_floor": chosen[1]}
    print("thresholds:", {k: v for k, v in shipped.items() if k != "cues"})
    if not args.dry_run:
        OUT.write_text(json.dumps(shipped, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Scores of the extraction engine on real news: paraphrased real articles, tuned part and held-out part.

The real corpus (``real/README.md``) keeps real reports apart from the tuned gold corpus of
``cases/``: ``real/<lang>/`` is the part engine work may read and tune on, ``real/heldout/<lang>/``
the part nobody tunes on. Both are scored with the gate's own comparison (``gate.score_case``):

- **field accuracy** = gold fields read exactly right / all gold fields. The fields are those the
  gate compares (``gate.figure_pairs``): the core fields always, the optional ones the gold states,
  and any region or claim the engine adds beyond the gold's. A null where the gold has a figure is
  wrong, and so is a figure where the gold has null;
- **documents fully right**: cases with no wrong field and no ``must_not`` figure taken;
- **high-confidence precision**: of the figures printed (a compared figure field the engine gives
  a value) with confidence ``high``, the share read exactly right; **share low**: the share of
  printed figures marked ``low`` (``Extraction.confidence_of``).

The held-out part is printed only as totals: no ``-v`` for it, ever. Held-out cases come in
rounds: every case that is or was held out carries ``heldout_round`` (the round it was held out
in); when a round's failures are read, its cases move to ``real/<lang>/`` (``"heldout": false``,
their round kept) and a fresh batch, of the next round, is held out. ``heldout/`` may be empty
between two rounds: the held-out table then says so. New cases are split before anything is scored
(``--split``): of the current round's cases (those held out now plus the new ones), a third of each
language's, chosen at random with a fixed seed, is held out; the scorer refuses to run while a case
is not yet split.

    python tests/extraction/real_score.py             # tuned and held-out tables
    python tests/extraction/real_score.py -v          # plus the tuned part's mismatches, case by case
    python tests/extraction/real_score.py --tuned     # the tuned part only, while working
    python tests/extraction/real_score.py --split     # hold out a third of the new cases
    python tests/extraction/real_score.py --update    # raise the tuned part's floors in real_baseline.json
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import gate  # noqa: E402
from contract import confidence_of  # noqa: E402

REAL_DIR = HERE / "real"
BASELINE = HERE / "real_baseline.json"
PARTS = ("tuned", "heldout")
SPLIT_SEED = 16  # the number; never change it for cases already split
HELDOUT_SHARE = 1 / 3


def part_dir(part: str, lang: str, root: Path = REAL_DIR) -> Path:
    return (root / "heldout" if part == "heldout" else root) / lang


def case_files(part: str, root: Path = REAL_DIR) -> list[Path]:
    """The JSON files of one part, sorted (none when its folder is missing)."""
    return sorted(path for lang in gate.LANGUAGES for path in part_dir(part, lang, root).glob("*.json"))


def _rounds(paths) -> set[int]:
    return {json.loads(path.read_text(encoding="utf-8")).get("heldout_round") for path in paths} - {None}


def current_round(root: Path = REAL_DIR) -> int:
    """The held-out round now: that of the cases in ``heldout/``, or the one after the last round
    whose cases have joined the tuned part when ``heldout/`` is empty."""
    held = _rounds(case_files("heldout", root))
    if held:
        return max(held)
    return max(_rounds(case_files("tuned", root)), default=0) + 1


def _case(json_path: Path) -> gate.Case:
    text_path = json_path.with_suffix(".txt")
    case_id = str(json_path.relative_to(REAL_DIR).with_suffix(""))
    if not text_path.exists():
        raise FileNotFoundError(f"real case {case_id}: {text_path.name} is missing next to its JSON")
    expected = json.loads(json_path.read_text(encoding="utf-8"))
    return gate.Case(case_id, text_path.read_text(encoding="utf-8"), expected)


@lru_cache(maxsize=2)
def load_part(part: str) -> tuple[gate.Case, ...]:
    """Every case of ``tuned`` or ``heldout``; ids are ``<lang>/<name>`` or ``heldout/<lang>/<name>``."""
    return tuple(_case(path) for path in case_files(part))


def unsplit(cases) -> list[str]:
    """Ids of the cases not yet assigned to a part (no ``heldout`` key in their JSON)."""
    return [case.id for case in cases if "heldout" not in case.expected]


@dataclass
class FieldScore:
    """Field accuracy and documents fully right over a set of cases."""

    right: int = 0
    fields: int = 0
    docs_right: int = 0
    docs: int = 0
    printed: int = 0  # figures given a value
    high: int = 0  # of them, marked high
    high_right: int = 0  # of those, read right

    @property
    def high_precision(self) -> float:
        return self.high_right / self.high if self.high else 1.0

    @property
    def low_share(self) -> float:
        return (self.printed - self.high) / self.printed if self.printed else 0.0

    @property
    def accuracy(self) -> float:
        return self.right / self.fields if self.fields else 1.0

    @property
    def docs_share(self) -> float:
        return self.docs_right / self.docs if self.docs else 1.0

    def add_case(self, result: gate.CaseResult) -> None:
        pairs = gate.figure_pairs(result.case.expected, result.predicted)
        self.fields += len(pairs)
        self.right += sum(want == got for want, got in pairs.values())
        self.docs += 1
        self.docs_right += not result.mismatches
        for path, (want, got) in pairs.items():
            if got is None or not path.startswith(gate.FIGURE_FIELD_PREFIXES):
                continue
            self.printed += 1
            if confidence_of(result.predicted, path) == "high":
                self.high += 1
                self.high_right += want == got


def score_results(results) -> dict[str, FieldScore]:
    """Field accuracy and documents right per language plus ``all``."""
    scores = {key: FieldScore() for key in (*gate.LANGUAGES, "all")}
    for result in results:
        scores[result.case.language].add_case(result)
        scores["all"].add_case(result)
    return scores


@lru_cache(maxsize=2)
def evaluate(part: str) -> tuple[gate.CaseResult, ...]:
    """Run the engine over one part once (cached)."""
    cases = load_part(part)
    pending = unsplit(cases)
    if pending:
        raise SystemExit(f"{len(pending)} real cases are not split yet (run real_score.py --split first): {pending[0]}")
    return tuple(gate.score_case(case, gate.extract_case(case)) for case in cases)


def table(scores: dict[str, FieldScore], title: str) -> str:
    lines = [f"{title:<8} {'fields':>6} {'right':>6} {'accuracy':>8} {'docs':>5} {'right':>5} {'docs %':>6}"
             f" {'figures':>7} {'high':>5} {'hi prec':>7} {'low %':>6}"]
    for key, s in scores.items():
        lines.append(
            f"{key:<8} {s.fields:>6} {s.right:>6} {s.accuracy:>8.3f} {s.docs:>5} {s.docs_right:>5} {100 * s.docs_share:>6.1f}"
            f" {s.printed:>7} {s.high:>5} {s.high_precision:>7.3f} {100 * s.low_share:>6.1f}"
        )
    return "\n".join(lines)


def split_new_cases(seed: int = SPLIT_SEED, root: Path = REAL_DIR) -> list[str]:
    """Assign every case without a ``heldout`` key. The current round's batch is the cases held out
    now plus the new ones; per language, enough new cases (chosen at random with ``seed``) move to
    ``heldout/`` to bring that batch's held-out share to a third (none when it is already more).
    Every assigned JSON gets ``"heldout": true`` or ``false``, and those held out the round's
    ``heldout_round``. Returns the ids moved."""
    moved = []
    held_round = current_round(root)
    for lang in gate.LANGUAGES:
        tuned = sorted(part_dir("tuned", lang, root).glob("*.json"))
        held = list(part_dir("heldout", lang, root).glob("*.json"))
        new = sorted(p.stem for p in tuned if "heldout" not in json.loads(p.read_text(encoding="utf-8")))
        if not new:
            continue
        want = max(0, min(len(new), round((len(new) + len(held)) * HELDOUT_SHARE) - len(held)))
        ids = [f"{lang}/{name}" for name in new]
        chosen = set(random.Random(f"{seed}:{lang}:{','.join(ids)}").sample(ids, want))
        for case_id in ids:
            src = root / f"{case_id}.json"
            expected = json.loads(src.read_text(encoding="utf-8"))
            expected["heldout"] = case_id in chosen
            if case_id in chosen:
                expected["heldout_round"] = held_round
            body = json.dumps(expected, ensure_ascii=False, indent=2) + "\n"
            if case_id in chosen:
                dest = part_dir("heldout", lang, root)
                dest.mkdir(parents=True, exist_ok=True)
                (dest / src.name).write_text(body, encoding="utf-8")
                src.with_suffix(".txt").replace(dest / src.with_suffix(".txt").name)
                src.unlink()
                moved.append(case_id)
            else:
                src.write_text(body, encoding="utf-8")
    return moved


def load_baseline() -> dict:
    """The tuned part's floors; none pinned yet is an empty set of floors."""
    return json.loads(BASELINE.read_text(encoding="utf-8")) if BASELINE.exists() else {"tuned": {}}


FLOOR_METRICS = ("accuracy", "docs_share")


def floor_checks(scores: dict[str, FieldScore], baseline: dict) -> list[str]:
    """Every pinned floor of the tuned part the current scores fall below."""
    return [
        f"tuned {lang} {metric} {getattr(scores[lang], metric):.3f} < floor {floor:.3f}"
        for lang, floors in baseline["tuned"].items()
        for metric, floor in floors.items()
        if getattr(scores[lang], metric) + 1e-9 < floor
    ]


def raised_floors(scores: dict[str, FieldScore], baseline: dict) -> dict:
    """The baseline with each tuned floor raised to the current score (3 decimals, rounded down)."""
    return {
        "tuned": {
            lang: {
                metric: max(baseline["tuned"].get(lang, {}).get(metric, 0.0), int(getattr(s, metric) * 1000) / 1000)
                for metric in FLOOR_METRICS
            }
            for lang, s in scores.items()
        }
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", action="store_true", help="hold out a third of the cases not yet split, then stop")
    parser.add_argument("--verbose", "-v", action="store_true", help="list the tuned part's mismatches by case")
    parser.add_argument("--update", action="store_true", help="raise the tuned part's floors in real_baseline.json")
    parser.add_argument("--tuned", action="store_true",
                        help="score the tuned part only (while working: the held-out part ends a round of work)")
    args = parser.parse_args(argv)
    if args.split:
        moved = split_new_cases()
        print(f"{len(moved)} new cases held out")
        return 0
    tuned = evaluate("tuned")
    tuned_scores = score_results(tuned)
    print(table(tuned_scores, "tuned"))
    if not args.tuned:
        print()
        if load_part("heldout"):
            print(f"held-out round {current_round()}")
            print(table(score_results(evaluate("heldout")), "heldout"))
        else:
            print(f"heldout: no cases held out (round {current_round()} not yet written)")
    if args.verbose:
        for result in tuned:
            for line in result.mismatches:
                print(f"{result.case.id}: {line}")
    baseline = load_baseline()
    if args.update:
        BASELINE.write_text(json.dumps(raised_floors(tuned_scores, baseline), indent=2) + "\n", encoding="utf-8")
        print("tuned floors raised where higher")
        return 0
    failures = floor_checks(tuned_scores, baseline)
    for line in failures:
        print(f"BELOW FLOOR: {line}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.path.insert(0, str(HERE.parent.parent))
    sys.exit(main())

"""The extraction quality gate: precision and recall of figures per language over the gold corpus.

A *figure* is one (case, field path, value). Field paths are those a case's expected JSON states
(see ``cases/README.md``): ``language``, ``is_attack_report``, ``attacker``, ``target``,
``period.date``, every ``totals.*`` and ``casualties.*`` leaf, and the optional ``scope``,
``regions.<code>``, ``claims.<kind>``, ``weapons.<model>.<key>`` and ``locations.<key>``.
Per field: an expected non-null value matched exactly is a true positive; an expected non-null
value missed or wrong is a false negative; a predicted non-null value that is wrong or should be
null is a false positive (so a wrong figure counts on both sides, as in trafilatura's eval).

Run it to see the scores; ``--update`` raises the floors in ``gate_baseline.json`` to the current
scores and rewrites ``known_failures.txt``. Floors are never lowered by the script: lowering one
means editing the baseline file by hand, in a reviewed commit.

    python tests/extraction/gate.py            # print the table
    python tests/extraction/gate.py --update   # raise floors, refresh known failures

When the real data sets are present (``../shared/data``), the data tier's agreement (posts written
from the curated data set that read back exactly, see ``curated.py``) is printed and its floor
raised the same way.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from airtally.clock import KYIV

HERE = Path(__file__).resolve().parent
CASES_DIR = HERE / "cases"
BASELINE = HERE / "gate_baseline.json"
KNOWN_FAILURES = HERE / "known_failures.txt"
LANGUAGES = ("en", "uk", "ru")

CORE_FIELDS = (
    "language",
    "is_attack_report",
    "attacker",
    "target",
    "period.date",
    "totals.drones.launched",
    "totals.drones.destroyed",
    "totals.drones.lost",
    "totals.missiles.launched",
    "totals.missiles.destroyed",
    "totals.all.launched",
    "totals.all.destroyed",
    "casualties.killed",
    "casualties.injured",
)
# Figure fields a bare-integer ``must_not`` entry is checked against.
FIGURE_PREFIXES = ("totals.", "casualties.")
# The fields that hold figures (each with a confidence), as ``figure_pairs`` names them.
FIGURE_FIELD_PREFIXES = ("totals.", "casualties.", "locations.", "weapons.")


@dataclass(frozen=True)
class Case:
    """One corpus case: ``id`` is ``<lang>/<name>``."""

    id: str
    text: str
    expected: dict

    @property
    def language(self) -> str:
        return self.expected["language"]

    @property
    def published(self) -> dt.datetime:
        """The publication time: a date is midday Kyiv time, a datetime without offset Kyiv time."""
        stated = self.expected["published"]
        if "T" not in stated:
            return dt.datetime.combine(dt.date.fromisoformat(stated), dt.time(12, 0), tzinfo=KYIV)
        when = dt.datetime.fromisoformat(stated)
        return when if when.tzinfo else when.replace(tzinfo=KYIV)


@lru_cache(maxsize=1)
def load_cases() -> tuple[Case, ...]:
    """Every case under ``cases/``, sorted by id.

    >>> load_cases()[0].id.split("/")[0] in LANGUAGES
    True
    """
    cases = []
    for json_path in sorted(CASES_DIR.glob("*/*.json")):
        text_path = json_path.with_suffix(".txt")
        case_id = f"{json_path.parent.name}/{json_path.stem}"
        if not text_path.exists():
            raise FileNotFoundError(f"case {case_id}: {text_path.name} is missing next to its JSON")
        expected = json.loads(json_path.read_text(encoding="utf-8"))
        cases.append(Case(case_id, text_path.read_text(encoding="utf-8"), expected))
    return tuple(cases)


def extract_case(case: Case) -> dict:
    """The engine's contract dict for one case (language left to detection)."""
    from airtally.extraction import extract

    return extract(case.text, published=case.published, input_name=case.id).to_json()


def normalize_value(value):
    """Comparable form: approximate objects lose their null keys; an empty one is null.

    >>> normalize_value({"min": 200, "max": None, "about": None})
    {'min': 200}
    >>> normalize_value({"min": None}) is None
    True
    """
    if isinstance(value, dict):
        kept = {k: v for k, v in value.items() if v is not None}
        return kept or None
    return value


def dig(data: dict, path: str):
    """The value at a dotted path, None when any step is missing."""
    node = data
    for key in path.split("."):
        if not isinstance(node, dict) or key not in node:
            return None
        node = node[key]
    return normalize_value(node)


def _weapon_figures(weapons: list[dict]) -> dict[str, object]:
    flat: dict[str, object] = {}
    for weapon in weapons or []:
        for key, value in weapon.items():
            if key in ("model", "class", "evidence", "confidence"):
                continue
            flat.setdefault(f"weapons.{weapon['model']}.{key}", normalize_value(value))
    return flat


def figure_pairs(expected: dict, predicted: dict) -> dict[str, tuple[object, object]]:
    """``path -> (expected, predicted)`` for every field the case states."""
    pairs = {path: (dig(expected, path), dig(predicted, path)) for path in CORE_FIELDS}
    if "scope" in expected:
        pairs["scope"] = (expected["scope"], predicted.get("scope"))
    for key in ("hit", "debris"):
        if key in expected.get("locations", {}):
            pairs[f"locations.{key}"] = (dig(expected, f"locations.{key}"), dig(predicted, f"locations.{key}"))
    if "regions" in expected:
        wanted, found = set(expected["regions"]), set(predicted.get("regions") or [])
        for code in wanted | found:
            pairs[f"regions.{code}"] = (True if code in wanted else None, True if code in found else None)
    if "claims" in expected:
        wanted = set(expected["claims"])
        found = {claim["kind"] for claim in predicted.get("claims") or []}
        for kind in wanted | found:
            pairs[f"claims.{kind}"] = (True if kind in wanted else None, True if kind in found else None)
    if "weapons" in expected:
        got = _weapon_figures(predicted.get("weapons"))
        for path, value in _weapon_figures(expected["weapons"]).items():
            pairs[path] = (value, got.get(path))
    return pairs


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    distractors: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    def add(self, other: "Score") -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn
        self.distractors += other.distractors


def must_not_violations(expected: dict, predicted: dict) -> list[str]:
    """The ``must_not`` figures the extraction took anyway, as ``path=value`` strings."""
    leaves = {path: dig(predicted, path) for path in CORE_FIELDS if path.startswith(FIGURE_PREFIXES)}
    hits = []
    for entry in expected.get("must_not", []):
        if isinstance(entry, dict):
            if "field" not in entry:
                raise ValueError(f"must_not entry {entry}: a bare entry is an integer; an approximate figure "
                                 "names its field: {\"field\": ..., \"value\": {\"min\": N}}")
            paths, value = [entry["field"]], entry["value"]
            leaves.setdefault(entry["field"], dig(predicted, entry["field"]))
        else:
            paths, value = list(leaves), entry
        for path in paths:
            got = leaves[path]
            if got == value or (isinstance(got, dict) and value in got.values()):
                hits.append(f"{path}={value}")
    return hits


@dataclass
class CaseResult:
    case: Case
    predicted: dict
    score: Score
    mismatches: list[str] = field(default_factory=list)
    by_field: dict[str, Score] = field(default_factory=dict)


def score_case(case: Case, predicted: dict) -> CaseResult:
    """Count true/false positives and negatives of one case and list its mismatches."""
    score, mismatches, by_field = Score(), [], {}
    for path, (want, got) in figure_pairs(case.expected, predicted).items():
        one = Score(tp=int(want is not None and got == want))
        if not one.tp and (want is not None or got is not None):
            one.fn, one.fp = int(want is not None), int(got is not None)
            mismatches.append(f"{path}: expected {want!r}, got {got!r}")
        score.add(one)
        by_field[path] = one
    violations = must_not_violations(case.expected, predicted)
    score.distractors = len(violations)
    mismatches += [f"must_not: {v}" for v in violations]
    return CaseResult(case, predicted, score, mismatches, by_field)


@lru_cache(maxsize=1)
def evaluate() -> tuple[CaseResult, ...]:
    """Run the engine over the whole corpus once (cached for the test session)."""
    return tuple(score_case(case, extract_case(case)) for case in load_cases())


def scores_by_language(results) -> dict[str, Score]:
    """Scores per language plus ``all``."""
    scores: dict[str, Score] = defaultdict(Score)
    for result in results:
        scores[result.case.language].add(result.score)
        scores["all"].add(result.score)
    return {key: scores[key] for key in (*LANGUAGES, "all")}


def field_group(path: str) -> str:
    """The group a field path is reported under.

    >>> field_group("totals.drones.lost"), field_group("weapons.kh-101.launched"), field_group("attacker")
    ('totals.drones', 'weapons', 'direction')
    """
    if path in ("is_attack_report", "attacker", "target"):
        return "direction"
    head = path.split(".")[0]
    return ".".join(path.split(".")[:2]) if head == "totals" else head


def scores_by_field(results) -> dict[str, Score]:
    """Scores per field group over the whole corpus (where the errors are)."""
    scores: dict[str, Score] = defaultdict(Score)
    for result in results:
        for path, one in result.by_field.items():
            scores[field_group(path)].add(one)
    return dict(sorted(scores.items()))


def load_baseline() -> dict:
    return json.loads(BASELINE.read_text(encoding="utf-8"))


def floor_checks(scores: dict[str, Score], baseline: dict) -> list[str]:
    """Every pinned floor the current scores fall below, as readable lines."""
    failures = []
    for lang, floors in baseline["floors"].items():
        for metric in ("precision", "recall"):
            got = getattr(scores[lang], metric)
            if got + 1e-9 < floors[metric]:
                failures.append(f"{lang} {metric} {got:.3f} < floor {floors[metric]:.3f}")
        ceiling = floors.get("max_distractors")
        if ceiling is not None and scores[lang].distractors > ceiling:
            failures.append(f"{lang} must_not figures taken {scores[lang].distractors} > {ceiling}")
    return failures


def raised_floors(scores: dict[str, Score], baseline: dict) -> dict:
    """The baseline with each floor raised to the current score (3 decimals, rounded down)."""
    new = json.loads(json.dumps(baseline))
    for lang, floors in new["floors"].items():
        for metric in ("precision", "recall"):
            current = int(getattr(scores[lang], metric) * 1000) / 1000
            floors[metric] = max(floors[metric], current)
        if "max_distractors" in floors:
            floors["max_distractors"] = min(floors["max_distractors"], scores[lang].distractors)
    return new


def failing_case_ids(results) -> list[str]:
    return sorted(r.case.id for r in results if r.mismatches)


def table(scores: dict[str, Score], label: str = "lang") -> str:
    width = max(len(label), *(len(key) for key in scores))
    lines = [f"{label:<{width}} {'precision':>9} {'recall':>7} {'tp':>5} {'fp':>4} {'fn':>4} {'must_not':>8}"]
    for key, s in scores.items():
        lines.append(
            f"{key:<{width}} {s.precision:>9.3f} {s.recall:>7.3f} {s.tp:>5} {s.fp:>4} {s.fn:>4} {s.distractors:>8}"
        )
    return "\n".join(lines)


def data_tier_agreement(data_dir: Path) -> float | None:
    """The data tier's agreement, or None without the data set."""
    csv_path = data_dir / "missile_attacks_daily.csv"
    if not csv_path.exists():
        return None
    sys.path.insert(0, str(HERE))
    from curated import agreement, national_attacks

    rate, posts, _ = agreement(national_attacks(csv_path)[0])
    print(f"data tier: {rate:.3f} of {posts} posts read back exactly")
    return rate


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--update", action="store_true", help="raise floors, rewrite known_failures.txt")
    parser.add_argument("--verbose", "-v", action="store_true", help="list every mismatch by case")
    parser.add_argument("--fields", action="store_true", help="also print scores per field group")
    parser.add_argument("--data", type=Path, default=HERE.parents[2] / "shared" / "data", help="real data sets")
    args = parser.parse_args(argv)
    results = evaluate()
    scores = scores_by_language(results)
    print(table(scores))
    if args.fields:
        print()
        print(table(scores_by_field(results), label="field"))
    if args.verbose:
        for result in results:
            for line in result.mismatches:
                print(f"{result.case.id}: {line}")
    baseline = load_baseline()
    agreement = data_tier_agreement(args.data)
    if args.update:
        new = raised_floors(scores, baseline)
        if agreement is not None:
            new["data_tier"]["agreement"] = max(new["data_tier"]["agreement"], int(agreement * 1000) / 1000)
        BASELINE.write_text(json.dumps(new, indent=2) + "\n", encoding="utf-8")
        header = "# Cases the engine does not yet extract exactly (rewritten by gate.py --update).\n"
        KNOWN_FAILURES.write_text(header + "".join(f"{c}\n" for c in failing_case_ids(results)), encoding="utf-8")
        print(f"floors raised where higher; {len(failing_case_ids(results))} known failures written")
        return 0
    failures = floor_checks(scores, baseline)
    for line in failures:
        print(f"BELOW FLOOR: {line}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.path.insert(0, str(HERE.parent.parent))
    sys.exit(main())

"""The real-news corpus (``real/``): every case well-formed, the split kept, the tuned part's floors held.

The held-out part is checked for form only: its scores are never asserted here (they are read as a
whole, by hand, with ``real_score.py``), so no test failure can point at a held-out case's figures.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import pytest
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
import gate  # noqa: E402
import real_score  # noqa: E402

CATALOGUE = Path(__file__).resolve().parents[2] / "airtally" / "catalog" / "data" / "weapons.yaml"
FILES = [(part, path) for part in real_score.PARTS for path in real_score.case_files(part)]
APPROX_KEYS = {"min", "max", "about"}
EXTRA_KEYS = {"source_url", "outlet", "source_language", "excerpt", "published_inferred", "hard", "heldout", "heldout_round", "notes", "second_reader", "second_reader_from", "third_reader"}
OPTIONAL_KEYS = {"scope", "regions", "claims", "weapons", "locations", "must_not"}
CORE_KEYS = {"published", "language", "is_attack_report", "attacker", "target", "period", "totals", "casualties"}


def _is_figure(value) -> bool:
    if value is None or (isinstance(value, int) and not isinstance(value, bool) and value >= 0):
        return True
    return isinstance(value, dict) and len(value) == 1 and set(value) <= APPROX_KEYS and isinstance(
        next(iter(value.values())), int
    )


def _weapon_ids() -> set[str]:
    data = yaml.safe_load(CATALOGUE.read_text(encoding="utf-8"))
    entries = data["models"]
    return {entry["id"] for entry in entries}


WEAPON_IDS = _weapon_ids()


def test_the_tuned_part_has_every_language() -> None:
    langs = {path.parent.name for p, path in FILES if p == "tuned"}
    assert langs == set(gate.LANGUAGES), f"tuned part lacks {set(gate.LANGUAGES) - langs}"


@pytest.mark.parametrize(("part", "path"), FILES, ids=[str(path.relative_to(real_score.REAL_DIR)) for _, path in FILES])
def test_case_is_well_formed(part: str, path: Path) -> None:
    expected = json.loads(path.read_text(encoding="utf-8"))
    text = path.with_suffix(".txt").read_text(encoding="utf-8")
    assert text.strip(), "empty text"
    assert set(expected) <= CORE_KEYS | OPTIONAL_KEYS | EXTRA_KEYS, f"unknown keys {set(expected) - CORE_KEYS - OPTIONAL_KEYS - EXTRA_KEYS}"
    assert CORE_KEYS <= set(expected), f"missing keys {CORE_KEYS - set(expected)}"
    assert expected["language"] == path.parent.name, "language does not match its folder"
    assert expected["heldout"] is (part == "heldout"), "heldout marker does not match its folder"
    if part == "heldout" or "heldout_round" in expected:
        held_round = expected.get("heldout_round")
        assert isinstance(held_round, int) and not isinstance(held_round, bool) and held_round >= 1, (
            "a case held out (now or once) names its round: heldout_round >= 1"
        )
    reading = expected.get("second_reader", "agree")
    assert reading == "agree" or (isinstance(reading, str) and reading.startswith("settled: ")), (
        "second_reader must be 'agree' or 'settled: <what was settled>'"
    )
    if reading != "agree":
        assert "second reader:" in expected.get("notes", ""), "a settled second reading is explained in notes"
    if "third_reader" in expected:
        third = expected["third_reader"]
        assert third == "agree" or (isinstance(third, str) and third.startswith("settled: ")), (
            "third_reader must be 'agree' or 'settled: <what was settled>'"
        )
        if third != "agree":
            assert "third reader:" in expected.get("notes", ""), "a settled third reading is explained in notes"
    if "second_reader_from" in expected:
        assert "second_reader" in expected, "second_reader_from goes with a second reading"
        assert expected["second_reader_from"] == "paraphrase", "second_reader_from is 'paraphrase' (the original page was not found)"
    assert expected["source_url"].startswith(("http://", "https://")), "source_url missing"
    assert expected["outlet"] and expected["source_language"] in gate.LANGUAGES
    assert isinstance(expected["excerpt"], bool) and isinstance(expected["published_inferred"], bool)
    dt.date.fromisoformat(expected["published"][:10])
    if expected["is_attack_report"]:
        assert {expected["attacker"], expected["target"]} == {"RU", "UA"}
        dt.date.fromisoformat(expected["period"]["date"])
    else:
        assert expected["attacker"] is expected["target"] is expected["period"]["date"] is None
    leaves = [gate.dig(expected, f) for f in gate.CORE_FIELDS if f.startswith(gate.FIGURE_PREFIXES)]
    raw = [expected["totals"][k][f] for k in ("drones", "missiles", "all") for f in expected["totals"][k]]
    assert all(_is_figure(v) for v in raw + [expected["casualties"]["killed"], expected["casualties"]["injured"]])
    if not expected["is_attack_report"]:
        assert all(v is None for v in leaves), "a negative case states figures"
    for weapon in expected.get("weapons", []):
        assert weapon["model"] in WEAPON_IDS, f"unknown weapon model {weapon['model']}"
        assert all(_is_figure(v) for k, v in weapon.items() if k != "model")
    for entry in expected.get("must_not", []):
        assert not isinstance(entry, dict) or "field" in entry, (
            f"must_not entry {entry}: a bare entry is an integer; an approximate figure names its field"
        )
        value = entry["value"] if isinstance(entry, dict) else entry
        if isinstance(entry, dict):
            assert entry["field"] in gate.CORE_FIELDS, f"must_not names an unknown field {entry['field']}"
        assert _is_figure(value) and value is not None


@pytest.mark.parametrize(("part", "path"), FILES, ids=[str(path.relative_to(real_score.REAL_DIR)) for _, path in FILES])
def test_gold_takes_none_of_its_own_must_not_figures(part: str, path: Path) -> None:
    expected = json.loads(path.read_text(encoding="utf-8"))
    assert not gate.must_not_violations(expected, expected), "a must_not figure is also a gold figure"


def test_source_urls_are_unique() -> None:
    urls = [json.loads(path.read_text(encoding="utf-8"))["source_url"] for _, path in FILES]
    repeated = {url for url in urls if urls.count(url) > 1}
    assert not repeated, f"a page is used twice: {sorted(repeated)}"


def test_every_case_is_split_and_the_held_out_batch_is_one_fresh_round() -> None:
    assert not real_score.unsplit(real_score.load_part("tuned")), "run real_score.py --split before scoring"
    held = real_score._rounds(real_score.case_files("heldout"))
    read = real_score._rounds(real_score.case_files("tuned"))
    assert len(held) <= 1, f"heldout/ mixes rounds {sorted(held)}"
    assert all(h > r for h in held for r in read), (
        f"held-out round {held} is not newer than the rounds already read {sorted(read)}"
    )


def _write_case(folder: Path, name: str, **keys) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.json").write_text(json.dumps({"language": folder.name, **keys}), encoding="utf-8")
    (folder / f"{name}.txt").write_text("text", encoding="utf-8")


# (cases held out now, new cases, round-1 cases already read) -> (new cases held out, round they get)
SPLITS = [
    pytest.param(0, 6, 0, 2, 1, id="first-batch"),
    pytest.param(0, 6, 4, 2, 2, id="after-a-batch-was-read"),
    pytest.param(2, 4, 4, 0, 2, id="batch-already-a-third"),
    pytest.param(0, 9, 0, 3, 1, id="a-third-of-nine"),
]


@pytest.mark.parametrize(("held_now", "new", "read", "moved", "held_round"), SPLITS)
def test_split_holds_out_a_third_of_the_current_batch(tmp_path: Path, held_now: int, new: int, read: int,
                                                      moved: int, held_round: int) -> None:
    for lang in gate.LANGUAGES:
        for i in range(read):
            _write_case(tmp_path / lang, f"read-{i}", heldout=False, heldout_round=1)
        for i in range(held_now):
            _write_case(tmp_path / "heldout" / lang, f"held-{i}", heldout=True, heldout_round=held_round)
        for i in range(new):
            _write_case(tmp_path / lang, f"new-{i}")
    ids = real_score.split_new_cases(root=tmp_path)
    assert len(ids) == moved * len(gate.LANGUAGES)
    for lang in gate.LANGUAGES:
        held = real_score.part_dir("heldout", lang, tmp_path)
        assert len(list(held.glob("*.json"))) == held_now + moved
        assert len(list(held.glob("*.txt"))) == held_now + moved
        assert real_score._rounds(held.glob("*.json")) == ({held_round} if held_now + moved else set())
        stayed = [json.loads(p.read_text(encoding="utf-8")) for p in (tmp_path / lang).glob("new-*.json")]
        assert len(stayed) == new - moved and all(c["heldout"] is False and "heldout_round" not in c for c in stayed)


def test_scorer_says_so_when_nothing_is_held_out(monkeypatch, capsys) -> None:
    monkeypatch.setattr(real_score, "load_part", lambda part: ())
    monkeypatch.setattr(real_score, "evaluate", lambda part: ())
    monkeypatch.setattr(real_score, "current_round", lambda root=real_score.REAL_DIR: 2)
    assert real_score.main([]) == 0
    out = capsys.readouterr().out
    assert "heldout: no cases held out (round 2 not yet written)" in out and "\nheldout " not in out


def test_tuned_part_holds_its_floors() -> None:
    scores = real_score.score_results(real_score.evaluate("tuned"))
    failures = real_score.floor_checks(scores, real_score.load_baseline())
    assert not failures, "\n".join(failures) + "\n(see real_score.py -v)"


def test_field_accuracy_counts_nulls_both_ways() -> None:
    expected = {
        "language": "en", "is_attack_report": True, "attacker": "RU", "target": "UA", "period": {"date": "2025-01-01"},
        "totals": {"drones": {"launched": 10, "destroyed": None, "lost": None},
                   "missiles": {"launched": None, "destroyed": None}, "all": {"launched": None, "destroyed": None}},
        "casualties": {"killed": None, "injured": None},
    }
    predicted = json.loads(json.dumps(expected))
    predicted["totals"]["drones"]["launched"] = None  # a null where the gold has a figure
    predicted["casualties"]["killed"] = 3  # a figure where the gold has null
    score = real_score.FieldScore()
    score.add_case(gate.score_case(gate.Case("en/x", "", expected), predicted))
    assert (score.right, score.fields, score.docs_right) == (len(gate.CORE_FIELDS) - 2, len(gate.CORE_FIELDS), 0)


def test_floors_fail_below_and_rise_only() -> None:
    scores = {"en": real_score.FieldScore(right=90, fields=100, docs_right=1, docs=2)}
    baseline = {"tuned": {"en": {"accuracy": 0.95, "docs_share": 0.4}}}
    assert real_score.floor_checks(scores, baseline) == ["tuned en accuracy 0.900 < floor 0.950"]
    assert real_score.raised_floors(scores, baseline)["tuned"]["en"] == {"accuracy": 0.95, "docs_share": 0.5}

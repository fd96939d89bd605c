"""Invariants every extraction satisfies, for any input: the contract's shape and honest evidence.

>>> assert_contract("Shot down 5.", {"language": "en"})
Traceback (most recent call last):
AssertionError: missing keys ['attacker', 'casualties', 'claims', 'input', 'is_attack_report', 'locations', 'period', 'regions', 'scope', 'target', 'totals', 'warnings', 'weapons']
"""

from __future__ import annotations

LANGUAGES = ("en", "uk", "ru")
CONTRACT_KEYS = {
    "input", "language", "is_attack_report", "attacker", "target", "scope", "regions", "period",
    "totals", "weapons", "locations", "casualties", "claims", "warnings",
}
APPROX_KEYS = {"min", "max", "about"}


def _figures(data: dict):
    """Every figure (N) of a contract dict, with its path."""
    for group in ("drones", "missiles", "all"):
        for key, value in data["totals"][group].items():
            yield f"totals.{group}.{key}", value
    for section in ("locations", "casualties"):
        for key, value in data[section].items():
            yield f"{section}.{key}", value
    for weapon in data["weapons"]:
        for key in ("launched", "destroyed", "lost", "hits"):
            yield f"weapons.{weapon['model']}.{key}", weapon.get(key)


def assert_figure_well_formed(path: str, value) -> None:
    if value is None:
        return
    if isinstance(value, dict):
        assert set(value) <= APPROX_KEYS, f"{path}: unexpected keys {sorted(value)}"
        numbers = [v for v in value.values() if v is not None]
        assert numbers, f"{path}: approximate figure with no number"
    else:
        numbers = [value]
    for number in numbers:
        assert isinstance(number, int) and not isinstance(number, bool), f"{path}: {number!r} is not an int"
        assert number >= 0, f"{path}: negative figure {number}"


def assert_spans_valid(text: str, data: dict) -> None:
    """Every evidence and claim span lies inside ``text`` and quotes it exactly."""
    spans = list(data.get("evidence", []))
    for weapon in data["weapons"]:
        spans += weapon.get("evidence", [])
    spans += data["claims"]
    for warning in data["warnings"]:
        spans += warning.get("evidence", [])
    for span in spans:
        start, end = span["start"], span["end"]
        assert 0 <= start <= end <= len(text), f"span {start}:{end} outside a text of {len(text)} chars"
        assert text[start:end] == span["text"], f"span {start}:{end} quotes {span['text']!r}, text has {text[start:end]!r}"


def confidence_of(data: dict, path: str) -> str:
    """A figure's confidence as the contract gives it: on its evidence (top-level figures) or in
    its weapon's ``confidence`` (``weapons.<model>.<field>``); "high" unless marked low."""
    if path.startswith("weapons."):
        model, _, name = path[len("weapons."):].rpartition(".")
        return next((w.get("confidence", {}).get(name, "high") for w in data["weapons"] if w["model"] == model), "high")
    marks = {e.get("confidence", "high") for e in data.get("evidence", []) if e["field"] == path}
    assert marks <= {"high", "low"}, f"{path}: confidence {sorted(marks)}"
    return "low" if "low" in marks else "high"


def assert_confidence_honest(data: dict) -> None:
    """A figure marked high is never called ambiguous; a low one is, by a warning naming its field
    (a weapon's, by the warning on the total it was read with); every ambiguous_figure warning
    names a field and the spans of the readings that compete."""
    ambiguous = {w.get("field") for w in data["warnings"] if w["code"] == "ambiguous_figure"}
    for warning in data["warnings"]:
        if warning["code"] == "ambiguous_figure":
            assert warning.get("field") and warning.get("evidence"), warning
    for path, value in _figures(data):
        if value is None:
            continue
        confidence = confidence_of(data, path)
        if confidence == "high":
            assert path not in ambiguous, f"{path} is high but called ambiguous"
        elif path.startswith("weapons."):
            assert ambiguous, f"{path} is low with no ambiguous_figure warning"
        else:
            assert path in ambiguous, f"{path} is low with no ambiguous_figure warning naming it"


def assert_contract(text: str, data: dict) -> None:
    """The invariants every extraction satisfies, for any input."""
    assert CONTRACT_KEYS <= set(data), f"missing keys {sorted(CONTRACT_KEYS - set(data))}"
    if data["language"] not in LANGUAGES:  # a language airtally does not read: said, and nothing read
        assert any(w["code"] == "unsupported_language" for w in data["warnings"]), data["language"]
        assert not data["is_attack_report"] and not data["evidence"]
    assert data["attacker"] in (None, "RU", "UA") and data["target"] in (None, "RU", "UA")
    for path, value in _figures(data):
        assert_figure_well_formed(path, value)
    assert_spans_valid(text, data)
    assert_confidence_honest(data)
    for warning in data["warnings"]:
        assert warning["code"] and warning["message"]

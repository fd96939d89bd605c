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
            if key != "spans":
                yield f"totals.{group}.{key}", value
    for section in ("locations", "casualties"):
        for key, value in data[section].items():
            if key != "spans":
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


def _holder(data: dict, path: str) -> tuple[dict | None, str]:
    """The record that holds the figure at ``path`` and the figure's name in it:
    ``weapons.<model>.<field>`` is the weapon's, ``totals.drones.launched`` the drones' totals'."""
    head, _, rest = path.partition(".")
    if head == "weapons":
        model, _, name = rest.rpartition(".")
        return next((w for w in data["weapons"] if w["model"] == model), None), name
    *parents, name = path.split(".")
    holder = data
    for part in parents:
        holder = holder.get(part) or {}
    return holder, name


def held_spans(data: dict, path: str) -> list[dict]:
    """The spans the figure at ``path`` holds (its record's ``spans``)."""
    holder, name = _holder(data, path)
    return list(((holder or {}).get("spans") or {}).get(name, []))


def _flat_view(data: dict) -> tuple[list[dict], dict[str, list[dict]]]:
    """The flat evidence lists as the figures' spans give them: the top level's and each weapon's."""
    top = [{"field": f"totals.{group}.{name}", **span} for group in ("drones", "missiles", "all")
           for name, spans in data["totals"][group].get("spans", {}).items() for span in spans]
    top += [{"field": f"{section}.{name}", **span} for section in ("period", "casualties", "locations")
            for name, spans in data[section].get("spans", {}).items() for span in spans]
    weapons = {w["model"]: [{"field": f"{w['model']}.{name}", **span} for name, spans in w.get("spans", {}).items()
                            for span in spans] for w in data["weapons"]}
    return top, weapons


def _sorted(entries: list[dict]) -> list[tuple]:
    return sorted(tuple(sorted(e.items())) for e in entries)


def assert_figures_hold_their_evidence(data: dict) -> None:
    """Every stated figure holds the spans it was read from (the period's date may come from the
    publication time alone); a top-level figure not stated holds none (a weapon's may: "усі
    Х-101/Х-555" is read as that model's destroyed figure with no number, its span kept, as the
    output has always had it); the flat ``evidence`` lists are the same spans, each named by its
    figure's path (a derived view)."""
    for path, value in _figures(data):
        if value is not None:
            assert held_spans(data, path), f"{path} = {value} holds no evidence"
        elif not path.startswith("weapons."):
            assert not held_spans(data, path), f"{path} is not stated but holds evidence"
    top, weapons = _flat_view(data)
    assert _sorted(data.get("evidence", [])) == _sorted(top), "the flat evidence is not the figures' own spans"
    for weapon in data["weapons"]:
        assert _sorted(weapon.get("evidence", [])) == _sorted(weapons[weapon["model"]]), weapon["model"]


def assert_spans_valid(text: str, data: dict) -> None:
    """Every evidence and claim span lies inside ``text`` and quotes it exactly."""
    spans = [span for path, _ in _figures(data) for span in held_spans(data, path)]
    spans += [span for name in ("start", "end", "date") for span in held_spans(data, f"period.{name}")]
    spans += list(data.get("evidence", []))
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
    """A figure's confidence as the contract gives it: on the spans the figure holds (a weapon's
    also in its ``confidence``, by figure, which must agree); "high" unless marked low."""
    marks = {span.get("confidence", "high") for span in held_spans(data, path)}
    assert marks <= {"high", "low"}, f"{path}: confidence {sorted(marks)}"
    confidence = "low" if "low" in marks else "high"
    holder, name = _holder(data, path)
    if path.startswith("weapons.") and holder is not None and name in holder.get("spans", {}):
        assert holder.get("confidence", {}).get(name, "high") == confidence, f"{path}: confidence disagrees with its spans"
    return confidence


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
    assert_figures_hold_their_evidence(data)
    assert_confidence_honest(data)
    for warning in data["warnings"]:
        assert warning["code"] and warning["message"]

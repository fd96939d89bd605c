"""The figures, casualties and claims of one extraction as rows for the record's tables.

>>> from airtally.model import Extraction, Approx
>>> ex = Extraction(input="-", language="en")
>>> ex.totals.drones.launched = Approx(min=200)
>>> [(f["subject"], f["measure"], f["value"], f["qualifier"], f["confidence"]) for f in figure_rows(ex)]
[('drones', 'launched', 200, 'min', 'high')]
"""

from __future__ import annotations

from airtally.model import Approx, Count, Evidence, Extraction

MEASURES = ("launched", "destroyed", "lost", "hits")


def value_of(count: Count) -> tuple[int, str] | None:
    """(value, qualifier) of an extracted count; None when the text did not state it."""
    if count is None:
        return None
    if isinstance(count, Approx):
        for qualifier in ("about", "min", "max"):
            if getattr(count, qualifier) is not None:
                return getattr(count, qualifier), qualifier
        return None
    return int(count), "exact"


def _evidence(evidence: list[Evidence], field: str) -> dict:
    for item in evidence:
        if item.field == field or item.field.endswith("." + field) or item.field == field.split(".")[-1]:
            return dict(evidence_start=item.start, evidence_end=item.end, evidence_text=item.text, rule=item.rule)
    return dict(evidence_start=None, evidence_end=None, evidence_text=None, rule=None)


def figure_rows(ex: Extraction) -> list[dict]:
    """One row per stated figure: class totals (drones, missiles, all) and per weapon model,
    each with its evidence and confidence."""
    rows = []
    for subject in ("drones", "missiles", "all"):
        totals = getattr(ex.totals, subject)
        for measure in MEASURES:
            found = value_of(getattr(totals, measure, None))
            if found:
                field = f"totals.{subject}.{measure}"
                rows.append(dict(subject=subject, weapon_class=None, label=None, measure=measure, value=found[0],
                                 qualifier=found[1], confidence=ex.confidence_of(field),
                                 **_evidence(ex.evidence, field)))
    for weapon in ex.weapons:
        for measure in MEASURES:
            found = value_of(getattr(weapon, measure))
            if found:
                rows.append(dict(subject=weapon.model, weapon_class=weapon.weapon_class, label=None, measure=measure,
                                 value=found[0], qualifier=found[1],
                                 confidence=ex.confidence_of(f"weapons.{weapon.model}.{measure}"),
                                 **_evidence(weapon.evidence, measure)))
    return rows


def casualty_rows(ex: Extraction) -> list[dict]:
    """killed / injured, each with its evidence."""
    rows = []
    for measure in ("killed", "injured"):
        found = value_of(getattr(ex.casualties, measure))
        if found:
            evidence = _evidence(ex.evidence, f"casualties.{measure}")
            evidence.pop("rule")
            rows.append(dict(measure=measure, value=found[0], qualifier=found[1], **evidence))
    return rows


def claim_rows(ex: Extraction) -> list[dict]:
    return [dict(kind=c.kind, text=c.text, start=c.start, end=c.end) for c in ex.claims]

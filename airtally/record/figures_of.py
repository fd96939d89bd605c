"""The figures, casualties and claims of one extraction as rows for the record's tables.

>>> from airtally.model import Extraction, Approx
>>> ex = Extraction(input="-", language="en")
>>> ex.totals.drones.launched = Approx(min=200)
>>> [(f["subject"], f["measure"], f["value"], f["qualifier"], f["confidence"]) for f in figure_rows(ex)]
[('drones', 'launched', 200, 'min', 'high')]
"""

from __future__ import annotations

from airtally.model import Approx, Count, Extraction, Stated


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


def _evidence(figure: Stated) -> dict:
    """The span the figure was read from (its first evidence), as the figure carries it."""
    first = figure.evidence[0] if figure.evidence else None
    if first is None:
        return dict(evidence_start=None, evidence_end=None, evidence_text=None, rule=None)
    return dict(evidence_start=first.start, evidence_end=first.end, evidence_text=first.text, rule=first.rule)


def figure_rows(ex: Extraction) -> list[dict]:
    """One row per stated figure: class totals (drones, missiles, all) and per weapon model, each
    with the evidence and confidence it carries (``Extraction.figures``)."""
    rows = []
    for figure in ex.figures():
        found = value_of(figure.value)
        if found:
            rows.append(dict(subject=figure.subject, weapon_class=figure.weapon_class, label=None, measure=figure.measure,
                             value=found[0], qualifier=found[1], confidence=figure.confidence, **_evidence(figure)))
    return rows


def casualty_rows(ex: Extraction) -> list[dict]:
    """killed / injured, each with its evidence and confidence (``Extraction.casualty_figures``)."""
    rows = []
    for figure in ex.casualty_figures():
        found = value_of(figure.value)
        if found:
            evidence = _evidence(figure)
            evidence.pop("rule")
            rows.append(dict(measure=figure.measure, value=found[0], qualifier=found[1], confidence=figure.confidence,
                             **evidence))
    return rows


def claim_rows(ex: Extraction) -> list[dict]:
    return [dict(kind=c.kind, text=c.text, start=c.start, end=c.end) for c in ex.claims]

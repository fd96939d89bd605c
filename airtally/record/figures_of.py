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


def _span(span) -> dict:
    return {"start": span.start, "end": span.end, "text": span.text}


def _evidence(figure: Stated) -> dict:
    """The span the figure was read from (its first evidence) in ``evidence_*``, and every span
    it rests on with the competing readings the engine weighed for it in ``spans``, as the
    figure carries them."""
    first = figure.evidence[0] if figure.evidence else None
    if first is None:
        return dict(evidence_start=None, evidence_end=None, evidence_text=None, rule=None, spans=None)
    spans = {"evidence": [_span(s) for s in figure.evidence], "competing": [_span(s) for s in figure.competing]}
    return dict(evidence_start=first.start, evidence_end=first.end, evidence_text=first.text, rule=first.rule,
                spans=spans)


def spans_of(row: dict) -> dict:
    """A stored figure's (or casualty's) spans: ``{"evidence": [...], "competing": [...]}``, from
    its ``spans`` column, or its one ``evidence_*`` span with no competing reading where that is
    NULL (curated rows, rows of an earlier reading stored before migration 0019).

    >>> spans_of({"spans": None, "evidence_start": 0, "evidence_end": 3, "evidence_text": "539"})
    {'evidence': [{'start': 0, 'end': 3, 'text': '539'}], 'competing': []}
    >>> spans_of({"spans": None, "evidence_start": None, "evidence_end": None, "evidence_text": None})
    {'evidence': [], 'competing': []}
    """
    stored = row.get("spans")
    if stored:
        return {"evidence": list(stored.get("evidence") or []), "competing": list(stored.get("competing") or [])}
    if row.get("evidence_start") is None:
        return {"evidence": [], "competing": []}
    return {"evidence": [{"start": row["evidence_start"], "end": row["evidence_end"], "text": row["evidence_text"]}],
            "competing": []}


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

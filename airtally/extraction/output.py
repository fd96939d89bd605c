"""Assembling the ``Extraction`` record: figures, evidence spans, regions, weapons, warnings."""

from __future__ import annotations

from airtally.catalog.weapons import catalogue
from airtally.extraction.dates import Period
from airtally.extraction.document import Document
from airtally.extraction.people import casualties
from airtally.extraction.lexicon import Hit
from airtally.extraction.phrases import Phrase
from airtally.extraction.totals import KINDS, Totals, is_regional
from airtally.extraction.claims import find_claims
from airtally.model import (
    Approx, Casualties, Evidence, Extraction, ExtractionWarning, Locations, Period as PeriodRecord,
    Totals as TotalsRecord, WeaponFigure,
)

ACTION_FIELD = {"launched": "launched", "destroyed": "destroyed", "lost": "lost", "hit": "hits"}


def count(value):
    """A figure as the model holds it: an int, an Approx, or None."""
    return Approx(**value) if isinstance(value, dict) else value


def _evidence(doc: Document, field: str, start: int, end: int, rule: str) -> Evidence:
    return Evidence(field=field, start=start, end=end, text=doc.raw[start:end], rule=rule)


WEAPON_WORDS = {"drone", "missile", "model", "decoy"}
EVENT_VERBS = {"launched", "hit", "destroyed"}


def _attack_event(doc: Document, usable) -> bool:
    """A night's attack told without figures: "its drones had struck the refinery overnight"."""
    for sentence in doc.story:
        if not usable(sentence) or not (sentence.has("overnight") or sentence.has("night_of")):
            continue
        kinds = {h.kind for h in sentence.hits}
        if kinds & WEAPON_WORDS and kinds & EVENT_VERBS and "negation" not in kinds:
            return True
    return False


def _is_attack(doc: Document, phrases: list[Phrase], usable) -> bool:
    figures = any(p.action and not p.implicit and not p.share and p.kind != "other" for p in phrases)
    return figures or _attack_event(doc, usable)


def _totals(doc: Document, totals: Totals, evidence: list[Evidence]) -> TotalsRecord:
    record = TotalsRecord()
    for (kind, name), figure in totals.figures.items():
        target = getattr(record, kind)
        setattr(target, name, count(figure.value))
        for phrase in figure.phrases:
            evidence.append(_evidence(doc, f"totals.{kind}.{name}", phrase.start, phrase.end, figure.rule))
    return record


def _weapons(doc: Document, phrases: list[Phrase]) -> list[WeaponFigure]:
    found: dict[str, WeaponFigure] = {}
    ordered = phrases + _only_model_figures(phrases)
    ordered.sort(key=lambda p: is_regional(doc, p))  # a regional figure only where no other is given
    for phrase in ordered:
        if phrase.model is None or phrase.action not in ACTION_FIELD:
            continue
        weapon = catalogue().get(phrase.model)
        figure = found.setdefault(phrase.model, WeaponFigure(model=phrase.model, weapon_class=weapon.weapon_class))
        name = ACTION_FIELD[phrase.action]
        if getattr(figure, name) is None or (phrase.share is False and isinstance(getattr(figure, name), Approx)):
            setattr(figure, name, count({phrase.approx: phrase.value} if phrase.approx else phrase.value))
            figure.evidence.append(_evidence(doc, f"{phrase.model}.{name}", phrase.start, phrase.end, phrase.rule))
    return list(found.values())


def _only_model_figures(phrases: list[Phrase]) -> list[Phrase]:
    """When a class has one model only, its class-wide figures ("both missiles were shot down")
    are that model's."""
    extra = []
    for kind in KINDS:
        models = {p.model for p in phrases if p.kind == kind and p.model and not p.share}
        generic_launch = any(p.kind == kind and p.generic and p.action == "launched" for p in phrases)
        if len(models) != 1 or generic_launch:
            continue
        model = models.pop()
        for phrase in phrases:
            if phrase.kind == kind and phrase.generic and phrase.value is not None and not phrase.share:
                copy = Phrase(**{**phrase.__dict__, "model": model, "generic": False, "regional": None})
                extra.append(copy)
    return extra


def _regions(doc: Document, usable) -> list[str]:
    codes: list[str] = []
    for sentence in doc.story:
        if not usable(sentence) or sentence.has("ua_attacker"):
            continue
        for code, start, _ in sentence.regions:
            before = doc.text[sentence.start : start]
            in_brackets = before.count("(") > before.count(")")  # "(Крим)": where they were launched from
            if not in_brackets and not doc.lex.from_place.search(before[-25:]) and code not in codes:
                codes.append(code)
    return codes


def _unit_follows(doc: Document, number, nxt) -> bool:
    return nxt.kind == "location" and len(doc.text[number.end : nxt.start].split()) <= 2


def _unit_elided(doc: Document, hits, i: int) -> bool:
    """"влучання на 33 локаціях, падіння уламків – на 8", "struck nine locations, and debris fell
    at three more": the second count's noun is left out."""
    seen = any(h.kind == "location" for h in hits[:i])
    cues = [h for h in hits[:i] if h.kind in {"debris", "hit"}]
    if not seen or not cues or cues[-1].start < max(h.start for h in hits[:i] if h.kind == "location"):
        return False
    close = len(doc.text[cues[-1].end : hits[i].start].split()) <= 6
    return close and bool(doc.lex.more.match(doc.text, hits[i].end))


def _locations(doc: Document, usable, evidence: list[Evidence]) -> Locations:
    record = Locations()
    for sentence in doc.story:
        if not usable(sentence):
            continue
        hits = sentence.hits + [Hit("end", None, sentence.end, sentence.end)]
        for i, hit in enumerate(hits[:-1]):
            nxt = hits[i + 1]
            if hit.kind != "number" or not (_unit_follows(doc, hit, nxt) or _unit_elided(doc, hits, i)):
                continue
            cues = [h for h in hits[:i] if h.kind in {"hit", "debris"}]
            if not cues:
                continue
            name = "debris" if cues[-1].kind == "debris" else "hit"
            if getattr(record, name) is None:
                setattr(record, name, hit.key)
                end = nxt.end if nxt.kind == "location" else hit.end
                evidence.append(_evidence(doc, f"locations.{name}", hit.start, end, "number_of_locations"))
    return record


def _casualties(doc: Document, phrases: list[Phrase], usable, evidence: list[Evidence], regional: bool) -> Casualties:
    anchors = {id(p.anchor) for p in phrases if p.anchor is not None}
    found = casualties(doc, anchors, usable, regional)
    record = Casualties()
    for name, casualty in found.items():
        if casualty is None:
            continue
        setattr(record, name, count(casualty.value))
        for start, end in casualty.spans or [(casualty.start, casualty.end)]:
            evidence.append(_evidence(doc, f"casualties.{name}", start, end, casualty.rule))
    return record


def _scope(doc: Document, phrases: list[Phrase]) -> str:
    """"regional" for a regional command's or official's report that gives no national figure."""
    national = any(p.sentence.has("countrywide") for p in phrases if p.action)
    return "regional" if doc.regional_scope and not national else "national"


def build(doc: Document, name: str, side: str, phrases: list[Phrase], totals: Totals, period: Period,
          usable, all_phrases: list[Phrase], same_attack=None) -> Extraction:
    """The Extraction record for one document."""
    result = Extraction(input=name, language=doc.language)
    if not _is_attack(doc, phrases, usable):
        return result
    evidence: list[Evidence] = []
    result.is_attack_report = True
    result.attacker, result.target = side, ("RU" if side == "UA" else "UA")
    result.totals = _totals(doc, totals, evidence)
    result.period = PeriodRecord(date=period.date, start=period.start, end=period.end)
    rules = {"period.date": period.rule, "period.start": "from_time", "period.end": "as_of_time"}
    for field, (start, end) in period.spans.items():
        evidence.append(_evidence(doc, field, start, end, rules[field]))
    result.scope = _scope(doc, phrases)
    result.casualties = _casualties(doc, all_phrases, same_attack or usable, evidence, result.scope == "regional")
    result.locations = _locations(doc, usable, evidence)
    result.weapons = _weapons(doc, phrases)
    result.claims = find_claims(doc, usable)
    result.regions = _regions(doc, usable) if side == "RU" else []
    result.evidence = evidence
    warnings = totals.warnings + period.warnings
    result.warnings = [ExtractionWarning(code=c, message=m) for c, m in dict.fromkeys(warnings)]
    return result




"""How sure a total is: the readings that compete for each field, weighed in one decision.

For every total the rules chose (``totals``), the competing readings are collected: the other
phrases of the same class and action anywhere in the text, with a different figure, whether or
not the main-attack rules kept them. Each reading (the chosen one too) gets its cues for and
against (``CUES``: chosen by the rules, kept as the main attack's, in the lead or the headline,
approximate, a distractor or record cue in its sentence, the other side's cue, its verb found
beyond its clause, regional, ...), and one ranked decision weighs them with the weights of
``confidence.json`` (fitted on the tuned corpus by ``scripts/fit_confidence.py``): the chosen
reading keeps its field ``high`` when no competitor comes close, turns ``low`` (with the warning
``ambiguous_figure`` naming both spans) when one does, and gives way to ``null`` plus the warning
when the two are too close to call. A figure derived from a ``low`` one (a sum, "all of them")
is ``low`` too.

>>> weights = Weights({"bias": 0.0, "chosen": 2.0}, low_margin=1.0, abstain_margin=0.0, low_floor=0.5)
>>> chosen = Reading("totals.drones.launched", 40, [(0, 2)], {"chosen": 1.0})
>>> rival = Reading("totals.drones.launched", 50, [(10, 12)], {})
>>> decide([chosen, rival], weights)[0]
'high'
>>> decide([chosen, rival], Weights({"bias": 0.0, "chosen": 0.5}, 1.0, 0.0, 0.5))[0]
'low'
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from importlib import resources

from airtally.extraction.counts import KINDS, Figure, Totals, Value, numeric
from airtally.extraction.document import Document, Sentence
from airtally.extraction.people import Casualty
from airtally.extraction.quantity import Phrase, is_regional

# the cues a reading is weighed by; each is 0.0 or 1.0 unless said
CUES = (
    "bias",
    "chosen",  # the reading the ordered rules picked
    "kept",  # in a sentence the rules keep as the main attack's
    "headline",
    "approx",
    "lead",  # in the first two sentences of the story
    "distractor",  # its sentence has a record, month or distractor cue
    "other_side",  # its sentence has the other side's cue
    "verb_far",  # its verb was found beyond its clause (another clause, the previous sentence)
    "no_verb",  # its action was given by a rule, not a verb of its own (brackets, parts, participles)
    "regional",
    "context_class",  # a bare number or "the missile": what it counts is read from context, not stated
    "update",  # its sentence is an update or gives figures "as of" a time
    "sum",  # a sum over weapon types
    "derived",  # a figure a rule derived (every one destroyed, hits only, ...)
    "largest",  # the largest of the figures competing for the field
    "competitors",  # how many other figures compete (0, 1, 2 or more, scaled to 0..1)
    "contested",  # (the chosen reading) another figure the rules keep competes: the rules' own tie
    "ua_side",  # the text reports Ukrainian weapons over Russia (a Russian MoD claim, a governor)
    "long",  # a long text (more than twelve sentences): background, earlier attacks
)
# a casualty figure's cues are weighed apart (people are counted otherwise than weapons): the same
# cues under this prefix, and its own
CASUALTY = "casualty_"
CASUALTY_CUES = tuple(CASUALTY + name for name in (
    "bias", "chosen", "headline", "approx", "lead", "largest", "competitors", "contested", "ua_side", "long",
    "places",  # summed over places, or one place's figure
    "zero",  # "no one was hurt"
))
LONG_STORY = 12
DERIVED_RULES = {"all_of_launched", "every_destroyed", "all_except", "none_destroyed", "hits_only",
                 "class_all_destroyed", "class_none_destroyed"}
FAR_VERBS = ("verb_segment", "verb_sentence", "previous_sentence")
RULE_ACTIONS = {"number_in_brackets", "whole_of_part", "whole_after_of", "apposition_of_group", "launch_participle"}
ACTION_FIELD = {"launched": "launched", "destroyed": "destroyed", "lost": "lost", "hit": "hits"}


class Weights:
    """The cues' weights and the decision's thresholds (``confidence.json``): a chosen reading
    whose probability is below ``low_floor``, or within ``low_margin`` (in log-odds) of a
    competitor's, is ``low``; within ``abstain_margin``, the field is left null."""

    def __init__(self, cues: dict[str, float], low_margin: float, abstain_margin: float, low_floor: float):
        self.cues, self.low_margin, self.abstain_margin, self.low_floor = cues, low_margin, abstain_margin, low_floor
        self.bias = cues.get("bias", 0.0)
        # the floor in log-odds, so that a reading's score is compared without an exp() per figure
        self.floor_score = (-math.inf if low_floor <= 0 else math.inf if low_floor >= 1
                            else math.log(low_floor / (1 - low_floor)))

    def score(self, cues: dict[str, float]) -> float:
        """The reading's log-odds of being the right one."""
        weight = self.cues.get
        total = self.bias
        for name, value in cues.items():
            if value:
                total += weight(name, 0.0) * value
        return total


@lru_cache(maxsize=1)
def shipped_weights() -> Weights:
    """The weights fitted by ``scripts/fit_confidence.py``, as shipped beside this module."""
    data = json.loads(resources.files("airtally.extraction").joinpath("confidence.json").read_text("utf-8"))
    return Weights({str(k): float(v) for k, v in data["cues"].items()}, float(data["low_margin"]),
                   float(data["abstain_margin"]), float(data["low_floor"]))


class Reading:
    """One reading of a field: its figure, the spans it comes from, and its cues."""

    __slots__ = ("field", "value", "spans", "cues")

    def __init__(self, field: str, value: Value, spans: list[tuple[int, int]], cues: dict[str, float]):
        self.field, self.value, self.spans, self.cues = field, value, spans, cues


def decide(readings: list[Reading], weights: Weights) -> tuple[str, Reading | None]:
    """The verdict on the first reading (the chosen one) against the others: "high", "low" or
    "abstain", with the closest competitor (None when there is none)."""
    mine = weights.score(readings[0].cues)
    rival: Reading | None = None
    best = 0.0
    for other in readings[1:]:
        score = weights.score(other.cues)
        if rival is None or score > best:
            rival, best = other, score
    if rival is not None:
        gap = mine - best
        if gap < weights.abstain_margin:
            return "abstain", rival
        if gap < weights.low_margin:
            return "low", rival
    return ("low" if mine < weights.floor_score else "high"), rival


def _flat(value: Value) -> tuple:
    return tuple(sorted(value.items())) if isinstance(value, dict) else (value,)


class Collector:
    """The readings of each chosen total: the chosen figure and every competing phrase."""

    def __init__(self, doc: Document, phrases: list[Phrase], kept: list[Phrase], side: str):
        self.doc, self.phrases, self.side = doc, phrases, side
        self.kept = {id(p) for p in kept}
        self.lead = {id(s) for s in doc.story[:2]}
        self.lead_end = doc.story[1].end if len(doc.story) > 1 else len(doc.text)
        # the cues of the whole text, only those present
        self.document = {name: 1.0 for name, present in (("ua_side", side == "UA"), ("long", len(doc.story) > LONG_STORY))
                         if present}
        self.other = "ua_attacker" if side == "RU" else "ru_attacker"  # the other side's cue
        self.by_field: dict[tuple[str, str], list[Phrase]] | None = None  # the phrases that may compete, by (kind, field)

    def competing(self, kind: str, name: str) -> list[Phrase]:
        """The phrases with a figure of their own for class ``kind`` (or "combined") and field
        ``name``, in text order (sorted into groups when first asked)."""
        if self.by_field is None:
            self.by_field = {}
            for p in self.phrases:
                field = ACTION_FIELD.get(p.action or "")
                if field is not None and p.value is not None and p.generic and not p.share:
                    self.by_field.setdefault((p.kind, field), []).append(p)
        return self.by_field.get((kind, name), [])

    def phrase_cues(self, phrase: Phrase) -> dict[str, float]:
        """The cues a phrase's reading has (those that are 0 left out: most are, for most phrases)."""
        sentence: Sentence = phrase.sentence
        flags = sentence.flags
        rule = phrase.action_rule
        marks = (
            ("kept", id(phrase) in self.kept),
            ("headline", sentence.headline),
            ("approx", phrase.approx is not None),
            ("lead", id(sentence) in self.lead),
            ("distractor", "distractor" in flags or "cumulative" in flags),
            ("other_side", self.other in flags or (phrase.side is not None and phrase.side != self.side)),
            ("verb_far", rule.startswith(FAR_VERBS)),
            ("no_verb", rule in RULE_ACTIONS),
            ("regional", is_regional(self.doc, phrase)),
            ("context_class", phrase.implicit or phrase.rule == "bare_number"),
            ("update", "update" in flags),
        )
        cues = dict(self.document)
        for name, present in marks:
            if present:
                cues[name] = 1.0
        return cues

    def rivals(self, kind: str, name: str, figure: Figure) -> list[Phrase]:
        """The phrases that could give the field another figure: same class (or the combined
        count for "all") and action, their own figure, not one of the chosen figure's."""
        mine = {id(p) for p in figure.phrases}
        seen = {_flat(figure.value)}
        found = []
        for p in self.competing("combined" if kind == "all" else kind, name):
            if id(p) in mine:
                continue
            value = _phrase_value(p)
            if _flat(value) not in seen:
                seen.add(_flat(value))
                found.append(p)
        return found

    def readings(self, kind: str, name: str, figure: Figure) -> list[Reading]:
        """The chosen figure's reading first, then its rivals'."""
        field = f"totals.{kind}.{name}"
        rivals = self.rivals(kind, name, figure)
        lead = figure.phrases[0] if figure.phrases else None
        cues = self.phrase_cues(lead) if lead is not None else {}
        cues.update(chosen=1.0, kept=1.0, sum=float(figure.rule == "sum_of_types"),
                    derived=float(figure.rule in DERIVED_RULES))
        if figure.rule == "sum_of_types":
            cues["approx"] = float(isinstance(figure.value, dict))
        if not figure.phrases:
            cues.update(self.document)
        readings = [Reading(field, figure.value, [(p.start, p.end) for p in figure.phrases], cues)]
        for p in rivals:
            readings.append(Reading(field, _phrase_value(p), [(p.start, p.end)], self.phrase_cues(p)))
        if any(r.cues.get("kept") and not r.cues.get("headline") for r in readings[1:]):
            cues["contested"] = 1.0
        return _ranked(readings)

    def casualty_cues(self, casualty: Casualty) -> dict[str, float]:
        cues = {**self.document, "bias": 1.0, "headline": float(casualty.headline),
                "approx": float(isinstance(casualty.value, dict)), "lead": float(casualty.start < self.lead_end),
                "places": float(casualty.rule == "sum_of_places" or not casualty.national),
                "zero": float(casualty.value == 0)}
        return {CASUALTY + name: value for name, value in cues.items()}

    def casualty_readings(self, name: str, chosen: Casualty, found: list[Casualty]) -> list[Reading]:
        """The chosen casualty figure's reading first, then those of the other figures found for
        it (by value: one reading per figure)."""
        field = f"casualties.{name}"
        cues = self.casualty_cues(chosen)
        cues[CASUALTY + "chosen"] = 1.0
        readings = [Reading(field, chosen.value, chosen.spans or [(chosen.start, chosen.end)], cues)]
        seen = {_flat(chosen.value)}
        parts = set(chosen.spans)  # a sum over places: its parts are no rivals
        for casualty in found:
            if (casualty is chosen or casualty.value is None or _flat(casualty.value) in seen
                    or (casualty.start, casualty.end) in parts):
                continue
            seen.add(_flat(casualty.value))
            readings.append(Reading(field, casualty.value, [(casualty.start, casualty.end)], self.casualty_cues(casualty)))
        if any(not r.cues.get(CASUALTY + "places") and not r.cues.get(CASUALTY + "headline") for r in readings[1:]):
            cues[CASUALTY + "contested"] = 1.0
        return _ranked(readings, CASUALTY)


def _ranked(readings: list[Reading], prefix: str = "") -> list[Reading]:
    """The readings with the cues that compare them: the largest figure, how many compete."""
    if len(readings) == 1:
        return readings  # alone: neither the largest of several nor competed with
    largest = max(_size(r.value) for r in readings)
    for reading in readings:
        if _size(reading.value) == largest:
            reading.cues[prefix + "largest"] = 1.0
        reading.cues[prefix + "competitors"] = min(len(readings) - 1, 2) / 2
    return readings


def _phrase_value(phrase: Phrase) -> Value:
    if phrase.value is None:
        return None
    return {phrase.approx: phrase.value} if phrase.approx else phrase.value


def _size(value: Value) -> int:
    if isinstance(value, dict):
        return next(iter(value.values()), 0)
    return value or 0


def judge_casualty(collector: Collector, name: str, chosen: Casualty, found: list[Casualty],
                   weights: Weights | None = None) -> tuple[str, str, list[tuple[int, int]]] | None:
    """The verdict on a casualty figure: None when it stays high, else (verdict, message, spans)
    with the verdict "low" or "abstain"."""
    readings = collector.casualty_readings(name, chosen, found)
    verdict, rival = decide(readings, weights or shipped_weights())
    if verdict == "high":
        return None
    field = readings[0].field
    if rival is None:
        message = f"{field}: {chosen.value} was read with little support (a place's figure, or far from the attack)"
    elif verdict == "abstain":
        message = f"{field}: {chosen.value} and {rival.value} compete too closely to choose; left null"
    else:
        message = f"{field}: {chosen.value} was taken, but {rival.value} competes for it"
    return verdict, message, readings[0].spans + (rival.spans if rival is not None else [])


def collect(doc: Document, phrases: list[Phrase], kept: list[Phrase], totals: Totals, side: str) -> dict[str, list[Reading]]:
    """Every chosen total's readings, keyed by field ("totals.drones.launched")."""
    collector = Collector(doc, phrases, kept, side)
    return {f"totals.{kind}.{name}": collector.readings(kind, name, figure)
            for (kind, name), figure in totals.figures.items()}


def judge(collector: Collector, totals: Totals, weights: Weights | None = None) -> None:
    """Weigh every chosen total against its rivals: mark it low, or drop it (abstain), with the
    warning ``ambiguous_figure``. Run before the derived figures (which follow what is left) and
    again after them, for the figures they added."""
    weights = weights or shipped_weights()
    warned = {entry[0] for entry in totals.ambiguous}
    for (kind, name), figure in list(totals.figures.items()):
        if figure.judged:
            continue
        figure.judged = True
        field = f"totals.{kind}.{name}"
        if field in warned:  # derived where the stated figures were too close to call: no surer than they
            figure.confidence = "low"
            continue
        verdict, rival = decide(collector.readings(kind, name, figure), weights)
        if verdict == "high":
            continue
        figure.confidence = "low"
        if verdict == "abstain":
            del totals.figures[(kind, name)]
        totals.ambiguous.append((field, _message(field, figure, rival, verdict), _spans(figure, rival, verdict)))


def _message(field: str, figure: Figure, rival: Reading | None, verdict: str) -> str:
    if rival is None:
        return f"{field}: {figure.value} was read with little support (its verb or its class is far from it)"
    if verdict == "abstain":
        return f"{field}: {figure.value} and {rival.value} compete too closely to choose; left null"
    return f"{field}: {figure.value} was taken, but {rival.value} competes for it"


def _spans(figure: Figure, rival: Reading | None, verdict: str) -> list[tuple[int, int]]:
    """The chosen reading's spans (when it was kept), then the rival's."""
    mine = [] if verdict == "abstain" and rival is None else [(p.start, p.end) for p in figure.phrases]
    return mine + (rival.spans if rival is not None else [])


def doubt_exceeding(totals: Totals) -> None:
    """More destroyed (and lost) than launched, where the text does not say so plainly, is two
    readings that cannot both be right: the destroyed figure is low, the warning names both."""
    for kind in KINDS:
        launched, destroyed = totals.figures.get((kind, "launched")), totals.figures.get((kind, "destroyed"))
        if launched is None or destroyed is None or destroyed.confidence == "low":
            continue
        lost = numeric(totals.value(kind, "lost")) or 0
        if (numeric(destroyed.value) or 0) + lost > (numeric(launched.value) or 0):
            destroyed.confidence = "low"
            field = f"totals.{kind}.destroyed"
            message = f"{field}: {destroyed.value} is more than the {launched.value} launched; one of the two is misread"
            totals.ambiguous.append((field, message, [(p.start, p.end) for p in destroyed.phrases + launched.phrases]))


def propagate(totals: Totals) -> None:
    """A figure built from a low one's phrases (a sum, "all of them destroyed") is low too, with
    the warning naming the spans it was built from."""
    low = {id(p) for f in totals.figures.values() if f.confidence == "low" for p in f.phrases}
    if not low:
        return
    for (kind, name), figure in totals.figures.items():
        if figure.confidence != "low" and any(id(p) in low for p in figure.phrases):
            figure.confidence, figure.judged = "low", True
            field = f"totals.{kind}.{name}"
            message = f"{field}: {figure.value} is built from a figure another reading competes for"
            totals.ambiguous.append((field, message, [(p.start, p.end) for p in figure.phrases]))

"""Which reading of a field wins, and how sure it is: the competing readings weighed in one decision.

For every total the rules chose (``totals``), the competing readings are collected: the other
phrases of the same class and action anywhere in the text, with a different figure, whether or
not the main-attack rules kept them. Each reading (the rules' pick too) gets its cues for and
against (``CUES``: chosen by the rules, kept as the main attack's, in the lead or the headline,
its place in the story, approximate, a record, month or "since" cue in its sentence, a date other
than the attack's night, the other side's cue, its verb found beyond its clause, regional, its
figure agreeing with the headline's or with the launches of its own sentence, what a careful reader
would doubt: an earlier report cited, a day's tally, a region named beside it, a one
told by an article, a list whose first item is approximate, a sum over sentences, ...), and one ranked
decision scores them all with the weights of ``confidence.json`` (fitted on the tuned corpus by
``scripts/fit_confidence.py``). The top reading wins: the rules' pick unless a rival outscores it
by ``switch_margin`` (the pick's own cue ``chosen`` weighs for it). The winner is ``high`` when it
beats every other reading by ``low_margin``, ``low`` (with the warning ``ambiguous_figure``
naming both spans) when it wins by less, and the field is left ``null`` plus the warning when the
two are too close to call. A figure derived from a ``low`` one (a sum, "all of them") is ``low``
too.

>>> weights = Weights({"bias": 0.0, "chosen": 2.0, "night": 3.0}, low_margin=2.0, abstain_margin=0.0, low_floor=0.5,
...                   switch_margin=1.0)
>>> chosen = Reading("totals.drones.launched", 40, [(0, 2)], {"chosen": 1.0})
>>> rival = Reading("totals.drones.launched", 50, [(10, 12)], {})
>>> verdict, winner, _ = decide([chosen, rival], weights); verdict, winner.value
('high', 40)
>>> decide([chosen, rival], Weights({"bias": 0.0, "chosen": 0.5}, 1.0, 0.0, 0.5))[0]
'low'
>>> dated = Reading("totals.drones.launched", 50, [(10, 12)], {"night": 1.0})
>>> verdict, winner, rival = decide([chosen, dated], weights); verdict, winner.value, rival.value
('low', 50, 40)
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from functools import lru_cache
from importlib import resources

from airtally.extraction.counts import KINDS, Figure, Totals, Value, numeric
from airtally.extraction.dates import dates_in, night_dates_in, resolve_parts
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
    "position",  # the place of its sentence in the story, 0 (first) to 1 (the twelfth and later)
    "distractor",  # its sentence has a distractor cue (a previous record, "a day earlier", "last year")
    "cumulative",  # its sentence has a cue of a period's count ("last month", "since", "so far this year")
    "national",  # its sentence says it counts the whole attack ("in total", "nationwide", "across Ukraine")
    "night",  # its sentence names the night ("overnight", "у ніч на")
    "other_day",  # its sentence names a date more than a day from the attack's, or another night
    "separate",  # its sentence tells of a separate attack or incident
    "headline_agrees",  # (in the body) the headline gives the same figure for the field
    "headline_near",  # (in the body) the headline gives an approximate figure within a tenth of it ("почти 180" for 177)
    "has_part",  # the M of "N of M": the whole a part is counted out of ("shot down 36 ... out of the 67 missiles")
    "pair_agrees",  # its sentence gives the class's other figure (launched / destroyed) and the two fit
    "pair_exceeds",  # its sentence gives the class's other figure and more are destroyed than launched
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
    # what a careful reader is unsure of (lexicon words weighed by the confidence only)
    "told_before",  # its sentence cites an earlier report ("as reported earlier", "як уже писали")
    "past_day",  # its sentence gives a day's tally ("over the past day", "за минулу добу")
    "as_of_time",  # its sentence gives figures as of a time, to be updated ("станом на 14:10", "so far")
    "singular",  # a figure of one told by a singular noun or an article, no number ("a missile", "ракету")
    "approx_list",  # an approximation word before an earlier item of its list ("about 50 missiles and 300 drones")
    "spread",  # built from phrases of more than one sentence (a sum over types or drones and missiles)
    "fallback",  # the rules' last resort: no national figure stated in the body (a region's, the headline's, the combined count's)
    "placed",  # its clause names a region (any country's: "над Воронежской областью"), in a text not of one region
)
# a casualty figure's cues are weighed apart (people are counted otherwise than weapons): the same
# cues under this prefix, and its own
CASUALTY = "casualty_"
CASUALTY_CUES = tuple(CASUALTY + name for name in (
    "bias", "chosen", "headline", "approx", "lead", "largest", "competitors", "contested", "ua_side", "long",
    "places",  # summed over places, or one place's figure
    "zero",  # "no one was hurt"
    "position",  # the place of its sentence in the story, as for a total
    "distractor",  # its sentence has a distractor or a period's cue ("a year ago", "last month")
    "other_day",  # its sentence names a date more than a day from the attack's
    "told_before", "past_day", "as_of_time",  # as for a total
    "spread",  # summed over sentences ("injured four" twice, the places' counts told apart)
))
# the sentence flags that are cues of the same name (lexicon keys the confidence alone weighs)
DOUBT_FLAGS = ("told_before", "past_day", "as_of_time")
# the cues of a part that make a sum over sentences doubtful too
PART_DOUBTS = {"distractor", "cumulative", "other_day", "separate", "other_side", "regional", "told_before", "past_day",
               "singular", "context_class", "verb_far"}
# the rules' last resorts: a figure chosen when the body states no national one
FALLBACK_RULES = {"regional_only", "combined_for_only_class", "headline", "all_accounted_not_destroyed"}
NUMBER_KINDS = {"number", "number_about", "article", "both", "one_definite", "one_implied"}  # a count's hits
ONE_WORDS = {"article", "one_implied", "one_definite"}  # a figure of one told without a number
LONG_STORY = 12
_CLAUSE_STOP = re.compile(r"[;:]|[.,]\s")
DERIVED_RULES = {"all_of_launched", "every_destroyed", "every_destroyed_launched", "all_except", "none_destroyed", "hits_only",
                 "class_all_destroyed", "class_none_destroyed", "class_destroyed_whole_model"}
FAR_VERBS = ("verb_segment", "verb_sentence", "previous_sentence")
RULE_ACTIONS = {"number_in_brackets", "whole_of_part", "whole_after_of", "apposition_of_group", "launch_participle"}
ACTION_FIELD = {"launched": "launched", "destroyed": "destroyed", "lost": "lost", "hit": "hits"}
PAIRED = {"launched": "destroyed", "destroyed": "launched"}  # the figure a sentence's other figure is checked against
RANKED = "ranked_choice"  # the rule of a figure the decision took over the rules' pick


class Weights:
    """The cues' weights and the decision's thresholds (``confidence.json``): a rival takes the
    field from the rules' pick when it outscores it by ``switch_margin`` (in log-odds); the winner
    whose probability is below ``low_floor``, or within ``low_margin`` of another reading's, is
    ``low``; within ``abstain_margin``, the field is left null."""

    def __init__(self, cues: dict[str, float], low_margin: float, abstain_margin: float, low_floor: float,
                 switch_margin: float = math.inf):
        self.cues, self.low_margin, self.abstain_margin, self.low_floor = cues, low_margin, abstain_margin, low_floor
        self.switch_margin = switch_margin
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
    switch = data.get("switch_margin")  # null: the rules' pick is never overturned
    return Weights({str(k): float(v) for k, v in data["cues"].items()}, float(data["low_margin"]),
                   float(data["abstain_margin"]), float(data["low_floor"]),
                   math.inf if switch is None else float(switch))


class Reading:
    """One reading of a field: its figure, the spans it comes from, its cues, and what it was read
    from (the rival's phrase or casualty figure, for the field to take when the reading wins;
    None for the rules' own figure)."""

    __slots__ = ("field", "value", "spans", "cues", "source")

    def __init__(self, field: str, value: Value, spans: list[tuple[int, int]], cues: dict[str, float],
                 source: Phrase | Casualty | None = None):
        self.field, self.value, self.spans, self.cues, self.source = field, value, spans, cues, source


def decide(readings: list[Reading], weights: Weights) -> tuple[str, Reading, Reading | None]:
    """The ranked decision over a field's readings (the rules' pick first): the verdict ("high",
    "low" or "abstain"), the winning reading, and the closest other one (None when alone). A rival
    wins only by outscoring the pick by ``weights.switch_margin``."""
    scores = [weights.score(r.cues) for r in readings]
    winner = 0
    for k in range(1, len(readings)):
        if scores[k] - scores[0] >= weights.switch_margin and scores[k] > scores[winner]:
            winner = k
    rival: Reading | None = None
    best = 0.0
    for k, other in enumerate(readings):
        if k != winner and (rival is None or scores[k] > best):
            rival, best = other, scores[k]
    mine = scores[winner]
    if rival is not None:
        gap = mine - best
        if gap < weights.abstain_margin:
            return "abstain", readings[winner], rival
        if gap < weights.low_margin:
            return "low", readings[winner], rival
    return ("low" if mine < weights.floor_score else "high"), readings[winner], rival


def _flat(value: Value) -> tuple:
    return tuple(sorted(value.items())) if isinstance(value, dict) else (value,)


class Collector:
    """The readings of each chosen total: the chosen figure and every competing phrase. ``day``:
    the Kyiv date the attack ended (None when not known), for the cue of a sentence naming another."""

    def __init__(self, doc: Document, phrases: list[Phrase], kept: list[Phrase], side: str, day: dt.date | None = None):
        self.doc, self.phrases, self.side, self.day = doc, phrases, side, day
        self.kept = {id(p) for p in kept}
        self.lead = {id(s) for s in doc.story[:2]}
        self.lead_end = doc.story[1].end if len(doc.story) > 1 else len(doc.text)
        # the cues of the whole text, only those present
        self.document = {name: 1.0 for name, present in (("ua_side", side == "UA"), ("long", len(doc.story) > LONG_STORY))
                         if present}
        self.other = "ua_attacker" if side == "RU" else "ru_attacker"  # the other side's cue
        self.by_field: dict[tuple[str, str], list[Phrase]] | None = None  # the phrases that may compete, by (kind, field)
        self.other_days: dict[int, bool] = {}  # by the sentence's id: whether it names another day
        self.wholes = {id(p.whole) for p in phrases if p.whole is not None}
        self.by_sentence: dict[int, list[Phrase]] | None = None  # the phrases of each sentence, by its id (when first asked)

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

    def names_other_day(self, sentence: Sentence) -> bool:
        """Whether the sentence names a date more than a day from the attack's, or another night
        (as the engine's main-attack test reads it; worked out once a sentence)."""
        known = self.other_days.get(id(sentence))
        if known is not None:
            return known
        day, found = self.day, False
        if day is not None and sentence.has("month"):
            found = any((stated := resolve_parts(parts, day)) is not None and abs((stated - day).days) > 1
                        for parts in dates_in(self.doc, sentence))
            if not found and sentence.has("night_of"):
                found = any((stated := resolve_parts(parts, day)) is not None and stated != day
                            for parts in night_dates_in(self.doc, sentence))
        self.other_days[id(sentence)] = found
        return found

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
            ("distractor", "distractor" in flags),
            ("cumulative", "cumulative" in flags),
            ("national", "national" in flags or "countrywide" in flags),
            ("night", "overnight" in flags or "night_of" in flags),
            ("other_day", self.names_other_day(sentence)),
            ("separate", "separate" in flags),
            ("other_side", self.other in flags or (phrase.side is not None and phrase.side != self.side)),
            ("verb_far", rule.startswith(FAR_VERBS)),
            ("no_verb", rule in RULE_ACTIONS),
            ("regional", is_regional(self.doc, phrase)),
            ("context_class", phrase.implicit or phrase.rule == "bare_number"),
            ("update", "update" in flags),
            ("has_part", id(phrase) in self.wholes or self.after_partitive(phrase)),
            ("singular", phrase.value == 1 and self.told_as_one(phrase)),
            ("approx_list", phrase.approx is None and self.in_approx_list(phrase)),
            ("placed", self.placed(phrase)),
            *((name, name in flags) for name in DOUBT_FLAGS),
        )
        cues = dict(self.document)
        for name, present in marks:
            if present:
                cues[name] = 1.0
        position = self.position(sentence)
        if position:
            cues["position"] = position
        return cues

    def placed(self, phrase: Phrase) -> bool:
        """Whether the phrase's clause names a region, by a region's name or a region noun of any
        country ("over the Voronezh region", "над Воронежской областью"), in a text that tells of
        more than one region's attack, and its sentence does not say it counts the whole."""
        doc, sentence = self.doc, phrase.sentence
        if "national" in sentence.flags or "countrywide" in sentence.flags or doc.regional_scope:
            return False
        stops = [m.end() for m in _CLAUSE_STOP.finditer(doc.text, sentence.start, phrase.start)]
        start = stops[-1] if stops else sentence.start
        stop = _CLAUSE_STOP.search(doc.text, phrase.end, sentence.end)
        end = stop.start() if stop else sentence.end
        if len(stops) == 1 and not any(sentence.start <= h.start < start and h.kind in NUMBER_KINDS for h in sentence.hits):
            start = sentence.start  # "In Odesa region, 12 drones were shot down": the opening clause places the count
        return (any(start <= a < end for _, a, _ in sentence.regions)
                or doc.lex.region_word.search(doc.text, start, end) is not None)

    def told_as_one(self, phrase: Phrase) -> bool:
        """Whether the phrase's one is told by an article or a singular noun, not a number word."""
        return any(h.kind in ONE_WORDS for h in phrase.sentence.hits if phrase.start <= h.start < phrase.end)

    def in_approx_list(self, phrase: Phrase) -> bool:
        """Whether the phrase is a later item of a list whose first item is approximate, with only a
        comma or a conjunction between: the approximation may govern the whole list ("about 50
        missiles and 300 drones", "more than 650 drones and 50 missiles")."""
        if self.by_sentence is None:
            self.by_sentence = {}
            for p in self.phrases:
                self.by_sentence.setdefault(id(p.sentence), []).append(p)
        earlier = [p for p in self.by_sentence.get(id(phrase.sentence), []) if p.end <= phrase.start]
        if not earlier:
            return False
        last = max(earlier, key=lambda p: p.end)
        between = self.doc.text[last.end:phrase.start].strip(" ,")
        return last.approx is not None and (not between or self.doc.lex.conjunction.fullmatch(between) is not None)

    def position(self, sentence: Sentence | None) -> float:
        """How far into the story the sentence stands: its place, counted up to a long story's
        length (0 for the first, 1 from the twelfth on); background and earlier attacks come late."""
        place = self.doc.place(sentence) if sentence is not None else None
        return min(place, LONG_STORY) / LONG_STORY if place else 0.0

    def after_partitive(self, phrase: Phrase) -> bool:
        """Whether the phrase stands after a partitive word ("out of", "з", "из") that follows
        other figures of its sentence, with no verb between: the whole those parts are counted out
        of ("shot down 36 missiles and 186 drones out of the 67 missiles and 194 drones")."""
        partitive, numbers = False, 0
        for hit in phrase.sentence.hits:
            if hit.start >= phrase.start:
                break
            if hit.kind == "number":
                numbers += not partitive
            elif hit.kind == "partitive":
                partitive = numbers > 0
            elif hit.kind in ACTION_FIELD:
                partitive = False
        return partitive

    def pair_cue(self, phrase: Phrase, name: str, value: Value) -> str | None:
        """"pair_agrees" or "pair_exceeds" when the phrase's sentence gives the class's other figure
        (launched for a destroyed one, and back), else None."""
        other = PAIRED.get(name)
        if other is None or numeric(value) is None:
            return None
        mine = numeric(value) or 0
        for p in self.competing(phrase.kind, other):
            if p.sentence is phrase.sentence and p.value is not None:
                launched, destroyed = (mine, p.value) if name == "launched" else (p.value, mine)
                return "pair_agrees" if destroyed <= launched else "pair_exceeds"
        return None

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
        cues["chosen"] = cues["kept"] = 1.0
        if figure.rule == "sum_of_types":
            cues["sum"] = 1.0
            cues.pop("approx", None)
            if isinstance(figure.value, dict):
                cues["approx"] = 1.0
        if figure.rule in DERIVED_RULES:
            cues["derived"] = 1.0
        if figure.rule in FALLBACK_RULES:
            cues["fallback"] = 1.0
        if len({id(p.sentence) for p in figure.phrases}) > 1:
            cues["spread"] = 1.0
            # a sum over sentences is as doubtful as its most doubtful part ("two Iskanders" of the
            # night, "44 drones" of the night before, "as reported earlier")
            for part in figure.phrases[1:]:
                cues.update((name, 1.0) for name, value in self.phrase_cues(part).items() if value and name in PART_DOUBTS)
        if not figure.phrases:
            cues.update(self.document)
        readings = [Reading(field, figure.value, [(p.start, p.end) for p in figure.phrases], cues)]
        for p in rivals:
            readings.append(Reading(field, _phrase_value(p), [(p.start, p.end)], self.phrase_cues(p), p))
        if len(readings) > 1 and any(r.cues.get("kept") and not r.cues.get("headline") for r in readings[1:]):
            cues["contested"] = 1.0
        self.compare(kind, name, figure, readings)
        return _ranked(readings)

    def compare(self, kind: str, name: str, figure: Figure, readings: list[Reading]) -> None:
        """The cues that read a reading beside other figures: the headline's figure for the field,
        the other figure of its own sentence."""
        group = self.competing("combined" if kind == "all" else kind, name)
        headline = [_phrase_value(p) for p in group if p.sentence.headline]
        for k, reading in enumerate(readings):
            phrase = reading.source if k else (figure.phrases[0] if len(figure.phrases) == 1 else None)
            if headline and not (isinstance(phrase, Phrase) and phrase.sentence.headline):
                agrees = _flat(reading.value) in {_flat(v) for v in headline}
                if agrees:
                    reading.cues["headline_agrees"] = 1.0
                elif any(isinstance(v, dict) and _near(_size(v), _size(reading.value)) for v in headline):
                    reading.cues["headline_near"] = 1.0
            if isinstance(phrase, Phrase) and kind != "all":
                pair = self.pair_cue(phrase, name, reading.value)
                if pair is not None:
                    reading.cues[pair] = 1.0

    def casualty_cues(self, casualty: Casualty) -> dict[str, float]:
        sentence = self.doc.sentence_at(casualty.start)
        cues = {**self.document, "bias": 1.0, "headline": float(casualty.headline),
                "approx": float(isinstance(casualty.value, dict)), "lead": float(casualty.start < self.lead_end),
                "places": float(casualty.rule == "sum_of_places" or not casualty.national),
                "zero": float(casualty.value == 0), "position": self.position(sentence),
                "other_day": float(sentence is not None and self.names_other_day(sentence)),
                "distractor": float(sentence is not None and ("distractor" in sentence.flags or "cumulative" in sentence.flags)),
                "spread": float(len({id(self.doc.sentence_at(a)) for a, _ in casualty.spans}) > 1)}
        if sentence is not None:
            cues.update((name, 1.0) for name in DOUBT_FLAGS if name in sentence.flags)
        return {CASUALTY + name: value for name, value in cues.items() if value}

    def casualty_readings(self, name: str, chosen: Casualty, found: list[Casualty]) -> list[Reading]:
        """The chosen casualty figure's reading first, then those of the other figures found for
        it (by value: one reading per figure)."""
        field = f"casualties.{name}"
        cues = self.casualty_cues(chosen)
        cues[CASUALTY + "chosen"] = 1.0
        readings = [Reading(field, chosen.value, chosen.spans or [(chosen.start, chosen.end)], cues, chosen)]
        seen = {_flat(chosen.value)}
        parts = set(chosen.spans)  # a sum over places: its parts are no rivals
        for casualty in found:
            if (casualty is chosen or casualty.value is None or _flat(casualty.value) in seen
                    or (casualty.start, casualty.end) in parts):
                continue
            seen.add(_flat(casualty.value))
            readings.append(Reading(field, casualty.value, [(casualty.start, casualty.end)], self.casualty_cues(casualty),
                                    casualty))
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


def _near(rounded: int, exact: int) -> bool:
    """Whether an approximate figure is within a tenth of an exact one."""
    return exact > 0 and abs(rounded - exact) * 10 <= exact


def _size(value: Value) -> int:
    if isinstance(value, dict):
        return next(iter(value.values()), 0)
    return value or 0


def judge_casualty(collector: Collector, name: str, chosen: Casualty, found: list[Casualty],
                   weights: Weights | None = None) -> tuple[str, Casualty, str | None, list[tuple[int, int]]]:
    """The verdict on a casualty field: (verdict, the winning figure, the warning's message and
    spans), the message None when the winner stays high; the verdict "high", "low" or "abstain"."""
    readings = collector.casualty_readings(name, chosen, found)
    verdict, winner, rival = decide(readings, weights or shipped_weights())
    won = winner.source if isinstance(winner.source, Casualty) else chosen
    if verdict == "high":
        return verdict, won, None, []
    return verdict, won, _message(readings[0], winner, rival, verdict), winner.spans + (rival.spans if rival is not None else [])


def collect(doc: Document, phrases: list[Phrase], kept: list[Phrase], totals: Totals, side: str,
            day: dt.date | None = None) -> dict[str, list[Reading]]:
    """Every chosen total's readings, keyed by field ("totals.drones.launched")."""
    collector = Collector(doc, phrases, kept, side, day)
    return {f"totals.{kind}.{name}": collector.readings(kind, name, figure)
            for (kind, name), figure in totals.figures.items()}


def judge(collector: Collector, totals: Totals, weights: Weights | None = None) -> None:
    """Decide every chosen total against its rivals: keep it or take the winning rival's figure
    (rule ``ranked_choice``), mark it low, or drop it (abstain), with the warning
    ``ambiguous_figure``. Run before the derived figures (which follow what is left) and again
    after them, for the figures they added."""
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
        readings = collector.readings(kind, name, figure)
        verdict, winner, rival = decide(readings, weights)
        if verdict == "abstain":
            del totals.figures[(kind, name)]
        elif isinstance(winner.source, Phrase):
            phrase = winner.source
            figure = Figure(winner.value, RANKED, [phrase], regional=is_regional(collector.doc, phrase), judged=True)
            totals.figures[(kind, name)] = figure
        if verdict == "high":
            continue
        figure.confidence = "low"
        totals.ambiguous.append((field, _message(readings[0], winner, rival, verdict),
                                 winner.spans + (rival.spans if rival is not None else [])))


def _message(pick: Reading, winner: Reading, rival: Reading | None, verdict: str) -> str:
    """The warning's words: the winner and its closest rival (the rules' pick when it lost)."""
    field = pick.field
    if rival is None:
        return f"{field}: {winner.value} was read with little support (its verb, its class or its place is far from the attack)"
    if verdict == "abstain":
        return f"{field}: {winner.value} and {rival.value} compete too closely to choose; left null"
    if winner is not pick:
        return f"{field}: {winner.value} was taken over the rules' {pick.value}, which competes for it"
    return f"{field}: {winner.value} was taken, but {rival.value} competes for it"


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

"""From quantity phrases to the attack's totals: which figure wins, sums over types, "all".

For each class (drones, missiles) and action the candidates are ranked: a stated total of the
class before a sum over weapon types, both before a headline figure, a figure for the class
given only as a combined count, and a regional sub-count; exact before approximate. Derived
figures (every weapon destroyed, all missiles lost so none destroyed) fill only what is left.

>>> from airtally.extraction.document import Document, Sentence
>>> from airtally.extraction.phrases import find_phrases
>>> from airtally.extraction.actions import assign_actions
>>> doc = Document("Russia fired 579 drones, 8 ballistic and 32 cruise missiles.", "en")
>>> ph = find_phrases(doc); assign_actions(doc, ph)
>>> t = choose_totals(doc, ph)
>>> t.value("missiles", "launched"), t.value("drones", "launched"), t.value("all", "launched")
(40, 579, 619)
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Set as AbstractSet
from functools import cached_property

from airtally.catalog.weapons import catalogue
# the records of chosen figures and the regional test, also read by other modules through this one
from airtally.extraction.confidence import Collector, doubt_exceeding, judge, propagate
from airtally.extraction.counts import KINDS, Figure, Totals, Value, add_values, exact_values, numeric
from airtally.extraction.derived import derive
from airtally.extraction.document import Document, Sentence
from airtally.extraction.quantity import Phrase, in_breakdown, is_regional, kinds_named

CHOSEN_KINDS = {*KINDS, "combined"}  # the kinds of the phrases a total is chosen from
# Phrases that count a part of a group named elsewhere.
PARTS = {"of_them", "n_of_the", "bare_number"}
FIELDS = ("launched", "destroyed", "lost", "hits")
ACTION_FIELD = {"launched": "launched", "destroyed": "destroyed", "lost": "lost", "hit": "hits"}
# the dotted name of each (class, action)'s field, as warnings cite it: ("drones", "hit") -> "totals.drones.hits"
FIELD_NAMES = {(kind, action): f"totals.{kind}.{name}" for kind in (*KINDS, "all") for action, name in ACTION_FIELD.items()}


def _value(phrase: Phrase) -> Value:
    """The phrase's figure (the phrases totals are chosen from all have a number)."""
    if phrase.value is None:
        return None
    return {phrase.approx: phrase.value} if phrase.approx else phrase.value


def _rank(phrase: Phrase) -> tuple[bool, bool, bool]:
    """Lower is better: exact before approximate, body before headline, stated before implied."""
    return (phrase.approx is not None, phrase.sentence.headline, phrase.implicit)


def _best(doc: Document, phrases: list[Phrase], rule: str, totals: Totals, field_name: str) -> Figure | None:
    """The best single phrase: body before headline, exact before approximate, the largest."""
    if len(phrases) <= 1:
        return Figure(_value(phrases[0]), rule, [phrases[0]]) if phrases else None
    top = min(_rank(p) for p in phrases)
    group = [p for p in phrases if _rank(p) == top]
    chosen = max(group, key=lambda p: p.value or 0)
    distinct = {p.value for p in group if not p.sentence.headline and p.value is not None}
    if len(distinct) > 1 and not any(is_regional(doc, p) for p in group):
        values = ", ".join(str(v) for v in sorted(distinct))
        totals.warnings.append(("conflicting_figures", f"{field_name}: the text gives {values}; {chosen.value} was taken"))
    return Figure(_value(chosen), rule, [chosen])


def _typed_sum(phrases: list[Phrase], every_key: set[str], action: str, more: AbstractSet[int] = frozenset(),
               told_more: AbstractSet[int] = frozenset()) -> Figure | None:
    """The sum over weapon types; for "launched" only when every type named has a launched figure.
    ``told_more``: the ids of phrases told as more of their type ("nine more Shahed-136 drones")."""
    parts = _exact_over_approximate(_without_rival_counts(_distinct_parts(phrases, more), more | told_more))
    if not parts:
        return None
    if action == "launched":
        covered = {p.key for p in parts} | {p.weapon_class for p in parts if p.weapon_class}
        if every_key - covered:
            covered |= _named_in_heads(parts)  # "18 Iskander-M ballistic missiles / S-300 guided missiles"
        if every_key - covered:
            return None
    chosen = _without_class_overlap(parts)
    value = add_values([_value(p) for p in chosen])
    return Figure(value, "sum_of_types", chosen) if value is not None else None


def _exact_over_approximate(parts: list[Phrase]) -> list[Phrase]:
    """"more than a dozen cruise missiles" in the lead and "Nineteen cruise missiles X101/X555" in
    the quote count the same weapons: a type's exact figure (or its model's) stands for its
    approximate one."""
    if len(parts) < 2 or all(p.approx is None for p in parts):
        return parts
    exact = {p.key for p in parts if p.approx is None} | {p.weapon_class for p in parts if p.approx is None and p.weapon_class}
    return [p for p in parts if p.approx is None or p.key not in exact]


def _one_more(doc: Document, phrase: Phrase, typed: list[Phrase]) -> bool:
    """Whether the phrase counts more weapons beside types: an item of a list of types ("– 1
    керовану ракету, тип якої встановлюється", "– однією міжконтинентальною балістичною ракетою"),
    or after types named before it in its sentence or the one before, with a "more" word just
    before its number or right after it ("еще две ракеты", "two more missiles", "14 Shahed-136
    drones had been shot down over Mykolaiv Oblast. Another two kamikaze drones were destroyed")."""
    sentence = phrase.sentence
    if sentence.bullet and sentence.list_line is not None and any(
            t.sentence.bullet and t.sentence.list_line == sentence.list_line and t.sentence is not sentence for t in typed):
        return True
    if not any((t.sentence is sentence and t.end <= phrase.start) or _just_before(doc, t.sentence, sentence) for t in typed):
        return False
    return _more_word_at(doc, phrase)


def _more_after(doc: Document, phrase: Phrase) -> bool:
    """Whether a "more" word follows the phrase's number ("destroyed 32 more"), a count of its own."""
    return doc.lex.more_word.match(doc.text, phrase.end + 1) is not None and doc.text[phrase.end:phrase.end + 1] == " "


def _more_word_at(doc: Document, phrase: Phrase) -> bool:
    """Whether a "more" word stands just before the phrase's number or right after it."""
    anchor = phrase.anchor.end if phrase.anchor is not None else phrase.start
    return doc.lex.more_word.search(doc.text, max(0, phrase.start - 12), min(phrase.end, anchor + 8)) is not None


def _just_before(doc: Document, earlier: Sentence, sentence: Sentence) -> bool:
    """Whether ``earlier`` is the story's sentence right before ``sentence``, in its paragraph."""
    if earlier.end > sentence.start or earlier.line != sentence.line:
        return False
    between = doc.text[earlier.end:sentence.start]
    return not any(ch.isalnum() for ch in between)


def _named_in_heads(parts: list[Phrase]) -> set[str]:
    """The models and classes the words of figures name, also when a figure counts several together
    (its own key is then none of them)."""
    named: set[str] = set()
    for part in parts:
        for head in part.heads:
            if head.kind == "class":
                named.add(head.key)
            elif head.kind == "model":
                named.update((head.key, catalogue().get(head.key).weapon_class))
    return named


def _distinct_parts(phrases: list[Phrase], more: AbstractSet[int] = frozenset()) -> list[Phrase]:
    """The phrases that each count their own weapons: without the parts of a stated figure and
    without repeated figures. ``more``: the ids of parts that count more of them ("shot down 13
    Shaheds late on Dec. 31 and destroyed 32 more early on Jan. 1"), not a share of the stated."""
    if len(phrases) == 1:
        return phrases  # nothing to be part of or to repeat
    # keyed by the figure, (key, value, approx), and the list item it stands in (None: prose)
    parts: dict[tuple[str, int | None, str | None, tuple[int | None, int] | None], Phrase] = {}
    in_lists: dict[tuple[str, int | None, str | None], set[bool]] = {}  # each figure taken: from prose, a list item or both
    stated = {p.key for p in phrases if p.rule not in PARTS}
    for phrase in phrases:
        if phrase.rule in PARTS and phrase.key in stated and id(phrase) not in more:
            continue  # "усі 20 Х-101 (10 з них - на півдні)": the 10 is inside the 20
        # the same figure twice is one statement, unless two items of one list say it
        item = (phrase.sentence.list_line, phrase.sentence.start) if phrase.sentence.bullet else None
        figure = (phrase.key, phrase.value, phrase.approx)
        if (item is None) in in_lists.get(figure, ()):
            continue  # a list item repeating a figure of the prose ("49 Shahed ..." and "Shahed — 49/32")
        parts.setdefault((*figure, item), phrase)
        in_lists.setdefault(figure, set()).add(item is not None)
    return list(parts.values())


def _without_rival_counts(parts: list[Phrase], more: AbstractSet[int]) -> list[Phrase]:
    """Two prose figures of one type in different sentences, neither told as more of it, are two
    counts of the same weapons ("збили 17 із 22 ударних дронів «Shahed»" then "Вночі росія запустила
    35 безпілотників «Шахід»", another night's or speaker's), not parts to add: the first stands."""
    first: dict[str, Phrase] = {}
    kept = []
    for phrase in parts:
        if phrase.sentence.bullet or id(phrase) in more:
            kept.append(phrase)
            continue
        earlier = first.setdefault(phrase.key, phrase)
        if earlier is phrase or earlier.sentence is phrase.sentence or not _rivals(earlier, phrase):
            kept.append(phrase)
    return kept


def _rivals(a: Phrase, b: Phrase) -> bool:
    """Two exact figures of one model that differ ("22 ударних дронів «Shahed»", "35 безпілотників
    «Шахід»"); an approximate one is left to ``_exact_over_approximate``, a class figure to
    ``_without_class_overlap``."""
    return (a.model is not None and a.approx is None and b.approx is None and isinstance(a.value, int)
            and isinstance(b.value, int) and a.value != b.value)


def _without_class_overlap(parts: list[Phrase]) -> list[Phrase]:
    """"37 cruise missiles: 21 Kh-101 and 16 Kalibr": a class figure and the models of that class
    count the same weapons once (the larger side is kept)."""
    if len(parts) < 2:
        return parts
    kept = list(parts)
    for cls in {p.weapon_class for p in parts if p.model is None and p.group is None and p.weapon_class}:
        whole = [p for p in parts if p.key == cls]
        models = [p for p in parts if p.key != cls and _of_class(p, cls)]
        whole_sum, models_sum = _exact_sum(whole), _exact_sum(models)
        if not models or whole_sum is None or models_sum is None:
            continue
        drop = models if whole_sum >= models_sum else whole
        kept = [p for p in kept if p not in drop]
    return kept


def _of_class(phrase: Phrase, cls: str) -> bool:
    """Whether the phrase counts weapons of class ``cls``: a model's figure of that class, or several
    models counted together under its name ("9 Iskander-M/S-300 ballistic missiles")."""
    if phrase.weapon_class == cls:
        return True
    return phrase.group is not None and any(head.kind == "class" and head.key == cls for head in phrase.heads)


def _exact_sum(phrases: list[Phrase]) -> int | None:
    """The sum of the phrases' figures when every one is exact, else None."""
    exact = exact_values([_value(p) for p in phrases])
    return sum(exact) if exact is not None else None


def _kinds_named(doc: Document, known: AbstractSet[str] = frozenset()) -> set[str]:
    """The classes the story names at all ("ударними безпілотниками" with no number still says drones),
    with the ``known`` ones; the scan stops once every class is named."""
    classes = set(KINDS)
    named = set(known) & classes
    for sentence in doc.story:
        if named == classes:
            break
        named |= kinds_named(sentence) & classes
    return named


class _Chooser:
    def __init__(self, doc: Document, phrases: list[Phrase]):
        self.doc = doc
        self.phrases = phrases
        self.totals = Totals()
        # every field asks for the phrases of its class (or the combined ones) and action, national
        # or regional: sort them into those groups once, in text order
        self.national: dict[tuple[str, str], list[Phrase]] = defaultdict(list)
        self.regional: dict[tuple[str, str], list[Phrase]] = defaultdict(list)
        for phrase in phrases:
            if phrase.kind in CHOSEN_KINDS and phrase.action in ACTION_FIELD and not phrase.share and phrase.value is not None:
                group = self.regional if is_regional(doc, phrase) else self.national
                group[(phrase.kind, phrase.action)].append(phrase)
        self.keys_of: dict[str, set[str]] = {}  # typed_keys, by class

    @cached_property
    def kinds_present(self) -> set[str]:
        """The classes the text counts or names (read only when a combined figure is given)."""
        return _kinds_named(self.doc, {p.kind for p in self.phrases})

    def combined_for(self, kind: str, action: str) -> list[Phrase]:
        """The combined figures of the action, when they may stand for the class: the text names no other."""
        combined = self.national.get(("combined", action))
        return combined if combined and self.kinds_present == {kind} else []

    def candidates(self, kind: str, action: str, regional: bool) -> list[Phrase]:
        """The phrases of one class and action, national or regional, in text order."""
        return (self.regional if regional else self.national).get((kind, action), [])

    def choose(self, kind: str, action: str) -> Figure | None:
        name = FIELD_NAMES[(kind, action)]
        national = self.national.get((kind, action))
        figure = self.stated(kind, action, national, name) if national else None
        if figure is None:
            figure = _best(self.doc, self.combined_for(kind, action), "combined_for_only_class", self.totals, name)
        return figure or self.regional_only(kind, action)

    def stated(self, kind: str, action: str, national: list[Phrase], name: str) -> Figure | None:
        """The figure of the body's phrases, else of the headline's."""
        body = [p for p in national if not p.sentence.headline]
        figure = self.from_body(kind, action, body, name) if body else None
        if figure is None:
            headline = [p for p in national if p.sentence.headline]
            figure = _best(self.doc, headline, "headline", self.totals, name)
        return figure

    def from_body(self, kind: str, action: str, body: list[Phrase], name: str) -> Figure | None:
        """A stated total of the class, or else the sum over its weapon types, from the body's phrases."""
        generic, exact, typed = [], [], []
        for phrase in body:
            if not phrase.generic:
                typed.append(phrase)
                continue
            generic.append(phrase)
            if phrase.approx is None:
                exact.append(phrase)
        if typed:
            # "три ракеты Х-59/69, две С-300 и еще две ракеты, тип которых уточняется": the untyped
            # "more" after types is one more type of the sum, not the total
            more = [p for p in exact if _one_more(self.doc, p, typed)]
            if more:
                typed += more
                exact = [p for p in exact if p not in more]
                generic = [p for p in generic if p not in more]
        more_of_type = {id(p) for p in typed if p.rule in PARTS and _more_after(self.doc, p)}
        told_more = {id(p) for p in typed if _more_word_at(self.doc, p)}
        summed = _typed_sum(typed, self.typed_keys(kind), action, more_of_type, told_more) if typed else None
        stated_exact = _best(self.doc, exact, "stated_total", self.totals, name)
        if stated_exact is not None and summed is not None and len(summed.phrases) > 1:
            if isinstance(summed.value, int) and summed.value != stated_exact.value:
                self.totals.warnings.append(
                    ("parts_mismatch", f"{name}: the types add up to {summed.value}, the text states {stated_exact.value}"))
        stated_approx = _best(self.doc, generic, "stated_total", self.totals, name) if not exact else None
        if (stated_exact is not None and summed is not None and isinstance(summed.value, int)
                and isinstance(stated_exact.value, int) and summed.value > stated_exact.value):  # an exact figure's value is an int
            stated_exact = None  # a "total" below the sum of its types is a part: the types win
        if stated_exact is not None and summed is not None and self.counts_reconnaissance(stated_exact, summed, action):
            stated_exact = None
        return stated_exact or summed or stated_approx

    def counts_reconnaissance(self, stated: Figure, summed: Figure, action: str) -> bool:
        """"shot down 25 drones" beside "23 Shahed drones and two reconnaissance drones": the stated
        figure adds the reconnaissance drones the text counts apart, which no drone total counts."""
        if not isinstance(stated.value, int) or not isinstance(summed.value, int) or summed.value >= stated.value:
            return False
        sentences = {id(p.sentence) for p in summed.phrases}
        recon = [p.value for p in self.phrases if p.weapon_class == "recon_drone" and p.action == action
                 and isinstance(p.value, int) and p.approx is None and id(p.sentence) in sentences]
        return bool(recon) and summed.value + sum(recon) == stated.value

    def typed_keys(self, kind: str) -> set[str]:
        """The weapon types of the class with a national launched or destroyed figure."""
        if kind not in self.keys_of:
            self.keys_of[kind] = {p.key for action in ("launched", "destroyed")
                                  for p in self.candidates(kind, action, False) if not p.generic}
        return self.keys_of[kind]

    def drop_regional_launch_below_destroyed(self, kind: str) -> None:
        """"destroyed 74 drones over seven regions ... a refinery after an attack by around 10
        drones, the regional headquarters said": a regional launch figure below the attack's
        destroyed figure is a part of it, not its total."""
        launched = self.totals.figures.get((kind, "launched"))
        if launched is None or not launched.regional:
            return
        destroyed = self.totals.figures.get((kind, "destroyed"))
        if destroyed is None or destroyed.regional:
            return
        if (numeric(launched.value) or 0) < (numeric(destroyed.value) or 0):
            del self.totals.figures[(kind, "launched")]

    def drop_regional_destroyed_beside_national_launch(self, kind: str) -> None:
        """"Россия запустила против Украины ... 145" then "Над Киевом ПВО сбила около полутора
        десятков дронов": a place's destroyed figure beside the class's national launch figure, told
        in a sentence that names no place, is that place's part of a national attack, not the
        attack's destroyed total ("two Zircon missiles at Kyiv ... shot down in the Kyiv region" stands,
        as does a count over several oblasts)."""
        destroyed = self.totals.figures.get((kind, "destroyed"))
        if destroyed is None or not destroyed.regional:
            return
        launched = self.totals.figures.get((kind, "launched"))
        if launched is None or launched.regional or not launched.phrases:
            return
        places = {code for p in destroyed.phrases for code, _, _ in p.sentence.regions}
        # a count over seven listed oblasts is the night's, not one place's
        if len(places) == 1 and not any(p.sentence.regions for p in launched.phrases):
            del self.totals.figures[(kind, "destroyed")]

    def regional_only(self, kind: str, action: str) -> Figure | None:
        """A regional figure stands for the attack only when it is the text's only one, and not
        one place's count of a count by place."""
        found = self.regional.get((kind, action))
        if not found:
            return None
        regional = [p for p in found if not p.sentence.headline]
        if len({p.value for p in regional}) == 1 and not in_breakdown(self.doc, regional[0]):
            return Figure(_value(regional[0]), "regional_only", [regional[0]], regional=True)
        return None

    def without_all_of_a_part(self, combined: list[Phrase]) -> list[Phrase]:
        """"All ten targets flying towards the capital were downed" after "10 ballistic missiles
        and 10 drones": "all N" destroyed, fewer than the weapons launched, counts a group of them."""
        launched = exact_values([self.totals.value(kind, "launched") for kind in KINDS])
        if launched is None:
            return combined
        return [p for p in combined if not (p.all_of and (p.value or 0) < sum(launched))]

    def run(self) -> Totals:
        given = self.national.keys() | self.regional.keys()
        for kind in KINDS:
            for action, name in ACTION_FIELD.items():
                # a field with no phrase of its own can only take the combined figure of a one-class text
                if (kind, action) in given or self.combined_for(kind, action):
                    self.totals.set(kind, name, self.choose(kind, action))
            self.drop_regional_launch_below_destroyed(kind)
            self.drop_regional_destroyed_beside_national_launch(kind)
        for action in ("launched", "destroyed"):
            combined = self.candidates("combined", action, False)
            if combined and len(self.kinds_present) != 1:  # a one-class text's combined figure is that class's
                parts = [numeric(self.totals.value(kind, ACTION_FIELD[action])) or 0 for kind in KINDS]
                # a combined figure smaller than one of its parts is someone's tally, not the total
                combined = [p for p in combined if (p.value or 0) >= max(parts)]
                if action == "destroyed":
                    combined = self.without_all_of_a_part(combined)
                self.totals.set("all", action, _best(self.doc, combined, "stated_total", self.totals, FIELD_NAMES[("all", action)]))
        return self.totals


def stated_totals(doc: Document, phrases: list[Phrase]) -> Totals:
    """The totals the main attack's ``phrases`` state, before any is weighed or derived."""
    return _Chooser(doc, phrases).run()


def choose_totals(doc: Document, phrases: list[Phrase], every_phrase: list[Phrase] | None = None,
                  side: str = "RU", day: dt.date | None = None) -> Totals:
    """The totals the text states for its attack (with derived figures and "all" sums), from the
    main attack's ``phrases``; given ``every_phrase`` of the text too, each stated total is weighed
    against the others that compete for its field, and the ranked decision may take one of them
    in its place (``confidence``); ``day``: the Kyiv date the attack ended, when known."""
    totals = stated_totals(doc, phrases)
    collector = Collector(doc, every_phrase, phrases, side, day) if every_phrase is not None else None
    if collector is not None:
        judge(collector, totals)
    derive(doc, phrases, totals)
    if collector is not None:
        doubt_exceeding(totals)
        propagate(totals)
        judge(collector, totals)
    return totals

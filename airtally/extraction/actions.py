"""What happened to the weapons a phrase counts: launched, destroyed, lost, hit or other.

The verb is the nearest action word in the phrase's clause (before it first, then after it),
then in its sentence; bullet items take the verb of the line that introduces them, and a
sentence with no verb takes the last verb of the sentence before. "The missile was not
intercepted" gives ``not_destroyed``. "N of M": the whole (M) was launched.

>>> from airtally.extraction.document import Document
>>> from airtally.extraction.phrases import find_phrases
>>> doc = Document("Russia fired 34 missiles. Air defences shot down 21 of them.", "en")
>>> phrases = find_phrases(doc); assign_actions(doc, phrases)
>>> [(p.value, p.action) for p in phrases]
[(34, 'launched'), (21, 'destroyed')]
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from operator import itemgetter

from airtally.extraction.document import Document, Sentence
from airtally.extraction.lexicon import Hit
from airtally.extraction.phrases import Phrase

# "N of them", "N of the drones": a part of a group already counted, never a launch figure.
PARTS = {"of_them", "n_of_the", "n_of_m"}
ACTIONS = ("launched", "destroyed", "lost", "hit", "other")
_CUE_KINDS = frozenset(ACTIONS + ("modifier",))  # a launch participle can stand for "launched"
_CLAUSE = re.compile(r"[,;:()]|\s-\s")
# _CLAUSE's two halves: a scan for one set of characters runs twice as fast as the alternation,
# and few sentences hold a dash at all
_PUNCTUATION = re.compile(r"[,;:()]")
_DASH = re.compile(r"\s-\s")
_SEGMENT = re.compile(r"[;]")
_WORDS = re.compile(r"\w+")


_NEGATIONS = frozenset({"negation", "negation_after"})
_CUES_OR_NEGATIONS = _CUE_KINDS | _NEGATIONS
_KIND = itemgetter(0)  # a Hit's kind
_START, _SPAN = re.Match.start, re.Match.span


class _Verbs:
    """One sentence's verb cues in text order (outside its phrases) and its negation hits, read in
    one pass over its hits, with the positions the rules look up by bisecting: each of its phrases
    asks for the cue before it, after it and right after it, and for its clause."""

    __slots__ = ("doc", "sentence", "cues", "starts", "negations", "marks", "contrast")

    def __init__(self, doc: Document, sentence: Sentence, mine: list[Phrase]):
        self.doc, self.sentence = doc, sentence
        self.cues, self.negations = _cues(doc, sentence, mine)
        self.starts = [cue.start for cue in self.cues]  # a sentence's hits, so its cues, are in text order
        self.marks: tuple[list[int], list[int]] | None = None
        self.contrast: bool | None = None  # whether the sentence holds a contrast word, once asked

    def before(self, phrase: Phrase, lo: int) -> Hit | None:
        """The last cue in [lo, phrase.start)."""
        cues = self.cues
        for i in range(bisect_left(self.starts, phrase.start) - 1, bisect_left(self.starts, lo) - 1, -1):
            if cues[i].end <= phrase.start:  # hits may overlap: one starting before may end after it
                return cues[i]
        return None

    def after(self, phrase: Phrase, hi: int) -> Hit | None:
        """The first cue in [phrase.end, hi)."""
        cues = self.cues
        for i in range(bisect_left(self.starts, phrase.end), len(cues)):
            if cues[i].start >= hi:
                break
            if cues[i].end <= hi:
                return cues[i]
        return None

    def right_after(self, phrase: Phrase, hi: int) -> Hit | None:
        """The first cue starting in [phrase.end, hi) at most two words after the phrase."""
        i = bisect_left(self.starts, phrase.end)
        if i == len(self.cues) or self.cues[i].start >= hi:
            return None
        # only the first can qualify: a cue further on has at least as many words before it
        gap = self.doc.text[phrase.end : self.cues[i].start]
        if gap.isspace():
            return self.cues[i]
        # "20 drones during a combined attack": a cue after an article is a noun's modifier, not its verb
        if len(_WORDS.findall(gap)) > 2 or any(phrase.end <= h.start < self.cues[i].start and h.kind == "article"
                                               for h in self.sentence.hits):
            return None
        return self.cues[i]

    def pick(self, phrase: Phrase, lo: int, hi: int, nearest: bool) -> tuple[Hit | None, str]:
        """The cue before the phrase (or, with ``nearest``, whichever side is closer), else after."""
        before = self.before(phrase, lo)
        after = self.after(phrase, hi) if before is None or nearest else None
        if before is not None and after is not None:
            if after.start - phrase.end < phrase.start - before.end:
                return after, "after"
        if before is not None:
            return before, "before"
        return (after, "after") if after is not None else (None, "")

    def clause(self, phrase: Phrase) -> tuple[int, int]:
        """The span of the phrase's clause (see ``clause_of``)."""
        if self.marks is None:
            self.marks = _clause_marks(self.doc, self.sentence)
        return _clause_in(self.doc, self.sentence, self.marks, phrase)

    def segment(self, phrase: Phrase) -> tuple[int, int]:
        """The phrase's stretch of the sentence between semicolons, narrowed to the words between
        the contrast words ("but", "однако") around it."""
        doc, sentence = self.doc, self.sentence
        if doc.text.find(";", sentence.start, sentence.end) < 0:  # the usual sentence: one segment
            lo, hi = sentence.start, sentence.end
        else:
            lo, hi = clause_of(doc, sentence, phrase, _SEGMENT)
        if self.contrast is None:
            self.contrast = doc.lex.contrast.search(doc.text, sentence.start, sentence.end) is not None
        return _contrast_cut(doc, phrase, lo, hi) if self.contrast else (lo, hi)

    def negated(self, cue: Hit) -> bool:
        return _negated(self.doc, self.negations, cue)


def _negated(doc: Document, negations: list[Hit], cue: Hit) -> bool:
    """"not intercepted" (the negation before the verb, up to two words away) or "сбить не
    удалось" (a failure word right after the verb: ``negation_after``)."""
    for hit in negations:
        if hit.kind == "negation" and hit.end <= cue.start:
            gap = doc.text[hit.end : cue.start]
        elif hit.kind == "negation_after" and hit.start >= cue.end:
            gap = doc.text[cue.end : hit.start]
        else:
            continue
        if len(_WORDS.findall(gap)) <= 2 and not re.search(r"[.,;:]", gap):
            return True
    return False


def _cues(doc: Document, sentence: Sentence, mine: list[Phrase]) -> tuple[list[Hit], list[Hit]]:
    """The sentence's action words outside its phrases (``mine``), and its negation hits. A launch
    participle or relative clause ("launched from", "that Russia launched") right after a weapon
    noun only describes it; anywhere else ("said on Thursday that Russia launched 112 drones") it
    is the sentence's verb."""
    hits = sentence.hits
    spans = [(p.start, p.end) for p in mine]
    cues, negations = [], []
    # most hits are neither: pick out the few that are in one pass over their kinds
    for i in [i for i, kind in enumerate(map(_KIND, hits)) if kind in _CUES_OR_NEGATIONS]:
        hit = hits[i]
        kind = hit.kind
        if kind in _NEGATIONS:
            negations.append(hit)
            continue
        if spans and _inside(hit.start, spans):
            continue
        if kind == "modifier":
            if _describes(doc, hits, i):
                continue
            hit = Hit("launched", None, hit.start, hit.end)
        cues.append(hit)
    return cues, negations


def _inside(position: int, spans: list[tuple[int, int]]) -> bool:
    for start, end in spans:
        if start <= position < end:
            return True
    return False


def _describes(doc: Document, hits: list[Hit], i: int) -> bool:
    if i == 0 or hits[i - 1].kind not in {"drone", "missile", "model", "class", "decoy", "combined", "one_implied",
                                          "one_definite", "every_one"}:
        return False
    return len(_WORDS.findall(doc.text[hits[i - 1].end : hits[i].start])) <= 1


def clause_of(doc: Document, sentence: Sentence, phrase: Phrase, bounds: re.Pattern = _CLAUSE) -> tuple[int, int]:
    """The span of the phrase's clause: between the commas, semicolons, colons, brackets and dashes."""
    if bounds is not _CLAUSE:
        before = [m.end() for m in bounds.finditer(doc.text, sentence.start, phrase.start)]
        after = bounds.search(doc.text, phrase.end, sentence.end)
        return (before[-1] if before else sentence.start), (after.start() if after else sentence.end)
    return _clause_in(doc, sentence, _clause_marks(doc, sentence), phrase)


def _clause_in(doc: Document, sentence: Sentence, marks: tuple[list[int], list[int]], phrase: Phrase) -> tuple[int, int]:
    """``clause_of`` read from the sentence's clause marks (their starts and their ends)."""
    starts, ends = marks
    before = bisect_right(ends, phrase.start)
    lo = ends[before - 1] if before else sentence.start
    after = bisect_left(starts, phrase.end)
    if after and ends[after - 1] > phrase.end:  # a " - " across the phrase's end: look from its end
        match = _CLAUSE.search(doc.text, phrase.end, sentence.end)
        return lo, (match.start() if match else sentence.end)
    return lo, (starts[after] if after < len(starts) else sentence.end)


def _clause_marks(doc: Document, sentence: Sentence) -> tuple[list[int], list[int]]:
    """The starts and the ends of the sentence's clause marks, found once a report: every phrase
    of the sentence asks for its clause, and the marks before a phrase are those ending before it."""
    found = doc.memo.setdefault("_clause_marks", {})
    marks = found.get(id(sentence))
    if marks is None:
        starts = list(map(_START, _PUNCTUATION.finditer(doc.text, sentence.start, sentence.end)))
        ends = [start + 1 for start in starts]
        if doc.text.find("-", sentence.start, sentence.end) >= 0:
            dashes = list(map(_SPAN, _DASH.finditer(doc.text, sentence.start, sentence.end)))
            if dashes:  # the halves never share a character
                spans = sorted([*zip(starts, ends), *dashes])
                starts, ends = [a for a, _ in spans], [b for _, b in spans]
        marks = found[id(sentence)] = (starts, ends)
    return marks


def _contrast_cut(doc: Document, phrase: Phrase, lo: int, hi: int) -> tuple[int, int]:
    """Narrow a span to the words between the contrast words ("but", "однако") around the phrase."""
    before = [m.start() for m in doc.lex.contrast.finditer(doc.text, lo, phrase.start)]
    after = doc.lex.contrast.search(doc.text, phrase.end, hi)
    return (before[-1] if before else lo), (after.start() if after else hi)


def _action_of(verbs: _Verbs, phrase: Phrase, clause_only: bool) -> tuple[str | None, str]:
    doc, sentence = verbs.doc, verbs.sentence
    lo, hi = verbs.clause(phrase)
    cue, where = verbs.pick(phrase, lo, hi, nearest=False)
    scope = "clause"
    adjacent_before = cue is not None and where == "before" and not doc.text[cue.end : phrase.start].strip()
    right_after = None if adjacent_before else verbs.right_after(phrase, hi)
    if right_after is not None:  # "105 decoys were locationally lost": the verb right after the phrase is its own
        cue, where = right_after, "after"
    if cue is None and not clause_only:
        lo, hi = verbs.segment(phrase)
        cue, where = verbs.pick(phrase, lo, hi, nearest=True)
        scope = "segment"
    if cue is None and not clause_only:
        cue, where = verbs.pick(phrase, sentence.start, sentence.end, nearest=True)
        scope = "sentence"
    if cue is None:
        return None, ""
    action = ("not_" if verbs.negated(cue) else "") + cue.kind
    return action, f"verb_{scope}_{where}"


class _Context:
    """The verb a sentence with no verb of its own inherits."""

    def __init__(self) -> None:
        self.header: str | None = None
        self.last: str | None = None

    def inherit(self, sentence: Sentence) -> tuple[str | None, str]:
        if sentence.bullet and self.header:
            return self.header, "bullet_header"
        return (self.last, "previous_sentence") if self.last else (None, "")

    def update(self, doc: Document, sentence: Sentence, cues: list[Hit], negations: list[Hit]) -> None:
        if cues and sentence.bullet and self.header and not doc.text[sentence.start : sentence.end].rstrip().endswith(":"):
            return  # an item's own verb ("1 ракета Іскандер-К – у напрямку Дніпра") is the item's, not the list's
        if cues:
            # "Пусків ... не зафіксували": a denied launch is passed on denied
            self.last = ("not_" if _negated(doc, negations, cues[-1]) else "") + cues[-1].kind
            # a marked line ending in a colon introduces a list too ("✅ As of 09:30, air defence
            # shot down 247 targets:" where every line of the post starts with an emoji)
            if not sentence.bullet or doc.text[sentence.start : sentence.end].rstrip().endswith(":"):
                self.header = self.last
        elif not sentence.bullet:
            self.header = self.last if doc.text[sentence.start : sentence.end].rstrip().endswith(":") else None


def _described_as_launched(doc: Document, phrase: Phrase) -> bool:
    """"The Air Force also reports one Kh-31P missile fired from over Crimea": with no verb in its
    sentence, a launch participle right after the weapons says they were launched."""
    for hit in phrase.sentence.hits:
        if hit.kind == "modifier" and hit.start >= phrase.end:
            return not _WORDS.findall(doc.text[phrase.end : hit.start])
    return False


def _opens_with_figure(doc: Document, sentence: Sentence, mine: list[Phrase]) -> bool:
    """Whether the sentence's first figure stands at its start (at most two words before it)."""
    numbered = [p for p in mine if p.rule != "implied_one"]
    first = min((p.start for p in numbered), default=None)
    return first is not None and len(_WORDS.findall(doc.text[sentence.start : first])) <= 2


def assign_actions(doc: Document, phrases: list[Phrase]) -> None:
    """Set ``action`` and ``action_rule`` on every phrase."""
    context = _Context()
    by_sentence: dict[int, list[Phrase]] = {}
    for phrase in phrases:
        by_sentence.setdefault(id(phrase.sentence), []).append(phrase)
    for sentence in doc.story:
        mine = by_sentence.get(id(sentence))
        if mine is None:  # a sentence without figures only passes its verb on
            cues, negations = _cues(doc, sentence, [])
            context.update(doc, sentence, cues, negations)
            continue
        verbs = _Verbs(doc, sentence, mine)
        for phrase in mine:
            if phrase.action is not None:
                phrase.action_rule = phrase.action_rule or "adjacent_verb"
                continue
            bullet = sentence.bullet and context.header is not None
            phrase.action, phrase.action_rule = _action_of(verbs, phrase, clause_only=bullet)
            # a sentence takes the verb of the one before only as a list continues ("Ракети: 45 ..."),
            # not when it says something else ("МіГ-31К може нести одну ракету")
            if phrase.action is None and (sentence.bullet or _opens_with_figure(doc, sentence, mine)):
                phrase.action, phrase.action_rule = context.inherit(sentence)
            if phrase.action is None and bullet:  # without ``bullet`` the first look was this one
                phrase.action, phrase.action_rule = _action_of(verbs, phrase, clause_only=False)
            if phrase.action is None and _described_as_launched(doc, phrase):
                phrase.action, phrase.action_rule = "launched", "launch_participle"
            if phrase.action == "launched" and phrase.rule in PARTS:
                phrase.action, phrase.action_rule = None, "part_not_launched"
            if phrase.whole is not None and phrase.whole.action is None:
                phrase.whole.action, phrase.whole.action_rule = "launched", "whole_of_part"
        context.update(doc, sentence, verbs.cues, verbs.negations)
    _wholes_launched(phrases)
    _appositions_launched(doc, phrases)
    for phrase in phrases:  # "ни одну ... сбить не удалось": none not destroyed is none destroyed
        if phrase.value == 0 and phrase.action and phrase.action.startswith("not_"):
            phrase.action = phrase.action[4:]


def _wholes_launched(phrases: list[Phrase]) -> None:
    """The M of "N of M" counts what was launched, whatever verb stands nearest; so does the
    group of "N of them" when no verb of its own clause says otherwise."""
    for phrase in phrases:
        group = phrase.source
        if group is not None and group.action != "launched" and not group.action_rule.startswith("verb_clause"):
            group.action, group.action_rule = "launched", "whole_of_part"
        if phrase.whole is not None:
            phrase.whole.action, phrase.whole.action_rule = "launched", "whole_of_part"
            if phrase.action == "launched":
                phrase.action = None


def _appositions_launched(doc: Document, phrases: list[Phrase]) -> None:
    """"None of the missiles, six S-300s and an Iskander-M, were intercepted": the figures between
    the commas after a group quantified as none, all or both name what the group was made of, so
    they were launched; the verb after them belongs to the group."""
    for group in phrases:
        if not (group.value == 0 or group.all_of) or group.kind not in {"drones", "missiles"}:
            continue
        text = doc.text[group.end : group.sentence.end]
        if not text.startswith(","):
            continue
        close = text.find(",", 1)
        if close < 0:
            continue
        hi = group.end + close
        for part in phrases:
            if part.sentence is group.sentence and group.end < part.start and part.end <= hi and part.kind == group.kind:
                part.action, part.action_rule = "launched", "apposition_of_group"

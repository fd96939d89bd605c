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
from operator import attrgetter, itemgetter

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
_GAP_STOP = re.compile(r"[.,;:]")
_PHRASE_START = attrgetter("start")
_START, _SPAN = re.Match.start, re.Match.span


class _Verbs:
    """One sentence's verb cues in text order (outside its phrases) and its negation hits, read in
    one pass over its hits, with the positions the rules look up by bisecting: each of its phrases
    asks for the cue before it, after it and right after it, and for its clause."""

    __slots__ = ("doc", "sentence", "cues", "starts", "negations", "marks", "contrast", "articles", "semicolons",
                 "contrasts", "opens", "modifiers", "denials")

    def __init__(self, doc: Document, sentence: Sentence, mine: list[Phrase]):
        self.doc, self.sentence = doc, sentence
        self.cues, self.negations = _cues(doc, sentence, mine)
        self.starts = [cue.start for cue in self.cues]  # a sentence's hits, so its cues, are in text order
        self.marks: tuple[list[int], list[int]] | None = None
        self.contrast: bool | None = None  # whether the sentence holds a contrast word, once asked
        # what each phrase looks up, listed once the sentence when first asked for (a long
        # sentence has many phrases: a walk through the sentence for each would be quadratic)
        self.articles: list[int] | None = None  # where its articles start
        self.semicolons: list[int] | None = None
        self.contrasts: list[int] | None = None  # where its contrast words start
        self.opens: bool | None = None  # _opens_with_figure
        self.modifiers: list[int] | None = None  # where its modifier hits start
        self.denials: _Negations | None = None

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
        if len(_WORDS.findall(gap)) > 2:
            return None
        if self.articles is None:
            self.articles = [h.start for h in self.sentence.hits if h.kind == "article"]
        if bisect_left(self.articles, phrase.end) < bisect_left(self.articles, self.cues[i].start):
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
        if self.semicolons is None:
            self.semicolons = [m.start() for m in _SEGMENT.finditer(doc.text, sentence.start, sentence.end)]
        lo, hi = _between(self.semicolons, phrase, sentence.start, sentence.end, 1)
        if self.contrast is None:
            self.contrasts = [m.start() for m in doc.lex.contrast.finditer(doc.text, sentence.start, sentence.end)]
            self.contrast = bool(self.contrasts)
        if not self.contrast or self.contrasts is None:
            return lo, hi
        # "but", "однако" around the phrase narrow it (a contrast word starting at its bounds is kept out)
        return _between(self.contrasts, phrase, lo, hi, 0)

    def negated(self, cue: Hit) -> bool:
        if self.denials is None:
            self.denials = _Negations(self.negations)
        return self.denials.deny(self.doc.text, cue)


def _between(marks: list[int], phrase: Phrase, lo: int, hi: int, width: int) -> tuple[int, int]:
    """The span within [lo, hi) from the end of the last mark (``width`` characters from where it
    starts) before the phrase to the start of the first mark after it (``marks``: where they
    start, in order); a mark must start in [lo, phrase.start) or [phrase.end, hi)."""
    before = bisect_left(marks, phrase.start) - 1
    after = bisect_left(marks, phrase.end)
    start = marks[before] + width if before >= 0 and marks[before] >= lo else lo
    end = marks[after] if after < len(marks) and marks[after] < hi else hi
    return start, end


def _negated(doc: Document, negations: list[Hit], cue: Hit) -> bool:
    """"not intercepted" (the negation before the verb, up to two words away) or "сбить не
    удалось" (a failure word right after the verb: ``negation_after``)."""
    return _Negations(negations).deny(doc.text, cue)


class _Negations:
    """A sentence's negations, by where they end ("negation") and where they start
    ("negation_after"). Only the nearest on each side of a verb can deny it: a farther one's gap
    holds the nearer one's, so it has at least its words and its stops."""

    __slots__ = ("ends", "starts")

    def __init__(self, negations: list[Hit]):
        self.ends = sorted(hit.end for hit in negations if hit.kind == "negation")
        self.starts = sorted(hit.start for hit in negations if hit.kind == "negation_after")

    def deny(self, text: str, cue: Hit) -> bool:
        k = bisect_right(self.ends, cue.start) - 1
        if k >= 0 and _close(text, self.ends[k], cue.start):
            return True
        k = bisect_left(self.starts, cue.end)
        return k < len(self.starts) and _close(text, cue.end, self.starts[k])


def _close(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` holds at most two words and no stop (read up to its third word)."""
    for count, _ in enumerate(_WORDS.finditer(text, start, end)):
        if count == 2:
            return False
    return not _GAP_STOP.search(text, start, end)


def _cues(doc: Document, sentence: Sentence, mine: list[Phrase]) -> tuple[list[Hit], list[Hit]]:
    """The sentence's action words outside its phrases (``mine``), and its negation hits. A launch
    participle or relative clause ("launched from", "that Russia launched") right after a weapon
    noun only describes it; anywhere else ("said on Thursday that Russia launched 112 drones") it
    is the sentence's verb."""
    hits = sentence.hits
    spans = _covered([(p.start, p.end) for p in mine])
    cues, negations = [], []
    # most hits are neither: pick out the few that are in one pass over their kinds
    for i in [i for i, kind in enumerate(map(_KIND, hits)) if kind in _CUES_OR_NEGATIONS]:
        hit = hits[i]
        kind = hit.kind
        if kind in _NEGATIONS:
            negations.append(hit)
            continue
        if spans[0] and _inside(hit.start, spans):
            continue
        if kind == "modifier":
            if _describes(doc, hits, i):
                continue
            hit = Hit("launched", None, hit.start, hit.end)
        cues.append(hit)
    return cues, negations


def _covered(spans: list[tuple[int, int]]) -> tuple[list[int], list[int]]:
    """The stretches the ``spans`` cover together, as their starts and their ends (in order,
    apart): where a position is inside one is told by bisecting, not by a walk through them."""
    starts: list[int] = []
    ends: list[int] = []
    for start, end in sorted(spans):
        if start >= end:
            continue  # an empty span holds no position
        if ends and start <= ends[-1]:
            ends[-1] = max(ends[-1], end)
        else:
            starts.append(start)
            ends.append(end)
    return starts, ends


def _inside(position: int, spans: tuple[list[int], list[int]]) -> bool:
    """Whether ``position`` is inside the stretches ``spans`` (from ``_covered``)."""
    starts, ends = spans
    k = bisect_right(starts, position) - 1
    return k >= 0 and position < ends[k]


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
    if where == "after" and cue.kind == "destroyed" and _agent_of(doc, phrase, cue):
        return "hit", "agent_of_verb"
    if cue.kind == "launched" and _struck_with_one(doc, phrase, cue):
        return "hit", "struck_with_one"
    action = ("not_" if verbs.negated(cue) else "") + cue.kind
    return action, f"verb_{scope}_{where}"


_ONE_WORDS = {"article", "one_implied", "one_definite"}


def _struck_with_one(doc: Document, phrase: Phrase, cue: Hit) -> bool:
    """"вдарили балістичною ракетою по Одесі", "hit Mykolaiv with a ballistic missile": one weapon
    told by its singular (no number word) with the verb of a strike with it struck (gold
    conventions 2 and 3); "ударил 7 ракетами С-300 ... и одной ракетой Х-59" is a list of launches."""
    if phrase.value != 1 or not doc.lex.struck_with.fullmatch(doc.text, cue.start, cue.end):
        return False
    kinds = {h.kind for h in phrase.sentence.hits if phrase.start <= h.start < phrase.end}
    return bool(kinds & _ONE_WORDS) and "number" not in kinds and not _from_airspace(doc, phrase)


def _from_airspace(doc: Document, phrase: Phrase) -> bool:
    """"ударив ракетою Х-59 з повітряного простору над ...": an Air Force summary's launch."""
    words = re.finditer(r"\S+", doc.text[phrase.end : phrase.sentence.end])
    ends = [phrase.end + m.end() for _, m in zip(range(8), words)]
    return any(doc.lex.launch_airspace.search(doc.text, phrase.end, end) for end in ends)


def _agent_of(doc: Document, phrase: Phrase, cue: Hit) -> bool:
    """"A missile destroyed part of an office building", "a Kinzhal had destroyed a Patriot
    system": the weapons right before an active destroyed word (``active_aux`` between at most)
    that has an object after it (``agent_object``) did the destroying: they struck, nothing
    destroyed them ("six drones destroyed over Kyiv", "were destroyed by" are the weapons')."""
    lex = doc.lex
    return bool(lex.active_aux.match(doc.text, phrase.end, cue.start) and lex.agent_object.match(doc.text, cue.end))


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


def _described_as_launched(verbs: _Verbs, phrase: Phrase) -> bool:
    """"The Air Force also reports one Kh-31P missile fired from over Crimea": with no verb in its
    sentence, a launch participle right after the weapons says they were launched."""
    if verbs.modifiers is None:
        verbs.modifiers = [hit.start for hit in verbs.sentence.hits if hit.kind == "modifier"]
    k = bisect_left(verbs.modifiers, phrase.end)
    return k < len(verbs.modifiers) and not _WORDS.search(verbs.doc.text, phrase.end, verbs.modifiers[k])


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
            if phrase.action is None and verbs.opens is None:
                verbs.opens = _opens_with_figure(doc, sentence, mine)
            if phrase.action is None and (sentence.bullet or verbs.opens):
                phrase.action, phrase.action_rule = context.inherit(sentence)
            if phrase.action is None and bullet:  # without ``bullet`` the first look was this one
                phrase.action, phrase.action_rule = _action_of(verbs, phrase, clause_only=False)
            if phrase.action is None and _described_as_launched(verbs, phrase):
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
    by_start: list[Phrase] | None = None
    starts: list[int] = []
    for group in phrases:
        if not (group.value == 0 or group.all_of) or group.kind not in {"drones", "missiles"}:
            continue
        if group.end >= group.sentence.end or not doc.text.startswith(",", group.end):
            continue
        hi = doc.text.find(",", group.end + 1, group.sentence.end)
        if hi < 0:
            continue
        if by_start is None:  # the phrases by start, once: the parts are those starting after the group
            by_start = sorted(phrases, key=_PHRASE_START)
            starts = [p.start for p in by_start]
        for part in by_start[bisect_right(starts, group.end) : bisect_right(starts, hi)]:
            # "the missiles, two of which it shot down, were aimed at": a share told in a relative
            # clause is a part of the group, not what it was made of
            if part.sentence is group.sentence and part.end <= hi and part.kind == group.kind and part.rule not in PARTS:
                part.action, part.action_rule = "launched", "apposition_of_group"

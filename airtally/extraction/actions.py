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

from airtally.extraction.document import Document, Sentence
from airtally.extraction.lexicon import Hit
from airtally.extraction.phrases import Phrase

ACTIONS = ("launched", "destroyed", "lost", "hit", "other")
_CLAUSE = re.compile(r"[,;:()]|\s-\s")
_WORDS = re.compile(r"\w+")


def _cues(sentence: Sentence, phrases: list[Phrase]) -> list[Hit]:
    """The sentence's action words outside every phrase."""
    spans = [(p.start, p.end) for p in phrases if p.sentence is sentence]
    return [h for h in sentence.hits if h.kind in ACTIONS and not any(a <= h.start < b for a, b in spans)]


def _negated(doc: Document, sentence: Sentence, cue: Hit) -> bool:
    for hit in sentence.hits:
        if hit.kind == "negation" and hit.end <= cue.start:
            gap = doc.text[hit.end : cue.start]
            if len(_WORDS.findall(gap)) <= 2 and not re.search(r"[.,;:]", gap):
                return True
    return False


def _clause(doc: Document, sentence: Sentence, phrase: Phrase) -> tuple[int, int]:
    before = [m.end() for m in _CLAUSE.finditer(doc.text, sentence.start, phrase.start)]
    after = _CLAUSE.search(doc.text, phrase.end, sentence.end)
    return (before[-1] if before else sentence.start), (after.start() if after else sentence.end)


def _pick(cues: list[Hit], phrase: Phrase, lo: int, hi: int) -> tuple[Hit | None, str]:
    preceding = [c for c in cues if lo <= c.start and c.end <= phrase.start]
    if preceding:
        return preceding[-1], "before"
    following = [c for c in cues if c.start >= phrase.end and c.end <= hi]
    return (following[0], "after") if following else (None, "")


def _action_of(doc: Document, phrase: Phrase, cues: list[Hit], clause_only: bool) -> tuple[str | None, str]:
    sentence = phrase.sentence
    lo, hi = _clause(doc, sentence, phrase)
    cue, where = _pick(cues, phrase, lo, hi)
    scope = "clause"
    if cue is None and not clause_only:
        cue, where = _pick(cues, phrase, sentence.start, sentence.end)
        scope = "sentence"
    if cue is None:
        return None, ""
    action = ("not_" if _negated(doc, sentence, cue) else "") + cue.kind
    return action, f"verb_{scope}_{where}"


class _Context:
    """The verb a sentence with no verb of its own inherits."""

    def __init__(self):
        self.header: str | None = None
        self.last: str | None = None

    def inherit(self, sentence: Sentence) -> tuple[str | None, str]:
        if sentence.bullet and self.header:
            return self.header, "bullet_header"
        return (self.last, "previous_sentence") if self.last else (None, "")

    def update(self, sentence: Sentence, cues: list[Hit], doc: Document) -> None:
        if cues:
            self.last = cues[-1].kind
            if not sentence.bullet:
                self.header = self.last
        elif not sentence.bullet:
            self.header = self.last if doc.text[sentence.start : sentence.end].rstrip().endswith(":") else None


def assign_actions(doc: Document, phrases: list[Phrase]) -> None:
    """Set ``action`` and ``action_rule`` on every phrase."""
    context = _Context()
    for sentence in doc.story:
        mine = [p for p in phrases if p.sentence is sentence]
        cues = _cues(sentence, phrases)
        for phrase in mine:
            if phrase.action is not None:
                continue
            bullet = sentence.bullet and context.header is not None
            phrase.action, phrase.action_rule = _action_of(doc, phrase, cues, clause_only=bullet)
            if phrase.action is None:
                phrase.action, phrase.action_rule = context.inherit(sentence)
            if phrase.action is None:
                phrase.action, phrase.action_rule = _action_of(doc, phrase, cues, clause_only=False)
            if phrase.whole is not None and phrase.whole.action is None:
                phrase.whole.action, phrase.whole.action_rule = "launched", "whole_of_part"
        context.update(sentence, cues, doc)
    _wholes_launched(phrases)


def _wholes_launched(phrases: list[Phrase]) -> None:
    """The M of "N of M" counts what was launched, whatever verb stands nearest."""
    for phrase in phrases:
        if phrase.whole is not None:
            phrase.whole.action, phrase.whole.action_rule = "launched", "whole_of_part"
            if phrase.action == "launched":
                phrase.action = None

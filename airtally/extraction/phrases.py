"""Quantity phrases: a number and the weapons it counts ("21 крилату ракету Х-101", "two of the
ballistic missiles", "15 «шахедов» из 20", "57 із них").

Each strategy in ``STRATEGIES`` is a small function that reads the story's sentences (their hits
indexed once, see ``HitIndex``) and returns the phrases it recognises; they run in order and a hit
used by one is not used again.

>>> from airtally.extraction.document import Document
>>> doc = Document("Russia fired 579 drones and eight ballistic missiles.", "en")
>>> [(p.value, p.kind, p.weapon_class) for p in find_phrases(doc)]
[(579, 'drones', None), (8, 'missiles', 'ballistic_missile')]
"""

from __future__ import annotations

import re
from functools import lru_cache
from operator import attrgetter

from airtally.extraction.document import Document, Sentence
from airtally.extraction.lexicon import Hit, bounded, raw_lexicon
from airtally.extraction.links import link_phrases
# the phrase record and its machinery, also read by other modules through this one
from airtally.extraction.quantity import (_DEFINITE, _ONE, HEAD_KINDS, NUMBERISH, STOP_KINDS, HitIndex, Phrase, Story,
                                          _classify, _collect_head, day_of_month, hundreds_before)

_APPROX_OR_ALL = {"approx", "all"}
_LAUNCHED_OR_APPROX = {"launched", "approx"}  # may follow a number within its phrase ("43 пуска", "13 і більше")
_WORDS = re.compile(r"\w+")


def _before(doc: Document, hits: list[Hit], i: int, kinds: set[str]) -> Hit | None:
    """hits[i-1] when it is of one of ``kinds`` and only spaces separate it from hits[i]."""
    if i > 0 and hits[i - 1].kind in kinds and not doc.text[hits[i - 1].end : hits[i].start].strip():
        return hits[i - 1]
    return None


@lru_cache(maxsize=4)
def _partitive(language: str) -> re.Pattern:
    """The language's partitive words ("of", "з", "из") standing as words."""
    return bounded(raw_lexicon(language)["partitive"])


def _counts_one(doc: Document, heads: list[Hit], article: Hit) -> bool:
    """"a cruise missile", "an Iskander-K" count one; "a drone attack", "a missile threat" do not,
    nor does a collective before "of" ("a barrage of cruise missiles", "a wave of drones")."""
    if not heads or heads[0].start - article.end > 25:
        return False
    if len(_WORDS.findall(doc.text, article.end, heads[0].start)) > 3:  # "a figure for how many drones"
        return False
    if _partitive(doc.language).search(doc.text, article.end, heads[0].start):
        return False
    return not doc.lex.noun_modifier.match(doc.text, heads[-1].end)


def _number_phrase(doc: Document, sentence: Sentence, i: int) -> Phrase | None:
    hits = sentence.hits
    hit = hits[i]
    heads, _ = _collect_head(doc, hits, i)
    if not heads:  # most numbers count no weapon: no phrase to build
        return None
    if hit.kind == "article" and not _counts_one(doc, heads, hit):
        return None
    if day_of_month(sentence, hit):  # "в ночь на 19 июля ракетная атака": a date, no count
        return None
    value, start = (hit.key if hit.kind != "all" else None), hit.start
    hundreds = hundreds_before(doc, hits, i)
    if hundreds is not None:  # "сто сімдесят чотири": the phrase starts at the hundreds word
        value, start = hundreds.key + hit.key, hundreds.start
    phrase = Phrase(value, start, heads[-1].end, sentence, heads=heads, anchor=hit)
    if not _classify(phrase, heads):
        return None
    if doc.text.startswith('"', phrase.end) and doc.text.count('"', hit.start, phrase.end) % 2:
        phrase.end += 1  # the closing quote of «Кинджал»
    phrase.all_of = hit.kind == "both"
    if hit.kind == "number_about":
        phrase.approx = "about"
    before = _before(doc, hits, i, _APPROX_OR_ALL)  # "about 50 drones", "all 50 drones"
    if before is not None:
        phrase.start = before.start
        if before.kind == "approx":
            phrase.approx = before.key
        else:
            phrase.all_of = True
    if phrase.approx is None and value is not None:  # "13 or more drones"
        bound = doc.lex.approx_after.match(doc.text, hit.end, heads[0].start)
        if bound is not None:
            phrase.approx = bound.lastgroup
    return phrase


def number_weapon(doc: Document, story: Story) -> list[Phrase]:
    """"539 drones", "two Kh-59 cruise missiles", "обидві Х-59/Х-69", "a cruise missile"."""
    found = []
    for index in story.sentences:
        hits, last = index.hits, len(index.hits) - 1
        for i in index.numbers:
            # a number at the end or before a stop word ("12 people", "5 of") counts no weapon:
            # the cheap test that _collect_head would make first
            if i in index.used or i == last or (hits[i + 1].kind in STOP_KINDS and hits[i + 1].kind not in _LAUNCHED_OR_APPROX):
                continue
            phrase = _number_phrase(doc, index.sentence, i)
            if phrase is not None:
                found.append(phrase)
                index.used.update(index.within(i, phrase.start, phrase.end))
    return found


def implied_one(doc: Document, story: Story) -> list[Phrase]:
    """A singular weapon noun that counts one: "the missile", "ракету Х-59/69"."""
    found = []
    for index, i in story.where(_ONE):
        hits = index.hits
        if i in index.used or _before(doc, hits, i, NUMBERISH):
            continue
        hit = hits[i]
        heads, _ = _collect_head(doc, hits, i)
        end = (heads[-1] if heads else hit).end
        # "ракетою Іскандер-М" is one by its grammar; "the missile" only points back at one
        implicit = hit.kind == "one_definite"
        phrase = Phrase(1, hit.start, end, index.sentence, implicit=implicit, rule="implied_one", anchor=hit)
        _classify(phrase, [hit, *heads])
        found.append(phrase)
        index.used.add(i)
    return found


def definite_all(doc: Document, story: Story) -> list[Phrase]:
    """"The missiles were not intercepted", "уничтожили все ракеты": every weapon of the class,
    however many."""
    found = []
    for index, i in story.where(_DEFINITE):
        if i not in index.used:
            phrase = _definite_phrase(doc, index, i)
            if phrase is not None:
                found.append(phrase)
                index.used.add(i)
    return found


def _definite_phrase(doc: Document, index: HitIndex, i: int) -> Phrase | None:
    """The phrase of an "every one" hit, or of "all" right before a weapon noun."""
    hits, sentence = index.hits, index.sentence
    hit = hits[i]
    if hit.kind == "every_one":
        return Phrase(None, hit.start, hit.end, sentence, kind=hit.key, all_of=True, rule="definite_all", anchor=hit)
    if i + 1 == len(hits) or hits[i + 1].kind not in {"missile", "drone", "model", "class"}:
        return None
    if doc.text[hit.end : hits[i + 1].start].strip():
        return None
    heads, _ = _collect_head(doc, hits, i)
    phrase = Phrase(None, hit.start, heads[-1].end, sentence, all_of=True, rule="all_of_class", anchor=hit)
    if not heads or not _classify(phrase, heads) or phrase.kind not in {"drones", "missiles"}:
        return None
    return phrase


# "— 49/32" at the end of a list line: two figures, digits only (the matcher skips "N/M")
_PAIR = re.compile(r"[-:]\s*(\d{1,5})/(\d{1,5})\s*$")
_ACTS = ("launched", "destroyed", "lost", "hit")


def _header_pair(doc: Document, sentence: Sentence) -> tuple[str, str] | None:
    """The two verbs of a list header written "Launched/shot down:" ("Запущено/збито:"), if any."""
    if not sentence.bullet or sentence.list_line is None:
        return None
    header = next(iter(doc.on_line(sentence.list_line)), None)
    acts = [h for h in header.hits if h.kind in _ACTS or h.kind == "modifier"] if header is not None else []
    for a, b in zip(acts, acts[1:]):
        if doc.text[a.end : b.start].strip() == "/":
            return _verb(a), _verb(b)
    return None


def _verb(hit: Hit) -> str:
    """The action a header's verb names: a participle there ("Запущено/збито") is the launch."""
    return "launched" if hit.kind == "modifier" else hit.kind


def slash_pair(doc: Document, story: Story) -> list[Phrase]:
    """"Launched/shot down:" then "🔹 Shahed UAVs — 49/32": under a header naming two verbs with a
    slash, a weapon and two numbers with a slash give one figure for each verb."""
    bullets = [index.sentence for index in story.sentences if index.sentence.bullet]
    return [phrase for sentence in bullets for phrase in _slash_phrases(doc, sentence)]


def _slash_phrases(doc: Document, sentence: Sentence) -> list[Phrase]:
    """The two figures of one list line under a "Launched/shot down:" header (none elsewhere)."""
    verbs = _header_pair(doc, sentence)
    if verbs is None:
        return []
    pair = _PAIR.search(doc.text, sentence.start, sentence.end)
    if pair is None:
        return []
    heads = [h for h in sentence.hits if h.kind in HEAD_KINDS and h.end <= pair.start()]
    found = []
    for group, verb in zip((1, 2), verbs):
        if not heads:
            return []
        phrase = Phrase(int(pair.group(group)), pair.start(group), pair.end(group), sentence, rule="slash_pair",
                        action=verb, action_rule="slash_header")
        if not _classify(phrase, heads):
            return []
        phrase.heads = heads
        found.append(phrase)
    return found


STRATEGIES = (slash_pair, number_weapon, implied_one, definite_all)


def find_phrases(doc: Document) -> list[Phrase]:
    """All quantity phrases of the story, in text order, with "N of M" and "of them" links."""
    story = Story(doc)
    phrases: list[Phrase] = []
    for strategy in STRATEGIES:
        phrases.extend(strategy(doc, story))
    # a stable sort: phrases starting together (one sentence) stay in the order of the strategies
    phrases.sort(key=attrgetter("start"))
    return link_phrases(doc, phrases, story)

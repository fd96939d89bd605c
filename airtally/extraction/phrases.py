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
from bisect import bisect_left
from dataclasses import MISSING, dataclass, field, fields
from functools import lru_cache
from itertools import compress, count
from operator import attrgetter
from typing import NamedTuple

from airtally.catalog.weapons import Catalogue, catalogue
from airtally.extraction.document import Document, Sentence
from airtally.extraction.lexicon import Hit

NUMBERISH = {"number", "both", "article", "number_about"}
HEAD_KINDS = {"drone", "missile", "decoy", "recon", "glide_bomb", "combined", "model", "class", "one_implied", "one_definite",
              "not_counted"}
STOP_KINDS = {"number", "both", "unit", "location", "person", "partitive", "of_them", "killed", "injured",
              "launched", "destroyed", "lost", "hit", "other", "article", "approx", "all", "debris", "modifier"}
_HEAD_OR_UA = HEAD_KINDS | {"ua_weapon"}
_JOINS = {"model", "class", "decoy", "drone", "missile", "ua_weapon"}  # what extends a noun phrase's heads
_COUNTED = HEAD_KINDS - {"class"}  # a weapon class alone counts only with a number
_OTHER_WEAPONS = {"recon", "glide_bomb"}
_KIND = attrgetter("kind")
_BLOCK = re.compile(r"[.;:!?()]|\s-\s|\s-$|^-\s|,")
_WORDS = re.compile(r"\w+")
MAX_FILLER = 4


@dataclass(eq=False)  # identity: two phrases with the same words are still two phrases
class Phrase:
    """A count of weapons in the text, with what it counts and where it stands."""

    value: int | None
    start: int
    end: int
    sentence: Sentence
    kind: str = "drones"  # drones | missiles | combined | other
    weapon_class: str | None = None
    model: str | None = None
    group: str | None = None  # several models counted together ("28 Kh-101 and Iskander-K")
    generic: bool = True
    approx: str | None = None
    all_of: bool = False
    ua: bool = False
    side: str | None = None  # "UA"/"RU" by the nearest direction cue, None when no cue
    share: bool = False
    implicit: bool = False
    rule: str = "number_weapon"
    whole: Phrase | None = None  # "N of M": the phrase counting M
    source: Phrase | None = None  # "N of them": the group of the same sentence it is part of
    referent: Phrase | None = None  # the phrase whose weapons a bare number or "of them" counts
    action: str | None = None
    action_rule: str = ""
    heads: list[Hit] = field(default_factory=list)
    anchor: Hit | None = None
    regional: bool | None = None  # set once by airtally.extraction.totals.is_regional

    @property
    def key(self) -> str:
        """What it counts, finer than ``kind``: a model id, a weapon class, or the kind."""
        return self.model or self.group or self.weapon_class or self.kind

    @classmethod
    def counting(cls, value: int | None, start: int, end: int, sentence: Sentence, anchor: Hit, heads: list[Hit]) -> Phrase:
        """``Phrase(value, start, end, sentence, heads=heads, anchor=anchor)``, built without the
        generated ``__init__`` and its 23 parameters (most of a report's phrases are built here)."""
        phrase = object.__new__(cls)
        phrase.__dict__.update(_DEFAULTS)
        phrase.value, phrase.start, phrase.end, phrase.sentence, phrase.anchor, phrase.heads = value, start, end, sentence, anchor, heads
        return phrase


# every field of Phrase with a plain default (``heads`` has a factory: set by each constructor)
_DEFAULTS = {f.name: f.default for f in fields(Phrase) if f.default is not MISSING}


_ONE = {"one_implied", "one_definite"}
_DEFINITE = {"every_one", "all"}
# the kinds whose places Story lists for each sentence as it indexes it: the numbers, and the few
# other kinds a strategy or the linker starts from
_MARKED = {"partitive"} | _ONE | _DEFINITE
_INDEXED = NUMBERISH | _MARKED
_START = attrgetter("start")


class HitIndex:
    """One sentence's hits with the places of its numbers and of its other ``_MARKED`` hits found
    once (by ``Story``), for the strategies and the linker."""

    __slots__ = ("sentence", "hits", "numbers", "marked", "used")

    def __init__(self, sentence: Sentence):
        self.sentence = sentence
        self.hits = sentence.hits
        self.numbers: list[int] = []  # the places of its NUMBERISH hits
        self.marked: list[int] = []  # the places of its hits of the other _MARKED kinds
        self.used: set[int] = set()  # the hits a strategy has made part of a phrase

    def within(self, i: int, start: int, end: int) -> range:
        """The indices of the hits that start in [start, end), a span that holds hits[i]."""
        hits = self.hits
        return range(bisect_left(hits, start, 0, i, key=_START), bisect_left(hits, end, i + 1, key=_START))


class Story:
    """The story's sentences that have hits, each indexed, and the kinds of hit found in them:
    a strategy or rule reads a sentence only when the story has the kinds it looks for."""

    def __init__(self, doc: Document):
        self.sentences = [HitIndex(sentence) for sentence in doc.story if sentence.hits]  # no hits, no phrases
        kinds = [hit.kind for index in self.sentences for hit in index.hits]  # all the hits', in text order
        self.kinds = set(kinds)
        if self.kinds.isdisjoint(_INDEXED):
            return
        # the places of the indexed kinds in the story's hits, found in C, then handed to their sentences
        sentences = iter(self.sentences)
        index, first, stop = None, 0, 0  # the sentence whose hits are kinds[first:stop]
        for place in compress(count(), map(_INDEXED.__contains__, kinds)):
            while place >= stop:
                index = next(sentences)
                first, stop = stop, stop + len(index.hits)
            (index.numbers if kinds[place] in NUMBERISH else index.marked).append(place - first)

    def where(self, kinds: set[str]) -> list[tuple[HitIndex, int]]:
        """Each hit of one of ``kinds``, as its sentence's index and its place there, in text order."""
        if self.kinds.isdisjoint(kinds):
            return []
        if kinds <= _MARKED:  # listed as the story was indexed
            return [(index, i) for index in self.sentences for i in index.marked if index.hits[i].kind in kinds]
        return [(index, i) for index in self.sentences for i, hit in enumerate(index.hits) if hit.kind in kinds]


def _joinable(gap: str, allow_comma: bool = False) -> bool:
    if not gap or gap.isspace():  # the usual gap: no need for the regular expressions
        return True
    probe = gap.replace(",", "") if allow_comma else gap
    return not _BLOCK.search(probe) and len(_WORDS.findall(gap)) <= 2


def _collect_head(doc: Document, hits: list[Hit], i: int) -> tuple[list[Hit], int]:
    """The weapon hits after hits[i] that make up its noun phrase, and the index after them."""
    text = doc.text
    heads: list[Hit] = []
    filler = 0
    end = hits[i].end
    for j in range(i + 1, len(hits)):
        hit = hits[j]
        kind, _, start, stop = hit
        if heads:  # only another weapon word close by extends the noun phrase
            if kind in _JOINS and _joinable(text[end:start], allow_comma=kind == "model"):
                heads.append(hit)
                end = stop
                continue
            return heads, j
        gap = text[end:start]
        spaced = not gap or gap.isspace()  # nothing but spaces before the hit (as gap.strip() tells)
        if kind in STOP_KINDS and not (kind == "launched" and j == i + 1 and spaced):  # "43 пуска крылатых ракет"
            return heads, j
        if not spaced:
            filler += len(_WORDS.findall(gap))
            if filler > MAX_FILLER or _BLOCK.search(gap):
                return heads, j
        if kind in _HEAD_OR_UA:
            heads.append(hit)
            end = stop
    return heads, len(hits)


def _classify(phrase: Phrase, heads: list[Hit]) -> bool:
    """Fill in what the phrase counts; False when it counts no weapon."""
    kinds = set(map(_KIND, heads))
    phrase.ua = "ua_weapon" in kinds
    if kinds.isdisjoint(_COUNTED) and not ("class" in kinds and phrase.value is not None):
        return False
    if "combined" in kinds:
        phrase.kind = "combined"
        return True
    if "not_counted" in kinds:  # interceptor drones, FPV drones: not attack weapons
        phrase.kind = "other"
        return True
    if not kinds.isdisjoint(_OTHER_WEAPONS):
        phrase.kind, phrase.weapon_class = "other", "recon_drone" if "recon" in kinds else "glide_bomb"
        return True
    if "model" in kinds:
        _classify_models(phrase, heads, kinds)
        return True
    if "class" in kinds or "missile" in kinds or "one_implied" in kinds or "one_definite" in kinds:
        phrase.kind = "missiles"
        if "class" in kinds:
            phrase.weapon_class, phrase.generic = next(h.key for h in heads if h.kind == "class"), False
        return True
    phrase.kind = "drones"
    if "decoy" in kinds and "drone" not in kinds or kinds == {"decoy"}:
        phrase.weapon_class, phrase.model, phrase.generic = "decoy_drone", "decoy", False
    return True


def _classify_models(phrase: Phrase, heads: list[Hit], kinds: set[str]) -> None:
    """Fill in what a phrase naming weapon models counts (one model, or a group of them)."""
    distinct = [h.key for h in heads if h.kind == "model"]
    if len(distinct) > 1:
        distinct = list(dict.fromkeys(distinct))
    if "decoy" in kinds:
        distinct.append("decoy")  # "Shahed and decoy drones": drones of several types
    models = _models(catalogue())
    if len(distinct) == 1:  # the usual case: one model
        weapon = models[distinct[0]]
        phrase.kind = weapon.counts_as or "other"
        if distinct[0] != "unknown-drone":
            phrase.model, phrase.weapon_class, phrase.generic = distinct[0], weapon.weapon_class, False
        return
    weapons = [models[m] for m in distinct]
    counts = {w.counts_as or "other" for w in weapons}
    phrase.kind = counts.pop() if len(counts) == 1 else "drones"
    if phrase.kind == "missiles":
        phrase.group, phrase.generic = "+".join(sorted(distinct)), False  # "28 Kh-101 and Iskander-K"
        shared = {w.weapon_class for w in weapons}
        phrase.weapon_class = shared.pop() if len(shared) == 1 else None


class _Model(NamedTuple):
    counts_as: str | None
    weapon_class: str


@lru_cache(maxsize=1)
def _models(weapons: Catalogue) -> dict[str, _Model]:
    """What each model of the catalogue counts as and its class, read once (``counts_as`` is a
    property that works it out on every read)."""
    return {w.id: _Model(w.counts_as, w.weapon_class) for w in weapons}


_APPROX_OR_ALL = {"approx", "all"}


def _before(doc: Document, hits: list[Hit], i: int, kinds: set[str]) -> Hit | None:
    """hits[i-1] when it is of one of ``kinds`` and only spaces separate it from hits[i]."""
    if i > 0 and hits[i - 1].kind in kinds and not doc.text[hits[i - 1].end : hits[i].start].strip():
        return hits[i - 1]
    return None


def _counts_one(doc: Document, heads: list[Hit], article: Hit) -> bool:
    """"a cruise missile", "an Iskander-K" count one; "a drone attack", "a missile threat" do not."""
    if not heads or heads[0].start - article.end > 25:
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
    value = hit.key if hit.kind != "all" else None
    phrase = Phrase.counting(value, hit.start, heads[-1].end, sentence, hit, heads)
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
    return phrase


def number_weapon(doc: Document, story: Story) -> list[Phrase]:
    """"539 drones", "two Kh-59 cruise missiles", "обидві Х-59/Х-69", "a cruise missile"."""
    found = []
    for index in story.sentences:
        hits, last = index.hits, len(index.hits) - 1
        for i in index.numbers:
            # a number at the end or before a stop word ("12 people", "5 of") counts no weapon:
            # the cheap test that _collect_head would make first
            if i in index.used or i == last or (hits[i + 1].kind in STOP_KINDS and hits[i + 1].kind != "launched"):
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
    header = next((s for s in doc.story if s.line == sentence.list_line), None)
    acts = [h for h in header.hits if h.kind in _ACTS or h.kind == "modifier"] if header is not None else []
    for a, b in zip(acts, acts[1:]):
        if doc.text[a.end : b.start].strip() == "/":  # a participle there ("Запущено/збито") is the launch
            return tuple("launched" if h.kind == "modifier" else h.kind for h in (a, b))
    return None


def slash_pair(doc: Document, story: Story) -> list[Phrase]:
    """"Launched/shot down:" then "🔹 Shahed UAVs — 49/32": under a header naming two verbs with a
    slash, a weapon and two numbers with a slash give one figure for each verb."""
    bullets = [index.sentence for index in story.sentences if index.sentence.bullet]
    return [phrase for sentence in bullets for phrase in _slash_phrases(doc, sentence)]


def _slash_phrases(doc: Document, sentence: Sentence) -> list[Phrase]:
    """The two figures of one list line under a "Launched/shot down:" header (none elsewhere)."""
    verbs = _header_pair(doc, sentence)
    pair = _PAIR.search(doc.text, sentence.start, sentence.end) if verbs else None
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
    from airtally.extraction.links import link_phrases

    story = Story(doc)
    phrases: list[Phrase] = []
    for strategy in STRATEGIES:
        phrases.extend(strategy(doc, story))
    # a stable sort: phrases starting together (one sentence) stay in the order of the strategies
    phrases.sort(key=attrgetter("start"))
    return link_phrases(doc, phrases, story)

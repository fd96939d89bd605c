"""The quantity phrase record (``Phrase``), the story's hits indexed for the strategies that find
phrases and for the linker (``Story``), and what a number counts: the weapon noun phrase after it
(``_collect_head``) and its kind, class or model (``_classify``); whether a phrase counts one
region's part (``is_regional``).

Below airtally.extraction.phrases (the strategies), links (the linker), totals and derived, which
all build on it: none of them imports another at call time.

>>> from airtally.extraction.document import Document
>>> doc = Document("Russia fired 579 drones.", "en")
>>> story = Story(doc)
>>> [story.sentences[0].hits[i].key for i in story.sentences[0].numbers]
[579]
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from itertools import compress, count
from operator import attrgetter, itemgetter

from airtally.catalog.weapons import catalogue
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
_MISSILE_WORDS = {"missile", "class"}
_KIND = attrgetter("kind")
_BLOCK = re.compile(r"[.;:!?()]|\s-\s|\s-$|^-\s|,")
_WORDS = re.compile(r"\w+")
MAX_FILLER = 4


# the fields of Phrase, in the order its __init__ takes them (a compiled class has no __slots__ to read)
_FIELD_NAMES = ("value", "start", "end", "sentence", "kind", "weapon_class", "model", "group", "generic", "approx",
                "all_of", "ua", "side", "share", "implicit", "rule", "whole", "source", "referent", "action",
                "action_rule", "heads", "anchor", "regional")


class Phrase:
    """A count of weapons in the text, with what it counts and where it stands. Compared by
    identity: two phrases with the same words are still two phrases.

    A plain class with typed fields, not a dataclass: compiled (setup.py), its fields are read in
    C by every rule, and it is made in C."""

    __slots__ = _FIELD_NAMES

    def __init__(self, value: int | None, start: int, end: int, sentence: Sentence, kind: str = "drones",
                 weapon_class: str | None = None, model: str | None = None, group: str | None = None,
                 generic: bool = True, approx: str | None = None, all_of: bool = False, ua: bool = False,
                 side: str | None = None, share: bool = False, implicit: bool = False, rule: str = "number_weapon",
                 whole: Phrase | None = None, source: Phrase | None = None, referent: Phrase | None = None,
                 action: str | None = None, action_rule: str = "", heads: list[Hit] | None = None,
                 anchor: Hit | None = None, regional: bool | None = None) -> None:
        self.value = value
        self.start = start
        self.end = end
        self.sentence = sentence
        self.kind = kind  # drones | missiles | combined | other
        self.weapon_class = weapon_class
        self.model = model
        self.group = group  # several models counted together ("28 Kh-101 and Iskander-K")
        self.generic = generic
        self.approx = approx
        self.all_of = all_of
        self.ua = ua
        self.side = side  # "UA"/"RU" by the nearest direction cue, None when no cue
        self.share = share
        self.implicit = implicit
        self.rule = rule
        self.whole = whole  # "N of M": the phrase counting M
        self.source = source  # "N of them": the group of the same sentence it is part of
        self.referent = referent  # the phrase whose weapons a bare number or "of them" counts
        self.action = action
        self.action_rule = action_rule
        self.heads: list[Hit] = [] if heads is None else heads
        self.anchor = anchor
        self.regional = regional  # set once by is_regional

    @property
    def key(self) -> str:
        """What it counts, finer than ``kind``: a model id, a weapon class, or the kind."""
        return self.model or self.group or self.weapon_class or self.kind

    def copy(self) -> Phrase:
        """A shallow copy (as ``copy.copy`` makes it, without its detour through ``__reduce_ex__``)."""
        return Phrase(*_FIELDS(self))


# every field of Phrase, in order: read together in C
_FIELDS = attrgetter(*_FIELD_NAMES)


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
        index = next(sentences)  # the sentence whose hits are kinds[first:stop] (each has hits)
        first, stop = 0, len(index.hits)
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


def hundreds_before(doc: Document, hits: list[Hit], i: int) -> Hit | None:
    """The hundreds word of a number in words ("сто" of "сто сімдесят чотири", "two hundred" of
    "two hundred and five"): hits[i-1], when both are number words and only the joiner is between."""
    hit = hits[i]
    if i == 0 or hit.kind != "number" or hit.key >= 100 or doc.text[hit.start].isdecimal():
        return None
    prev = hits[i - 1]
    if prev.kind != "number" or prev.key % 100 or prev.key >= 1000 or doc.text[prev.start].isdecimal():
        return None
    joined = doc.lex.hundreds_joiner.match(doc.text, prev.end)
    return prev if joined is not None and joined.end() == hit.start else None


def day_of_month(sentence: Sentence, hit: Hit) -> bool:
    """Whether the number is a day's, a month's name right after it ("19 июля", "3 жовтня") or a
    day's number (up to 31) right after a month's name ("late on Dec. 31", "on October 17")."""
    months = sentence.flags.get("month", ())
    if any(0 <= a - hit.end <= 1 for a, _ in months):
        return True
    return isinstance(hit.key, int) and hit.key <= 31 and any(0 <= hit.start - b <= 1 for _, b in months)


def _bound_after(doc: Document, number: Hit, end: int) -> bool:
    """"13 і більше дронів", "13 и более дронов": the approximation word after the number is its
    bound (``approx_after``), which ends at ``end``, not a stop before another number."""
    bound = doc.lex.approx_after.match(doc.text, number.end)
    return bound is not None and bound.end() == end


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
            # "Ukrainian" after the head joins it only right beside it: "missiles at Ukrainian cities" is
            # another noun phrase
            if kind in _JOINS and _joinable(text[end:start], allow_comma=kind == "model") and not (
                    kind == "ua_weapon" and text[end:start].strip()) and not (
                    kind == "model" and (doc.lex.item_article.search(text, end, start)
                                         or doc.lex.contrast.search(text, end, start)  # "51 missiles, but Kh-22s"
                                         or _other_kind(heads, hit))):  # "72 дрони та «Іскандер»"
                heads.append(hit)
                end = stop
                continue
            return heads, j
        gap = text[end:start]
        spaced = not gap or gap.isspace()  # nothing but spaces before the hit (as gap.strip() tells)
        if kind in STOP_KINDS and not (kind == "launched" and j == i + 1 and spaced):  # "43 пуска крылатых ракет"
            if not (kind == "approx" and j == i + 1 and _bound_after(doc, hits[i], stop)):
                return heads, j
        if not spaced:
            filler += len(_WORDS.findall(gap))
            if filler > MAX_FILLER or _BLOCK.search(gap):
                return heads, j
        if kind in _HEAD_OR_UA:
            heads.append(hit)
            end = stop
    return heads, len(hits)


_WORD_KIND = {"drone": "drones", "missile": "missiles", "class": "missiles"}


def _other_kind(heads: list[Hit], model: Hit) -> bool:
    """Whether ``model`` counts another kind than a drone or missile word already in ``heads``: "72
    дрони та «Іскандер»" counts the drones, the missile is a weapon of its own."""
    counts = catalogue().get(model.key).counts_as  # None: a model counted apart ("ударных беспилотников «Ланцет»")
    return counts is not None and any(_WORD_KIND.get(h.kind, counts) != counts for h in heads)


def _classify(phrase: Phrase, heads: list[Hit]) -> bool:
    """Fill in what the phrase counts; False when it counts no weapon."""
    kinds = set(map(_KIND, heads))
    phrase.ua = "ua_weapon" in kinds
    if kinds.isdisjoint(_COUNTED) and not ("class" in kinds and phrase.value is not None):
        return False
    # "more than 300 drones and ballistic and cruise missiles": one number before drones joined to
    # missiles in one noun phrase counts both (as "drones and missiles" does); "шість крилатих ракет
    # і дрони" counts the missiles it comes to first; a model's phrase is read by its models
    if "combined" in kinds or (heads[0].kind == "drone" and not kinds.isdisjoint(_MISSILE_WORDS) and "model" not in kinds):
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
    get = catalogue().get
    if len(distinct) == 1:  # the usual case: one model
        weapon = get(distinct[0])
        phrase.kind = weapon.counts_as or "other"
        if distinct[0] != "unknown-drone":
            phrase.model, phrase.weapon_class, phrase.generic = distinct[0], weapon.weapon_class, False
        return
    weapons = [get(m) for m in distinct]
    counts = {w.counts_as or "other" for w in weapons}
    phrase.kind = counts.pop() if len(counts) == 1 else "drones"
    if phrase.kind == "missiles":
        phrase.group, phrase.generic = "+".join(sorted(distinct)), False  # "28 Kh-101 and Iskander-K"
        shared = {w.weapon_class for w in weapons}
        phrase.weapon_class = shared.pop() if len(shared) == 1 else None


# The words that name a kind of weapon without a number (every lexicon class is a missile class,
# tests/extraction/test_lexicons.py checks it); a model names what it counts as.
_KIND_OF_WORD = {"drone": "drones", "decoy": "drones", "missile": "missiles", "class": "missiles"}


def kinds_named(sentence: Sentence) -> set[str]:
    """The kinds of weapons ("drones", "missiles") a sentence's words name, with or without a number."""
    held = set(map(_KIND, sentence.hits))  # a sentence has dozens of hits: gather them in C
    named = {_KIND_OF_WORD[kind] for kind in held & _KIND_OF_WORD.keys()}
    if "model" in held:
        get = catalogue().get
        counts = (get(hit.key).counts_as for hit in sentence.hits if hit.kind == "model")
        named.update(kind for kind in counts if kind is not None)  # a recon drone, a glide bomb: neither
    return named


def is_regional(doc: Document, phrase: Phrase) -> bool:
    """Whether the phrase counts one region's part (a governor's figure, "over Odesa region")."""
    if phrase.regional is None:
        phrase.regional = _regional(doc, phrase)
    return phrase.regional


_STOP = re.compile(r"[;.:]")
_START_OF = attrgetter("start")
_CLAUSE_STOP = re.compile(r"[;.:]|,\s")
_END = itemgetter(1)


def _listed_regions(doc: Document, phrase: Phrase) -> bool:
    """Whether several regions follow the phrase as one list, before the sentence's next stop
    and its next count ("10 ракет над Николаевской областью и две – над Одесской" lists none)."""
    sentence = phrase.sentence
    if len(sentence.regions) < 2:
        return False
    stop = _STOP.search(doc.text, phrase.end, sentence.end)
    end = min(stop.start() if stop else sentence.end, _next_count(sentence, phrase.end))
    found = sorted((start, e) for _, start, e in sentence.regions if phrase.end <= start < end)
    return len(found) >= 2 and found[1][0] - found[0][1] < 40


def _next_count(sentence: Sentence, position: int) -> int:
    """Where the sentence's first number at or after ``position`` starts (its end when none): the
    places after it are that count's ("21 «Shahed» на Одещині та 4 над Миколаївщиною")."""
    hits = sentence.hits
    for k in range(bisect_left(hits, position, key=_START_OF), len(hits)):
        if hits[k].kind in NUMBERISH:
            return hits[k].start
    return sentence.end


def _source_of_a_part(sentence: Sentence, phrase: Phrase) -> bool:
    """"Збито 300 дронів, з них 20 - над Києвом": every regional cue stands after a subset cue
    that follows the figure, so the place is its part's, not the figure's."""
    subsets = [a for a, _ in sentence.flags.get("subset", []) if a >= phrase.end]
    cues = [a for a, _ in sentence.flags.get("regional_source", [])]
    return bool(subsets) and all(a > min(subsets) for a in cues)


def _regional(doc: Document, phrase: Phrase) -> bool:
    sentence = phrase.sentence
    flags = sentence.flags
    if "national" in flags or (doc.regional_scope and not doc.memo.get("countrywide_figures")):
        return False
    if "regional_source" in flags and not _source_of_a_part(sentence, phrase):
        return True
    if _in_dash_list_by_place(doc, phrase):
        return True
    if not sentence.regions:
        # the rules below all need a place of Ukraine named in the sentence
        return _over_other_region(doc, phrase, _clause_end(doc, phrase))
    if any(start < phrase.start for start, _ in flags.get("subset", [])):
        return True  # "В частности, над Николаевской и Херсонской областями сбиты 5"
    if _listed_regions(doc, phrase):
        return False  # "в Харьковской, Полтавской, ... областях": the whole country's list
    clause_end = _clause_end(doc, phrase)
    inside, placed = _places_after(doc, sentence, phrase.end, clause_end)
    if inside:
        return placed and len(inside) == 1
    # "20 дронів збили над Бєлгородщиною, 10 — над Курщиною та 15 — над Кримом": Ukraine's Crimea
    # named later, the count's own place is Russia's
    return _over_other_region(doc, phrase, clause_end)


def _clause_end(doc: Document, phrase: Phrase) -> int:
    """Where the count's clause ends: at the next clause stop or the next count of its sentence."""
    sentence = phrase.sentence
    stop = _CLAUSE_STOP.search(doc.text, phrase.end, sentence.end)
    return min(stop.start() if stop else sentence.end, _next_count(sentence, phrase.end))


def _over_other_region(doc: Document, phrase: Phrase, clause_end: int) -> bool:
    """"по четыре дрона перехватили над Брянской, Липецкой и Нижегородской областями": the clause
    of the count (up to ``clause_end``) places it over a region that is none of Ukraine's (the
    Russian MoD's counts by region), so the count is that region's part."""
    return _other_place_after(doc, phrase.sentence, phrase.end, clause_end) or _other_place_before(doc, phrase)


def _other_place_before(doc: Document, phrase: Phrase) -> bool:
    """"Над Дагестаном сбили восемь беспилотников, над Брянской областью - пять": the count's clause
    opens with a place that is none of Ukraine's."""
    return _other_place_after(doc, phrase.sentence, _clause_start(doc, phrase.sentence, phrase.start), phrase.start)


def _clause_start(doc: Document, sentence: Sentence, position: int) -> int:
    """Where the clause holding ``position`` starts: after the sentence's last clause stop before
    it. The stops are found once per sentence (every phrase of a long sentence asks)."""
    cache: dict[int, list[tuple[int, int]]] = doc.memo.setdefault("clause_stops", {})
    stops = cache.get(sentence.start)
    if stops is None:
        stops = cache[sentence.start] = [m.span() for m in _CLAUSE_STOP.finditer(doc.text, sentence.start, sentence.end)]
    index = bisect_right(stops, position, key=_END) - 1  # the last stop ending at or before position
    return stops[index][1] if index >= 0 else sentence.start


def _other_place_after(doc: Document, sentence: Sentence, position: int, end: int) -> bool:
    """Whether [position, end) places what was counted before it over a place that is none of
    Ukraine's (data/foreign_regions.yaml, or a region adjective of lexicon key other_region)."""
    if doc.lex.over_word.search(doc.text, position, end) is None:
        return False  # no place word at all: the long pattern of places is not needed
    for place in doc.lex.over_other_region.finditer(doc.text, position, end):
        # the adjective pattern also takes Ukraine's ("над Черкаською областю"): the region forms know them
        if any(place.start() <= start < place.end() for _, start, _ in sentence.regions):
            continue
        # "14 Kh-101 cruise missiles from Tu-95MS aircraft over Volgograd Oblast", "10 «Калібрів» – з
        # кораблів у акваторії Чорного моря": after "from", the place is where they were launched
        return doc.lex.from_word.search(doc.text, position, place.start()) is None
    return False


def _places_after(doc: Document, sentence: Sentence, position: int, end: int) -> tuple[set[str], bool]:
    """The regions named in [position, end) of the sentence, and whether one of them is placed by
    a word such as "над" ("over"), the place of what was counted before them."""
    over = doc.lex.over_place
    inside = [(code, start) for code, start, _ in sentence.regions
              if position <= start < end and not _other_verb_between(sentence, position, start)]
    # "ракети Х-59 – з повітряного простору над Запорізькою областю": where they were launched from
    airspace = doc.lex.launch_airspace
    inside = [(code, start) for code, start in inside if not airspace.search(doc.text, max(position, start - 40), start)]
    placed = any(over.search(doc.text[max(position, start - 12) : start]) for _, start in inside)
    return {code for code, _ in inside}, placed


_DASH_ITEM = re.compile(r"\s*[—–-]\s*(\w+\s)")


def _dash_over_place(doc: Document, position: int) -> bool:
    """Whether a dash and a place word follow ``position`` ("34 — над Волгоградской областью")."""
    item = _DASH_ITEM.match(doc.text, position)
    return item is not None and doc.lex.over_place.search(item.group(1)) is not None


def _in_dash_list_by_place(doc: Document, phrase: Phrase) -> bool:
    """Whether the phrase stands in a list of counts by place, each "N — над X" ("перехватили
    беспилотники: 34 — над Волгоградской областью, 23 — над Ростовской областью, ..., включая
    один, который летел на Москву"): the places need not be Ukraine's regions (the Russian MoD's
    lists name Russia's), the list's counts are parts, none the attack's total."""
    items = _dash_items(doc, phrase.sentence)
    return len(items) >= 2 and items[0] <= phrase.start


def _dash_items(doc: Document, sentence: Sentence) -> list[int]:
    """The starts of the sentence's counts followed by a dash and a place word, found once per
    sentence (every phrase of a long sentence asks)."""
    cache: dict[int, list[int]] = doc.memo.setdefault("dash_items", {})
    found = cache.get(sentence.start)
    if found is None:
        found = cache[sentence.start] = [h.start for h in sentence.hits if h.kind in NUMBERISH and _dash_over_place(doc, h.end)]
    return found


def _other_places(doc: Document, sentence: Sentence) -> list[int]:
    """The starts of the sentence's places after a place word that are none of Ukraine's regions
    (``over_other_region``), found once per sentence (every phrase of a long sentence asks)."""
    cache: dict[int, list[int]] = doc.memo.setdefault("other_places", {})
    found = cache.get(sentence.start)
    if found is None:
        found = []
        if doc.lex.over_word.search(doc.text, sentence.start, sentence.end) is not None:
            found = [m.start() for m in doc.lex.over_other_region.finditer(doc.text, sentence.start, sentence.end)
                     if not any(m.start() <= start < m.end() for _, start, _ in sentence.regions)]
        cache[sentence.start] = found
    return found


def in_breakdown(doc: Document, phrase: Phrase) -> bool:
    """Whether the phrase is one place's count of a count by place: a later number of its sentence
    has a place of its own ("знищили 21 дрон над Одещиною та 4 над Миколаївщиною", "10 ракет над
    Николаевской областью и две – над Одесской"); no count of such a list stands for the attack."""
    sentence = phrase.sentence
    if _in_dash_list_by_place(doc, phrase):
        return True
    # the places of Russia's MoD lists beside Ukraine's Crimea ("20 над Белгородчиной ... 15 над Крымом")
    others = 0
    if sentence.regions:
        starts = _other_places(doc, sentence)
        others = len(starts) - bisect_left(starts, phrase.end)
    if len(sentence.regions) + others < 2:
        return False
    hits = sentence.hits
    for k in range(bisect_left(hits, phrase.end, key=_START_OF), len(hits)):
        hit = hits[k]
        if hit.kind in NUMBERISH:
            stop = _STOP.search(doc.text, hit.end, sentence.end)
            end = min(stop.start() if stop else sentence.end, _next_count(sentence, hit.end))
            if _places_after(doc, sentence, hit.end, end)[1] or others and _other_place_after(doc, sentence, hit.end, end):
                return True
    return False


def _other_verb_between(sentence: Sentence, a: int, b: int) -> bool:
    """"fired 48 missiles ... and killed four people in Kyiv": a place after another verb (of
    casualties or of another action) is that verb's, not the figure's."""
    return any(a <= h.start < b for h in sentence.hits if h.kind in {"killed", "injured", "hit"})

"""Numbers that count weapons named elsewhere: "14 of the 16 drones", "15 «шахедов» из 20",
"57 із них", "з 104 дронів збили 57", "another two disappeared", and shares such as
"близько 120 з них – «шахеди»" (a part of the total, never a total).

>>> from airtally.extraction.document import Document
>>> from airtally.extraction.phrases import find_phrases
>>> doc = Document("ПВО уничтожила 17 из 22 вражеских ударных БпЛА.", "ru")
>>> [(p.value, p.rule, p.whole.value if p.whole else None) for p in find_phrases(doc)]
[(17, 'n_of_m', 22), (22, 'number_weapon', None)]
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from operator import attrgetter

from airtally.catalog.weapons import catalogue
from airtally.extraction.document import Document, Sentence
from airtally.extraction.lexicon import Hit
from airtally.extraction.quantity import (NUMBERISH, HitIndex, Phrase, Story, _classify, _collect_head, day_of_month,
                                          hundreds_before)

ACTIONS = {"launched", "destroyed", "lost", "hit", "other"}
_PARTITIVE = {"partitive"}
_COUNTABLE = {"drones", "missiles", "combined"}
_OF_THEM = {"of_them"}
_DASH_HEADS = {"drone", "missile", "model", "decoy"}  # "числом безпілотників – 267"
_CUES_AFTER = _PARTITIVE | _OF_THEM | ACTIONS  # every kind in the rules of link_number (_Linker.rules)
_CUES_BEFORE = _OF_THEM | _DASH_HEADS | ACTIONS | {"number", "all"}
_WORDS = re.compile(r"\w+")
_STOPS = re.compile(r"[.;:!?]")
_STOPS_OR_COMMA = re.compile(r"[.;:!?,]")
_DASH_GAP = re.compile(r"\"?(?:\s+-\s+|:\s+)")  # "безпілотників – 267", "drones: 267", "«Калібр» – 8"
_COMMA_GAP = re.compile(r"\s*,\s*")


_PAREN_OPEN, _PAREN_CLOSE = re.compile(r"\s*\(\s*"), re.compile(r"\s*\)")
_CLAUSE_STOP = re.compile(r"[,;:.]")
_PHRASE_STOP = re.compile(r"[.;:!?,()\n]|\s-\s")
_LINK_STOP = re.compile(r"[,.;:()]")


def _spaces_only(doc: Document, a: Hit, b: Hit, words: int = 0, stops: re.Pattern = _STOPS) -> bool:
    gap = doc.text[a.end : b.start]
    return not gap.strip() or (len(_WORDS.findall(gap)) <= words and not stops.search(gap))


def _joined(doc: Document, gap: str) -> bool:
    """Whether ``gap`` joins two phrases of one list: a comma or a conjunction ("67 missiles and
    194 drones", "67 ракет та 194 дрони"), nothing else."""
    words = _WORDS.findall(gap)
    rest = gap.replace(",", "")
    for word in words:
        rest = rest.replace(word, "", 1)
    return not rest.strip() and len(words) <= 1 and all(doc.lex.conjunction.fullmatch(w) for w in words) and bool(gap.strip())


def _opens_clause(doc: Document, sentence: Sentence, hit: Hit) -> bool:
    """Whether ``hit`` opens its sentence or a clause of it (after a semicolon or a dash)."""
    before = doc.text[sentence.start : hit.start].rstrip()
    return not before or before.endswith((";", "-", "–", "—", ":"))


def _like(source: Phrase, hit: Hit, sentence: Sentence, rule: str, value: int | None = None) -> Phrase:
    """A phrase counting what ``source`` counts, anchored on ``hit``."""
    phrase = source.copy()
    phrase.value = hit.key if value is None else value
    phrase.start, phrase.end, phrase.sentence, phrase.anchor = hit.start, hit.end, sentence, hit
    phrase.rule, phrase.whole, phrase.approx, phrase.all_of, phrase.share, phrase.implicit = rule, None, None, False, False, False
    phrase.heads, phrase.action, phrase.action_rule, phrase.regional = [], None, "", None
    phrase.referent = source
    return phrase


def _approx_before(doc: Document, hits: list[Hit], i: int, phrase: Phrase) -> None:
    if i > 0 and hits[i - 1].kind == "approx" and not doc.text[hits[i - 1].end : hits[i].start].strip():
        phrase.approx, phrase.start = hits[i - 1].key, hits[i - 1].start


def _past_approx(doc: Document, hits: list[Hit], i: int) -> int:
    """The place of the hit after an approximation word at hits[i] ("более 50", "понад 50"), or
    ``i`` when hits[i] is none."""
    if i + 1 < len(hits) and hits[i].kind == "approx" and not doc.text[hits[i].end : hits[i + 1].start].strip():
        return i + 1
    return i


def _has_cue(hits: list[Hit], i: int) -> bool:
    """Whether a rule of link_number may apply to the number hits[i]: the hit after it or the one
    before it is of a kind some rule needs (most numbers have none)."""
    return (i + 1 < len(hits) and hits[i + 1].kind in _CUES_AFTER) or (i > 0 and hits[i - 1].kind in _CUES_BEFORE)


class _Countable:
    """Countable phrases (not shares, of a countable kind) by start, for the linker's look back:
    the last one starting before a place, of those starting together the first added. Phrases
    come in text order (the linker adds them sentence by sentence); one coming out of order is
    put in its place, which only costs a move of the list's tail."""

    __slots__ = ("starts", "phrases")

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.phrases: list[Phrase] = []

    def add(self, phrase: Phrase) -> None:
        if phrase.share or phrase.kind not in _COUNTABLE:
            return
        if not self.starts or self.starts[-1] <= phrase.start:
            self.starts.append(phrase.start)
            self.phrases.append(phrase)
            return
        place = bisect_right(self.starts, phrase.start)  # after those starting together: added later
        self.starts.insert(place, phrase.start)
        self.phrases.insert(place, phrase)

    def before(self, position: int) -> Phrase | None:
        """The last phrase starting before ``position`` (the first added of those starting there)."""
        k = bisect_left(self.starts, position)
        if k == 0:
            return None
        return self.phrases[bisect_left(self.starts, self.starts[k - 1])]


class _Linker:
    def __init__(self, doc: Document, phrases: list[Phrase]):
        self.doc = doc
        self.phrases = phrases
        self.by_anchor = {id(p.anchor): p for p in phrases if p.anchor is not None}
        # the countable phrases by start: those found before linking (in text order), and those
        # the linker adds, in the order it adds them (see _Countable)
        self.found = _Countable()
        self.added = _Countable()
        for phrase in phrases:
            self.found.add(phrase)

    def previous(self, position: int, sentence: Sentence | None = None) -> Phrase | None:
        """The last countable phrase before ``position`` (in ``sentence`` when given); of two that
        start together, the one listed first (found before linking, or added first)."""
        last = self.found.before(position)
        added = self.added.before(position)
        if added is not None and (last is None or added.start > last.start):
            last = added
        # a phrase stands inside its sentence: the last one before a place in a sentence is that
        # sentence's, or there is none there
        return last if sentence is None or last is None or last.sentence is sentence else None

    def run(self, story: Story) -> list[Phrase]:
        partitives: dict[HitIndex, list[int]] = {}
        for index, i in story.where(_PARTITIVE):
            partitives.setdefault(index, []).append(i)
        by_anchor = self.by_anchor
        for index in story.sentences:
            hits = index.hits
            for i in index.numbers:
                # "Нагадаємо, 31 грудня росіяни випустили ракети": a day's number counts nothing
                if id(hits[i]) not in by_anchor and _has_cue(hits, i) and not day_of_month(index.sentence, hits[i]):
                    self.link_number(index.sentence, hits, i)
            if index in partitives:
                self.link_wholes(index.sentence, hits, partitives[index])
        self.verbs_after_counts()
        self.phrases.sort(key=attrgetter("start"))
        return self.phrases

    def verbs_after_counts(self) -> None:
        """"Х-59 — 1, уничтожена", "Х-22 — 8, не сбивались": in a list of weapons, a verb right
        after a type's count and a comma, with no number of its own, says what became of all of
        them (none, when it is denied)."""
        text = self.doc.text
        for counted in [p for p in self.phrases if p.rule == "head_dash_number"]:
            sentence = counted.sentence
            hits = sentence.hits
            i = None if counted.anchor is None else self.doc.hit_place(sentence, counted.anchor)
            if i is None or i + 1 >= len(hits) or not _COMMA_GAP.fullmatch(text, hits[i].end, hits[i + 1].start):
                continue
            denied = hits[i + 1].kind == "negation"
            verb = i + 2 if denied else i + 1
            if verb >= len(hits) or hits[verb].kind != "destroyed" or (denied and not _spaces_only(self.doc, hits[i + 1], hits[verb])):
                continue
            # the clause ends at the first stop after the verb (past the sentence's end: after all its hits)
            clause_end = _next_stop(self.doc, sentence, hits[verb].end)
            if _numberish_before(hits, verb + 1, clause_end):
                continue  # "«Калибр» — 16, уничтожено 13": the verb has its own count
            phrase = _like(counted, hits[verb], counted.sentence, "verb_after_count", 0 if denied else counted.value)
            phrase.action, phrase.action_rule = "destroyed", "verb_after_count"
            self.add(phrase)

    def _near(self, a: Sentence, b: Sentence) -> bool:
        """Whether ``a`` is ``b`` or the sentence just before it."""
        place = self.doc.place(b)
        return a is b or (place is not None and place > 0 and self.doc.story[place - 1] is a)

    def add(self, phrase: Phrase) -> None:
        self.phrases.append(phrase)
        self.by_anchor[id(phrase.anchor)] = phrase
        self.added.add(phrase)

    def link_number(self, sentence: Sentence, hits: list[Hit], i: int) -> None:
        after = hits[i + 1].kind if i + 1 < len(hits) else None
        before = hits[i - 1].kind if i > 0 else None
        for rule, kinds_after, kinds_before in _RULES:
            if after not in kinds_after and before not in kinds_before:
                continue
            phrase = rule(self, sentence, hits, i)
            if phrase is not None:
                _approx_before(self.doc, hits, i, phrase)
                if i > 0 and hits[i - 1].kind == "all" and _spaces_only(self.doc, hits[i - 1], hits[i]):
                    phrase.all_of = True
                self.add(phrase)
                return

    def n_of_m(self, sentence: Sentence, hits: list[Hit], i: int) -> Phrase | None:
        """"14 of the 16 Shahed drones", "17 из 22 БпЛА", "28 out of 31", "44 из более 50 ракет"."""
        if i + 2 < len(hits) and hits[i + 1].kind == "partitive":
            k = _past_approx(self.doc, hits, i + 2)
            whole = self.by_anchor.get(id(hits[k])) if k < len(hits) and hits[k].kind in NUMBERISH else None
            # "The Kinzhal ... is one of six next-generation weapons": a kind named, no count of an attack
            if whole is not None and self.doc.lex.copula.search(self.doc.text, max(sentence.start, hits[i].start - 12), hits[i].start):
                whole.action, whole.action_rule = None, "copula_kind"
                return None
            if whole is not None and _spaces_only(self.doc, hits[i], hits[i + 1]):
                phrase = _like(whole, hits[i], sentence, "n_of_m")
                phrase.whole = whole
                return phrase
        return None

    def n_of_the(self, sentence: Sentence, hits: list[Hit], i: int) -> Phrase | None:
        """"552 of the drones", "two of the ballistic missiles"."""
        if i + 1 < len(hits) and hits[i + 1].kind == "partitive" and _spaces_only(self.doc, hits[i], hits[i + 1]):
            heads, _ = _collect_head(self.doc, hits, i + 1)
            if heads:
                phrase = Phrase(hits[i].key, hits[i].start, heads[-1].end, sentence, rule="n_of_the", anchor=hits[i])
                if _classify(phrase, heads):
                    phrase.heads = heads
                    return phrase
        return None

    def of_them(self, sentence: Sentence, hits: list[Hit], i: int) -> Phrase | None:
        """"57 із них" (a part of the last group), "близько 120 з них – «шахеди»" (a share)."""
        after = i + 1 < len(hits) and hits[i + 1].kind == "of_them" and _spaces_only(self.doc, hits[i], hits[i + 1])
        before = i > 0 and hits[i - 1].kind == "of_them" and (
            _spaces_only(self.doc, hits[i - 1], hits[i], 2, _STOPS_OR_COMMA)
            # "Of those, 249 were shot down": the group opens the clause, a comma after it
            or (_opens_clause(self.doc, sentence, hits[i - 1]) and _COMMA_GAP.fullmatch(self.doc.text, hits[i - 1].end, hits[i].start) is not None))
        if not (after or before):
            return None
        nxt_hit = hits[i + 1] if i + 1 < len(hits) else None
        if before and nxt_hit is not None and nxt_hit.kind in {"person", "unit", "killed", "injured"}:
            return None  # "среди них двое детей"
        if after and self._counts_people(hits, i):
            return None  # "кількість поранених зросла до 20, серед них троє дітей"
        source = self.previous(hits[i].start)
        if (source is None or not self._near(source.sentence, sentence)) and isinstance(hits[i].key, int) and hits[i].key > 1:
            source = self._named_group(sentence, hits[i].start)  # not "one of them hit": one of how many is not told
        if source is None:
            return None
        if before and source.sentence is not sentence:
            source = self._whole_of_parts(source)
        phrase = _like(source, hits[i], sentence, "of_them")
        if source.rule == "named_group":
            phrase.referent = None  # a group named with no count is no phrase to keep or drop
        gap = self.doc.text[source.end : hits[i - 1].start]
        if before and "," in gap and len(_WORDS.findall(gap)) <= 2 and source.sentence is sentence:
            phrase.source = source  # "297 drones, of which 274 were shot down": 297 is the whole
        nxt = hits[i + 2] if after and i + 2 < len(hits) else None
        if nxt is not None and nxt.kind in {"model", "decoy"} and _spaces_only(self.doc, hits[i + 1], nxt, 2):
            phrase.share, phrase.rule = True, "share"
            phrase.model = nxt.key if nxt.kind == "model" else "decoy"
            phrase.kind = catalogue().get(phrase.model).counts_as or "other"
            phrase.end = nxt.end
        elif after:
            phrase.end = hits[i + 1].end
        return phrase

    def _named_group(self, sentence: Sentence, position: int) -> Phrase | None:
        """The weapons "з них" counts a part of when no count of them stands before it: the last
        weapon word of its sentence or the one before ("масовано атакувала Дніпропетровщину
        безпілотниками. ... оборонці неба збили 37 з них": 37 drones)."""
        place = self.doc.place(sentence)
        before = [self.doc.story[place - 1]] if place else []
        for candidate in [sentence, *before]:
            words = [h for h in candidate.hits if h.kind in _GROUP_WORDS and h.start < position]
            if words:
                group = Phrase(None, words[-1].start, words[-1].end, candidate, rule="named_group", anchor=words[-1])
                return group if _classify(group, [words[-1]]) and group.kind in ("drones", "missiles") else None
        return None

    def _whole_of_parts(self, last: Phrase) -> Phrase:
        """The group an "Of those, N ..." opening a sentence counts: the last phrase before it, or
        the combined figure of that phrase's sentence its parts add up to ("537 aerial weapons in
        all, 477 drones and decoys and 60 missiles among them. Of those, 249 were shot down": the 537)."""
        found = [p for p in self.phrases if p.sentence is last.sentence and p.start <= last.start and not p.share]
        for k, whole in enumerate(found):
            parts = found[k + 1 :]
            if whole.kind == "combined" and isinstance(whole.value, int) and parts and all(
                    p.kind in ("drones", "missiles") and isinstance(p.value, int) for p in parts):
                if sum(p.value for p in parts if isinstance(p.value, int)) == whole.value:
                    return whole
        return last

    @staticmethod
    def _counts_people(hits: list[Hit], i: int) -> bool:
        """Whether the number hits[i] counts people: it follows a casualty word or a toll
        ("зросла до 20"), or its "of them" goes on to people ("20, серед них троє дітей")."""
        if i > 0 and hits[i - 1].kind in {"toll", "killed", "injured"}:
            return True
        return i + 3 < len(hits) and hits[i + 3].kind in {"person", "person_one"} and hits[i + 2].kind in {"number", "both"}

    def head_dash_number(self, sentence: Sentence, hits: list[Hit], i: int) -> Phrase | None:
        """"рекордним числом безпілотників – 267": the weapons named right before a dash."""
        if i == 0 or hits[i].kind != "number" or hits[i - 1].kind not in _DASH_HEADS:
            return None
        if not _DASH_GAP.fullmatch(self.doc.text[hits[i - 1].end : hits[i].start]):
            return None
        nxt = hits[i + 1] if i + 1 < len(hits) else None
        if nxt is not None and nxt.kind in _TOLL_HEADS and _spaces_only(self.doc, hits[i], nxt):
            return None  # "атакував Одещину безпілотниками: двоє загиблих": the number counts the dead
        phrase = Phrase(hits[i].key, hits[i].start, hits[i].end, sentence, rule="head_dash_number", anchor=hits[i])
        return phrase if _classify(phrase, [hits[i - 1]]) else None

    def destroyed_in_brackets(self, sentence: Sentence, hits: list[Hit], i: int) -> Phrase | None:
        """"Х-22 – 12 (0)", "Х-59 – 1 (1)": in a list of weapons, the number in brackets after a
        type's count is how many of them were destroyed (the Air Force's 2022-2023 posts)."""
        counted = self.by_anchor.get(id(hits[i - 1]))
        if counted is None or counted.rule != "head_dash_number" or hits[i].kind != "number":
            return None
        text = self.doc.text
        if not _PAREN_OPEN.fullmatch(text, hits[i - 1].end, hits[i].start) or not _PAREN_CLOSE.match(text, hits[i].end):
            return None
        phrase = _like(counted, hits[i], sentence, "destroyed_in_brackets")
        phrase.action, phrase.action_rule = "destroyed", "number_in_brackets"
        return phrase

    def bare_number(self, sentence: Sentence, hits: list[Hit], i: int) -> Phrase | None:
        """A number beside a verb, counting the weapons just named: "збили 57", "another two disappeared"."""
        nxt = hits[i + 1] if i + 1 < len(hits) else None
        prev = hits[i - 1] if i > 0 else None
        # "shot down all 31": the verb before the "all" of the number
        every = prev is not None and prev.kind == "all" and i > 1 and _spaces_only(self.doc, prev, hits[i])
        if every:
            prev = hits[i - 2]
        # "69 had been neutralised": up to two auxiliary words before the verb
        verb_after = nxt is not None and nxt.kind in ACTIONS and _spaces_only(self.doc, hits[i], nxt, 2)
        verb_before = prev is not None and prev.kind in ACTIONS and _spaces_only(self.doc, prev, hits[i - every], 1)
        if verb_before and prev is not None and self.doc.lex.contrast.search(self.doc.text, prev.end, hits[i].start):
            verb_before = False  # "one of which was intercepted, while eight Tu-22M3 bombers": another clause
        verb = nxt if verb_after else prev if verb_before else None  # the verb beside it, not a farther one
        if verb is None or hits[i].kind == "article":
            return None
        if nxt is not None and nxt.kind in {"unit", "location", "person"} and _spaces_only(self.doc, hits[i], nxt, 1):
            return None
        source = self.previous(hits[i].start, sentence)
        if source is None:  # "... 40 of which were downed. Another eight were lost."
            source = self.previous(hits[i].start)
            lead = len(_WORDS.findall(self.doc.text[sentence.start : hits[i].start]))
            before_verb = len(_WORDS.findall(self.doc.text[sentence.start : prev.start])) if verb_before and prev is not None else lead
            # "Another eight were lost"; "Станом на 09:00 збито/подавлено 333", "By 08:30, air defence had
            # shot down or suppressed 69": the verb opens the sentence
            opening = (verb_after and lead <= 1) or (verb_before and before_verb <= 6 and self._verb_opens(sentence, hits, i - every))
            if source is None or not self._near(source.sentence, sentence) or not opening:
                return None
        phrase = _like(source, hits[i], sentence, "bare_number")
        if nxt is not None and hundreds_before(self.doc, hits, i + 1) is hits[i]:  # "сбиты триста сорок пять"
            phrase.value, phrase.end = hits[i].key + nxt.key, nxt.end
        named = self._named_before(sentence, hits, i)
        if named is not None:  # "из ракет удалось уничтожить только девять": the class named there
            phrase.kind, phrase.model, phrase.weapon_class, phrase.group, phrase.generic = (
                named.kind, named.model, named.weapon_class, named.group, named.generic)
        phrase.action = verb.kind
        if every:
            phrase.start = hits[i - 1].start  # link_number marks it all_of
        return phrase

    def _verb_opens(self, sentence: Sentence, hits: list[Hit], i: int) -> bool:
        """Whether the verb before hits[i] is the sentence's first word of substance (only a time
        or date may stand before it, the forces as its subject: "ВСУ сбили 60", or a group word
        opening the sentence: "Of these, air defence intercepted 138")."""
        return all(h.kind in {"number", "ua_weapon"} or (h.kind == "of_them" and _opens_clause(self.doc, sentence, h))
                   for h in hits[: i - 1] if h.start >= sentence.start)

    def _named_before(self, sentence: Sentence, hits: list[Hit], i: int) -> Phrase | None:
        """The weapons of an "of <weapons>" (no number) earlier in the number's clause."""
        j = _last_named(self.doc, sentence, i)
        if j is None:
            return None
        heads, _ = _collect_head(self.doc, hits, j - 1)
        phrase = Phrase(None, hits[j].start, hits[j].end, sentence)
        return phrase if heads and _classify(phrase, heads) else None

    def _wholes_joined(self, hits: list[Hit], k: int, whole: Phrase) -> None:
        """"36 missiles and 186 drones out of the 67 missiles and 194 attack drones Russia fired":
        the phrases joined to a whole after "of" by "and" or a comma are wholes too."""
        for j in range(k + 1, len(hits)):
            joined = self.by_anchor.get(id(hits[j]))
            if joined is None:
                continue
            if joined.start < whole.end or not _joined(self.doc, self.doc.text[whole.end : joined.start]):
                return
            joined.action, joined.action_rule = "launched", "whole_after_of"
            whole = joined

    def link_wholes(self, sentence: Sentence, hits: list[Hit], partitives: list[int]) -> None:
        """"15 «шахедов» из 20": a phrase followed by "of" and a bare number names the whole;
        "з 104 дронів збили 57": a phrase right after "of" is the whole that was launched.
        ``partitives``: the indices of the sentence's "of" hits."""
        for i in partitives:
            if i + 1 == len(hits):
                continue
            hit = hits[i]
            k = _past_approx(self.doc, hits, i + 1)  # "из более 50": the whole's number
            if k == len(hits):
                continue
            whole = self.by_anchor.get(id(hits[k]))
            # "the price of an air defence missile": one weapon named after "of" is no whole launched
            if whole is not None and hits[k].kind != "article" and _spaces_only(self.doc, hit, hits[i + 1]):
                if i == 0 or hits[i - 1].kind not in NUMBERISH:
                    whole.action, whole.action_rule = "launched", "whole_after_of"
                    part = self.previous(hit.start, sentence)
                    if part is not None and part.end <= hit.start and not self.doc.text[part.end : hit.start].strip():
                        self._wholes_joined(hits, k, whole)  # "186 drones out of the 67 missiles and 194 drones"
            if hits[k].kind not in NUMBERISH or id(hits[k]) in self.by_anchor:
                continue
            if not _spaces_only(self.doc, hit, hits[i + 1]):
                continue
            part = self.previous(hit.start, sentence)
            if not self._ends_phrase(sentence, hits, k):
                continue
            if part is not None and part.end <= hit.start and _spaces_only(self.doc, _end_hit(part), hit, 1):
                whole = _like(part, hits[k], sentence, "of_whole")
                _approx_before(self.doc, hits, k, whole)
                part.whole = whole
                self.add(whole)


    def _ends_phrase(self, sentence: Sentence, hits: list[Hit], i: int) -> bool:
        """Nothing but punctuation (or a weapon noun) follows the number: "из 139." but not "з 11 бомбардувальників"."""
        nxt = hits[i + 1] if i + 1 < len(hits) else None
        if nxt is not None and nxt.kind in {"drone", "missile", "model", "decoy", "class"}:
            return True
        tail = self.doc.text[hits[i].end : sentence.end]
        stop = _PHRASE_STOP.search(tail)
        return not _WORDS.search(tail[: stop.start() if stop else len(tail)])


_NAMED = {"missile", "drone", "model", "class", "decoy"}  # what an "of <weapons>" names


class _Clauses:
    """One sentence's clause stops (``_CLAUSE_STOP``) and the places of its "of <weapons>" (the
    weapon hits right after a partitive), listed once a sentence: every number of a long sentence
    looks back for them, which a walk back through the text would make quadratic in its length."""

    __slots__ = ("stops", "named", "ends", "ordered")

    def __init__(self, doc: Document, sentence: Sentence):
        hits = sentence.hits
        self.stops = [m.start() for m in _CLAUSE_STOP.finditer(doc.text, sentence.start, sentence.end)]
        self.named = [j for j in range(1, len(hits)) if hits[j - 1].kind == "partitive" and hits[j].kind in _NAMED]
        self.ends = [hit.end for hit in hits]
        # hits do not overlap, so their ends rise as their starts do (else the look back walks)
        self.ordered = all(a <= b for a, b in zip(self.ends, self.ends[1:]))


def _clauses(doc: Document, sentence: Sentence) -> _Clauses:
    found = doc.memo.setdefault("_link_clauses", {})
    clauses = found.get(id(sentence))
    if clauses is None:
        clauses = found[id(sentence)] = _Clauses(doc, sentence)
    return clauses


def _next_stop(doc: Document, sentence: Sentence, position: int) -> int:
    """Where the first clause stop at or after ``position`` stands (the sentence's end when none)."""
    stops = _clauses(doc, sentence).stops
    k = bisect_left(stops, position)
    return stops[k] if k < len(stops) else sentence.end


def _numberish_before(hits: list[Hit], first: int, end: int) -> bool:
    """Whether a number hit from hits[first] on starts before ``end``."""
    for k in range(first, len(hits)):
        if hits[k].start >= end:
            return False
        if hits[k].kind in NUMBERISH:
            return True
    return False


def _last_named(doc: Document, sentence: Sentence, i: int) -> int | None:
    """The place of the weapons of the last "of <weapons>" before hits[i] in its clause (no clause
    stop between their end and the number), None when there is none."""
    clauses = _clauses(doc, sentence)
    hits = sentence.hits
    k = bisect_left(clauses.stops, hits[i].start)
    last_stop = clauses.stops[k - 1] if k else -1  # a stop in [hits[j].end, hits[i].start) closes the clause
    if not clauses.ordered:
        for j in range(i - 1, 0, -1):
            if hits[j].end <= last_stop:
                return None
            if hits[j - 1].kind == "partitive" and hits[j].kind in _NAMED:
                return j
        return None
    named = clauses.named
    k = bisect_left(named, i)
    if k == 0:
        return None
    closed = bisect_right(clauses.ends, last_stop) - 1  # the last hit ending before the stop
    return named[k - 1] if named[k - 1] > closed else None


def _end_hit(phrase: Phrase) -> Hit:
    return Hit("end", None, phrase.end, phrase.end)



# The words that name a group of weapons "з них" can count a part of
_GROUP_WORDS = {"drone", "missile", "model", "class"}

# The words after a number that make it a count of people, not of the weapons named before it
_TOLL_HEADS = {"killed", "injured", "person", "person_one"}

# The rules of link_number in order, each with the kinds of the hit after the number and of the hit
# before it of which one must be there for the rule to apply (its first test). Plain functions, not
# bound methods kept on the linker: a linker holding its own methods is a reference cycle, which
# kept every report's document and phrases alive until the garbage collector ran (~40 us a report).
_RULES = (
    (_Linker.n_of_m, _PARTITIVE, ()),
    (_Linker.n_of_the, _PARTITIVE, ()),
    (_Linker.of_them, _OF_THEM, _OF_THEM),
    (_Linker.head_dash_number, (), _DASH_HEADS),
    (_Linker.destroyed_in_brackets, (), {"number"}),
    (_Linker.bare_number, ACTIONS, ACTIONS | {"all"}),  # "shot down all 31"
)

def link_phrases(doc: Document, phrases: list[Phrase], story: Story | None = None) -> list[Phrase]:
    """``phrases`` plus the phrases found by following "of", "of them" and bare numbers.
    ``story``: the story's hits indexed, as find_phrases has them (built here when not given)."""
    linked = _Linker(doc, phrases).run(story or Story(doc))
    _shares_among(doc, linked)
    return linked


def _shares_among(doc: Document, phrases: list[Phrase]) -> None:
    """"Two Kinzhal missiles were among the weapons fired": a figure tied by a linking verb to a
    subset cue after it is a share of a group, never the attack's total."""
    links = None
    cues: dict[int, list[int]] = {}  # per sentence, where its subset cues start, in order
    for phrase in phrases:
        if "subset" not in phrase.sentence.flags:
            continue
        starts = cues.get(id(phrase.sentence))
        if starts is None:
            starts = cues[id(phrase.sentence)] = sorted(a for a, _ in phrase.sentence.flags["subset"])
        k = bisect_left(starts, phrase.end)
        if k == len(starts):
            continue
        if links is None:  # read once a report, and only when a subset cue is there
            links = {w.lower() for w in doc.lex.data["share_link"]}
        if _linking_words_only(doc.text, phrase.end, starts[k], links):
            phrase.share = True


def _linking_words_only(text: str, start: int, end: int, links: set[str]) -> bool:
    """Whether ``text[start:end]`` holds words, all of them ``links``, and no stop; read word by
    word up to the first other word (a long gap is given up on at its first word)."""
    words = False
    for word in _WORDS.finditer(text, start, end):
        if word.group().lower() not in links:
            return False
        words = True
    return words and not _LINK_STOP.search(text, start, end)

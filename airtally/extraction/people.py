"""Casualties: people killed and injured by the attack.

A killed/injured word takes the nearest count beside it ("23 individuals were injured",
"killing 25 people", "об одном погибшем и семи пострадавших"). A total for the whole attack wins;
otherwise per-place figures are summed (the largest per place). "No casualties" gives 0 only
when it speaks of the whole attack, not of one city or region, and never beside people the report
counts as killed or injured elsewhere.

>>> from airtally.extraction.document import Document
>>> doc = Document("Zelensky said 23 people were injured in the attack.", "en")
>>> casualties(doc, set(), lambda s: True)["injured"].value
23
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from operator import attrgetter

from airtally.catalog.weapons import catalogue
from airtally.extraction.counts import Value, add_values
from airtally.extraction.document import Document, Sentence, SentenceTest
from airtally.extraction.lexicon import Hit

COUNTS = {"number", "both", "article", "person_one", "number_about"}
_WORDS = re.compile(r"\w+")
_STOPS = re.compile(r"[.;:!?]")
_AGE = re.compile(r"\d-$")
_YEAR_BEFORE = re.compile(r"\d,?\s+$")
_CLAUSE_CUT = re.compile(r"[,;:]")
_ZERO = {"zero_killed": ("killed",), "zero_injured": ("injured",), "zero_both": ("killed", "injured")}
_WORD_KINDS = {"killed", "injured", *_ZERO}
_NEXT_FIGURE = {"toll", *_WORD_KINDS}  # where a "more of the same" count can no longer follow
_KIND = attrgetter("kind")
_SPEECH_DASH = re.compile(r",\s+[–—-]\s+\w")  # ", – сказав він": the author's words in a line of direct speech
_VAGUE_AT_LEAST = 20  # the least a vague count of tens ("десятки", "dozens") can mean
_AGE_LIST = re.compile(r"\s+\d{1,3}(?:(?:\s*,\s*|\s+\w{1,3}\s+)\d{1,3})*")  # "32, 36 and 56", "14 і 16"


@dataclass
class Casualty:
    value: Value
    start: int
    end: int
    place: str | None
    national: bool
    headline: bool
    rule: str
    spans: list[tuple[int, int]] = field(default_factory=list)
    zero_of: tuple[str, ...] = ()  # for "no casualties": the kinds its words deny
    item: int | None = None  # the line of the list item it stands in, if any
    part: bool = False  # the count of those hospitalised, told before any count of the injured


def _gap_words(doc: Document, a: int, b: int) -> int | None:
    """The number of words between ``a`` and ``b``, None when a stop stands between them."""
    # searched in place (pos, endpos): neither pattern looks around, so it reads as the slice would
    if _STOPS.search(doc.text, a, b):
        return None
    return len(_WORDS.findall(doc.text, a, b))


def _apposition(doc: Document, sentence: Sentence, a: int, b: int) -> tuple[int, int]:
    """The span of a ", including an 8-year-old," or ", a 14-year-old girl among them," between
    ``a`` and ``b`` ((b, b) when none): it describes the people counted before it, so its words and
    counts stand aside. So does one made only of the people it names (", a man and a woman,")."""
    for start, end in sentence.flags.get("subset", []):
        opening, closing = doc.text.rfind(",", a, start), doc.text.find(",", end, b)
        if a <= start < b and opening >= 0 and closing >= 0 and (
                not doc.text[opening + 1 : start].strip() or not doc.text[end:closing].strip()):
            return opening, closing
    return _persons_named(doc, sentence, a, b)


def _persons_named(doc: Document, sentence: Sentence, a: int, b: int) -> tuple[int, int]:
    """The span of ", a man and a woman," between ``a`` and ``b`` ((b, b) when none): two commas
    around nothing but person nouns, their articles and ages, and conjunctions."""
    opening = doc.text.find(",", a, b)
    closing = doc.text.find(",", opening + 1, b) if opening >= 0 else -1
    if closing < 0:
        return b, b
    inside = [h for h in sentence.hits if opening < h.start and h.end <= closing]
    if not any(h.kind in {"person", "person_one"} for h in inside):
        return b, b
    rest = doc.text[opening + 1 : closing]
    for h in sorted(inside, key=attrgetter("start"), reverse=True):
        if h.kind in {"article", "person", "person_one"} or _age(doc, h):
            rest = rest[: h.start - opening - 1] + " " + rest[h.end - opening - 1 :]
    # what is left of a hyphenated age ("14-year-old" less its unit) starts with a digit or a hyphen
    words = rest.split()
    if all(doc.lex.conjunction.fullmatch(w) or w[0].isdigit() or w[0] == "-" for w in words):
        return opening, closing
    return b, b


def _ages(doc: Document, a: int, b: int) -> tuple[int, int]:
    """The span of the last "aged 32, 36 and 56" (the lexicon's ``age_word`` and the numbers
    listed after it) between ``a`` and ``b``; (b, b) when none."""
    last = None
    for last in doc.lex.age_word.finditer(doc.text, a, b):
        pass
    if last is None:
        return b, b
    listed = _AGE_LIST.match(doc.text, last.end(), b)
    return (last.start(), listed.end()) if listed else (b, b)


def _apposition_words(doc: Document, sentence: Sentence, a: int, b: int) -> int:
    opening, closing = _apposition(doc, sentence, a, b)
    return len(_WORDS.findall(doc.text, opening, closing))


def _count_near(doc: Document, sentence: Sentence, i: int, used: set[int]) -> tuple[Hit, Value] | None:
    """The count beside the casualty word hits[i]: before it (4 words) or after it (2 words)."""
    hits = sentence.hits
    updated = _toll_count(doc, hits, i, used)
    if updated is not None:
        return updated
    options = []
    aside = _apposition(doc, sentence, sentence.start, hits[i].start)
    ages = _ages(doc, sentence.start, hits[i].start)
    for j in range(i - 1, -1, -1):
        if aside[0] <= hits[j].start < aside[1]:
            continue  # "шестеро людей, у тому числі 8-річна дитина, дістали поранення"
        if ages[0] <= hits[j].start < ages[1]:
            continue  # "three women aged 32, 36 and 56 were injured": ages count no one
        if hits[j].kind == "partitive" and _of_persons(doc, hits, j, i):
            continue  # "Three of its employees were killed": a count of the people named after it
        if hits[j].kind in {"killed", "injured", "partitive", "of_them"}:
            break  # "Two of the injured were children": a part of a count given elsewhere
        if hits[j].kind in COUNTS and id(hits[j]) not in used:
            if _date_day(sentence, hits[j]):
                break  # "on March 21, injuring people": a day of the month counts no one
            if hits[j].kind == "number_about" and _CLAUSE_CUT.search(doc.text, hits[j].end, hits[i].start):
                break  # "Сбито больше сотни, пострадали четыре области": another clause's count
            if not _counts_people(doc, hits, j):
                # look past "a child" ("Six people, including a child, were injured"), past the
                # age of "a seven-year-old boy" and past the noun a number counts ("одна людина");
                # any other count in between stops the search
                if hits[j].kind in {"article", "person_one"} or (j > 0 and hits[j - 1].kind == "article"):
                    continue
                break
            people = hits[j].kind == "article" or (j + 1 < len(hits) and hits[j + 1].kind in {"person", "person_one"})
            words = _gap_words(doc, hits[j].end, hits[i].start)
            if words is not None:
                words -= _apposition_words(doc, sentence, hits[j].end, hits[i].start)
                words -= len(_WORDS.findall(doc.text, max(ages[0], hits[j].end), ages[1])) if ages[0] >= hits[j].end else 0
            if words is not None and words <= (6 if people else 4):
                options.append((words, j))
            break
    # "Найстаршій загиблій – 95", "the oldest victim was 95": after an age word the number is an age
    aged = doc.lex.age_word.search(doc.text, max(sentence.start, hits[i].start - 30), hits[i].start)
    reach = -1 if aged and not doc.text[aged.end() : hits[i].start].strip() else 2
    for j in range(i + 1, len(hits)):
        if hits[j].kind in COUNTS and id(hits[j]) not in used:
            if _date_day(sentence, hits[j]):
                break
            words = _gap_words(doc, hits[i].end, hits[j].start)
            if words is not None:  # "погибли по меньшей мере пять человек": a bound is the count's own words
                words -= sum(len(_WORDS.findall(doc.text, h.start, h.end)) for h in hits[i + 1 : j] if h.kind == "approx")
            if _part_of_before(doc, hits, j):
                break  # "16 were wounded, nine of whom were taken to hospital": a part, not the count
            if _counts_next_word(doc, hits, j):
                break  # "двоє загиблих і троє постраждалих": the three are the injured word's
            # "ранен ее 70-летний муж": a relative may stand a possessive and an age further away
            if words is not None and words <= reach + (hits[j].kind == "person_one"):
                options.append((words if reach == 2 else 0, j))
            break
        if hits[j].kind == "toll":
            reach = 7  # "кількість загиблих у Києві зросла до 25"
            continue
        if hits[j].kind not in {"approx", "all", "region"} and not _age(doc, hits[j]):
            break
    if len(options) > 1:
        options.sort(key=lambda o: (not _owns(doc, hits, o[1], i), o[0]))
    for _, j in options:
        if _counts_people(doc, hits, j):
            approx = hits[j - 1].key if j > 0 and hits[j - 1].kind == "approx" else None
            if hits[j].kind == "person_one":
                last, persons = _persons_joined(doc, hits, j, 1 if j > i else -1)
                if persons > 1:
                    return hits[last], persons
            if hits[j].kind == "article" and j < i:
                first, persons = _articles_joined(doc, hits, j)
                if persons > 1:
                    return hits[first], persons
            if j > i and not approx and (hits[j].kind == "article" or (hits[j].kind == "number" and isinstance(hits[j].key, int))):
                last, persons = _articles_after(doc, hits, j)
                if last != j:
                    return hits[last], persons
            if hits[j].kind == "number" and j < i and not approx and isinstance(hits[j].key, int):
                # "A 68-year-old man and three women were injured": the one person before adds one
                first, persons = _articles_joined(doc, hits, j)
                if persons > 1:
                    return hits[first], hits[j].key + persons - 1
            value = hits[j].key
            if hits[j].kind == "number_about" and not approx:
                approx = "about"  # "почти сотня травмирована", "около десятка раненых": approximate by nature
            return hits[j], ({approx: value} if approx else value)
    return None


def _of_persons(doc: Document, hits: list[Hit], j: int, i: int) -> bool:
    """Whether the partitive hits[j] is followed by a person noun (a possessive between at most)
    before the casualty word hits[i]: "three of its employees", "трое из ее сотрудников"."""
    k = j + 1
    return k < i and hits[k].kind == "person" and _gap_words(doc, hits[j].end, hits[k].start) in (0, 1)


def _persons_joined(doc: Document, hits: list[Hit], j: int, step: int) -> tuple[int, int]:
    """"загинули 70-річний чоловік і 58-річна жінка", "погибли девочка и женщина": one person
    noun joined to the next by a conjunction (an age between them at most) counts one more each;
    so does one joined by a comma in a list a conjunction closes ("погибли женщина, ее дочь и
    сестра"). Returns the index of the last noun so joined (walking by ``step``) and how many they are."""
    links: list[tuple[int, bool]] = []  # the nouns joined, each with whether a conjunction joined it
    k = j
    while 0 <= k + step < len(hits):
        nxt = k + step
        while 0 <= nxt + step < len(hits) and hits[nxt].kind != "person_one" and _age(doc, hits[nxt]):
            nxt += step  # the age of the next person ("і 58-річна жінка")
        if hits[nxt].kind != "person_one":
            break
        a, b = (hits[k].end, hits[nxt].start) if step > 0 else (hits[nxt].end, hits[k].start)
        gap = doc.text[a:b]
        words = gap.replace(",", " ").split()
        if 1 <= len(words) <= 2 and doc.lex.conjunction.fullmatch(words[0]):
            links.append((nxt, True))
        elif gap.lstrip().startswith(",") and len(words) <= 1:
            links.append((nxt, False))  # ", ее дочь": a list item, if a conjunction closes the list
        else:
            break
        k = nxt
        if _word_beside(doc, hits, k, step):
            links.pop()  # "загинула жінка і чоловік поранений": each noun is its own word's
            break
    if step > 0:
        while links and not links[-1][1]:
            links.pop()  # "погиб мужчина, женщина ранена": no list
    elif links and not links[0][1]:
        links = []
    return (links[-1][0] if links else j), 1 + len(links)


def _word_beside(doc: Document, hits: list[Hit], k: int, step: int = 1, reach: int = 0) -> bool:
    """Whether a casualty word follows (``step`` 1) or precedes (-1) the person noun hits[k] in
    its clause, ``reach`` words between at most ("і чоловік поранений", "загинула жінка і ...", "a
    woman was injured"): the noun is that word's ("сестра супруга погибшей" is no such word)."""
    n = k + step
    if not 0 <= n < len(hits) or hits[n].kind not in {"killed", "injured"}:
        return False
    gap = doc.text[hits[k].end : hits[n].start] if step > 0 else doc.text[hits[n].end : hits[k].start]
    return len(gap.split()) <= reach and not _CLAUSE_CUT.search(gap)  # "жінка, постраждали також": another clause


def _articles_after(doc: Document, hits: list[Hit], j: int) -> tuple[int, int]:
    """"killing a 41-year-old woman and a 10-year-old boy", "named the dead as two women, aged 26
    and 50, and a 62-year-old man": the one person of the article (or the count of the number)
    hits[j], after the casualty word, with the one-person phrases joined to it by a conjunction
    after it, counts one more each. Returns the index of the last article so joined and how many
    people they are (hits[j]'s own count when none is joined)."""
    count = 1 if hits[j].kind == "article" else hits[j].key
    k = _person_after(hits, j)
    last = j
    while k is not None:
        m = next((x for x in range(k + 1, len(hits)) if hits[x].kind == "article"), None)
        if m is None or not _one_person(doc, hits, m):
            break
        lo, hi = _ages(doc, hits[k].end, hits[m].start)  # ", aged 26 and 50,"
        if any(not lo <= hits[x].start < hi for x in range(k + 1, m)):
            break
        words = (doc.text[hits[k].end : lo] + " " + doc.text[hi : hits[m].start]).replace(",", " ").split()
        if len(words) != 1 or not doc.lex.conjunction.fullmatch(words[0]):
            break
        k = _person_after(hits, m)
        if k is None or _word_beside(doc, hits, k, reach=1):
            break  # "killed a man, and a woman was injured": the woman is the next word's
        count, last = count + 1, m
    return last, count


def _person_after(hits: list[Hit], j: int) -> int | None:
    """The index of the person noun of the count hits[j] ("a 62-year-old man"), None when none."""
    for k in range(j + 1, min(j + 4, len(hits))):
        if hits[k].kind == "person":
            return k
        if hits[k].kind not in {"number", "unit"}:
            return None
    return None


def _articles_joined(doc: Document, hits: list[Hit], j: int) -> tuple[int, int]:
    """"a 51-year-old woman and a 60-year-old man were injured": the one person of the article
    (or the count of the number) hits[j], with the one-person phrases joined to it by a conjunction
    before it, counts one more each. Returns the index of the first article so joined and how many
    phrases they are."""
    count, k = 1, j
    while k >= 2:
        noun = k - 1
        if hits[noun].kind != "person":
            break
        words = doc.text[hits[noun].end : hits[k].start].split()
        if len(words) != 1 or not doc.lex.conjunction.fullmatch(words[0]):
            break
        article = noun - 1
        while article > 0 and hits[article].kind in {"number", "unit"}:
            article -= 1  # the age of "a 51-year-old woman"
        if hits[article].kind != "article" or not _one_person(doc, hits, article):
            break
        count, k = count + 1, article
    return k, count


def _date_day(sentence: Sentence, hit: Hit) -> bool:
    """Whether the number is the day of a date, right after or before a month ("March 21", "21 березня")."""
    return any(0 <= hit.start - b <= 1 or 0 <= a - hit.end <= 1 for a, b in sentence.flags.get("month", ()))


def _part_of_before(doc: Document, hits: list[Hit], j: int) -> bool:
    """Whether the count hits[j] is followed at once by "of whom" / "з них" / "из которых"."""
    nxt = hits[j + 1] if j + 1 < len(hits) else None
    return nxt is not None and nxt.kind in {"of_them", "partitive"} and _gap_words(doc, hits[j].end, nxt.start) == 0


def _one_told(doc: Document, hit: Hit) -> tuple[Hit, Value] | None:
    """"є загиблий", "есть пострадавший": a singular casualty word told to be there (the lexicon's
    ``one_casualty``, ending at the word) is one person; None otherwise."""
    told = doc.lex.one_casualty.search(doc.text, max(0, hit.start - 8), hit.end)
    return (hit, 1) if told is not None and told.end() == hit.end else None


def _counts_next_word(doc: Document, hits: list[Hit], j: int) -> bool:
    """Whether the count hits[j] stands right before a casualty word of its own ("і троє
    постраждалих", "and 3 injured"): it is that word's count, not the word's before it. A comma
    between them parts them ("kills 2, wounds 7")."""
    nxt = hits[j + 1] if j + 1 < len(hits) else None
    return nxt is not None and nxt.kind in {"killed", "injured"} and not doc.text[hits[j].end : nxt.start].strip()


def _toll_count(doc: Document, hits: list[Hit], i: int, used: set[int]) -> tuple[Hit, Value] | None:
    """"The death toll from Thursday's attack on Kyiv rose to 31": the count right after "rose to"
    is the updated figure of the casualty word before it, however many words lie between."""
    for j in range(i + 1, len(hits) - 1):
        if hits[j].kind in {"killed", "injured"}:
            return None
        if hits[j].kind != "toll":
            continue
        words = _gap_words(doc, hits[i].end, hits[j].start)
        k = j + 2 if hits[j + 1].kind == "approx" and j + 2 < len(hits) else j + 1
        count = hits[k]
        if words is None or words > 15 or count.kind not in COUNTS or id(count) in used:
            return None
        if (_gap_words(doc, hits[j].end, count.start) or 0) > 1 or not _counts_people(doc, hits, k):
            return None
        return count, ({hits[k - 1].key: count.key} if k == j + 2 else count.key)
    return None


def _age(doc: Document, hit: Hit) -> bool:
    """"загинув 54-річний чоловік", "погибла 62-летняя женщина": an age written as digits joined
    to its unit stands between the casualty word and the one person it counts."""
    return hit.kind == "unit" and _AGE.search(doc.text[max(0, hit.start - 4) : hit.start]) is not None


def _owns(doc: Document, hits: list[Hit], j: int, i: int) -> bool:
    """"3 people were killed and 12 injured": a count before the word, tied to it by a person noun
    and no conjunction, is its own even when another count stands closer after it."""
    if j > i:
        return False
    gap = doc.text[hits[j].end : hits[i].start]
    person = any(h.kind in {"person", "person_one"} for h in hits[j + 1 : i])
    return person and not doc.lex.conjunction.search(gap)


def _one_person(doc: Document, hits: list[Hit], j: int) -> bool:
    """"a man", "a 46-year-old woman", "a seven-year-old boy": an article and a person noun,
    with at most an age between them."""
    for k in range(j + 1, min(j + 4, len(hits))):
        if hits[k].kind == "person":
            return len(doc.text[hits[j].end : hits[k].start].split()) <= 2
        if hits[k].kind not in {"number", "unit"}:
            return False
    return False


def _counts_people(doc: Document, hits: list[Hit], j: int) -> bool:
    if hits[j].kind == "article":
        # "Six people, including a child": the article is part of a count of people given before it
        counted = any(h.kind in {"number", "both"} and k + 1 < len(hits) and hits[k + 1].kind in {"person", "person_one"}
                      for k, h in enumerate(hits[:j]))
        return _one_person(doc, hits, j) and not counted
    if hits[j].kind == "person_one":  # "погиб мужчина": one, unless a number counts the noun
        return not (j > 0 and hits[j - 1].kind in {"number", "both"})
    if 1900 <= hits[j].key <= 2100 and _YEAR_BEFORE.search(doc.text[max(0, hits[j].start - 6) : hits[j].start]):
        return False  # the year of a date: "September 20, 2025"
    nxt = hits[j + 1] if j + 1 < len(hits) else None
    # "12 drones", "5 locations": a count of what is named right after it
    if nxt is not None and nxt.kind in {"unit", "drone", "missile", "model", "class", "combined", "location"}:
        return (_gap_words(doc, hits[j].end, nxt.start) or 0) > 1
    return True


def _place(sentence: Sentence, position: int | None = None) -> str | None:
    """The place a casualty figure at ``position`` belongs to: the last region named before it in
    its sentence ("На Волыни ранены два человека, в Ивано-Франковской области - три"), else the
    sentence's first."""
    if not sentence.regions:
        return None
    before = [code for code, start, _ in sentence.regions if position is not None and start < position]
    return before[-1] if before else sentence.regions[0][0]


def _paragraph_place(doc: Document, sentence: Sentence) -> str | None:
    """The one region the sentences before it in its paragraph name, for a figure whose sentence
    names none, past the story's opening ("В Днепровском районе столицы обломки упали во двор.
    Погиб один человек": Kyiv's dead, not the whole attack's); None when they name none or several."""
    if sentence.has("national") or sentence.line in {s.line for s in doc.opening}:
        return None
    codes = {code for s in doc.on_line(sentence.line) if s.start < sentence.start for code, _, _ in s.regions}
    return codes.pop() if len(codes) == 1 else None


def _national(doc: Document, sentence: Sentence, zero: bool, whole_text_regional: bool,
              attack_place: str | None = None) -> bool:
    """Whether the figure of ``sentence`` is the whole attack's. ``attack_place``: the one oblast a
    report of one place's attack names as attacked; a zero told of it is the attack's."""
    if sentence.has("national"):
        return True
    if sentence.bullet and not _direct_speech(doc, sentence):
        return False  # a list item of casualties is one of the places the list goes through
    whole = zero and not sentence.regions and doc.lex.zero_whole.search(doc.text, sentence.start, sentence.end)
    if zero and not sentence.regions and not whole and _of_one_place(doc, sentence):
        return False  # "Уламки впали на території громади. Ніхто не постраждав": the community's
    named = {code for code, _, _ in sentence.regions}
    if zero and attack_place is not None and named <= {attack_place} and not _local_words(doc, sentence):
        # "Харків обстріляли ракетами ... Попередньо, постраждалих немає, - написав голова ХОВА",
        # "У Києві обійшлося без загиблих" in a report of the strike on Kyiv: the attack's own zero
        scope = list(doc.on_line(sentence.line)) if not named else [sentence]
        if {code for s in scope for code, _, _ in s.regions} <= {attack_place}:
            return True
    if whole_text_regional:  # a regional report's own words, unless they name a narrower place
        return not (zero and sentence.regions)
    if whole:
        return True  # "No one was killed in the attack": the whole attack's, whatever its paragraph names
    # a zero speaks of the place its paragraph names, unless its own sentence names one
    # ("In the Dnipropetrovsk region, ... no casualties" beside Kharkiv's dead is Dnipropetrovsk's)
    scope = list(doc.on_line(sentence.line)) if zero and not sentence.regions else [sentence]
    if any(s.has("regional_source") for s in scope):
        return False
    codes = {code for s in scope for code, _, _ in s.regions}
    return len(codes) != 1


def _direct_speech(doc: Document, sentence: Sentence) -> bool:
    """Whether the dash line of ``sentence`` is direct speech, not a list item: the author's words
    break into it after a comma and a dash ("– В області працювали сили ППО, – сказав він. –")."""
    line = doc.on_line(sentence.line)
    return _SPEECH_DASH.search(doc.text, line[0].start, line[-1].end) is not None


def _of_one_place(doc: Document, sentence: Sentence) -> bool:
    """Whether a zero naming no region speaks of one place or incident (the lexicon's ``zero_local``:
    a settlement, a fall of debris, one drone) by its own words or, when it opens no paragraph of
    its own, by the sentence it follows: "В станице ... пострадала крыша. Ни в одном из этих случаев
    люди не пострадали", "Від безпілотника ніхто не постраждав". A sentence with a launch verb tells
    the attack itself, its place the attack's ("ударил беспилотниками по окраине Сумской общины.
    Обошлось без жертв"), unless it tells a fall of debris ("debris ... started a fire")."""
    if _local_words(doc, sentence):
        return True
    place = doc.place(sentence)
    if not place:
        return False
    before = doc.story[place - 1]
    # a bare "No casualties were reported." line goes on from the sentence before it
    alone = len(doc.on_line(sentence.line)) == 1
    if (before.line == sentence.line or alone) and _local_words(doc, before):
        return True
    # a paragraph that opens with a fall of debris tells of that place ("В Голосеевском районе
    # обломки ... попали в корпус котельной. По данным пабликов, ... . Пострадавших нет")
    opening = doc.on_line(sentence.line)[0]
    return opening is not sentence and opening is not before and _local_words(doc, opening)


def _local_words(doc: Document, sentence: Sentence) -> bool:
    """Whether the sentence holds a ``zero_local`` word and tells no launch but a fall of debris."""
    kinds = {h.kind for h in sentence.hits}
    return (doc.lex.zero_local.search(doc.text, sentence.start, sentence.end) is not None
            and ("launched" not in kinds or "debris" in kinds))


def _own_place(doc: Document, sentence: Sentence, start: int, end: int) -> bool:
    """"На Волыни ранены два человека, в Ивано-Франковской области - три": one region named in the
    figure's own clause makes it that region's, however many the sentence names."""
    return _clause_place(doc, sentence, start, end) is not None


def _clause_place(doc: Document, sentence: Sentence, start: int, end: int) -> str | None:
    """The one region named in the clause of the figure at [start, end), or None (none or several)."""
    if sentence.has("national") or not sentence.regions:
        return None
    hi = _clause_end(doc, sentence, end)
    named = [(code, a) for code, a, _ in sentence.regions if a < hi]
    if not named:
        return None  # no region before the clause's end: no need to find where the clause starts
    lo = _clause_start(doc, sentence, start)
    codes = {code for code, a in named if lo <= a}
    return codes.pop() if len(codes) == 1 else None


def _clause_start(doc: Document, sentence: Sentence, start: int) -> int:
    """Back from ``start`` to just after the last comma, semicolon, colon or conjunction."""
    before = doc.text[sentence.start : start]
    cut = max(before.rfind(","), before.rfind(";"), before.rfind(":")) + 1  # 0 when none
    # only a conjunction after the cut can move the start (a conjunction is a word: none spans the
    # punctuation); its lookbehind still sees the punctuation before ``cut``, as in the whole text
    joints = [m.end() for m in doc.lex.conjunction.finditer(before, cut)]
    return sentence.start + max([cut, *joints])


def _clause_end(doc: Document, sentence: Sentence, end: int) -> int:
    """Forward from ``end`` to the clause's end or the next count ("injured in Kyiv Oblast and
    one more in Odesa")."""
    stop = _CLAUSE_CUT.search(doc.text, end, sentence.end)
    hi = stop.start() if stop else sentence.end
    joint = doc.lex.conjunction.search(doc.text, end, hi)
    return min([hi, joint.start() if joint else hi] + [h.start for h in sentence.hits if h.start >= end and h.kind in COUNTS])


def _found(doc: Document, sentence: Sentence, words: list[int], skip: set[int],
           regional_report: bool, attack_place: str | None = None) -> list[tuple[str, Casualty]]:
    """The figures the casualty words ``words`` (indices into ``sentence.hits``) give."""
    found = []
    used = set(skip)
    for i in words:
        hit = sentence.hits[i]
        if hit.kind in _ZERO:
            if doc.lex.no_information.search(doc.text, max(sentence.start, hit.start - 40), hit.start):
                continue  # "Відомостей про постраждалих немає": no news of the hurt, no zero
            national = _national(doc, sentence, True, regional_report, attack_place)
            # "обійшлося без жертв, постраждалим надають допомогу": a kind its sentence tells of is not denied
            told = {h.kind for h in sentence.hits if h.kind in {"killed", "injured"} and not _listed(doc, sentence, h)}
            denied = tuple(name for name in _ZERO[hit.kind] if name not in told) if len(_ZERO[hit.kind]) > 1 else _ZERO[hit.kind]
            for name in denied:
                found.append((name, Casualty(0, hit.start, hit.end, _place(sentence), national, sentence.headline,
                                             "no_casualties", zero_of=denied)))
        else:
            near = _count_near(doc, sentence, i, used) or _one_told(doc, hit)
            if near is None:
                vague = _vague_count(doc, sentence, i)
                if vague is not None:  # "dozens more injured": the toll is told, its number not known
                    start, end = min(vague[0], hit.start), max(vague[1], hit.end)
                    # of the whole attack only where its sentence names no place: "the main targets were
                    # Kyiv and Kharkiv, ... dozens injured" is the toll of the places named, summed
                    place, national = _whose(doc, sentence, start, end, regional_report)
                    national = national and not sentence.regions
                    found.append((hit.kind, Casualty(None, start, end, place, national, sentence.headline, "vague_count")))
                continue
            count, value = near
            used.add(id(count))
            start, end = min(count.start, hit.start), max(count.end, hit.end)
            place, national = _whose(doc, sentence, start, end, regional_report)
            if place is None and not national and not sentence.bullet:
                place = attack_place  # a mayor's "Уже три человека погибли" in a report of one place's attack
            if value == 0 and national and not sentence.regions:  # "in none of these cases were people hurt"
                national = not _of_one_place(doc, sentence)
            found.append((hit.kind, Casualty(value, start, end, place, national, sentence.headline, "count_beside_word",
                                             item=sentence.line if sentence.bullet else None)))
    return found + _more_of_same(doc, sentence, found, used, _cue_start(sentence))


def _listed(doc: Document, sentence: Sentence, hit: Hit) -> bool:
    """Whether the casualty word is an item of a list joined by a disjunction ("no casualties,
    injuries or destruction", "без жертв или пострадавших"): the word right before or after it is one."""
    before = doc.text[sentence.start : hit.start].split()[-1:]
    after = doc.text[hit.end : sentence.end].split()[:1]
    return any(doc.lex.disjunction.fullmatch(w.strip(",;:.")) for w in before + after)


def _whose(doc: Document, sentence: Sentence, start: int, end: int, regional_report: bool) -> tuple[str | None, bool]:
    """The place of the figure at [start, end) and whether it is the whole attack's."""
    own = _clause_place(doc, sentence, start, end)
    national = _national(doc, sentence, False, regional_report) and own is None
    # "погибли три человека в Днепре, еще один погиб в Харькове": each clause's own region
    place = own or _place(sentence, start)
    if place is None and national and not regional_report:
        place = _paragraph_place(doc, sentence)
        national = place is None
    return place, national


def _vague_count(doc: Document, sentence: Sentence, i: int) -> tuple[int, int] | None:
    """The span of a vague count of people beside the casualty word hits[i] ("dozens more
    injured", "injuring dozens", "десятки людей постраждали"): before it in its clause with no
    count between (seven words at most), or right after it (two words at most); None when none."""
    hit = sentence.hits[i]
    pattern = doc.lex.vague_count
    after = pattern.search(doc.text, hit.end, min(sentence.end, hit.end + 40))
    # "есть погибшие, пострадали десятки человек": a vague count after another casualty word is that word's
    between = after is not None and any(hit.end <= h.start < after.start() and h.kind in _WORD_KINDS for h in sentence.hits)
    if after is not None and not between and len(_WORDS.findall(doc.text, hit.end, after.start())) <= 2:
        # "есть погибшие и десятки пострадавших": a vague count before the next casualty word is its
        nxt = next((h for h in sentence.hits if h.start >= after.end()), None)
        if nxt is None or nxt.kind not in _WORD_KINDS or len(_WORDS.findall(doc.text, after.end(), nxt.start)) > 2:
            return after.span()
    lo = _clause_start(doc, sentence, hit.start)
    before = None
    for before in pattern.finditer(doc.text, lo, hit.start):
        pass
    if before is None or len(_WORDS.findall(doc.text, before.end(), hit.start)) > 7:
        return None
    if any(before.end() <= h.start < hit.start and h.kind in COUNTS for h in sentence.hits):
        return None
    return before.span()


def _cue_start(sentence: Sentence) -> int | None:
    """Where the sentence's first "in a separate incident", "since February" cue starts (None when
    it has none): nothing after such a cue is the attack's."""
    cues = [a for a, _ in sentence.flags.get("cumulative", []) + sentence.flags.get("distractor", [])]
    return min(cues) if cues else None


def _casualty_words(sentence: Sentence) -> list[int]:
    """The indices of the sentence's killed, injured and "no casualties" hits that come before
    its first hit at or after a cue (``_cue_start``)."""
    hits = sentence.hits
    cue = _cue_start(sentence)
    if cue is not None:
        hits = hits[: next((i for i, h in enumerate(hits) if h.start >= cue), len(hits))]
    return [i for i, hit in enumerate(hits) if hit.kind in _WORD_KINDS]


def _more_of_same(doc: Document, sentence: Sentence, found: list[tuple[str, Casualty]], used: set[int],
                  cue: int | None) -> list[tuple[str, Casualty]]:
    """"Двоє людей постраждали на Київщині, на Одещині - ще одна людина", "two injured in Kyiv
    Oblast and one more in Odesa Oblast": a count with "more" or "and", no casualty word of its own and
    another place in its own clause adds to the figure before it, as that place's figure."""
    extra: list[tuple[str, Casualty]] = []
    for name, casualty in [(n, c) for n, c in found if c.rule == "count_beside_word"]:
        hits = [h for h in sentence.hits if h.start >= casualty.end and (cue is None or h.start < cue)]
        for j, hit in enumerate(hits):
            if hit.kind in _NEXT_FIGURE:
                break
            if hit.kind not in COUNTS or id(hit) in used or not _counts_people(doc, hits, j):
                continue
            before, after = _more_words(doc)
            lead = doc.text[max(0, hit.start - 8) : hit.start]
            joined = [m for m in doc.lex.conjunction.finditer(lead)]  # "... in Kyiv Oblast and three in Odesa Oblast"
            said = before.search(lead) or after.match(doc.text, hit.end) or (joined and not lead[joined[-1].end() :].strip())
            if not said:
                continue
            follower = next((h for h in hits[j + 1 :] if h.kind != "person"), None)
            place = _place(sentence, hit.end + 40) if _own_place(doc, sentence, hit.start, hit.end) else None
            if place not in (None, casualty.place) and (follower is None or follower.kind not in {"killed", "injured", "toll"}):
                used.add(id(hit))
                extra.append((name, Casualty(hit.key, hit.start, hit.end, place, False, sentence.headline, "more_of_same")))
    return extra


def _more_words(doc: Document) -> tuple[re.Pattern, re.Pattern]:
    """"ще", "еще" just before a count, "more" just after it (the lexicon's ``more`` words)."""
    cache = doc.lex.memo.setdefault("_people_more", {})
    if not cache:
        words = "|".join(doc.lex.data["more"])
        cache["re"] = (re.compile(rf"(?<!\w)(?:{words})\s+$", re.IGNORECASE),
                       re.compile(rf"\s+(?:{words})(?!\w)", re.IGNORECASE))
    return cache["re"]


def hit_kinds(doc: Document) -> list[set[str]]:
    """The kinds of the hits of each sentence of ``doc.story``, in its order."""
    return [set(map(_KIND, sentence.hits)) for sentence in doc.story]


def _choose(items: list[Casualty]) -> Casualty | None:
    if any(not c.part and c.value for c in items):
        items = [c for c in items if not c.part]  # those hospitalised are some of the injured counted
    # "dozens more injured" for the whole attack: the places' counts are parts of a toll not known
    vague = any(c.value is None and c.national for c in items)
    items = [c for c in items if c.value is not None]
    if not items:
        return None
    national = [c for c in items if c.national]
    if vague:
        # every vague count is a plural of tens or more ("десятки", "dozens", "hundreds"): at least
        # 20, so a smaller count of the whole is an earlier or partial one ("пострадали десятки людей"
        # in the updated lead, "известно о 6 раненых" further on)
        national = [c for c in national if _num(c.value) >= _VAGUE_AT_LEAST]
    summed = None if vague else _sum_places(items)
    best = _best_national(national)
    if best is not None and isinstance(best.value, dict) and summed is not None and isinstance(summed.value, int):
        if summed.value >= _num(best.value) and "max" not in best.value:
            return summed  # "at least four killed" and 3 + 1 by place: the exact sum
    return best or summed


def _best_national(national: list[Casualty]) -> Casualty | None:
    if national:
        exact = [c for c in national if isinstance(c.value, int)]
        pool = [c for c in exact if not c.headline] or exact or [c for c in national if not c.headline] or national
        return max(pool, key=lambda c: _num(c.value))
    return None


def _sum_places(items: list[Casualty]) -> Casualty | None:
    regional = [c for c in items if not c.national and c.value != 0]
    if any(not c.headline for c in regional):
        regional = [c for c in regional if not c.headline]
    if not regional:
        return None
    # the items of a list of districts or communities ("– Харьков, Киевский район: ранены два
    # человека; – Чугуевский район: пострадала женщина") are places of their own within one region,
    # unless the prose gives that region's figure too ("killing one in Zaporizhzhia" and the item
    # "- In Zaporizhzhia, ... one person had been killed" are one place)
    in_prose = {c.place for c in regional if c.item is None}
    by_place: dict[tuple, Casualty] = {}
    for c in regional:
        key = (c.place, None if c.place in in_prose else c.item)
        held = by_place.get(key)
        # the larger figure of a place; of two as large, the exact one ("как минимум четыре" and "четыре")
        if held is None or _num(c.value) > _num(held.value) or (
                _num(c.value) == _num(held.value) and isinstance(c.value, int) and not isinstance(held.value, int)):
            by_place[key] = c
    parts = list(by_place.values())
    total = add_values([c.value for c in parts])
    return Casualty(total, parts[0].start, parts[0].end, None, False, False, "sum_of_places",
                    [(c.start, c.end) for c in parts])


def _num(value: Value) -> int:
    """The number of the figure a casualty word gives, exact or not. Only a sum over places can have
    none (bounds of different kinds do not add up), and no sum is ranked."""
    if value is None:
        raise ValueError("a figure with no number cannot be ranked")
    return value if isinstance(value, int) else next(iter(value.values()))


def casualties(doc: Document, skip: set[int], usable: SentenceTest, regional_report: bool = False,
               kinds: list[set[str]] | None = None, every: dict[str, list[Casualty]] | None = None,
               attack_place: str | None = None) -> dict[str, Casualty | None]:
    """The killed and injured figures (``usable(sentence)`` says which sentences speak of the attack).

    In a regional report ("regional_report") the region is the whole: its statements, zeros
    included, are the report's totals. ``kinds``, when given, holds the kinds of each story
    sentence's hits (``hit_kinds``), worked out once for every part of the record. ``every``, when
    given, receives every figure found for each name, the chosen one among them (its rivals).
    ``attack_place``: the one oblast a report of one place's attack names as attacked (its zeros
    are the attack's).
    """
    found: dict[str, list[Casualty]] = {"killed": [], "injured": []}
    for sentence, held in zip(doc.story, kinds or hit_kinds(doc)):
        # the cheap test first: most sentences hold no casualty word, and then no figure
        if held.isdisjoint(_WORD_KINDS) or glide_bombs(sentence, held) or _day_tally(doc, sentence):
            # no casualty word; or the dead of a glide-bomb strike, or a day's toll of all attacks
            # ("over the past 24 hours"), which are no part of the attack
            continue
        words = _casualty_words(sentence)
        if words and usable(sentence):
            # "Трьох постраждалих госпіталізували" after the injured were counted (or told of, in
            # the same sentence: "ранения получили около дюжины человек; четверых госпитализировали"): a part
            hospitalised = _hospitalised(doc, sentence)
            told = _told_before(sentence, hospitalised) if hospitalised and not found["injured"] else []
            counted = hospitalised if found["injured"] else []
            for name, casualty in _found(doc, sentence, words, skip, regional_report, attack_place):
                hurt = name == "injured" and casualty.value != 0
                if hurt and (_in_clause_of(doc, casualty, counted) or _counted_by(casualty, told)):
                    continue
                # "двох постраждалих у важкому стані госпіталізували" before any count of the injured:
                # a part, kept only while no other count of them is told
                casualty.part = hurt and _in_clause_of(doc, casualty, hospitalised)
                found[name].append(casualty)
    for sentence in recaps_of_the_attack(doc, usable):
        words = _casualty_words(sentence)
        if words and not glide_bombs(sentence):
            for name, casualty in _found(doc, sentence, words, skip, regional_report, attack_place):
                found[name].append(casualty)
    _local_zeros(found)
    if every is not None:
        every.update(found)
    return {name: _choose(items) for name, items in found.items()}


def recaps_of_the_attack(doc: Document, usable: SentenceTest) -> list[Sentence]:
    """The sentences of the recap lines ("Напомним, в Киеве в результате массированного удара погиб
    один человек") that speak of this attack: the line names no date but the night's ("у ніч на 19
    листопада"), no cue of another time ("накануне"), no region the story does not name, and every
    sentence of it is the attack's (``usable``): "Нагадаємо, 9 жовтня ...; тоді загинули дев'ятеро",
    "Напомним, накануне ... Трое военных погибли" and a day's shelling of another region are not."""
    lines: dict[int, list[Sentence]] = {}
    for sentence in doc.recaps():
        lines.setdefault(sentence.line, []).append(sentence)
    if not lines:
        return []
    named = {code for s in doc.story if usable(s) for code, _, _ in s.regions}
    found = []
    for line in lines.values():
        dated = any((s.has("month") and not s.has("night_of")) or s.has("distractor") or s.has("cumulative") for s in line)
        elsewhere = any(code not in named for s in line for code, _, _ in s.regions)
        if not dated and not elsewhere and all(map(usable, line)):
            found.extend(line)
    return found


def _hospitalised(doc: Document, sentence: Sentence) -> list[tuple[int, int]]:
    """The spans of the sentence's words for people taken to hospital ("госпіталізували")."""
    return [m.span() for m in doc.lex.hospitalised.finditer(doc.text, sentence.start, sentence.end)]


def _told_before(sentence: Sentence, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The hospitalised words' spans that come after an injured word of their sentence which is
    not itself one of them."""
    told = [h.start for h in sentence.hits if h.kind == "injured" and not any(a <= h.start < b for a, b in spans)]
    return [(a, b) for a, b in spans if told and told[0] < a]


def _counted_by(casualty: Casualty, spans: list[tuple[int, int]]) -> bool:
    """Whether the casualty's figure is the count of one of the words at ``spans`` (its span holds one)."""
    return any(casualty.start <= a and b <= casualty.end for a, b in spans)


def _in_clause_of(doc: Document, casualty: Casualty, spans: list[tuple[int, int]]) -> bool:
    """Whether the casualty's count stands in the clause of one of ``spans``: "Трьох постраждалих
    госпіталізували" is a part, "постраждалих уже четверо: трьох госпіталізували" keeps its four."""
    for start, end in spans:
        a, b = (casualty.end, start) if casualty.end <= start else (end, casualty.start)
        if not _CLAUSE_CUT.search(doc.text, a, max(a, b)):
            return True
    return False


def _day_tally(doc: Document, sentence: Sentence) -> bool:
    """Whether the sentence tells a day's toll ("killed two over the previous 24 hours", "за минулу
    добу ... загинули троє"): the lexicon's ``day_tally``."""
    return doc.lex.day_tally.search(doc.text, sentence.start, sentence.end) is not None


def glide_bombs(sentence: Sentence, held: set[str] | None = None) -> bool:
    """Whether the sentence names glide bombs ("guided aerial bombs", "КАБ"); ``held``: the kinds
    of its hits, when already known."""
    held = held if held is not None else {h.kind for h in sentence.hits}
    if "glide_bomb" in held:
        return True
    get = catalogue().get
    return "model" in held and any(h.kind == "model" and get(h.key).weapon_class == "glide_bomb" for h in sentence.hits)


def _local_zeros(found: dict[str, list[Casualty]]) -> None:
    """A "no one was hurt" beside people hurt elsewhere in the report cannot speak of the whole
    attack ("two people were injured ... No one was hurt there"): it is one place's, and a zero
    for a kind it denies (killed, here) is then not stated for the whole."""
    stated = {name for name, items in found.items() if any(c.value != 0 for c in items)}
    for items in found.values():
        for casualty in items:
            if casualty.zero_of and casualty.national and stated.intersection(casualty.zero_of):
                casualty.national = False

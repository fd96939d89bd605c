"""The extraction pipeline: text and publication time in, ``Extraction`` out. Pure: no I/O.

Steps: cut the text into sentences (document), find quantity phrases (phrases, links), give
each its verb (actions), decide who attacked whom, keep the sentences about the main attack,
choose the totals (totals, derived), then period, casualties, claims, regions, weapons.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from operator import itemgetter

from airtally.clock import KYIV, parse_published
from airtally.errors import InvalidValue
from airtally.extraction.actions import assign_actions, clause_of
from airtally.extraction.confidence import Collector, Reading, collect
from airtally.extraction.derived import derive
from airtally.extraction.dates import dates_in, find_period, night_dates_in, resolve_parts
from airtally.extraction.document import Document, Sentence, SentenceTest
from airtally.extraction.language import identify_language, language_name
from airtally.extraction.lexicon import LANGUAGES, is_language
from airtally.extraction.output import attack_place, attacked_regions, build, casualty_candidates, scope
from airtally.extraction.phrases import Phrase, find_phrases
from airtally.extraction.totals import choose_totals, stated_totals
from airtally.model import Extraction, ExtractionWarning


def _is_ua(phrase: Phrase, cues: dict[tuple[int, str], _Cues]) -> bool:
    """Whether the phrase counts Ukrainian weapons: its own words say so ("86 Ukrainian drones"),
    or the nearest direction cue of its sentence is a Ukrainian-attack one ("Moscow mayor"; of
    two as near, the Ukrainian-attack one). ``cues``: each sentence's cues of each side, indexed
    as first asked for."""
    if phrase.ua:
        phrase.side = "UA"
        return True
    flags = phrase.sentence.flags
    if "ua_attacker" not in flags and "ru_attacker" not in flags:  # the usual sentence: no cue
        phrase.side = None
        return False
    distances = []
    for name in ("ua_attacker", "ru_attacker"):
        side = cues.get((id(phrase.sentence), name))
        if side is None:
            side = cues[(id(phrase.sentence), name)] = _Cues(flags.get(name, []))
        distances.append(side.distance(phrase.start, phrase.end))
    ua, ru = distances
    phrase.side = None if ua is None and ru is None else "UA" if ru is None or (ua is not None and ua <= ru) else "RU"
    return phrase.side == "UA"


class _Cues:
    """One sentence's direction cues of one side, for the distance from a phrase to the nearest:
    from a cue's end when it ends before the phrase, else from the phrase's end to the cue's start
    (0 when they overlap). By their ends, with the least start of those ending after each place."""

    __slots__ = ("ends", "least_start")

    def __init__(self, spans: list[tuple[int, int]]):
        ordered = sorted(spans, key=itemgetter(1))
        self.ends = [b for _, b in ordered]
        self.least_start = [a for a, _ in ordered]
        for k in range(len(ordered) - 2, -1, -1):
            self.least_start[k] = min(self.least_start[k], self.least_start[k + 1])

    def distance(self, start: int, end: int) -> int | None:
        """The distance to the nearest cue (None when there is none)."""
        k = bisect_right(self.ends, start)  # the cues before k end at or before the phrase's start
        before = start - self.ends[k - 1] if k else None
        after = max(0, self.least_start[k] - end) if k < len(self.ends) else None
        if before is None or (after is not None and after < before):
            return after
        return before


def _split_totals(phrases: list[Phrase]) -> None:
    """"знешкодили 266 дронів: 139 з них збито, ще 127 локаційно втрачені": the 266 merges the
    destroyed and the lost the text then gives apart, so it is neither."""
    parts_of: dict[int, list[Phrase]] | None = None
    for whole in phrases:
        if whole.action != "destroyed" or not isinstance(whole.value, int):
            continue
        if parts_of is None:
            parts_of = _parts_by_whole(phrases)
        parts = parts_of.get(id(whole), [])
        actions = {p.action for p in parts}
        if {"destroyed", "lost"} <= actions and sum(p.value or 0 for p in parts) == whole.value:
            whole.action, whole.action_rule = "neutralised", "split_into_destroyed_and_lost"


def _parts_by_whole(phrases: list[Phrase]) -> dict[int, list[Phrase]]:
    """The phrases counting part of each phrase (keyed by its id): its own parts and theirs."""
    parts: dict[int, list[Phrase]] = {}
    for phrase in phrases:
        group = phrase.referent
        if group is None:
            continue
        parts.setdefault(id(group), []).append(phrase)
        if group.referent is not None and group.referent is not group:
            parts.setdefault(id(group.referent), []).append(phrase)
    return parts


def attacker(doc: Document, phrases: list[Phrase]) -> str:
    """"UA" when the figures are mostly about Ukrainian weapons over Russia, else "RU"."""
    counted = [p for p in phrases if p.action and p.kind != "other" and not p.implicit]
    cues: dict[tuple[int, str], _Cues] = {}
    for phrase in phrases:
        phrase.ua = _is_ua(phrase, cues)
    ua = sum(1 for p in counted if p.ua)
    # the opening speaks of the main attack: a Ukrainian-attack cue there weighs for UA, a Russian-attack
    # cue alone ("по данным Воздушных сил") weighs for RU; Russia's forces named as the strikers
    # ("Вооруженные силы России нанесли удар", ``ru_strike``) weigh for RU whoever tells it
    lead = sum(-2 if s.has("ru_strike") else 2 if s.has("ua_attacker") else -2 if s.has("ru_attacker") else 0
               for s in doc.story[:2])
    score = ua - (len(counted) - ua) + lead
    if score == 0 and not counted:
        # neither the figures nor the opening tell (a strike told without figures, "В РФ заявили об
        # ударе дрона ..."): the sentences that name one side only, a place in Ukraine naming Russia's
        # a strike told in a place of Russia and none of Ukraine ("атаковал нефтебазу в Белгороде",
        # "attacked an oil refinery in Tatarstan") weighs for UA as the place in Ukraine weighs for RU
        ua_side = sum(1 for s in doc.story if (s.has("ua_attacker") or s.has("foreign_place") and not s.regions)
                      and not s.has("ru_attacker"))
        ru_side = sum(1 for s in doc.story if s.has("ru_strike") or (s.has("ru_attacker") or s.regions) and not s.has("ua_attacker"))
        score = ua_side - ru_side
    return "UA" if score > 0 else "RU"


def statistics_only(doc: Document, today: dt.date | None = None) -> bool:
    """A text whose opening speaks of a month or week ("in August", "за тиждень") and of no
    particular night is statistics: only sentences naming a night or a weekday can hold attack
    figures. An opening that dates its attack to the report's day or the day before ("on the
    morning of Oct. 10, ... the first such attack on Kyiv since June 26"; "Early on Monday morning
    (August 26, 2024) ..., the largest since the war began in February 2022") tells of that attack,
    whatever it compares it with."""
    opening = [s for s in doc.story[:3] if s.headline or not s.bullet][:2]
    return any(s.has("cumulative") for s in opening) and not any(
        s.has("overnight") or s.has("night_of") or _dated_to(doc, s, today) for s in opening)


def _dated_to(doc: Document, sentence: Sentence, today: dt.date | None) -> bool:
    """Whether the sentence names the report's day or the day before by its date."""
    if today is None or not sentence.has("month"):
        return False
    return any(resolve_parts(parts, today) in (today, today - dt.timedelta(days=1)) for parts in dates_in(doc, sentence))


def _about_main_attack(sentence: Sentence, statistics: bool) -> bool:
    if sentence.has("cumulative") or sentence.has("distractor"):
        return False
    return not statistics or _names_night(sentence)


def _names_night(sentence: Sentence) -> bool:
    """Whether the sentence names a night, or the report's day ("Удар був і сьогодні: понад 240
    дронів" after a week's tallies): in statistics, only such a sentence speaks of a particular
    attack (a weekday does not: "an AFP analysis showed on Friday")."""
    return sentence.has("overnight") or sentence.has("night_of") or sentence.has("today")


def _phrase_about_main_attack(doc: Document, phrase: Phrase, statistics: bool) -> bool:
    """A phrase in a sentence that also speaks of a record or a month is kept when the cue comes
    after its clause: "472 drones ..., surpassing the previous record of 355 drones" keeps 472."""
    sentence = phrase.sentence
    if statistics and not _names_night(sentence):
        return False
    cues = sentence.flags.get("cumulative", []) + sentence.flags.get("distractor", [])
    if not cues:  # the usual sentence: no need for the clause
        return True
    _, hi = clause_of(doc, sentence, phrase)
    return all(start >= hi for start, _ in cues)  # a cue before the phrase or in its clause rules it out


def _other_day(doc: Document, sentence: Sentence, day: dt.date | None) -> bool:
    """A sentence dated more than a day away from the attack speaks of another attack, and so does
    one naming another night ("В ночь на 25 мая ... 69 ракет" in a report of the night on the 26th):
    a plain date may be the evening the attack began, a night's date is the day it ended."""
    if day is None:
        return False
    # "472 drones, beating its previous record, set only last week on May 26": a date after a cue of
    # another attack or a record is that one's (the phrases after the cue are dropped by position)
    cues = sentence.flags.get("distractor")
    for parts in dates_in(doc, sentence, min(start for start, _ in cues) if cues else None):
        stated = resolve_parts(parts, day)
        if stated is not None and abs((stated - day).days) > 1:
            return True
    if not sentence.has("night_of"):
        return False
    return any(stated is not None and stated != day
               for stated in (resolve_parts(parts, day) for parts in night_dates_in(doc, sentence)))


class _Verdicts(dict):
    """A verdict per sentence (keyed by the sentence itself), worked out when first asked."""

    def __init__(self, verdict: SentenceTest):
        super().__init__()
        self.verdict = verdict

    def __missing__(self, sentence: Sentence) -> bool:
        found = self[sentence] = self.verdict(sentence)
        return found


def _update_start(doc: Document) -> int | None:
    """Where the last update of a post begins: a line opening with "UPD", "Update:", "Оновлено"."""
    start = None
    for sentence in doc.story:
        for a, _ in sentence.flags.get("update", ()):
            if _opens_line(doc.text, a):
                start = a
    return start


def _opens_line(text: str, position: int) -> bool:
    """Whether nothing alphanumeric stands between the start of its line and ``position``: read
    back to the first letter or digit, not to the line's start (a text of one long line would be
    read to its start for every cue)."""
    index = position - 1
    while index >= 0 and text[index] != "\n":
        if text[index].isalnum():
            return False
        index -= 1
    return True


def _updated(doc: Document, kept: list[Phrase]) -> list[Phrase]:
    """The figures an update of the post restates replace those given before it ("at least 180
    drones downed" ... "UPD: 240 drones shot down"); the others stand."""
    cut = _update_start(doc)
    if cut is None:
        return kept
    restated = {(p.kind, p.action) for p in kept if p.start >= cut}
    return [p for p in kept if p.start >= cut or (p.kind, p.action) not in restated]


def separate_sentences(doc: Document) -> set[Sentence]:
    """The sentences about a separate attack: one with a cue ("Separately,", "a separate overnight
    attack", "отдельный удар") and the rest of its paragraph, which goes on about that attack
    ("... a separate overnight attack. During the night Russia launched 40 missiles ...")."""
    found: set[Sentence] = set()
    line = None
    for sentence in doc.story:
        if sentence.has("separate"):
            line = sentence.line
        if line is not None and sentence.line == line:
            found.add(sentence)
    return found


_WEAPON_KINDS = frozenset({"drone", "missile", "model", "class"})


def _launches(sentence: Sentence) -> bool:
    """Whether the sentence tells of a launch of weapons: a launch verb and a weapon noun."""
    kinds = {hit.kind for hit in sentence.hits}
    return "launched" in kinds and not kinds.isdisjoint(_WEAPON_KINDS)


def other_side_sentences(doc: Document, side: str) -> set[Sentence]:
    """The sentences with no side cue of their own that go on, in their paragraph, from one on the
    other side only that tells of a launch ("... росіяни атакували Україну 37 ударними дронами.
    Збито 23 безпілотники" in a report of an attack on Russia): they tell of that attack too. A
    side cue with no launch ("Пуски відбувалися з Курська", "«Искандер-М» из Воронежской области:
    из шести сбита лишь одна") may only say where the weapons came from."""
    own, other = ("ua_attacker", "ru_attacker") if side == "UA" else ("ru_attacker", "ua_attacker")
    found: set[Sentence] = set()
    line = None
    for sentence in doc.story:
        if sentence.has(own):
            line = None
        elif sentence.has(other):
            line = sentence.line if _launches(sentence) else None
        elif line is not None and sentence.line == line:
            found.add(sentence)
    return found


def _per_sentence(verdict: SentenceTest) -> SentenceTest:
    """``verdict`` worked out once per sentence (the rules ask about each sentence many times):
    a dict's own lookup, so asking again costs no Python call."""
    return _Verdicts(verdict).__getitem__


# The verdicts on sentences are objects holding what they read, not closures over extract's locals:
# compiled, the nested functions of one function share one environment object, which then holds the
# verdicts that refer to each other, and each verdict holds the environment (a reference cycle that
# kept every report's document and phrases alive until the garbage collector ran). Nothing here
# refers back to the verdict holding it.
class _SameAttack:
    """Whether a sentence is on the main attack's side and day (its record and month cues are
    checked by position)."""

    def __init__(self, doc: Document, side: str, statistics: bool, today: dt.date, day: dt.date | None,
                 separate: set[Sentence]):
        self.doc, self.side, self.statistics = doc, side, statistics
        self.today, self.day, self.separate = today, day, separate

    def __call__(self, sentence: Sentence) -> bool:
        doc, side = self.doc, self.side
        other = "ru_attacker" if side == "UA" else "ua_attacker"
        same_side = not sentence.has(other) or sentence.has("ru_attacker" if side == "RU" else "ua_attacker")
        # in a text of statistics, only a sentence about a recent night (or the report's day) can be the attack's
        night = not self.statistics or (_names_night(sentence) and not _other_day(doc, sentence, self.today))
        return same_side and night and not _other_day(doc, sentence, self.day) and sentence not in self.separate


class _Usable:
    """Whether a sentence speaks of the main attack: no cue of statistics or of another attack
    (``_about_main_attack``), and on its side and day (``same_attack``)."""

    def __init__(self, statistics: bool, same_attack: SentenceTest):
        self.statistics, self.same_attack = statistics, same_attack

    def __call__(self, sentence: Sentence) -> bool:
        return _about_main_attack(sentence, self.statistics) and self.same_attack(sentence)


def _kept(doc: Document, phrase: Phrase, side: str, statistics: bool, same_attack: SentenceTest) -> bool:
    """Whether the phrase counts the main attack's weapons: in a sentence on its side and day,
    about it, and on the attacker's side."""
    if not same_attack(phrase.sentence) or not _phrase_about_main_attack(doc, phrase, statistics):
        return False
    return phrase.side != "RU" if side == "UA" else not phrase.ua


def _with_their_groups(kept: list[Phrase]) -> list[Phrase]:
    """The parts of a dropped group go too, and the parts of those parts: "Sunday's record attack,
    in which Russia sent 267 drones. Of those, 138 were shot down and 119 were lost" drops the 267
    (an earlier attack), the 138 counted of it, and the 119 read beside the 138."""
    while True:
        ids = {id(p) for p in kept}
        left = [p for p in kept if p.referent is None or id(p.referent) in ids]
        if len(left) == len(kept):
            return kept
        kept = left


def unsupported(input_name: str, code: str | None) -> Extraction:
    """The result for a report in a language airtally does not read: that language (None when
    not known), no figures, the warning ``unsupported_language``."""
    what = f"{language_name(code)} ({code})" if code else "a language of another script"
    message = (f"the report reads as {what}; airtally reads {', '.join(LANGUAGES)} "
               "(give the language with --lang / language= to read it as one of them)")
    return Extraction(input=input_name, language=code, warnings=[ExtractionWarning(code="unsupported_language", message=message)])


def extract(
    text: object,  # object, not str: a compiled build would refuse another type before the message below
    published: dt.datetime | dt.date | str | None = None,
    language: str | None = None,
    input_name: str = "-",
) -> Extraction:
    """What ``text`` states about one attack, every figure with its evidence. A report in a
    language airtally does not read (detected when ``language`` is not given) gives no figures and
    the warning ``unsupported_language``; ``text`` must be a str (TypeError otherwise).

    >>> r = extract("Overnight Russia launched 539 drones and 11 missiles; 268 drones and two missiles "
    ...             "were shot down.", published="2025-07-04")
    >>> r.totals.all.launched, r.totals.missiles.destroyed, str(r.period.date), r.attacker
    (550, 2, '2025-07-04', 'RU')
    """
    if not isinstance(text, str):
        raise TypeError(f"extract() reads a report's text as a str, not {type(text).__name__}"
                        + (" (decode the bytes first: data.decode('utf-8'))" if isinstance(text, (bytes, bytearray)) else ""))
    when = parse_published(published)
    if language is None:
        found = identify_language(text)
        if found is None or not is_language(found):
            return unsupported(input_name, found)
        language = found
    if not is_language(language):
        raise InvalidValue(f"language {language!r} is not one of {', '.join(LANGUAGES)}")
    read = _Reading(Document(text, language), when)
    totals = choose_totals(read.doc, read.kept, read.phrases, read.side, read.period.date)
    result = build(read.doc, input_name, read.side, read.kept, totals, read.period, read.usable, read.phrases,
                   read.same_attack)
    read.release()
    return result


class _Reading:
    """A document read up to its totals: its phrases with their verbs, the attacker, the period,
    the sentence verdicts and the phrases kept as the main attack's."""

    def __init__(self, doc: Document, when: dt.datetime):
        self.doc = doc
        self.phrases = phrases = find_phrases(doc)
        assign_actions(doc, phrases)
        _split_totals(phrases)
        self.side = side = attacker(doc, phrases)
        self.period = period = find_period(doc, when)
        today = when.astimezone(KYIV).date()
        statistics = statistics_only(doc, today)
        separate = separate_sentences(doc) | other_side_sentences(doc, side)
        self.same_attack = same_attack = _per_sentence(_SameAttack(doc, side, statistics, today, period.date, separate))
        self.usable = _per_sentence(_Usable(statistics, same_attack))
        kept = _with_their_groups([p for p in phrases if _kept(doc, p, side, statistics, same_attack)])
        kept = _updated(doc, kept)
        # a regional command's or official's text that gives the whole country's figures ("выпущенных
        # по Украине") is read as national (output.scope): its places' figures are then sub-counts
        doc.memo["countrywide_figures"] = any(p.sentence.has("countrywide") for p in kept if p.action)
        stated_kinds = {p.kind for p in kept if not p.implicit}
        self.kept = [p for p in kept if not p.implicit or p.kind in stated_kinds]  # "the missile" needs a stated one

    def release(self) -> None:
        """"34 из 86": the part points at its whole, the whole at the part it was read from."""
        for phrase in self.phrases:
            phrase.whole = None


def readings(text: str, published: dt.datetime | dt.date | str | None, language: str) -> dict[str, list[Reading]]:
    """The readings that compete for each total the rules choose, with their cues (before any
    is judged): what ``scripts/fit_confidence.py`` fits the weights on."""
    if not is_language(language):
        raise InvalidValue(f"language {language!r} is not one of {', '.join(LANGUAGES)}")
    read = _Reading(Document(text, language), parse_published(published))
    doc = read.doc
    totals = stated_totals(doc, read.kept)
    day = read.period.date
    found = collect(doc, read.phrases, read.kept, totals, read.side, day)
    derive(doc, read.kept, totals)
    found.update((field, group) for field, group in collect(doc, read.phrases, read.kept, totals, read.side, day).items()
                 if field not in found)
    collector = Collector(doc, read.phrases, read.kept, read.side, day)
    regions = attacked_regions(doc, read.side, read.usable)
    place = attack_place(doc, scope(doc, read.kept, regions, read.usable), regions)
    chosen, every = casualty_candidates(doc, read.phrases, read.same_attack, scope(doc, read.kept) == "regional", None, place)
    for name, casualty in chosen.items():
        if casualty is not None and casualty.value is not None:
            found[f"casualties.{name}"] = collector.casualty_readings(name, casualty, every[name])
    read.release()
    return found

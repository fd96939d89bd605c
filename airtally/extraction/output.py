"""Assembling the ``Extraction`` record: figures, evidence spans, regions, weapons, warnings."""

from __future__ import annotations

import re

from airtally.catalog.weapons import catalogue
from airtally.extraction.dates import Period
from airtally.extraction.document import Document, Sentence, SentenceTest
from airtally.extraction.confidence import RANKED, Collector, judge_casualty
from airtally.extraction.people import Casualty, casualties, glide_bombs, hit_kinds, recaps_of_the_attack
from airtally.extraction.lexicon import Hit
from airtally.extraction.phrases import Phrase
from airtally.extraction.totals import KINDS, PARTS, Totals, is_regional
from airtally.extraction.claims import find_claims
from airtally.model import Extraction, ReportKind

ACTION_FIELD = {"launched": "launched", "destroyed": "destroyed", "lost": "lost", "hit": "hits"}

# The record is assembled as plain data (figures as ints or Approx dicts such as {"min": 200}) and
# validated into an ``Extraction`` once at the end: pydantic-core builds the nested records in one
# call, where building each record and assigning its fields in Python costs several times more.


def _evidence(doc: Document, field: str, start: int, end: int, rule: str, confidence: str = "high") -> dict:
    return {"field": field, "start": start, "end": end, "text": doc.raw[start:end], "rule": rule, "confidence": confidence}


def _span(doc: Document, spans: dict[str, list[dict]], name: str, start: int, end: int, rule: str,
          confidence: str = "high") -> dict:
    """A span of figure ``name``, held by the figure (its record's ``spans``): the span as a dict."""
    span = {"start": start, "end": end, "text": doc.raw[start:end], "rule": rule, "confidence": confidence}
    spans.setdefault(name, []).append(span)
    return span


def _flat(field: str, span: dict) -> dict:
    """An entry of the derived flat view (``Extraction.evidence``, a weapon's ``evidence``)."""
    return {"field": field, **span}


WEAPON_WORDS = {"drone", "missile", "model", "decoy"}
EVENT_VERBS = {"launched", "hit", "destroyed"}


def _attack_event(doc: Document, usable: SentenceTest) -> bool:
    """A night's attack told without figures: "its drones had struck the refinery overnight"."""
    for sentence in doc.story:
        if not (sentence.has("overnight") or sentence.has("night_of")) or not usable(sentence):
            continue
        kinds = {h.kind for h in sentence.hits}
        if kinds & WEAPON_WORDS and kinds & EVENT_VERBS and "negation" not in kinds:
            return True
    return False


STRIKE_VERBS = {"launched", "hit"}
STRIKE_OBJECTS = WEAPON_WORDS | {"combined", "class"}
TOLL_WORDS = {"killed", "injured", "zero_killed", "zero_injured", "zero_both"}
TOLL_VERBS = {"killed", "injured"}
LEAD_SENTENCES = 3  # a strike story names its strike in its headline or first sentences
FRAGMENT_WORDS = 2  # "Воронеж.", "30 июля.": a dateline cut into sentences (one more word for a date: "МОСКВА, 30 июля.")


def _lead(doc: Document) -> list[Sentence]:
    """The story's first ``LEAD_SENTENCES`` sentences, not counting the fragments of a dateline
    ("Воронеж. 30 июля. ИНТЕРФАКС - Губернатор ... сообщил, что ..."): a sentence of two words, or
    three with a month, that names no weapon and no action ("Ситуація на фронті." is a sentence)."""
    lead: list[Sentence] = []
    told = 0
    for sentence in doc.story:
        if told == LEAD_SENTENCES:
            break
        lead.append(sentence)
        if not _fragment(doc, sentence):
            told += 1
    return lead


def _fragment(doc: Document, sentence: Sentence) -> bool:
    if len(doc.text[sentence.start : sentence.end].split()) > FRAGMENT_WORDS + sentence.has("month"):
        return False
    return not any(hit.kind in STRIKE_OBJECTS or hit.kind in EVENT_VERBS for hit in sentence.hits)


def _names_strike(sentence: Sentence, kinds: set[str]) -> bool:
    """Whether a sentence of the lead names a strike: an attack verb with the place struck or the
    weapons it struck with ("Ракетами та дронами ворог бив по містах"), an attack of a night or a
    day that killed or injured, or weapons that did ("Russian drone and missile attacks killed at
    least 12 people")."""
    if kinds & STRIKE_VERBS and (sentence.regions or sentence.has("foreign_place") or kinds & STRIKE_OBJECTS):
        return True
    if kinds & STRIKE_VERBS and kinds & TOLL_VERBS and not sentence.has("cumulative"):
        # "Нічна атака Росії 22 жовтня забрала життя шести людей": an attack of a night or a day that killed
        return any(sentence.has(flag) for flag in WHEN_OR_WHERE)
    return bool(kinds & (WEAPON_WORDS | SINGLE_WORDS) and kinds & TOLL_VERBS)


def _strike_with_toll(doc: Document, usable: SentenceTest) -> bool:
    """A strike told by what it did, with no count of its weapons: "Унаслідок атаки РФ на Київ
    загинули 9 людей", "Удар по Днепру: 40 человек погибли", "РФ вдарила ракетами по Тернополю ...
    Загинули 25 людей". The lead names a strike (``_names_strike``) and a sentence of the attack
    gives its toll (not one counted since the invasion), or a recap line of this attack does
    ("Удар «Шахеда» по Харькову ... Напомним, ... В результате атаки погибла 20-летняя девушка":
    the casualties read it, ``recaps_of_the_attack``)."""
    lead = _lead(doc)
    struck = toll = False
    for sentence in doc.story:
        if not usable(sentence):
            continue
        kinds = {h.kind for h in sentence.hits}
        if not struck and sentence in lead and _names_strike(sentence, kinds):
            struck = True
        if not toll and _tells_toll(sentence, kinds):
            toll = True
        if struck and toll:
            return True
    return struck and any(_tells_toll(s, {h.kind for h in s.hits}) for s in recaps_of_the_attack(doc, usable))


def _tells_toll(sentence: Sentence, kinds: set[str]) -> bool:
    """Whether the sentence gives a toll (not one counted since the invasion)."""
    return bool(kinds & TOLL_WORDS) and not sentence.has("since_invasion")


SINGLE_WORDS = {"article", "one_implied"}  # a weapon counted one by its article or its singular ("a missile", "ракету")
WHEN_OR_WHERE = ("overnight", "night_of", "month", "weekday", "foreign_place")  # and Ukraine's regions


def _is_attack(doc: Document, phrases: list[Phrase], usable: SentenceTest) -> bool:
    acts = ("launched", "destroyed", "lost", "hit", "not_destroyed")
    counted = [p for p in phrases if p.action in acts and not p.implicit and not p.share and p.kind != "other"]
    figures = any(p.anchor is None or p.anchor.kind not in SINGLE_WORDS for p in counted) or (
        bool(counted) and _when_or_where(doc))
    return figures or _attack_event(doc, usable) or _strike_with_toll(doc, usable) or _lead_event(doc, usable)


TOLD_BY = ("attribution", "regional_official", "regional_source")
TALLY = ("cumulative", "since_invasion", "largest", "alert")


def _lead_event(doc: Document, usable: SentenceTest) -> bool:
    """A strike or an interception told in the lead with no count: "31 декабря Вооруженные силы
    России нанесли массированный удар", "ПВО сбила несколько вражеских ракет, сообщил губернатор",
    "В Севастополе ... уничтожено несколько воздушных целей". A sentence of the lead has weapons and
    an event verb and names its night, day or place in Ukraine, or who told it; not in a text that
    opens on a tally or a record ("used a record number of drones in a single month"), nor in a
    sentence of a tally or an alert ("an alert ... over a possible ballistic missile launch")."""
    if any(sentence.has(flag) for sentence in doc.story[:2] for flag in TALLY):
        return False
    for sentence in _lead(doc):
        kinds = {h.kind for h in sentence.hits}
        if not (kinds & STRIKE_OBJECTS and kinds & EVENT_VERBS) or "negation" in kinds:
            continue
        if any(sentence.has(flag) for flag in TALLY):
            continue
        told = sentence.regions or any(sentence.has(flag) for flag in WHEN_OR_WHERE + TOLD_BY)
        if told and usable(sentence):
            return True
    return False


def _when_or_where(doc: Document) -> bool:
    """Whether the text names a night, a day or a place in Ukraine: a single weapon told with
    none of them is no attack's count ("Once a Kinzhal missile is launched, people have seven
    minutes to reach a safe place", in a piece on how alerts work)."""
    return any(sentence.regions or any(sentence.has(flag) for flag in WHEN_OR_WHERE) for sentence in doc.story)


def _totals(doc: Document, totals: Totals, evidence: list[dict]) -> dict:
    record: dict[str, dict] = {"drones": {"spans": {}}, "missiles": {"spans": {}}, "all": {"spans": {}}}
    for (kind, name), figure in totals.figures.items():
        group = record[kind]
        group[name] = figure.value
        field = f"totals.{kind}.{name}"
        for phrase in figure.phrases:
            evidence.append(_flat(field, _span(doc, group["spans"], name, phrase.start, phrase.end, figure.rule, figure.confidence)))
    return record


def _weapons(doc: Document, phrases: list[Phrase], totals: Totals) -> list[dict]:
    """Figures per weapon model, each with its evidence, in the order the models are first given."""
    if all(p.model is None for p in phrases):
        return []  # no model named: no model's figure, not even a class-wide one
    # (phrase, model, field) triples, not copies of phrases: a class-wide figure is read as its only model's
    counted = [(p, p.model, ACTION_FIELD[p.action]) for p in phrases if p.model is not None and p.action in ACTION_FIELD]
    counted += [(p, model, ACTION_FIELD[p.action]) for p, model in _only_model_figures(phrases) if p.action in ACTION_FIELD]
    # a regional figure only where no other is given (whether a figure is regional does not depend
    # on its model, so the phrase's own verdict serves its class-wide reading too)
    counted.sort(key=lambda pair: is_regional(doc, pair[0]))
    found: dict[str, dict] = {}
    kinds: dict[str, str] = {}
    for phrase, model, name in counted:
        figure = found.get(model)
        if figure is None:
            weapon_class = catalogue().get(model).weapon_class
            figure = found[model] = {"model": model, "weapon_class": weapon_class, "spans": {}, "evidence": []}
            kinds[model] = phrase.kind
        if figure.get(name) is None or (phrase.share is False and isinstance(figure[name], dict)):  # an Approx
            figure[name] = {phrase.approx: phrase.value} if phrase.approx else phrase.value
            _weapon_span(doc, figure, name, phrase.start, phrase.end, phrase.rule)
    _only_missed(doc, phrases, found, kinds)
    _destroyed_of_classes(doc, found, kinds, totals)
    return list(found.values())


def _with_named_model(doc: Document, weapons: list[dict], totals: Totals) -> list[dict]:
    """``weapons`` and the model a class's figures count by ``_named_model``, when it has none."""
    counted = {weapon["model"] for weapon in weapons}
    return weapons + [figure for figure in _named_model(doc, totals) if figure["model"] not in counted]


def _named_model(doc: Document, totals: Totals) -> list[dict]:
    """The one model a class's figures count when the text names it with no number of its own
    ("россияне ударили ... крылатыми ракетами «Калибр» ... ПВО сбила 4 ракеты": four Kalibrs shot
    down): it must be the only model of its kind the story names, and every class word of that
    kind its own class ("баллистические ракеты" beside a Kalibr, a decoy beside a Shahed: the figure
    may count others). A model counted with a number takes its own figures instead."""
    named: dict[str, set[str]] = {kind: set() for kind in KINDS}
    classes: dict[str, set[str]] = {kind: set() for kind in KINDS}
    get = catalogue().get
    for sentence in doc.story:
        for hit in sentence.hits:
            if hit.kind == "model":
                weapon = get(hit.key)
                if weapon.counts_as in named:
                    named[weapon.counts_as].add(hit.key)
            elif hit.kind == "class":
                classes["missiles"].add(hit.key)
            elif hit.kind == "decoy":
                classes["drones"].add("decoy_drone")
    figures = []
    for kind in KINDS:
        if len(named[kind]) != 1:
            continue
        model = next(iter(named[kind]))
        weapon = get(model)
        if model.startswith("unknown") or not classes[kind] <= {weapon.weapon_class}:
            continue
        figure: dict = {"model": model, "weapon_class": weapon.weapon_class, "spans": {}, "evidence": []}
        for action in ("launched", "destroyed"):
            stated = totals.figures.get((kind, action))
            if stated is None or stated.value is None or not stated.phrases:
                continue
            figure[action] = stated.value
            phrase = stated.phrases[0]
            _weapon_span(doc, figure, action, phrase.start, phrase.end, "class_of_named_model")
        if figure["spans"]:
            figures.append(figure)
    return figures


def _destroyed_of_classes(doc: Document, found: dict[str, dict], kinds: dict[str, str], totals: Totals) -> None:
    """Each model's destroyed figure its class's says (``_destroyed_of_class``), told whether the
    model is the only one of its class named."""
    for model, figure in found.items():
        alone = all(kinds[other] != kinds[model] for other in found if other != model)
        _destroyed_of_class(doc, figure, kinds[model], totals, alone)


def _only_missed(doc: Document, phrases: list[Phrase], found: dict[str, dict], kinds: dict[str, str]) -> None:
    """A model told only as hitting or not shot down ("it did not shoot down two KN-23 ballistic
    missiles", "two KN-23s got through"): that many were launched and none destroyed, as the
    totals' ``hits_only`` reads a class."""
    missed: dict[str, Phrase] = {}
    for p in phrases:
        if (p.model is not None and p.action in ("hit", "not_destroyed") and isinstance(p.value, int) and p.approx is None
                and not p.share and p.rule not in PARTS):  # "Eleven of the missiles were Iskander-M": a part, not a count of its own
            missed.setdefault(p.model, p)
    for model, phrase in missed.items():
        figure = found.get(model)
        if figure is not None and any(figure.get(name) is not None for name in ("launched", "destroyed", "lost")):
            continue
        if figure is None:
            figure = found[model] = {"model": model, "weapon_class": catalogue().get(model).weapon_class, "spans": {}, "evidence": []}
            kinds[model] = phrase.kind
        for name, value in (("launched", phrase.value), ("destroyed", 0)):
            figure[name] = value
            _weapon_span(doc, figure, name, phrase.start, phrase.end, "hits_only")


def _weapon_span(doc: Document, figure: dict, name: str, start: int, end: int, rule: str) -> None:
    """A span of the weapon's figure ``name``, held by it, and its entry in the weapon's flat view."""
    span = _span(doc, figure["spans"], name, start, end, rule)
    figure["evidence"].append(_flat(f"{figure['model']}.{name}", span))


def _weapon_confidence(weapons: list[dict], totals: Totals) -> list[dict]:
    """Each weapon figure's confidence: low when it was read from the words of a low total
    ("83 Shahed drones" read for both the class and its model), else high (its spans marked so,
    and the derived ``confidence`` by figure, in the order the figures were first read)."""
    low = {(p.start, p.end) for figure in totals.figures.values() if figure.confidence == "low" for p in figure.phrases}
    for weapon in weapons:
        for spans in weapon["spans"].values():
            for span in spans:
                if (span["start"], span["end"]) in low:
                    span["confidence"] = "low"
        for item in weapon["evidence"]:
            if (item["start"], item["end"]) in low:
                item["confidence"] = "low"
        weapon["confidence"] = {name: "low" if any(s["confidence"] == "low" for s in spans) else "high"
                                for name, spans in weapon["spans"].items()}
    return weapons


def _destroyed_of_class(doc: Document, figure: dict, kind: str, totals: Totals, alone: bool = False) -> None:
    """A model's destroyed figure its class's says: none of the class destroyed ("the missiles were
    not intercepted") is none of each model, all of it ("every missile was shot down") all of each;
    and any part of it is the model's when the model is the whole class ("four Iskander-M ... Two
    of the four missiles were intercepted": the only model named, launched as many as the class)."""
    launched = figure.get("launched")
    if figure.get("destroyed") is not None or not isinstance(launched, int) or kind not in KINDS:
        return
    stated = totals.figures.get((kind, "destroyed"))
    if stated is None or not isinstance(stated.value, int) or not stated.phrases:
        return
    if stated.value == 0:
        figure["destroyed"], rule = 0, "class_none_destroyed"
    elif stated.value == totals.value(kind, "launched"):
        figure["destroyed"], rule = launched, "class_all_destroyed"
    elif alone and launched == totals.value(kind, "launched") and stated.value < launched:
        figure["destroyed"], rule = stated.value, "class_destroyed_whole_model"
    else:
        return
    phrase = stated.phrases[0]
    _weapon_span(doc, figure, "destroyed", phrase.start, phrase.end, rule)


def _only_model_figures(phrases: list[Phrase]) -> list[tuple[Phrase, str]]:
    """When a class has one model only, its class-wide figures ("both missiles were shot down")
    are that model's: each such phrase with the model it counts."""
    models: dict[str, set[str]] = {kind: set() for kind in KINDS}
    generic_launch = set()  # kinds launched in words that name no model ("launched 40 missiles")
    for p in phrases:
        if p.kind in models:
            if p.model and not p.share:
                models[p.kind].add(p.model)
            if p.generic and p.action == "launched":
                generic_launch.add(p.kind)
    extra = []
    for kind in KINDS:
        if len(models[kind]) != 1 or kind in generic_launch:
            continue
        model = models[kind].pop()
        for phrase in phrases:
            if phrase.kind == kind and phrase.generic and phrase.value is not None and not phrase.share:
                extra.append((phrase, model))
    return extra


_DATELINE_END = re.compile(r"\s*(?:\(|,|-|>>)")


def _dateline(doc: Document, sentence: Sentence, start: int, end: int) -> bool:
    """"KYIV, Oct 10 -", "Kyiv (AFP) -": where the story was filed, not a place attacked."""
    opens_line = start == sentence.start and (start == 0 or doc.text[start - 1] == "\n")
    return opens_line and bool(_DATELINE_END.match(doc.text, end))


def _regions(doc: Document, usable: SentenceTest) -> list[str]:
    codes: list[str] = []
    for sentence in doc.story:
        if not sentence.regions or "ua_attacker" in sentence.flags or glide_bombs(sentence):
            continue  # a glide-bomb strike's village is no place the attack struck
        named = [code for code, start, end in sentence.regions
                 if code not in codes and _attacked_place(doc, sentence, start, end)]
        # usable last: it is the dearest question, and most sentences name no new place
        if named and usable(sentence):
            codes.extend(dict.fromkeys(named))
    return codes


def _attacked_place(doc: Document, sentence: Sentence, start: int, end: int) -> bool:
    """Whether the region named at [start, end) is a place attacked, not the dateline, a launch
    site in brackets or a place "from" which the weapons came."""
    text = doc.text
    if start == sentence.start and _dateline(doc, sentence, start, end):
        return False
    # "(Крим)": where they were launched from (no bracket opened before it: none to count)
    opened = text.count("(", sentence.start, start)
    if opened and opened > text.count(")", sentence.start, start):
        return False
    return not doc.lex.from_place.search(text[max(sentence.start, start - 45) : start])


def _unit_follows(doc: Document, number: Hit, nxt: Hit) -> bool:
    return nxt.kind == "location" and len(doc.text[number.end : nxt.start].split()) <= 2


def _unit_elided(doc: Document, number: Hit, cue: Hit, location: int | None) -> bool:
    """"влучання на 33 локаціях, падіння уламків – на 8", "struck nine locations, and debris fell
    at three more": the second count's noun is left out. ``cue`` is the last hit or debris word
    before the count, ``location`` where the last location word before it starts (None: none)."""
    if location is None or cue.start < location:
        return False
    close = len(doc.text[cue.end : number.start].split()) <= 6
    return close and bool(doc.lex.more.match(doc.text, number.end))


_LOCATION_CUES = {"hit", "debris"}
_DASH_GAP = re.compile(r"\s*[-–—]\s*")
_VERB_GAP = re.compile(r"\s*[-–—]\s*|\s+(?:\w+\s+){0,2}")  # a dash, or up to two words (a verb)


def _debris_after(doc: Document, hits: list[Hit], i: int, gap: re.Pattern = _DASH_GAP) -> bool:
    """"еще на двух локациях – падение обломков": the debris word after the count and a dash (or
    the ``gap`` given)."""
    return (i + 2 < len(hits) and hits[i + 1].kind == "location" and hits[i + 2].kind == "debris"
            and gap.fullmatch(doc.text, hits[i + 1].end, hits[i + 2].start) is not None)


def _debris_verb(doc: Document, hits: list[Hit], i: int) -> bool:
    """"еще в четырех местах упали обломки", "а ще в одному місці впали уламки": the debris word
    after the count and its verb; not after a conjunction ("на 9 локаціях та падіння уламків на
    одній": the next count's)."""
    if not _debris_after(doc, hits, i, _VERB_GAP):
        return False
    gap = doc.text[hits[i + 1].end : hits[i + 2].start].split()
    return bool(gap) and not any(doc.lex.conjunction.fullmatch(word) for word in gap)


def _locations(doc: Document, usable: SentenceTest, evidence: list[dict], kinds: list[set[str]]) -> dict:
    record: dict = {"spans": {}}
    for sentence, held in zip(doc.story, kinds):
        # a count of locations needs a hit or debris word before it and a location word (after it,
        # or before it when elided): a sentence without both has none
        if "location" not in held or held.isdisjoint(_LOCATION_CUES) or not usable(sentence):
            continue
        hits = sentence.hits + [Hit("end", None, sentence.end, sentence.end)]
        cue: Hit | None = None  # the last hit or debris word so far
        location: int | None = None  # the start of the last location word so far
        for i, hit in enumerate(hits[:-1]):
            nxt = hits[i + 1]
            if (hit.kind == "number" and cue is None and _unit_follows(doc, hit, nxt)
                    and _debris_after(doc, hits, i, _VERB_GAP)):
                cue = hits[i + 2]  # "— ще у 2 місцях упали уламки": the debris word comes after
            if hit.kind == "number" and cue is not None and (
                    _unit_follows(doc, hit, nxt) or _unit_elided(doc, hit, cue, location)):
                name = "debris" if cue.kind == "debris" or _debris_after(doc, hits, i) or _debris_verb(doc, hits, i) else "hit"
                if record.get(name) is None:
                    record[name] = hit.key
                    end = nxt.end if nxt.kind == "location" else hit.end
                    span = _span(doc, record["spans"], name, hit.start, end, "number_of_locations")
                    evidence.append(_flat(f"locations.{name}", span))
            elif hit.kind in _LOCATION_CUES:
                cue = hit
            elif hit.kind == "location":
                location = hit.start if location is None else max(location, hit.start)
    return record


def casualty_candidates(doc: Document, phrases: list[Phrase], usable: SentenceTest, regional: bool,
                        kinds: list[set[str]] | None = None, attack_place: str | None = None,
                        ) -> tuple[dict[str, Casualty | None], dict[str, list[Casualty]]]:
    """The casualty figures chosen (by name) and every one found for each name: the numbers that
    count weapons (the phrases' anchors) are no one's casualties. ``attack_place``: the one oblast
    of a report of one place's attack, whose zeros are the attack's."""
    anchors = {id(p.anchor) for p in phrases if p.anchor is not None}
    every: dict[str, list[Casualty]] = {}
    return casualties(doc, anchors, usable, regional, kinds, every, attack_place), every


def attack_place(doc: Document, scope_name: str, regions: list[str]) -> str | None:
    """The one oblast of a report of one place's attack, named in the story's opening (its
    headline or first sentence: "Харків обстріляли ракетами С-300"), else None."""
    if scope_name != "regional" or len(regions) != 1:
        return None
    return regions[0] if any(code == regions[0] for s in doc.opening for code, _, _ in s.regions) else None


def _casualties(doc: Document, phrases: list[Phrase], usable: SentenceTest, evidence: list[dict], regional: bool,
                kinds: list[set[str]], collector: Collector, ambiguous: list[tuple[str, str, list[tuple[int, int]]]],
                place: str | None = None) -> dict:
    """The casualty figures, each weighed against the others found for it (``ambiguous`` gets
    the warnings of those that are low or left null); ``place``: the one oblast of a report of one
    place's attack."""
    found, every = casualty_candidates(doc, phrases, usable, regional, kinds, place)
    record: dict = {"spans": {}}
    for name, casualty in found.items():
        if casualty is None or casualty.value is None:
            continue
        verdict, winner, message, spans = judge_casualty(collector, name, casualty, every.get(name, []))
        if message is not None:
            ambiguous.append((f"casualties.{name}", message, spans))
        if verdict == "abstain":
            continue
        record[name] = winner.value
        rule = casualty.rule if winner is casualty else RANKED
        for start, end in winner.spans or [(winner.start, winner.end)]:
            span = _span(doc, record["spans"], name, start, end, rule, "high" if verdict == "high" else "low")
            evidence.append(_flat(f"casualties.{name}", span))
    return record


def attacked_regions(doc: Document, side: str, usable: SentenceTest) -> list[str]:
    """The oblasts the text names as attacked (none for an attack on Russia)."""
    return _regions(doc, usable) if side == "RU" else []


def _one_place(doc: Document, regions: list[str], usable: SentenceTest, phrases: list[Phrase]) -> bool:
    """A report of one place's attack: the only oblast named as attacked is named so in the lead
    ("Унаслідок атаки РФ на Київ ...", "Russian drone strikes on Kharkiv killed four"), and no
    sentence of the attack speaks of the whole country ("по всій Україні", "across Ukraine"), nor
    counts weapons "in total" or as the Air Force's ("всего", "усього": in a city's story, "Всего
    погибли 14 человек" totals the city's toll). An alert over the whole country ("после объявления
    воздушной тревоги почти по всей стране") is no attack on it."""
    if len(regions) != 1:
        return False
    lead = any(code == regions[0] and _attacked_place(doc, sentence, start, end) and not _one_of_several(sentence, start)
               for sentence in _lead(doc) for code, start, end in sentence.regions)
    if not lead:
        return False
    counting = {id(p.sentence) for p in phrases if p.action}
    return not any((_whole_country(sentence) and not sentence.has("alert")) or sentence.has("air_force_said")
                   or (sentence.has("countrywide") or sentence.has("national")) and id(sentence) in counting
                   for sentence in doc.story if usable(sentence))


def _one_of_several(sentence: Sentence, start: int) -> bool:
    """Whether the place named at ``start`` follows a subset cue: one of several places ("in several
    regions, including the western Lviv region")."""
    return any(end <= start for _, end in sentence.flags.get("subset", ()))


def _whole_country(sentence: Sentence) -> bool:
    """Whether the sentence names the whole country ("по Украине", "across Ukraine": a cue both
    ``countrywide`` and ``national``); the Air Force named as a teller ("Точное количество
    обнародуют Воздушные силы", "The Air Force had earlier warned of a missile threat in
    Dnipropetrovsk Oblast") or a country's "всего" speaks of it only in a sentence counting weapons
    or where it tells them (``air_force_said``: "Про це повідомили Повітряні сили ЗСУ")."""
    national = set(sentence.flags.get("national", ()))
    return any(span in national for span in sentence.flags.get("countrywide", ()))


def scope(doc: Document, phrases: list[Phrase], regions: list[str] | None = None,
          usable: SentenceTest | None = None) -> str:
    """"regional" for a regional command's or official's report that gives no national figure, or
    for a report of one place's attack (``regions``: the oblasts named as attacked)."""
    if not doc.regional_scope:
        one_place = regions is not None and usable is not None and _one_place(doc, regions, usable, phrases)
        return "regional" if one_place else "national"
    national = any(p.sentence.has("countrywide") for p in phrases if p.action)
    return "national" if national else "regional"


def report_kind(doc: Document, scope_name: str | None) -> ReportKind:
    """"news" for a text relaying what others said (the lexicon's ``news_markers``), else its
    ``scope`` (the Air Force's national post, a regional command's), else "news"."""
    if doc.lex.news_markers().search(doc.text):
        return "news"
    return "national" if scope_name == "national" else "regional" if scope_name == "regional" else "news"


def _ambiguous(doc: Document, totals: Totals) -> list[dict]:
    """The warnings ``ambiguous_figure``: the field and the competing readings' spans."""
    return [{"code": "ambiguous_figure", "message": message, "field": field,
             "evidence": [_evidence(doc, field, start, end, "competing_reading", "low") for start, end in spans]}
            for field, message, spans in totals.ambiguous]


def build(doc: Document, name: str, side: str, phrases: list[Phrase], totals: Totals, period: Period,
          usable: SentenceTest, all_phrases: list[Phrase], same_attack: SentenceTest | None = None) -> Extraction:
    """The Extraction record for one document."""
    if not _is_attack(doc, phrases, usable):
        return Extraction(input=name, language=doc.language, kind=report_kind(doc, None))
    evidence: list[dict] = []
    totals_record = _totals(doc, totals, evidence)
    rules = {"date": period.rule, "start": "from_time", "end": "as_of_time"}
    window: dict[str, list[dict]] = {}
    for part, (start, end) in period.spans.items():
        evidence.append(_flat(f"period.{part}", _span(doc, window, part, start, end, rules[part])))
    regions = attacked_regions(doc, side, usable)
    scope_name = scope(doc, phrases, regions, usable)
    kinds = hit_kinds(doc)  # asked of every sentence by casualties and locations alike
    collector = Collector(doc, all_phrases, phrases, side, period.date)
    # casualties are read as a regional report's only in a regional command's or official's own
    # report (scope without the regions): a news report of one city's attack still weighs its
    # officials' tolls as a national report's are weighed
    regional_report = scope(doc, phrases) == "regional"
    casualties_record = _casualties(doc, all_phrases, same_attack or usable, evidence, regional_report, kinds,
                                    collector, totals.ambiguous, attack_place(doc, scope_name, regions))
    locations = _locations(doc, usable, evidence, kinds)
    warnings = totals.warnings + period.warnings
    return Extraction.model_validate({
        "input": name,
        "language": doc.language,
        "is_attack_report": True,
        "attacker": side,
        "target": "RU" if side == "UA" else "UA",
        "totals": totals_record,
        "period": {"date": period.date, "start": period.start, "end": period.end, "spans": window},
        "scope": scope_name,
        "kind": report_kind(doc, scope_name),
        "casualties": casualties_record,
        "locations": locations,
        "weapons": _weapon_confidence(_with_named_model(doc, _weapons(doc, phrases, totals), totals), totals),
        "claims": find_claims(doc, usable),
        "regions": regions,
        "evidence": evidence,
        "warnings": [{"code": c, "message": m} for c, m in dict.fromkeys(warnings)] + _ambiguous(doc, totals),
    })

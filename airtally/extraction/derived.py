"""Figures the text implies rather than states, and the checks that compare figures.

Rules, in order: "all N ... shot down" also says N were launched; "destroyed every weapon"
makes destroyed = launched; "every one apart from the Iskander-M" subtracts the exception;
when every launched weapon of a class is accounted for as lost, hit or not intercepted, none was
destroyed (0); "all" is the sum of drones and missiles when both are known.
"""

from __future__ import annotations

from airtally.extraction.counts import KINDS, Figure, Totals, add_values, exact_values, numeric, subtract
from airtally.extraction.document import Document, Sentence
from airtally.extraction.quantity import NUMBERISH, Phrase, is_regional, kinds_named


def _every_type_destroyed(doc: Document, totals: Totals) -> None:
    """The classes whose destroyed figure is a sum over some types below their launch, when a
    sentence with no number or model of its own ("all of them had been intercepted", not "знищила
    всі п'ять крилатих ракет Х-101") says every one of the weapons named before it was destroyed."""
    kinds = _types_below_launch(totals)
    if not kinds:
        return
    saying = [s for s in doc.story if s.has("all_destroyed") and not s.has("all_except") and not _denied(s)
              and not any(h.kind in NUMBERISH or h.kind == "model" for h in s.hits)]
    said = {kind for s in saying for kind in (kinds_named(s) or _named_before(doc, s))}
    for kind in kinds:
        if kind in said:
            launched = totals.figures[(kind, "launched")]
            totals.set(kind, "destroyed", Figure(launched.value, "all_destroyed", launched.phrases))


def _types_below_launch(totals: Totals) -> list[str]:
    """The classes whose destroyed figure is a sum over types below their stated launched figure."""
    found = []
    for kind in KINDS:
        launched, destroyed = totals.figures.get((kind, "launched")), totals.figures.get((kind, "destroyed"))
        if launched is None or destroyed is None or destroyed.rule != "sum_of_types" or launched.rule == "sum_of_types":
            continue
        if isinstance(launched.value, int) and isinstance(destroyed.value, int) and destroyed.value < launched.value:
            found.append(kind)
    return found


def _open_destroyed(totals: Totals) -> list[str]:
    """The classes with a launched figure and no destroyed one yet."""
    return [kind for kind in KINDS if (kind, "launched") in totals.figures and (kind, "destroyed") not in totals.figures]


def all_of_launched(doc: Document, phrases: list[Phrase], totals: Totals) -> None:
    """"All 14 Shahed drones ... were shot down": 14 were launched; also where the launch is told
    only roughly ("more than a dozen attack drones ... destroyed all 14": 14, which fits the bound)."""
    open_kinds = [kind for kind in KINDS if not isinstance(totals.value(kind, "launched"), int)]
    if not open_kinds:
        return
    # the rule starts from an "all N ... destroyed" phrase: most texts have none
    destroyed_all = [p for p in phrases if p.all_of and p.action == "destroyed" and not p.share]
    if not destroyed_all:
        return
    for kind in open_kinds:
        rough = totals.figures.get((kind, "launched"))
        if any(p.kind == kind and p.action == "launched" and p.value is not None and (rough is None or p.approx is None)
               for p in phrases):
            continue  # launch figures exist but do not add up: "all N destroyed" is one type's
        alls = [p for p in destroyed_all if p.kind == kind and p.value is not None and not is_regional(doc, p)]
        if not alls:  # "destroyed all 11 drones Moscow launched" read as a place's, yet taken as the total
            taken = totals.figures.get((kind, "destroyed"))
            alls = [p for p in destroyed_all if p.kind == kind and taken is not None and p in taken.phrases]
        if alls:
            best = max(alls, key=lambda p: p.value or 0)
            fits = rough is None or (isinstance(rough.value, dict) and isinstance(best.value, int) and _agrees(rough.value, best.value))
            if fits and not _other_types_destroyed(phrases, best):
                totals.set(kind, "launched", Figure(best.value, "all_of_destroyed", [best]))


def _other_types_destroyed(phrases: list[Phrase], whole: Phrase) -> bool:
    """"one Kinzhal ..., as well as all 29 cruise missiles, were shot down": another type of the
    class is counted destroyed beside the "all N" one, so N counts one type, not the launch."""
    if whole.generic:
        return False
    return any(p.kind == whole.kind and p.action == "destroyed" and p.value is not None and not p.generic
               and p.key != whole.key and p.weapon_class != whole.key and not p.share for p in phrases)


def every_destroyed(doc: Document, phrases: list[Phrase], totals: Totals) -> None:
    """"Air defences destroyed every weapon" / "they were shot down" / "уничтожили все ракеты":
    destroyed = launched. A destroyed figure that is only a sum over some of the class's types, below
    its stated launch, gives way to a sentence of words alone (``_every_type_destroyed``)."""
    _every_type_destroyed(doc, totals)
    kinds = _open_destroyed(totals)
    if not kinds:
        return
    saying = [s for s in doc.story if s.has("all_destroyed") and not s.has("all_except")]
    everything = {p.kind for p in phrases if p.value is None and p.all_of and p.action == "destroyed"}
    # "знищено всі 12 безпілотників" speaks of the drones only; "they were all shot down" of the
    # weapons named last before it ("... 14 дронів. Усі вони знищені ... ворог випустив ракету": the drones)
    named = [kinds_named(s) or _named_before(doc, s) for s in saying]
    said = {kind for kinds_of in named for kind in (kinds_of or KINDS)}
    saying = [s for s, kinds_of in zip(saying, named) if not kinds_of or kinds_of & set(kinds)]
    for kind in kinds:
        if kind in said or kind in everything:
            launched = totals.figures[(kind, "launched")]
            if saying and all(_denied(s) for s in saying):  # "Ракеты ... сбить их не удалось": none
                totals.set(kind, "destroyed", Figure(0, "none_destroyed", launched.phrases))
            else:
                totals.set(kind, "destroyed", Figure(launched.value, "all_destroyed", launched.phrases))


def launched_of_every_destroyed(doc: Document, phrases: list[Phrase], totals: Totals) -> None:
    """"Air defence downed 14 Russian drones ... All of them were intercepted over four oblasts":
    a destroyed figure with no launch figure, and a sentence saying in so many words that every one
    was destroyed ("all"): that many were launched."""
    kinds = [kind for kind in KINDS if (kind, "destroyed") in totals.figures and (kind, "launched") not in totals.figures]
    if not kinds:
        return
    # "All of them were intercepted", not "They were shot down over the district" (a place's count restated)
    saying = [s for s in doc.story if s.has("all_destroyed") and not s.has("all_except") and not _denied(s)
              and any(h.kind == "all" for h in s.hits)]
    said = {kind for s in saying for kind in (kinds_named(s) or _named_before(doc, s) or KINDS)}
    for kind in kinds:
        destroyed = totals.figures[(kind, "destroyed")]
        if kind in said and isinstance(destroyed.value, int) and destroyed.value > 0:
            totals.set(kind, "launched", Figure(destroyed.value, "every_destroyed_launched", destroyed.phrases))


def _named_before(doc: Document, sentence: Sentence) -> set[str]:
    """The kinds of weapons the last story sentence before ``sentence`` naming any names (none
    when no sentence before it does)."""
    place = doc.place(sentence)
    for before in reversed(doc.story[: place or 0]):
        named = kinds_named(before)
        if named:
            return named
    return set()


def _denied(sentence: Sentence) -> bool:
    """Whether the sentence's "all destroyed" words are denied ("сбить их не удалось")."""
    spans = sentence.flags["all_destroyed"]
    return any(h.kind in ("negation", "negation_after") and any(a <= h.start < b + 16 for a, b in spans)
               for h in sentence.hits)


def all_except(doc: Document, phrases: list[Phrase], totals: Totals) -> None:
    """"Every one of these weapons apart from the Iskander-M missile was shot down"."""
    if not _open_destroyed(totals):
        return
    for sentence in doc.story:
        if not (sentence.has("all_except") and any(h.kind == "all" for h in sentence.hits)):
            continue
        if not any(h.kind == "destroyed" for h in sentence.hits):
            continue
        cut = sentence.flags["all_except"][0][1]
        excluded = {"drones": 0, "missiles": 0}
        for hit in sentence.hits:
            if hit.start >= cut and hit.kind in {"model", "missile", "drone", "class"}:
                kind = "drones" if hit.kind == "drone" or hit.key == "shahed" else "missiles"
                excluded[kind] = 1
                break
        for kind in KINDS:
            launched = totals.figures.get((kind, "launched"))
            if launched is not None and (kind, "destroyed") not in totals.figures:
                value = subtract(launched.value, excluded[kind])
                totals.set(kind, "destroyed", Figure(value, "all_except", launched.phrases))


def none_destroyed(doc: Document, phrases: list[Phrase], totals: Totals) -> None:
    """Every launched weapon of a class lost, hit or not intercepted: 0 destroyed."""
    for kind in KINDS:
        launched = totals.value(kind, "launched")
        if not isinstance(launched, int) or (kind, "destroyed") in totals.figures:
            continue
        fates = [p for p in phrases if not p.share and p.kind == kind and p.action in {"lost", "hit", "not_destroyed"}]
        every = [p for p in fates if p.value is None and p.all_of]
        if every:  # "the missiles were not intercepted"
            totals.set(kind, "destroyed", Figure(0, "all_accounted_not_destroyed", every[:1]))
            continue
        accounted: dict[tuple[str, str | None], Phrase] = {}
        by_action: dict[str | None, int] = {}
        for p in fates:
            if p.approx is None and p.value is not None and (p.key, p.action) not in accounted:
                accounted[(p.key, p.action)] = p
                by_action[p.action] = by_action.get(p.action, 0) + p.value
        # "Сбить ракету не удалось. ... ракета попала": one fate of them all told twice is still all of them
        if accounted and (sum(by_action.values()) == launched or launched in by_action.values()):
            totals.set(kind, "destroyed", Figure(0, "all_accounted_not_destroyed", list(accounted.values())))


def exact_all(totals: Totals) -> None:
    """Exact beats approximate: "майже 500 дронів і ракет" in the headline and 465 drones and 30
    missiles in the text give all = 495, when the exact sum agrees with the approximate figure."""
    for name in ("launched", "destroyed"):
        stated = totals.figures.get(("all", name))
        if stated is None or not isinstance(stated.value, dict):
            continue
        parts = _both(totals, name)
        exact = exact_values([p.value for p in parts]) if parts is not None else None
        if parts is None or exact is None:
            continue
        total = sum(exact)
        if _agrees(stated.value, total):
            totals.set("all", name, Figure(total, "exact_parts_over_approximate", [ph for p in parts for ph in p.phrases]))


def _both(totals: Totals, name: str) -> list[Figure] | None:
    """The drones' and the missiles' figures of the field ``name``, None unless both are given."""
    parts = [totals.figures.get((kind, name)) for kind in KINDS]
    given = [p for p in parts if p is not None]
    return given if len(given) == len(parts) else None


def _agrees(approx: dict[str, int], exact: int) -> bool:
    """Whether an exact figure fits an approximate one ({"about": 500} within 10%)."""
    kind, value = next(iter(approx.items()), ("", 0))  # its one bound
    if kind == "min":
        return exact >= value
    if kind == "max":
        return exact <= value
    return kind == "about" and abs(exact - value) <= value / 10


def all_sums(totals: Totals) -> None:
    """"all" = drones + missiles when the text gives no combined figure but both parts, each
    exact: "майже 300 безпілотників ... близько 50 ракет" states no combined figure, and a sum
    of round or bounded figures would be a figure the text never gave."""
    for name in ("launched", "destroyed"):
        if ("all", name) in totals.figures:
            continue
        parts = _both(totals, name)
        exact = exact_values([p.value for p in parts]) if parts is not None else None
        if parts is not None and exact is not None:
            totals.set("all", name, Figure(sum(exact), "sum_drones_missiles", [ph for p in parts for ph in p.phrases]))


def merged_all_destroyed(totals: Totals) -> None:
    """A stated "neutralised" total that also counts the lost drones: all.destroyed is the
    destroyed sum ("251 air targets" = 6 + 128 destroyed + 117 lost)."""
    stated = totals.figures.get(("all", "destroyed"))
    if stated is None:
        return
    parts = exact_values([totals.value(k, "destroyed") for k in KINDS])
    lost = exact_values([totals.value(k, "lost") or 0 for k in KINDS])
    if parts is None or lost is None or not isinstance(stated.value, int) or sum(lost) == 0:
        return
    if sum(parts) != stated.value and sum(parts) + sum(lost) == stated.value:
        figures = [totals.figures[(k, "destroyed")] for k in KINDS]
        totals.set("all", "destroyed", Figure(sum(parts), "destroyed_without_lost", [p for f in figures for p in f.phrases]))
        totals.warnings.append(("merged_total", f"totals.all.destroyed: the stated {stated.value} includes the lost drones; "
                                f"{sum(parts)} were destroyed"))


def checks(totals: Totals) -> None:
    """Warnings: destroyed + lost more than launched."""
    for kind in KINDS:
        launched = numeric(totals.value(kind, "launched"))
        if launched is None:
            continue
        destroyed, lost = numeric(totals.value(kind, "destroyed")), numeric(totals.value(kind, "lost"))
        if (destroyed or 0) + (lost or 0) > launched:
            totals.warnings.append(
                ("destroyed_lost_exceed_launched",
                 f"totals.{kind}: destroyed {destroyed or 0} + lost {lost or 0} is more than the {launched} launched"))


def hits_only(doc: Document, phrases: list[Phrase], totals: Totals) -> None:
    """"A Russian drone struck a bus stop": the only figure is of weapons that hit, so that many
    were launched and none was destroyed."""
    for kind in KINDS:
        hits = totals.figures.get((kind, "hits"))
        if hits is None or not isinstance(hits.value, int):
            continue
        if all((kind, name) not in totals.figures for name in ("launched", "destroyed", "lost")):
            totals.set(kind, "launched", Figure(hits.value, "hits_only", hits.phrases))
            totals.set(kind, "destroyed", Figure(0, "hits_only", hits.phrases))


def all_but(doc: Document, phrases: list[Phrase], totals: Totals) -> None:
    """"Shot down 35 of the missiles and all but one of the drones": the count after ``all_but`` is
    the launched weapons not destroyed, so the destroyed figure it gave is the launch less it."""
    pattern = doc.lex.all_but
    for kind in KINDS:
        destroyed, launched = totals.figures.get((kind, "destroyed")), totals.figures.get((kind, "launched"))
        if destroyed is None or launched is None or not isinstance(launched.value, int) or len(destroyed.phrases) != 1:
            continue
        phrase = destroyed.phrases[0]
        if isinstance(phrase.value, int) and pattern.search(doc.text, max(phrase.sentence.start, phrase.start - 20), phrase.start):
            totals.set(kind, "destroyed", Figure(subtract(launched.value, phrase.value), "all_but", destroyed.phrases))


RULES = (all_but, all_of_launched, every_destroyed, launched_of_every_destroyed, all_except, none_destroyed, hits_only)


def derive(doc: Document, phrases: list[Phrase], totals: Totals) -> None:
    """Apply the derived-figure rules in order, then the "all" sums and the checks."""
    for rule in RULES:
        rule(doc, phrases, totals)
    exact_all(totals)
    all_sums(totals)
    merged_all_destroyed(totals)
    checks(totals)

"""Live threats from the posts the Air Force and the regional commands write during an attack.

A post is read line by line (bullets and sentences of one line stay together): a line is a
threat when it names a type of threat from the lexicon's ``threats.types`` (the first type in
the file's order wins, so "реактивні БпЛА" is a jet drone, not a strike drone) and either a
threat cue ("курсом на", "загроза", "група"...) or a place, and holds no word of a report of what
happened ("збито", "у ніч на"...). A line naming places but no type continues the type of the
line before it (a header "Ударні БпЛА:" over a list of oblasts). The heading runs over a list of
places ("курсом на Полтаву, Кременчук"); a town the region forms do not list is found among the
registry's raions and hromadas (``airtally.catalog.places``: "Кременчука" is UA-53), and a town
that it does not hold, or holds twice, gets no code. A line about what is no strike threat (a
reconnaissance drone: ``not_threat``) gives none. Pure: no database, no network.

>>> [(t.type, t.regions, t.heading, t.heading_region) for t in parse_threats(
...     "Група ударних БпЛА на Харківщині, курсом на Полтавщину.")]
[('strike_drones', ['UA-63'], 'Полтавщину', 'UA-53')]
>>> [(t.heading, t.heading_region, t.count) for t in parse_threats("3 БпЛА курсом на Полтаву, Кременчук")]
[('Полтаву, Кременчук', 'UA-53', 3)]
>>> [t.type for t in parse_threats("Відбій загрози балістики!")]
['all_clear']
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import cast

from airtally.catalog.normalize import normalize
from airtally.catalog.places import place_region
from airtally.catalog.region_forms import find_regions
from airtally.errors import UnsupportedLanguage
from airtally.extraction.lexicon import LANGUAGES, bounded, raw_lexicon
from airtally.model import Threat
from airtally.threat_types import ThreatType

# The end of the clause a heading is in; a comma or a parenthesis does not end it (a list of
# headings goes on over them: ``heading_join``).
_CLAUSE_END = r"[.;:!?\n]"
_FIRST_WORD = re.compile(r"[^\W\d_][\w'-]*")


@dataclass(frozen=True)
class ThreatWords:
    """One language's threat lexicon, compiled."""

    language: str
    types: tuple[tuple[str, re.Pattern], ...]
    cue: re.Pattern
    report_cue: re.Pattern
    not_threat: re.Pattern
    heading: re.Pattern
    heading_join: re.Pattern
    place: re.Pattern
    count: re.Pattern
    oblast_list: re.Pattern
    oblast_adjective: re.Pattern


def _either(words: list[str]) -> str:
    return "|".join(f"(?:{normalize(word)})" for word in words)


@lru_cache(maxsize=4)
def threat_words(language: str = "uk") -> ThreatWords:
    """The compiled threat lexicon of ``language`` (an error for a language without one)."""
    if language not in LANGUAGES:
        raise UnsupportedLanguage(f"no lexicon for language {language!r} (known: {', '.join(LANGUAGES)})")
    data = raw_lexicon(language)
    section = data.get("threats")
    with_threats = [lang for lang in LANGUAGES if raw_lexicon(lang).get("threats")]
    if not section:
        raise UnsupportedLanguage(f"threat posts are read in {', '.join(with_threats)} only, not {language!r}")
    # the heading: after its cue, up to the clause's end or a word that starts another part ("з")
    heading_pattern = re.compile(
        rf"(?<!\w)(?:{_either(section['heading'])})\s+(?P<to>.+?)\s*"
        rf"(?={_CLAUSE_END}|\s(?:{_either(section['heading_end'])})(?!\w)|$)", re.IGNORECASE)
    return ThreatWords(
        language=language,
        types=tuple((kind, bounded(words)) for kind, words in section["types"].items()),
        cue=bounded(section["cue"]),
        report_cue=bounded(section["report_cue"]),
        not_threat=bounded(section["not_threat"]),
        heading=heading_pattern,
        heading_join=re.compile(_either(section["heading_join"]), re.IGNORECASE),
        place=re.compile(rf"(?<!\w)(?:{_either(section['place_cue'])})\s+(?P<name>[^\W\d_][\w'-]*)", re.IGNORECASE),
        count=re.compile(_either(section["count"]), re.IGNORECASE),
        oblast_list=_oblast_list(section["oblast_list"]),
        oblast_adjective=re.compile(normalize(section["oblast_list"]["adjective"]), re.IGNORECASE),
    )


def _oblast_list(words: dict[str, str]) -> re.Pattern:
    """Two to 31 oblast adjectives joined before one generic word ("Київської та Черкаської областей")."""
    adjective, join = normalize(words["adjective"]), normalize(words["join"])
    return re.compile(rf"(?<!\w)(?P<list>(?:{adjective})(?:(?:{join})(?:{adjective})){{1,30}})\s+(?P<generic>{normalize(words['generic'])})",
                      re.IGNORECASE)


def _each_oblast(words: ThreatWords, text: str) -> str:
    """``text`` with every list of oblast adjectives written one oblast at a time ("Київської
    областей, Черкаської областей"), so that the region forms find each."""
    def spelled(match: re.Match) -> str:
        generic = match.group("generic")
        return ", ".join(f"{adjective.group()} {generic}" for adjective in words.oblast_adjective.finditer(match.group("list")))
    return words.oblast_list.sub(spelled, text)


def _lines(text: str) -> list[str]:
    return [line.strip(" \t-•*–—▪️🔸🔹") for line in normalize(text).splitlines() if line.strip()]


def _type_of(words: ThreatWords, line: str) -> tuple[str, re.Match] | None:
    """The line's type of threat and where the lexicon found it, or None."""
    for kind, pattern in words.types:
        if (match := pattern.search(line)) is not None:
            return kind, match
    return None


def _not_a_threat(words: ThreatWords, line: str) -> bool:
    """A report of what happened ("збито") or a line about what is no strike threat (reconnaissance)."""
    return words.report_cue.search(line) is not None or words.not_threat.search(line) is not None


def _town_code(words: ThreatWords, part: str) -> str | None:
    """The oblast of the town a place's first word names, if capitalised and in the registry."""
    name = _FIRST_WORD.match(part.strip(" \"'"))
    return place_region(name.group(), words.language) if name is not None and name.group()[:1].isupper() else None


def _place_code(words: ThreatWords, part: str) -> str | None:
    """The oblast one place of a heading names: a region form, else a town of the registry."""
    codes = find_regions(part, words.language)
    return codes[0] if codes else _town_code(words, part)


def _parts(words: ThreatWords, to: str) -> list[tuple[int, int]]:
    """The spans of the places of a heading: its first part, then each part after a join while it
    starts with a capital letter (a place): "Полтаву, Кременчук" is two, "Конотоп, де тривога" one.
    A parenthesis closing the last part ("Полтавщину (курс південно-західний)") is left out."""
    parts: list[tuple[int, int]] = []
    start = 0
    for join in words.heading_join.finditer(to):
        parts.append((start, join.start()))
        if not to[join.end():join.end() + 1].isupper():
            return parts
        start = join.end()
    aside = to.find("(", start)
    parts.append((start, len(to[:aside].rstrip()) if aside > start else len(to)))
    return parts


def _heading(words: ThreatWords, line: str) -> tuple[str | None, list[str], str]:
    """The heading as written, the oblast codes its places name (in order), and the line without
    it (for the places where the threat is)."""
    match = words.heading.search(line)
    if match is None:
        return None, [], line
    to, offset = match.group("to"), match.start("to")
    parts = _parts(words, to)
    end = offset + parts[-1][1]
    heading = line[offset:end].strip(" \"'")
    codes = (_place_code(words, to[start:stop]) for start, stop in parts)
    rest = line[:match.start()] + " " * (end - match.start()) + line[end:]
    return heading or None, list(dict.fromkeys(code for code in codes if code is not None)), rest


def _regions(words: ThreatWords, rest: str) -> list[str]:
    """The oblasts the line names where the threat is: region forms, and towns after a place cue
    ("в районі Конотопа") that the registry knows."""
    regions = find_regions(_each_oblast(words, rest), words.language)  # with a region form after a place cue
    for match in words.place.finditer(rest):
        code = _town_code(words, match.group("name"))
        if code is not None and code not in regions:
            regions.append(code)
    return regions


def _count(words: ThreatWords, line: str, at: int) -> int | None:
    """The number the line gives just before its type's word at ``at`` ("3 БпЛА"), or None."""
    match = words.count.search(line[max(0, at - 40):at])
    return int(match.group("count")) if match is not None else None


def _is_header(line: str) -> bool:
    """A header over the lines below it ("Ударні БпЛА:", "⚠️Одещина:"), never a threat itself."""
    return line.endswith(":")


def parse_line(words: ThreatWords, line: str, previous: str | None, at: dt.datetime | None,
               header: Sequence[str] = ()) -> Threat | None:
    """The threat one line announces, or None; ``previous`` is the type of the line before and
    ``header`` the oblasts of the header over the line ("⚠️Одещина:"), which the line is in too."""
    if _not_a_threat(words, line):
        return None
    found = _type_of(words, line)
    heading, heading_regions, rest = _heading(words, line)
    named = _regions(words, rest)
    regions = list(dict.fromkeys([*header, *named]))
    count = None
    if found is None:
        # a line of places only continues the list it is in ("- Одещина, курсом на Ізмаїл;")
        if previous is None or previous == "all_clear" or _is_header(line) or not (named or heading):
            return None
        kind = previous
    else:
        kind, where = found
        count = _count(words, line, where.start())
        if not (words.cue.search(line) or regions or heading or count is not None):
            return None
    # the lexicon's schema test holds its types to THREAT_TYPES, so a kind read from it is one
    return Threat(at=at, type=cast(ThreatType, kind), regions=regions, heading=heading,
                  heading_region=heading_regions[0] if heading_regions else None, heading_regions=heading_regions,
                  count=count, text=line)


def parse_threats(text: str, at: dt.datetime | None = None, language: str = "uk") -> list[Threat]:
    """The threats a post announces, one per line that announces one, in the post's order.

    ``at`` is the post's time, given to every threat it holds. A morning report ("У ніч на ...
    збито 268 БпЛА") holds none. A header line types ("Ударні БпЛА:") or places ("⚠️Одещина:")
    the lines below it, up to the next header.
    """
    words = threat_words(language)
    found: list[Threat] = []
    previous: str | None = None
    header: list[str] = []
    for line in _lines(text):
        threat = parse_line(words, line, previous, at, header)
        if threat is not None:
            found.append(threat)
            previous = threat.type
            continue
        if (typed := _type_of(words, line)) is not None:
            # a header ("Ударні БпЛА:") types the list below it; a report's line ends a list
            previous = None if _not_a_threat(words, line) else typed[0]
        if _is_header(line):
            header = find_regions(line, words.language)
    return found

"""Live threats from the posts the Air Force and the regional commands write during an attack.

A post is read line by line (bullets and sentences of one line stay together): a line is a
threat when it names a type of threat from the lexicon's ``threats.types`` (the first type in
the file's order wins, so "реактивні БпЛА" is a jet drone, not a strike drone) and either a
threat cue ("курсом на", "загроза", "група"...) or a place, and holds no word of a report of what
happened ("збито", "у ніч на"...). A line naming places but no type continues the type of the
line before it (a header "Ударні БпЛА:" over a list of oblasts). Pure: no database, no network.

>>> [(t.type, t.regions, t.heading, t.heading_region) for t in parse_threats(
...     "Група ударних БпЛА на Харківщині, курсом на Полтавщину.")]
[('strike_drones', ['UA-63'], 'Полтавщину', 'UA-53')]
>>> [t.type for t in parse_threats("Відбій загрози балістики!")]
['all_clear']
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import cast

from airtally.catalog.normalize import normalize
from airtally.catalog.region_forms import find_regions
from airtally.errors import UnsupportedLanguage
from airtally.extraction.lexicon import LANGUAGES, bounded, raw_lexicon
from airtally.model import Threat
from airtally.threat_types import ThreatType

_CLAUSE_END = r"[.,;:!?()\n]"


@dataclass(frozen=True)
class ThreatWords:
    """One language's threat lexicon, compiled."""

    language: str
    types: tuple[tuple[str, re.Pattern], ...]
    cue: re.Pattern
    report_cue: re.Pattern
    heading: re.Pattern


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
    ends = "|".join(f"(?:{normalize(word)})" for word in section["heading_end"])
    heading = "|".join(f"(?:{normalize(word)})" for word in section["heading"])
    # the heading: after its cue, up to the clause's end or a word that starts another part ("з")
    heading_pattern = re.compile(
        rf"(?<!\w)(?:{heading})\s+(?P<to>.+?)\s*(?={_CLAUSE_END}|\s(?:{ends})(?!\w)|$)", re.IGNORECASE)
    return ThreatWords(
        language=language,
        types=tuple((kind, bounded(words)) for kind, words in section["types"].items()),
        cue=bounded(section["cue"]),
        report_cue=bounded(section["report_cue"]),
        heading=heading_pattern,
    )


def _lines(text: str) -> list[str]:
    return [line.strip(" \t-•*–—▪️🔸🔹") for line in normalize(text).splitlines() if line.strip()]


def _type_of(words: ThreatWords, line: str) -> str | None:
    return next((kind for kind, pattern in words.types if pattern.search(line)), None)


def _heading(words: ThreatWords, line: str) -> tuple[str | None, str | None, str]:
    """The heading as written, its oblast's code, and the line without it (for the places)."""
    match = words.heading.search(line)
    if match is None:
        return None, None, line
    heading = match.group("to").strip(" \"'")
    codes = find_regions(heading, words.language)
    rest = line[:match.start()] + " " * (match.end() - match.start()) + line[match.end():]
    return heading or None, (codes[0] if codes else None), rest


def parse_line(words: ThreatWords, line: str, previous: str | None, at: dt.datetime | None) -> Threat | None:
    """The threat one line announces, or None; ``previous`` is the type of the line before."""
    if words.report_cue.search(line):
        return None
    kind = _type_of(words, line)
    heading, heading_region, rest = _heading(words, line)
    regions = find_regions(rest, words.language)
    if kind is None:
        if previous is None or previous == "all_clear" or not (regions or heading):
            return None
        kind = previous
    elif not (words.cue.search(line) or regions or heading):
        return None
    # the lexicon's schema test holds its types to THREAT_TYPES, so a kind read from it is one
    return Threat(at=at, type=cast(ThreatType, kind), regions=regions, heading=heading, heading_region=heading_region, text=line)


def parse_threats(text: str, at: dt.datetime | None = None, language: str = "uk") -> list[Threat]:
    """The threats a post announces, one per line that announces one, in the post's order.

    ``at`` is the post's time, given to every threat it holds. A morning report ("У ніч на ...
    збито 268 БпЛА") holds none.
    """
    words = threat_words(language)
    found: list[Threat] = []
    previous: str | None = None
    for line in _lines(text):
        threat = parse_line(words, line, previous, at)
        if threat is not None:
            found.append(threat)
            previous = threat.type
        elif (kind := _type_of(words, line)) is not None:
            # a header ("Ударні БпЛА:") types the list below it; a report's line ends a list
            previous = None if words.report_cue.search(line) else kind
    return found

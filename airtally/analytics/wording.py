"""Reading a record claim's wording: which class, measure, period and subject it speaks of.

The words are data: each language's lexicon (airtally/extraction/lexicons/<lang>.yaml) lists them
under ``claim_wording``, and its months under ``time.months``; this module only compiles and
applies them, every language's to every claim.

>>> r = read("the largest drone and missile attack since the beginning of the invasion")
>>> r.weapon_class, r.measure, r.period, r.subject
('all', 'launched', 'all_time', 'attack')
>>> r = read("рекордна кількість дронів у червні")
>>> r.weapon_class, r.subject, r.claimed_month
('drones', 'month', (6, None))
>>> read("самая массированная атака с начала войны").period_words
'с начала войны'
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from airtally.catalog.normalize import fold
from airtally.errors import InvalidValue
from airtally.extraction.lexicon import LANGUAGES, raw_lexicon
# The order periods are looked for in: a named month or year is more specific than "ever".
PERIOD_ORDER = ("since_month", "in_year", "this_year", "all_time")
_YEAR = r"(?P<year>(?:19|20)\d\d)"


@dataclass(frozen=True)
class Reading:
    """What a claim's wording says; ``*_words`` are the phrases that decided each part."""

    text: str
    subject: str  # "attack" (one attack) or "month" (a month's tally)
    weapon_class: str  # drones | missiles | all
    class_words: tuple[str, ...]
    measure: str  # launched | destroyed
    measure_words: tuple[str, ...]
    period: str  # all_time | this_year | in_year | since_month | unnamed (read as all time)
    period_words: str | None
    period_month: tuple[int, int | None] | None  # since_month: (month, year or None)
    period_year: int | None  # in_year
    claimed_month: tuple[int, int | None] | None  # subject "month": (month, year or None)

    def period_start(self, day: dt.date) -> dt.date | None:
        """The first day of the period the claim compares within, for a claim about ``day``.

        >>> read("the largest attack since March").period_start(dt.date(2025, 2, 10))
        datetime.date(2024, 3, 1)
        """
        if self.period == "this_year":
            return dt.date(day.year, 1, 1)
        if self.period == "in_year":
            assert self.period_year is not None, "an in_year period is read with its year (_period)"
            return dt.date(self.period_year, 1, 1)
        if self.period == "since_month":
            assert self.period_month is not None, "a since_month period is read with its month (_period)"
            return latest_month_start(*self.period_month, day)
        return None


def latest_month_start(month: int, year: int | None, day: dt.date) -> dt.date:
    """The first day of ``month`` of ``year``, or of the latest such month on or before ``day``."""
    if year is not None:
        return dt.date(year, month, 1)
    return dt.date(day.year if month <= day.month else day.year - 1, month, 1)


CLASSES = ("drones", "missiles", "all")


class Words:
    """The claim wording of the lexicons (language -> its raw lexicon), compiled."""

    def __init__(self, lexicons: dict[str, dict]):
        # a month is any form of it in any language: group m<number> tells which month matched
        forms = {number: [fold(f) for lex in lexicons.values() for f in lex["time"]["months"][number]] for number in range(1, 13)}
        month_alt = "|".join(f"(?P<m{number}>{'|'.join(found)})" for number, found in forms.items())
        month = rf"(?P<month>{month_alt})(?:\s+{_YEAR})?"
        wording = {language: lex["claim_wording"] for language, lex in lexicons.items()}
        self.record = _compile_all(wording, "record", month)
        self.classes = {c: _compile_all(wording, c, month) for c in CLASSES}
        self.measures = {"destroyed": _compile_all(wording, "destroyed", month)}
        self.periods = {p: _compile_all(wording, p, month) for p in (*PERIOD_ORDER, "in_month")}

    @staticmethod
    def month(match: re.Match) -> int:
        """The number of the month a match of a pattern with ``{month}`` names."""
        return next(number for number in range(1, 13) if match.group(f"m{number}") is not None)


def _compile_all(wording: dict[str, dict[str, list[str]]], key: str, month: str) -> list[re.Pattern]:
    patterns = []
    for language in LANGUAGES:
        for entry in wording[language][key]:
            body = fold(entry).replace("{month}", month).replace("{year}", _YEAR)
            patterns.append(re.compile(rf"\b(?:{body})\b"))
    return patterns


@lru_cache(maxsize=1)
def words() -> Words:
    """The claim wording of airtally's lexicons (compiled once)."""
    return Words({language: raw_lexicon(language) for language in LANGUAGES})


def _matches(patterns: list[re.Pattern], text: str) -> list[re.Match]:
    return [m for p in patterns for m in p.finditer(text)]


def _class(folded: str, w: Words) -> tuple[str, tuple[str, ...]]:
    found = {c: list(dict.fromkeys(m.group(0) for m in _matches(w.classes[c], folded))) for c in w.classes}
    if found["drones"] and found["missiles"]:
        return "all", tuple(found["drones"] + found["missiles"])
    for weapon_class in ("drones", "missiles", "all"):
        if found[weapon_class]:
            return weapon_class, tuple(found[weapon_class])
    return "all", ()


def _month_of(match: re.Match, w: Words) -> tuple[int, int | None]:
    year = match.groupdict().get("year")
    return w.month(match), int(year) if year else None


def _period(folded: str, w: Words) -> dict:
    for name in PERIOD_ORDER:
        found = _matches(w.periods[name], folded)
        if found:
            match = found[0]
            period = {"period": name, "period_words": match.group(0), "period_month": None, "period_year": None}
            if name == "since_month":
                period["period_month"] = _month_of(match, w)
            if name == "in_year":
                period["period_year"] = int(match.group("year"))
            return period
    return {"period": "unnamed", "period_words": None, "period_month": None, "period_year": None}


def read(text: str) -> Reading:
    """Read a record claim; raises InvalidValue when the text makes none."""
    folded, w = fold(text), words()
    if not _matches(w.record, folded):
        raise InvalidValue(
            f"no record claim in {text!r}: say what was the largest, e.g. "
            "'the largest drone attack since the beginning of the invasion' or 'a record number of launches in June'"
        )
    weapon_class, class_words = _class(folded, w)
    destroyed = list(dict.fromkeys(m.group(0) for m in _matches(w.measures["destroyed"], folded)))
    in_month = _matches(w.periods["in_month"], folded)
    return Reading(
        text=text,
        subject="month" if in_month else "attack",
        weapon_class=weapon_class,
        class_words=class_words,
        measure="destroyed" if destroyed else "launched",
        measure_words=tuple(destroyed),
        claimed_month=_month_of(in_month[0], w) if in_month else None,
        **_period(folded, w),
    )

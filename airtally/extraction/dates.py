"""The attack's period: the Kyiv date it ended, and its start and end times when stated.

Rules, in order (a date or weekday after a cue for another attack in its sentence, "the previous
record ... on May 26", "Накануне, 24 августа", is not the attack's): a date after "у ніч на" / "в ночь на" / "the night of" (the night ends on it);
"у ніч на понеділок" (the last Monday up to the publication); the first date of the story
near the publication; the first weekday of the story; the publication date itself.
A range is read as its end ("the night of December 31 to January 1", "з суботи на неділю",
"з вечора 25 січня до ранку 26 січня"); the early hours or morning of a day ("early on Jan. 1",
"вранці 8 липня") count as its night; an evening ("вечером 26 августа", "близько 20:00 9 квітня")
in a report of a night ended the next day. A feast names its day ("Christmas Day", "новорічна
ніч"); "yesterday" in the opening is the day before the report; a night the opening tells of
with no date is the one just gone, not an earlier one named further on.
"(з 18:00 3 липня)" gives the start, "станом на 09:00" / "as of 09:00" the end.

>>> import datetime as dt
>>> from airtally.extraction.document import Document, Sentence
>>> doc = Document("У ніч на 4 липня (з 18:00 3 липня) ворог атакував. Станом на 09:00 збито 5.", "uk")
>>> p = find_period(doc, dt.datetime(2025, 7, 4, 10, tzinfo=KYIV))
>>> p.date, p.start.isoformat(), p.end.isoformat()
(datetime.date(2025, 7, 4), '2025-07-03T18:00:00+03:00', '2025-07-04T09:00:00+03:00')
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from airtally.catalog.normalize import normalize
from airtally.clock import KYIV
from airtally.extraction.document import Document, Sentence
from airtally.extraction.lexicon import raw_lexicon


_TIME = r"(?P<hour>[012]?\d)[:.](?P<minute>[0-5]\d)(?!\d)"


class DateParts(NamedTuple):
    """A day-month mention read into numbers ("4 липня" = 4, 7, None), not yet given a year."""

    day: int
    month: int
    year: int | None


@dataclass
class Period:
    date: dt.date | None = None
    start: dt.datetime | None = None
    end: dt.datetime | None = None
    rule: str = ""
    spans: dict[str, tuple[int, int]] = field(default_factory=dict)  # by the figure: "date", "start", "end"
    warnings: list[tuple[str, str]] = field(default_factory=list)


def _groups(prefix: str, mapping: dict) -> str:
    """Named groups ``<prefix><key>`` for each key's patterns (m7 = July, w0 = Monday)."""
    return "|".join(f"(?P<{prefix}{key}>{'|'.join(normalize(p) for p in patterns)})" for key, patterns in mapping.items())


@lru_cache(maxsize=4)
def _patterns(language: str) -> dict[str, re.Pattern]:
    time = raw_lexicon(language)["time"]
    months, months2 = _groups("m", time["months"]), _groups("n", time["months"])
    days = _groups("w", time["weekdays"])
    flags = re.IGNORECASE
    day_month = rf"(?P<day>\d{{1,2}})(?:-?(?:го|е|а|st|nd|rd|th))?\s+(?:{months})(?:,?\s+(?P<year>\d{{4}}))?"
    # "August 12-13" (a night across two days): the day it ended
    month_day = rf"(?:{months2})\s+(?:\d{{1,2}}[-/])?(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<year2>\d{{4}}))?"
    words = lambda key: "|".join(normalize(p) for p in time[key])  # noqa: E731
    day_words = "|".join(normalize(p) for patterns in time["weekdays"].values() for p in patterns)
    return {
        "date": re.compile(rf"(?<!\w)(?:{day_month}|{month_day})(?!\w)", flags),
        "weekday": re.compile(rf"(?<!\w)(?:{days})(?!\w)", flags),
        "night_of": re.compile(rf"(?<!\w)(?:{words('night_of')})\s*$", flags),
        "overnight": re.compile(rf"(?<!\w)(?:{words('overnight')})(?:\s+(?:{words('date_link')}))?\s*$", flags),
        # either of the two above, in one search
        "after_night": re.compile(
            rf"(?<!\w)(?:(?:{words('night_of')})|(?:{words('overnight')})(?:\s+(?:{words('date_link')}))?)\s*$", flags),
        # the early hours or the morning of the day ("early on Jan. 1", "вранці 8 липня")
        "morning_of": re.compile(rf"(?<!\w)(?:{words('morning_of')})\s*$", flags),
        # "as of July 11", "станом на 12:15 20 листопада": the day a count stands at
        "as_of_date": re.compile(rf"(?<!\w)(?:{words('as_of')})\s+(?:{_TIME}\s+(?:[^\W\d]{{1,3}}\s+)?)?$", flags),
        "reported": re.compile(rf"\s+(?:{words('reported')})(?!\w)", flags),
        # "from the evening of January 25", "вечером 26 августа": the evening the attack began
        "evening_of": re.compile(rf"(?<!\w)(?:{words('evening_of')})\s*$", flags),
        "evening_after": re.compile(rf",?\s+(?:{words('evening_after')})(?!\w)", flags),
        "after_midnight": re.compile(rf"(?<!\w)(?:{words('after_midnight')})(?!\w)", flags),
        "yesterday": re.compile(rf"(?<!\w)(?:{words('yesterday')})(?!\w)", flags),
        # a clock time just before or after a date ("близько 20:00 9 квітня", "26 августа в 23:18")
        "clock_before": re.compile(rf"(?<![\d:.]){_TIME}\s+(?:[^\W\d]{{1,3}}\s+)?$"),
        "clock_after": re.compile(rf",?\s+(?:[^\W\d]{{1,5}}\s+)?{_TIME}"),
        # between two dates or weekdays, a range ("December 31, 2022, to January 1", "з неділі на понеділок")
        "range_to": re.compile(rf"[\s,]*(?:{words('range_to')})(?:\s+[^\W\d]+){{0,4}}\s*", flags),
        "start": re.compile(rf"(?<!\w)(?:{words('from_time')})\s+{_TIME}", flags),
        "end": re.compile(rf"(?<!\w)(?:{words('as_of')}|{words('to_time')})\s+{_TIME}", flags),
        # "on Tuesday night": the weekday is the evening the attack began (never, in a language
        # without such words)
        "night_after": re.compile(rf"\s+(?:{words('night_after') if time.get('night_after') else '(?!x)x'})(?!\w)", flags),
        # "to 07:00 15 September", "and 07:00 Moscow time on 15 September", "until 5:00 a.m. on Friday"
        "range_end": re.compile(rf"(?<!\w)(?:{words('to_time')})\s+{_TIME}(?:\s+[^\W\d][\w.]*){{0,3}}\s*$", flags),
        # "С 20:00 18 августа", "from 18:00 on 12 January", "С 20:00 понедельника, 21 октября": the date the attack began
        "range_start": re.compile(rf"(?<!\w)(?:{words('from_time')})\s+{_TIME}\s+(?:\w{{1,2}}\s+)?(?:(?:{day_words}),?\s+)?$", flags),
    }


@lru_cache(maxsize=4)
def _holidays(language: str) -> tuple[re.Pattern, tuple[tuple[int, int, str], ...]]:
    """The feasts' pattern (group ``h<i>`` for the i-th) and each one's (month, day, time of day:
    "", "evening" or "night"), from the lexicon's ``"MM-DD [evening|night]"`` keys."""
    named = raw_lexicon(language)["time"]["holidays"]
    days = tuple((int(key[:2]), int(key[3:5]), key[6:]) for key in named)
    groups = "|".join(f"(?P<h{index}>{'|'.join(normalize(p) for p in patterns)})" for index, patterns in enumerate(named.values()))
    return re.compile(rf"(?<!\w)(?:{groups})(?!\w)", re.IGNORECASE), days


def _numbered_groups(pattern: re.Pattern, prefixes: str) -> tuple[tuple[int, int], ...]:
    """(group index, number) of each ``<prefix><number>`` group, in the pattern's order."""
    return tuple((index, int(name[1:])) for name, index in pattern.groupindex.items()
                 if name[0] in prefixes and name[1:].isdigit())


@lru_cache(maxsize=4)
def _month_groups(language: str) -> tuple[tuple[int, int], ...]:
    # keyed by language, not by pattern: hashing a compiled pattern hashes all its code
    return _numbered_groups(_patterns(language)["date"], "mn")


@lru_cache(maxsize=4)
def _weekday_groups(language: str) -> tuple[tuple[int, int], ...]:
    return _numbered_groups(_patterns(language)["weekday"], "w")


def _matched_number(match: re.Match, groups: tuple[tuple[int, int], ...]) -> int:
    """The number of the first group in ``groups`` that matched some text (m7 = July)."""
    spans = match.regs
    return next(number for index, number in groups if spans[index][0] < spans[index][1])


def _parts(match: re.Match, groups: tuple[tuple[int, int], ...]) -> DateParts:
    year = match.group("year") or match.group("year2")
    return DateParts(int(match.group("day") or match.group("day2")), _matched_number(match, groups),
                     int(year) if year else None)


def resolve(match: re.Match, published: dt.date) -> dt.date | None:
    """The date a day-month mention names, the year taken near ``published`` when not given."""
    return resolve_parts(_parts(match, _numbered_groups(match.re, "mn")), published)


def resolve_parts(parts: DateParts, published: dt.date) -> dt.date | None:
    """``resolve`` for a mention already read into its day, month and year: with no year, the day
    of ``published``'s year, or of the year before when that is more than a week ahead of it, or
    of the year after when that is at most a week ahead ("January 1" beside 31 December 2022 is
    2023's) (None when the day is not one of that year's: a date beside another is read near it)."""
    day, month, year = parts
    try:
        if year:
            return dt.date(year, month, day)
        guess = dt.date(published.year, month, day)
        if guess > published + dt.timedelta(days=7):
            guess = dt.date(published.year - 1, month, day)
        elif month == 1 and published.month == 12 and dt.date(published.year + 1, 1, day) <= published + dt.timedelta(days=7):
            guess = dt.date(published.year + 1, 1, day)
        return guess
    except ValueError:
        return None


def latest_day(parts: DateParts, published: dt.date) -> dt.date | None:
    """The latest day a mention can be up to a week after ``published``: ``resolve_parts``'s, and
    for a 29 February with no year in a common year, the last leap year's ("у ніч на 29 лютого"
    in a report of December 2026 is the night of 2024)."""
    day, month, year = parts
    found = resolve_parts(parts, published)
    if found is not None or year or (day, month) != (29, 2):
        return found
    leap = published.year - (published < dt.date(published.year, 3, 1))  # the last year whose February has passed
    while not calendar.isleap(leap):
        leap -= 1
    return dt.date(leap, 2, 29)


def _weekday(match: re.Match, published: dt.date, language: str) -> dt.date:
    wanted = _matched_number(match, _weekday_groups(language))
    return published - dt.timedelta(days=(published.weekday() - wanted) % 7)


def _after_night(doc: Document, start: int, pats: dict[str, re.Pattern]) -> bool:
    """Whether the mention follows "у ніч на", "the night of" or a plain "вночі"/"overnight on"."""
    return pats["after_night"].search(doc.text[max(0, start - 30) : start]) is not None


def mentions(doc: Document, kind: str) -> list[tuple[re.Match, Sentence]]:
    """The ``kind`` ("date" or "weekday") mentions of the story with their sentences (found once,
    both kinds in one pass over the story).

    The patterns are tried only where the lexicon scan saw a month or weekday word (a date's
    day stands just before its month, or just after it in English), not all along the text.
    """
    found = doc.memo.get("_date_mentions")
    if found is None:
        found = doc.memo["_date_mentions"] = _find_mentions(doc)
    return found[kind]


def _find_mentions(doc: Document) -> dict[str, list[tuple[re.Match, Sentence]]]:
    pats = _patterns(doc.language)
    date, weekday, text = pats["date"], pats["weekday"], doc.text
    dates: list[tuple[re.Match, Sentence]] = []
    weekdays: list[tuple[re.Match, Sentence]] = []
    seen: set[int] = set()  # where the dates found start (a set: a text may hold thousands)
    seen_weekdays: set[int] = set()
    for sentence in doc.story:
        flags = sentence.flags
        for word_start, _ in flags.get("month", ()):
            day = _DAY_BEFORE.search(text, max(sentence.start, word_start - 8), word_start)
            for start in (day.start(), word_start) if day else (word_start,):
                match = date.match(text, start, sentence.end)
                if match and match.start() not in seen:
                    seen.add(match.start())
                    dates.append((match, sentence))
                    break
        for word_start, _ in flags.get("weekday", ()):
            match = weekday.match(text, word_start, sentence.end)
            if match and match.start() not in seen_weekdays:
                seen_weekdays.add(match.start())
                weekdays.append((match, sentence))
    by_start = lambda item: item[0].start()  # noqa: E731
    return {"date": sorted(dates, key=by_start), "weekday": sorted(weekdays, key=by_start)}


_DAY_BEFORE = re.compile(r"(?<!\d)\d{1,2}(?:-?[^\W\d]{1,2})?\s+$")


def stated_dates(doc: Document) -> list[tuple[re.Match, Sentence, DateParts]]:
    """The story's day-month mentions with their sentences, each read into numbers once a report."""
    cache = doc.memo
    if "_stated_dates" not in cache:
        groups = _month_groups(doc.language)
        cache["_stated_dates"] = [(match, sentence, _parts(match, groups)) for match, sentence in mentions(doc, "date")]
    return cache["_stated_dates"]


def dates_in(doc: Document, sentence: Sentence, before: int | None = None) -> list[DateParts]:
    """The day-month mentions of one story sentence that date what it tells, read into numbers
    (indexed once a report): not the day a count stands "as of" ("as of July 11 at least 44 people
    had been killed", "станом на 12:00 10 липня"), which is a later count of the same attack;
    with ``before``, only the mentions starting before that place."""
    pats = _patterns(doc.language)
    return [parts for match, parts in _stated_in(doc, sentence)
            if not _as_of(doc, match.start(), pats) and (before is None or match.start() < before)]


def _as_of(doc: Document, start: int, pats: dict[str, re.Pattern]) -> bool:
    """Whether the mention at ``start`` follows "as of" (and a clock time), not a night word."""
    return pats["as_of_date"].search(doc.text, max(0, start - 30), start) is not None and not _after_night(doc, start, pats)


def _stated_in(doc: Document, sentence: Sentence) -> list[tuple[re.Match, DateParts]]:
    """The day-month mentions of one story sentence with their numbers (indexed once a report)."""
    index = doc.memo.get("_dates_by_sentence")
    if index is None:
        index = {}
        for match, where, parts in stated_dates(doc):
            index.setdefault(id(where), []).append((match, parts))
        doc.memo["_dates_by_sentence"] = index
    return index.get(id(sentence), [])


def night_dates_in(doc: Document, sentence: Sentence) -> list[DateParts]:
    """The mentions of one story sentence that name a night ("у ніч на 25 травня", "the night of
    May 25"): the night ends on that day, so the date says exactly which attack it is.
    A night named from one date to another ("the night of December 31 to January 1") is named by
    the second."""
    pats = _patterns(doc.language)
    stated = _stated_in(doc, sentence)
    found = []
    for place, (match, parts) in enumerate(stated):
        if _after_night(doc, match.start(), pats):
            later = stated[place + 1 : place + 2]
            if later and _range_gap(doc, pats, match.end(), later[0][0].start()):
                parts = later[0][1]
            found.append(parts)
    return found


def _range_gap(doc: Document, pats: dict[str, re.Pattern], end: int, start: int) -> bool:
    """Whether the text between two mentions joins them into a range ("to", "between ... and", "на")."""
    return start - end <= 40 and pats["range_to"].fullmatch(doc.text, end, start) is not None


@lru_cache(maxsize=4)
def _dateline(agencies: str) -> re.Pattern:
    """After a date, the agency of a dateline and its dash ("Aug 1 (Reuters) -")."""
    return re.compile(rf"\s*(?:\((?:{agencies})\))?\s*-\s", re.IGNORECASE)


_DATELINE_PLACE = re.compile(r"(?:^|\n)[^\W\d_][^\n,]{0,30},\s*$")


def _in_dateline(doc: Document, match: re.Match) -> bool:
    """"KYIV, Aug 1 (Reuters) -", "KYIV, Aug 1 -": a date between a line's opening place and the
    dash (or agency) after it is the report's date, not the attack's."""
    if not _dateline(doc.lex.base["dateline_agency"]).match(doc.text, match.end()):
        return False
    return _DATELINE_PLACE.search(doc.text, max(0, match.start() - 40), match.start()) is not None


def _after_other_attack_cue(sentence: Sentence, start: int, firsts: dict[int, int]) -> bool:
    """Whether a cue for another attack or a tally ("the previous record", "Накануне,", "у червні")
    comes before ``start`` in its sentence: the date there is that other night's, not this one's
    ("The previous record ... was set on the night of May 25-26"). ``firsts``: where each
    sentence's first such cue starts, kept by the caller as it is found (a long sentence has many
    dates)."""
    flags = sentence.flags
    if "distractor" not in flags and "cumulative" not in flags:  # the usual sentence
        return False
    first = firsts.get(id(sentence))
    if first is None:
        first = firsts[id(sentence)] = min(a for name in ("distractor", "cumulative") for a, _ in flags.get(name, ()))
    return first < start


def _end_of_range(doc: Document, pats: dict[str, re.Pattern], start: int, day: dt.date) -> dt.date:
    """The day an attack ended, for a date stated as its start ("С 20:00 18 августа" ended on the
    19th: an evening start runs into the next morning); any other date as it is."""
    begun = pats["range_start"].search(doc.text, max(0, start - 45), start)
    if begun is not None and int(begun.group("hour")) >= 12:
        return day + dt.timedelta(days=1)
    return day


# a candidate date of the attack: (the date, whether a night word is before it, its span's start, end)
_Candidate = tuple[dt.date, bool, int, int]


def _attack_date(doc: Document, published: dt.date, period: Period) -> dt.date:
    """Set the period's date, and its rule and span, and return the date."""
    pats = _patterns(doc.language)
    dates: list[_Candidate] = []
    weekdays: list[_Candidate] = []
    firsts: dict[int, int] = {}
    for match, sentence, parts in stated_dates(doc):
        start = match.start()
        if _after_other_attack_cue(sentence, start, firsts) or _in_dateline(doc, match):
            continue
        day = latest_day(parts, published)
        if day is not None:
            dates.append(_time_of_day(doc, pats, published, day, match, sentence))
    for match, sentence in mentions(doc, "weekday"):
        if _after_other_attack_cue(sentence, match.start(), firsts):
            continue
        day = _weekday(match, published, doc.language)
        if pats["night_after"].match(doc.text, match.end()) and day < published:
            day += dt.timedelta(days=1)  # "on Tuesday night": the attack ended on Wednesday
        weekdays.append(_time_of_day(doc, pats, published, day, match, sentence))
    dates += _feasts(doc, pats, published, firsts)
    weekdays += _yesterday(doc, pats, published)
    if dates or weekdays:
        dates, weekdays = _join_ranges(doc, pats, dates, weekdays)
        dates, weekdays = _this_night(doc, published, dates), _this_night(doc, published, weekdays)
        for rule, found in _choices(doc, pats, dates, weekdays, published):
            if found:
                day, _, start, end = found[0]
                period.date, period.rule = day, rule
                period.spans["date"] = (start, end)
                return day
    period.date, period.rule = published, "publication_date"
    return published


def _time_of_day(doc: Document, pats: dict[str, re.Pattern], published: dt.date, day: dt.date,
                 match: re.Match, sentence: Sentence, told: str = "") -> _Candidate:
    """A mention of ``day`` as a candidate: the day the attack ended, and whether it names the night.

    After a night word ("у ніч на 4 липня") it names the night that ended on it. An evening start
    ("з 18:00 3 липня") ended the next day. ``told``: the time of day a feast's name gives ("evening"
    for an eve, "night"). So did any evening in a report of a night ("from the
    evening of January 25", "вечером 26 августа", "близько 20:00 9 квітня", "26 августа в 23:18"),
    and the morning of a day in the week before the report ("early on Jan. 1", "вранці 8 липня")
    is the end of that night; not when a report verb follows ("Про це вранці 27 жовтня
    повідомили": the report's time), nor in a sentence with a cue of another count ("On Thursday
    evening, officials had put the toll at 12")."""
    start, end, text = match.start(), match.end(), doc.text
    found = (day, told == "night" or _after_night(doc, start, pats), start, end)
    begun = _end_of_range(doc, pats, start, day)
    if begun != day:
        return begun, found[1], start, end
    if found[1] or pats["reported"].match(text, end) or sentence.has("distractor") or sentence.has("cumulative"):
        return found  # a time of day in a sentence about another count is not the attack's
    if pats["morning_of"].search(text, max(0, start - 30), start) is not None:
        return (day, True, start, end) if published - dt.timedelta(days=7) <= day <= published else found
    evening = (told == "evening" or pats["evening_of"].search(text, max(0, start - 30), start) is not None
               or pats["evening_after"].match(text, end) is not None)
    if not evening:
        clock = pats["clock_before"].search(text, max(0, start - 20), start) or pats["clock_after"].match(text, end)
        evening = clock is not None and 18 <= int(clock.group("hour")) <= 23
    if evening and _night_story(doc):
        return day + dt.timedelta(days=1), True, start, end
    return found


def _feasts(doc: Document, pats: dict[str, re.Pattern], published: dt.date, firsts: dict[int, int]) -> list[_Candidate]:
    """The days the story names by their feast ("Christmas Day", "New Year's Eve", "новорічна
    ніч"), as dates: the eve is an evening, "New Year's night" the night that ended on 1 January."""
    pattern, days = _holidays(doc.language)
    found = []
    for sentence in doc.story:
        for start, _ in sentence.flags.get("holiday", ()):
            match = pattern.match(doc.text, start, sentence.end)
            if match is None or _after_other_attack_cue(sentence, start, firsts):
                continue
            month, day, told = days[int(str(match.lastgroup)[1:])]
            stated = latest_day(DateParts(day, month, None), published)
            if stated is not None:
                found.append(_time_of_day(doc, pats, published, stated, match, sentence, told))
    return found


def _yesterday(doc: Document, pats: dict[str, re.Pattern], published: dt.date) -> list[_Candidate]:
    """"Yesterday" in the opening ("Kyiv said yesterday that Russia had fired ... overnight", in a
    paper of the next day) as a weekday: the day before the report. Further on, "yesterday" is
    as often a statement's day as the attack's, and is left alone."""
    day = published - dt.timedelta(days=1)
    found = []
    for sentence in doc.opening:
        for match in pats["yesterday"].finditer(doc.text, sentence.start, sentence.end):
            found.append(_time_of_day(doc, pats, published, day, match, sentence))
    return found


def _this_night(doc: Document, published: dt.date, found: list[_Candidate]) -> list[_Candidate]:
    """Without the nights named after the opening before the publication day, when the opening
    tells of the night with no date or weekday ("Ночью ... перехватили семь беспилотников" ...
    "Так, в ночь на 19 октября ПВО сбила 45"): "overnight" undated is the night just gone, and a
    night named further on is an earlier one."""
    opening = doc.opening
    if not found or not opening or not any(s.has("overnight") for s in opening):
        return found
    lead_end = opening[-1].end
    if any(s.has("month") or s.has("weekday") or s.has("night_of") for s in opening):
        return found
    return [d for d in found if not (d[1] and d[2] >= lead_end and d[0] < published)]


def _night_story(doc: Document) -> bool:
    """Whether the story tells of a night ("overnight", "вночі", "ночная атака"), found once a report."""
    found = doc.memo.get("_night_story")
    if found is None:
        found = doc.memo["_night_story"] = any(s.has("overnight") or s.has("night_of") for s in doc.story) or any(
            _patterns(doc.language)["after_midnight"].search(doc.text, s.start, s.end) for s in doc.story)
    return bool(found)


def _join_ranges(doc: Document, pats: dict[str, re.Pattern], dates: list[_Candidate],
                 weekdays: list[_Candidate]) -> tuple[list[_Candidate], list[_Candidate]]:
    """The dates and weekdays with each range read as its end: of two mentions joined by a range
    word ("the night of December 31, 2022, to January 1, 2023", "between Saturday and Sunday",
    "з вечора 25 січня до ранку 26 січня"), the attack ended on the second. The first is dropped,
    and the second takes its night word."""
    mentioned = sorted([(c, True) for c in dates] + [(c, False) for c in weekdays], key=lambda item: item[0][2])
    dropped: set[int] = set()  # the starts of the mentions that begin a range
    upgraded: set[int] = set()  # the starts of range ends after a night word's mention
    for (first, _), (second, _) in zip(mentioned, mentioned[1:]):
        if _range_gap(doc, pats, first[3], second[2]):
            dropped.add(first[2])
            if first[1] or first[2] in upgraded:
                upgraded.add(second[2])
    if not dropped:
        return dates, weekdays

    def ends(found: list[_Candidate]) -> list[_Candidate]:
        return [(day, night or start in upgraded, start, end) for day, night, start, end in found if start not in dropped]

    return ends(dates), ends(weekdays)


def _choices(doc: Document, pats: dict[str, re.Pattern], dates: list[_Candidate], weekdays: list[_Candidate],
             published: dt.date) -> Iterator[tuple[str, list[_Candidate]]]:
    """Each rule's candidates (date, after a night word, start, end), in the rules' order; a
    rule's are worked out only when those before it found none."""
    # "Ночь на 6 ноября. ... Ночь на 7 ноября.": of several nights the report names, the latest is its own
    yield "night_of_date", sorted((d for d in dates if d[1]), key=lambda d: (d[0] > published, -d[0].toordinal()))
    # "з 23:30 27 квітня до 17:00 28 квітня": it ended on the 28th
    # ... and "until 5:00 a.m. on Friday"
    yield "range_end_date", [d for d in dates + weekdays if pats["range_end"].search(doc.text, max(0, d[2] - 40), d[2])]
    yield "night_of_weekday", [d for d in weekdays if d[1]]
    earliest = published - dt.timedelta(days=2)
    # a plain date first named deep in the story, with no day named in its opening, is more often
    # background ("18 октября Минобороны России сообщило ...") than the attack's: the report's day
    near = [d for d in dates if earliest <= d[0] <= published and _in_head(doc, d[2])]
    # "Удар РФ по Киеву 22 октября: число погибших выросло до трех" (a follow-up of the 28th): the
    # day the headline names is the attack's, within the week before the report
    week = published - dt.timedelta(days=7)
    yield "headline_date", [d for d in dates if week <= d[0] <= published and _in_headline(doc, d[2])]
    yield "date_near_publication", near
    yield "weekday", weekdays


def _in_headline(doc: Document, position: int) -> bool:
    """Whether ``position`` is in the story's headline."""
    sentence = doc.sentence_at(position)
    return sentence is not None and sentence.headline and doc.place(sentence) == 0


_HEAD = 4  # the story's first sentences, where a report names its attack's day


def _in_head(doc: Document, position: int) -> bool:
    """Whether ``position`` is in one of the story's first ``_HEAD`` sentences."""
    sentence = doc.sentence_at(position)
    place = doc.place(sentence) if sentence is not None else None
    return place is not None and place < _HEAD


def _times(doc: Document, period: Period, attack_day: dt.date) -> None:
    """The start and end times of the period whose date is ``attack_day``, when the head states them."""
    head_sentences = doc.story[:6]
    # most reports state no clock time: look for one before joining the head
    if not head_sentences or not _CLOCK.search(doc.text, head_sentences[0].start, head_sentences[-1].end):
        return
    pats, words = _patterns(doc.language), _time_words(doc.language)
    head = "".join(doc.text[s.start : s.end] + "\n" for s in head_sentences)
    offset: dict[str, tuple[int, int]] = {}
    start = _search_timed(pats["start"], *words["start"], head, 0)
    if start:
        hour, minute = int(start.group("hour")), int(start.group("minute"))
        day = attack_day
        stated = pats["date"].match(head, start.end() + 1)
        if stated is not None:
            day = resolve(stated, attack_day) or day
        elif hour >= 12 and _night(doc):
            day = attack_day - dt.timedelta(days=1)
        period.start = _at(day, hour, minute)
        offset["start"] = start.span()
    end = _search_timed(pats["end"], *words["end"], head, start.end() if start else 0)
    if end and 0 <= int(end.group("hour")) < 24:
        period.end = _at(attack_day, int(end.group("hour")), int(end.group("minute")))
        offset["end"] = end.span()
    if period.start and period.end and period.start > period.end:
        period.start = None
    period.spans.update({k: _map_span(doc, head, v) for k, v in offset.items()})


_CLOCK = re.compile(r"\d[:.][0-5]\d")
_REGEX_SYNTAX = frozenset("\\.^$*+?{}[]()|")


@lru_cache(maxsize=4)
def _time_words(language: str) -> dict[str, tuple[re.Pattern, int | None]]:
    """The words before the clock time of the "start" and "end" patterns ("з", "станом на"), as a
    pattern that must end where the spaces before the time end, and the most characters they
    can match (None when some word is a pattern, not plain text)."""
    time = raw_lexicon(language)["time"]
    found: dict[str, tuple[re.Pattern, int | None]] = {}
    for kind, keys in (("start", ("from_time",)), ("end", ("as_of", "to_time"))):
        words = [normalize(p) for key in keys for p in time[key]]
        plain = not any(_REGEX_SYNTAX.intersection(word) for word in words)
        found[kind] = (re.compile(rf"(?<!\w)(?:{'|'.join(words)})\s+\Z", re.IGNORECASE),
                       max(map(len, words)) if plain else None)
    return found


def _search_timed(pattern: re.Pattern, words: re.Pattern, width: int | None, text: str, pos: int) -> re.Match | None:
    """``pattern.search(text, pos)`` for a pattern of words, spaces and a clock time ("as of 09:00").
    The words (``words``, at most ``width`` characters) end where the spaces before a clock time
    begin, so they are looked for only in the few characters before each clock time: the scan of
    the word alternatives along the whole text is the slow part."""
    for clock in _CLOCK.finditer(text, pos):
        time_start = _time_start(text, clock.start())
        if time_start is None:
            continue
        words_end = time_start
        while words_end > pos and text[words_end - 1].isspace():
            words_end -= 1
        found = words.search(text, pos if width is None else max(pos, words_end - width), time_start)
        match = found and pattern.match(text, found.start())
        if match:
            return match
    return None


def _time_start(text: str, digit: int) -> int | None:
    """Where a clock time whose hour ends at ``digit`` ("18:00", "9.30") starts, when spaces come
    before it (the patterns ask for them); None otherwise."""
    if digit > 0 and text[digit - 1].isspace():
        return digit
    if digit > 1 and text[digit - 1] in "012" and text[digit - 2].isspace():
        return digit - 1
    return None


def _night(doc: Document) -> bool:
    return any(s.has("overnight") or s.has("night_of") for s in doc.story[:4])


def _map_span(doc: Document, head: str, span: tuple[int, int]) -> tuple[int, int]:
    """A span in the joined head sentences back to a span in the text."""
    position = 0
    for sentence in doc.story[:6]:
        length = sentence.end - sentence.start + 1
        if span[0] < position + length:
            start = sentence.start + span[0] - position
            return start, min(start + span[1] - span[0], sentence.end)
        position += length
    return span


def _at(day: dt.date, hour: int, minute: int) -> dt.datetime | None:
    if hour > 23:
        return None
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=KYIV)


def find_period(doc: Document, published: dt.datetime) -> Period:
    """The period of the attack the text reports, resolved against ``published`` (Kyiv time)."""
    period = Period()
    today = published.astimezone(KYIV).date()
    _times(doc, period, _attack_date(doc, today, period))
    if period.date and period.date > today:
        period.warnings.append(("date_in_future", f"period.date {period.date} is after the publication date {today}"))
    return period

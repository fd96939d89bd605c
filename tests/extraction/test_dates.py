"""The period machinery of airtally.extraction.dates: the windowed time search matches a plain search."""

import datetime as dt

import pytest

from airtally.extraction import dates
from airtally.extraction.document import Document

TEXTS = [
    "У ніч на 4 липня (з 18:00 3 липня) ворог атакував. Станом на 09:00 збито 5.",
    "В ночь на 5 мая (с 19:00 4 мая до 08:30) сбиты 10 дронов; по состоянию на  08:30 - 12.",
    "Overnight, from 18.00 until 9:00, 40 drones were launched; as of 09:00 on July 4, 30 were downed.",
    "at 1:30:45 by 012:30 till\t7.15 from 24:00 since 23:59 к 10:00 о 7:00 на 12:00 до 5.30",
]


def test_time_search_matches_the_plain_search():
    for language in ("en", "uk", "ru"):
        patterns, words = dates._patterns(language), dates._time_words(language)
        for text in TEXTS:
            for kind in ("start", "end"):
                for pos in range(0, len(text), 7):
                    plain = patterns[kind].search(text, pos)
                    found = dates._search_timed(patterns[kind], *words[kind], text, pos)
                    assert (plain and (plain.span(), plain.groups())) == (found and (found.span(), found.groups()))


def test_time_words_are_measured_from_the_lexicon():
    for language in ("en", "uk", "ru"):
        _, width = dates._time_words(language)["end"]
        assert width is not None and width >= len("as of")


def test_mentions_of_both_kinds_found_in_one_pass():
    doc = Document("On Monday night, July 7, Russia attacked; on Sunday, 6 July, it did too.", "en")
    assert [m.group() for m, _ in dates.mentions(doc, "date")] == ["July 7", "6 July"]
    assert [m.group() for m, _ in dates.mentions(doc, "weekday")] == ["Monday", "Sunday"]
    period = dates.find_period(doc, dt.datetime(2025, 7, 8, 10, tzinfo=dates.KYIV))
    assert period.date == dt.date(2025, 7, 7)


@pytest.mark.parametrize(("parts", "published", "expected"), [
    ((4, 7, None), dt.date(2025, 7, 4), dt.date(2025, 7, 4)),
    ((10, 7, None), dt.date(2025, 7, 4), dt.date(2025, 7, 10)),  # up to a week ahead: this year's
    ((30, 12, None), dt.date(2026, 1, 1), dt.date(2025, 12, 30)),  # further ahead: last year's
    ((29, 2, None), dt.date(2024, 3, 1), dt.date(2024, 2, 29)),
    ((29, 2, None), dt.date(2026, 12, 3), None),  # not a day of this year or the last: not read
    ((31, 4, None), dt.date(2025, 7, 4), None),  # no such day in any year
    ((29, 2, 2025), dt.date(2025, 7, 4), None),  # the year stated has no such day
    ((3, 7, 2025), dt.date(2026, 1, 1), dt.date(2025, 7, 3)),
])
def test_a_date_resolves_near_the_day_it_is_read_against(parts, published, expected):
    assert dates.resolve_parts(parts, published) == expected


@pytest.mark.parametrize(("parts", "published", "expected"), [
    ((4, 7, None), dt.date(2025, 7, 4), dt.date(2025, 7, 4)),  # as resolve_parts where it has a day
    ((29, 2, None), dt.date(2026, 12, 3), dt.date(2024, 2, 29)),  # the last leap year's
    ((29, 2, None), dt.date(2025, 2, 25), dt.date(2024, 2, 29)),
    ((29, 2, None), dt.date(2028, 2, 25), dt.date(2028, 2, 29)),  # within the week ahead
    ((29, 2, None), dt.date(2028, 2, 10), dt.date(2024, 2, 29)),  # this February's is too far ahead
    ((29, 2, 2025), dt.date(2025, 7, 4), None),  # a year stated is kept
    ((31, 4, None), dt.date(2025, 7, 4), None),
])
def test_the_attack_s_date_is_the_latest_day_it_can_be(parts, published, expected):
    assert dates.latest_day(parts, published) == expected

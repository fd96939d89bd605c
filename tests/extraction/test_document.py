"""The document's character tests agree with the Unicode categories they stand for; its shortcuts
agree with the plain rules they stand for."""

from __future__ import annotations

import sys
import unicodedata

import pytest

from airtally.extraction.document import _LETTER_OR_DIGIT, Document


def test_letter_or_digit_is_category_l_or_n() -> None:
    wrong = [hex(code) for code in range(sys.maxunicode + 1)
             if (unicodedata.category(chr(code))[0] in "LN") != bool(_LETTER_OR_DIGIT.match(chr(code)))]
    assert wrong == []


# -- a line's cue to skip it, searched for only where it can start ------------------------------
CUE_LINES = {
    "en": ["Read also: Russia fired 17 drones", "Photo: Ukrainian air defence at work", "Related:",
           "x" * 36 + " Read also", "x" * 35 + " read also", "x" * 38 + " read more about it",
           "x" * 30 + " Subscribed to the channel", "x" * 31 + " Subscribe", "x" * 33 + " photo:x",
           "Air defence downed 12 drones. See also: x", "Russia launched 17 drones", "subscribers"],
    "uk": ["Читайте також: збито 12 шахедів", "x" * 28 + " Передісторіями загалом",
           "x" * 27 + " Передісторія", "Нагадаємо, що вночі", "ілюстративне фото", "Фото: Генштаб",
           "x" * 35 + " Фото:", "Як повідомлялося раніше", "збито 12 шахедів"],
    "ru": ["Напомним, что ночью", "x" * 32 + " Напомнимте", "Читайте также: x", "x" * 30 + " Фото: x",
           "как сообщалось ранее", "сбито 12 дронов"],
}


@pytest.mark.parametrize("language", sorted(CUE_LINES))
def test_skip_cue_is_the_plain_search(language: str) -> None:
    """A line is a cue line exactly when the skip_line patterns are found in its first 40 characters."""
    search = Document("x", language).lex.flag("skip_line").search
    lines = CUE_LINES[language] + [line[:n] for line in CUE_LINES[language] for n in range(30, 48)]
    for line in lines:
        doc = Document("Intro.\n" + line, language)
        start = len("Intro.\n")
        *_, cues = doc.lex.scan(doc.text)
        assert doc._skip_cue(doc.text[start:], start, cues) == bool(search(doc.text[start:][:40])), line


def test_last_word_is_the_plain_search() -> None:
    """``_LAST_WORD`` matched at a stretch's start finds what ``(\\w+)\\W*$`` searched for finds."""
    import random
    import re

    from airtally.extraction.document import _LAST_WORD

    plain = re.compile(r"(\w+)\W*$")
    rng = random.Random(1)
    for _ in range(20000):
        text = "".join(rng.choice("ab_1 .,-'\"Жё)") for _ in range(rng.randint(0, 12))) + "."
        for start in range(len(text)):
            found, expected = _LAST_WORD.match(text, start, len(text)), plain.search(text, start, len(text))
            assert (found and found.group(1)) == (expected and expected.group(1)), (text, start)


def test_split_within_lines_is_the_plain_split() -> None:
    """``_SPLIT`` (its space takes no line end) finds, in random texts, the breaks of the plain
    pattern (any space) whose match holds no line end."""
    import random
    import re

    from airtally.extraction.document import _SPLIT

    plain = re.compile(r"[.!?…]+[\"')»]*\s+(?=[\"«(]?[^\W_a-zа-яіїєґё])")
    rng = random.Random(2)
    for _ in range(20000):
        text = "".join(rng.choice("aZ. \n\t\r!»«\"(Ж\u00a0") for _ in range(rng.randint(0, 14)))
        expected = [m.span() for m in plain.finditer(text) if "\n" not in m.group()]
        assert [m.span() for m in _SPLIT.finditer(text)] == expected, repr(text)

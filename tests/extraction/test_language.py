"""Language detection counts letters as its regexes would, on any text."""

from __future__ import annotations

import random
import re

from airtally.extraction.language import _characters, _encoded, _every_character, _read, _script, detect_language

# Latin, Cyrillic, their case look-alikes (long s, Kelvin sign, dotless i, old Cyrillic forms),
# Greek, punctuation and characters the byte codec lacks
_ALPHABET = "abcxyzABCXYZ ſKİı абвгяёЁіІїЇєЄґҐыЫэЭъЪᲀᲁᲆ ΑΒγδ ў ђ 12 .,-'«»–—\u00a0\u0301😀\ud800"


def test_letter_counts_match_the_script_regexes() -> None:
    rng = random.Random(7)
    script = _script()
    for _ in range(2000):
        text = "".join(rng.choice(_ALPHABET) for _ in range(rng.randint(0, 40)))
        for name, pattern in _read("base")["script"].items():
            expected = len(re.findall(pattern, text, re.IGNORECASE))
            assert script[name](text, _encoded(text)) == expected, (name, text)


def test_languages() -> None:
    assert detect_language("") == "en"
    assert detect_language("Kyiv: ſhahed") == "en"
    assert detect_language("Ворог атакував дронами") == "uk"
    assert detect_language("Враг атаковал дронами ночью") == "ru"


def test_one_character_classes_match_what_they_match_in_all_of_unicode() -> None:
    every = _every_character()
    one_character = [p for p in _read("base")["script"].values() if re.fullmatch(r"\[[^\]]*\]", p)]
    assert one_character
    for pattern in [*one_character, "[a-zа-яё]", "s", "k", "i", "[ᲀ-ᲈ]", "[^a-z]", r"[\w]", "[\U00010400-\U0001044f]"]:
        assert _characters(pattern) == frozenset(re.findall(pattern, every, re.IGNORECASE)), pattern

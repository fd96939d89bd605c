"""Which of airtally's languages a text is written in.

>>> detect_language("Russia launched 539 drones"), detect_language("Ворог атакував 539 дронами")
('en', 'uk')
>>> detect_language("Противник атаковал Украину беспилотниками")
'ru'
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from re import _constants, _parser

from airtally.extraction.lexicon import _read


@lru_cache(maxsize=1)
def _script() -> dict[str, Callable[[str], int]]:
    """Per ``script`` entry of base.yaml, a function counting its matches in a text."""
    return {name: _counter(pattern) for name, pattern in _read("base")["script"].items()}


def _counter(pattern: str) -> Callable[[str], int]:
    r"""Counts ``pattern``'s matches; a one-character class ("[a-z]") by the length of its runs,
    which spares the regex engine a match object per letter.

    >>> _counter("[a-z]")("Kh-101 and 2 Kalibr"), _counter("(?<!\\w)and(?!\\w)")("and band and")
    (11, 2)
    """
    parsed = _parser.parse(pattern, re.IGNORECASE)
    if len(parsed) == 1 and parsed[0][0] in (_constants.IN, _constants.LITERAL):
        runs = re.compile(f"(?:{pattern})+", re.IGNORECASE)
        return lambda text: len(text) - len(runs.sub("", text))
    compiled = re.compile(pattern, re.IGNORECASE)
    return lambda text: len(compiled.findall(text))


def detect_language(text: str) -> str:
    """``"en"``, ``"uk"`` or ``"ru"``: Latin against Cyrillic letters, then letters only one of
    Ukrainian (і ї є ґ) and Russian (ы э ъ ё) has, then common words only one has. A text with
    no letters counts as English."""
    script = _script()
    sample = text[:3000]  # the opening says which language; counting further only costs time
    latin = script["latin"](sample)
    cyrillic = script["cyrillic"](sample)
    if latin >= cyrillic:
        return "en"
    uk, ru = script["uk_only"](sample), script["ru_only"](sample)
    if uk == ru == 0:
        uk, ru = script["uk_words"](sample), script["ru_words"](sample)
    return "uk" if uk > ru else "ru"

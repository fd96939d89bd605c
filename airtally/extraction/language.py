"""Which of airtally's languages a text is written in.

>>> detect_language("Russia launched 539 drones"), detect_language("Ворог атакував 539 дронами")
('en', 'uk')
>>> detect_language("Противник атаковал Украину беспилотниками")
'ru'
"""

from __future__ import annotations

import re
from functools import lru_cache

from airtally.extraction.lexicon import _read


@lru_cache(maxsize=1)
def _script() -> dict[str, re.Pattern]:
    return {name: re.compile(pattern, re.IGNORECASE) for name, pattern in _read("base")["script"].items()}


def detect_language(text: str) -> str:
    """``"en"``, ``"uk"`` or ``"ru"``: Latin against Cyrillic letters, then letters only one of
    Ukrainian (і ї є ґ) and Russian (ы э ъ ё) has, then common words only one has. A text with
    no letters counts as English."""
    script = _script()
    sample = text[:3000]  # the opening says which language; counting further only costs time
    latin = len(script["latin"].findall(sample))
    cyrillic = len(script["cyrillic"].findall(sample))
    if latin >= cyrillic:
        return "en"
    uk, ru = len(script["uk_only"].findall(sample)), len(script["ru_only"].findall(sample))
    if uk == ru == 0:
        uk, ru = len(script["uk_words"].findall(sample)), len(script["ru_words"].findall(sample))
    return "uk" if uk > ru else "ru"

"""Which of airtally's languages a text is written in, or which other language.

>>> detect_language("Russia launched 539 drones"), detect_language("Ворог атакував 539 дронами")
('en', 'uk')
>>> detect_language("Противник атаковал Украину беспилотниками")
'ru'
>>> identify_language("In der Nacht hat Russland 50 Drohnen gestartet; 41 wurden über der Ukraine abgeschossen.")
'de'
"""

from __future__ import annotations

import re
import sys
from array import array
from collections.abc import Callable
from functools import lru_cache
from re import _constants, _parser  # type: ignore[attr-defined]  # private: no stubs

from airtally.extraction.lexicon import _read


# Latin and Cyrillic letters are one byte each in this encoding: a text's letters of a class are
# counted by deleting the class's bytes from the encoded text (bytes.translate runs in C).
_BYTE_CODEC = "cp1251"
_FEW = 16  # letters of a class outside the codec counted one by one; more: by a regex


class _Counters:
    """Per ``script`` entry of base.yaml, a function counting its matches in a text (given the
    text and the text encoded in ``_BYTE_CODEC``, characters it lacks left out), each built when
    first used: an English text needs only the Latin and Cyrillic ones."""

    def __init__(self, patterns: dict[str, str]):
        self.patterns = patterns
        self.built: dict[str, Callable[[str, bytes], int]] = {}

    def __getitem__(self, name: str) -> Callable[[str, bytes], int]:
        found = self.built.get(name)
        if found is None:
            found = self.built[name] = _counter(self.patterns[name])
        return found


@lru_cache(maxsize=1)
def _script() -> _Counters:
    return _Counters(_read("base")["script"])


def _counter(pattern: str) -> Callable[[str, bytes], int]:
    r"""Counts ``pattern``'s matches; a one-character class ("[a-z]") by the characters it
    matches, looked up once in all of Unicode.

    >>> text = "Kh-101 and 2 Kalibr"
    >>> _counter("[a-z]")(text, _encoded(text)), _counter(r"(?<!\w)and(?!\w)")("and band and", b"")
    (11, 2)
    """
    parsed = _parser.parse(pattern, re.IGNORECASE)
    if len(parsed) == 1 and parsed[0][0] in (_constants.IN, _constants.LITERAL):
        return _class_counter(pattern)
    compiled = re.compile(pattern, re.IGNORECASE)
    return lambda text, _: len(compiled.findall(text))


def _class_counter(pattern: str) -> Callable[[str, bytes], int]:
    """Counts the characters one-character ``pattern`` matches (case-insensitively): those the
    codec has by their bytes, the few others one by one."""
    chars = _characters(pattern)
    encoded = {c: c.encode(_BYTE_CODEC, "ignore") for c in chars}
    in_codec = bytes(b[0] for b in encoded.values() if len(b) == 1)
    others = [c for c, b in encoded.items() if len(b) != 1]
    if len(others) > _FEW:
        runs = re.compile(f"(?:{pattern})+", re.IGNORECASE)
        return lambda text, _: len(text) - len(runs.sub("", text))
    # a text the codec holds whole (len(codes) == len(text): nothing left out) has none of the others
    return lambda text, codes: (len(codes) - len(codes.translate(None, in_codec))
                                + (0 if len(codes) == len(text) else sum(map(text.count, others))))


def _characters(pattern: str) -> frozenset[str]:
    """The characters one-character ``pattern`` matches case-insensitively, looked up among all
    code points, or only the Basic Multilingual Plane's when it is a class of characters and
    ranges there: case mappings stay within a script, and the other planes hold scripts of their
    own (the tests check it against every code point). Scanning the plane takes a few
    milliseconds at the first detection; all of Unicode, about a hundred."""
    op, av = _parser.parse(pattern, re.IGNORECASE)[0]
    items = av if op is _constants.IN else [(op, av)]
    in_plane = all((o is _constants.LITERAL and a < 0x10000) or (o is _constants.RANGE and a[1] < 0x10000) for o, a in items)
    return frozenset(re.compile(pattern, re.IGNORECASE).findall(_every_character(0x10000 if in_plane else sys.maxunicode + 1)))


@lru_cache(maxsize=1)  # the plane, once a process: each class is looked up in it
def _every_character(stop: int = sys.maxunicode + 1) -> str:
    """Every code point below ``stop``, once, as one string."""
    return array("I", range(stop)).tobytes().decode("utf-32-le", "surrogatepass")


def _encoded(text: str) -> bytes:
    return text.encode(_BYTE_CODEC, "ignore")


def detect_language(text: str) -> str:
    """``"en"``, ``"uk"`` or ``"ru"``: Latin against Cyrillic letters, then letters only one of
    Ukrainian (і ї є ґ) and Russian (ы э ъ ё) has, then common words only one has. A text with
    no letters counts as English."""
    script = _script()
    sample = text[:3000]  # the opening says which language; counting further only costs time
    codes = _encoded(sample)
    latin = script["latin"](sample, codes)
    cyrillic = script["cyrillic"](sample, codes)
    if latin >= cyrillic:
        return "en"
    uk, ru = script["uk_only"](sample, codes), script["ru_only"](sample, codes)
    if uk == ru == 0:
        uk, ru = script["uk_words"](sample, codes), script["ru_words"](sample, codes)
    return "uk" if uk > ru else "ru"


def identify_language(text: str) -> str | None:
    """``detect_language``'s answer, unless the text reads as a language airtally does not read:
    then that language's code (``lexicons/detection.yaml``: German, Polish, French, ...), or None
    when most of its letters are of neither the Latin nor the Cyrillic script.

    >>> identify_language("Rosja wystrzeliła w nocy 50 dronów, zestrzelono 41."), identify_language("攻击 50 架无人机")
    ('pl', None)
    """
    supported = detect_language(text)
    sample = text[:_SAMPLE]
    if _other_script(sample):
        return None
    found, best = supported, 0
    words: list[str] | None = None  # the sample's words, read once some other language may be there
    opening = set(_WORD.findall(sample[:_OPENING].lower()))
    for code, (script, letters, known) in _others().items():
        if script != _SCRIPT_OF[supported] or not (letters.search(sample) or len(opening & known) >= 2):
            continue
        if words is None:
            words = _WORD.findall(sample.lower())
        own = len(letters.findall(sample)) + sum(1 for word in words if word in known)
        theirs = sum(1 for word in words if word in _supported_words()[supported])
        if own >= _MIN_EVIDENCE and own > 2 * theirs and own > best:
            found, best = code, own
    return found


_SAMPLE = 3000  # as detect_language: the opening says which language
_MIN_EVIDENCE = 5
_OPENING = 300  # characters whose words tell quickly whether another language may be there
_WORD = re.compile(r"[^\W\d_]+")
_LETTER = re.compile(r"[^\W\d_]")
_SCRIPT_OF = {"en": "latin", "uk": "cyrillic", "ru": "cyrillic"}


def _other_script(sample: str) -> bool:
    """Whether most of the sample's letters are neither Latin nor Cyrillic (Chinese, Arabic, ...)."""
    codes = _encoded(sample)
    script = _script()
    ours = script["latin"](sample, codes) + script["cyrillic"](sample, codes)
    if ours * 4 >= len(sample):  # the usual text: no need to count every letter
        return False
    return len(_LETTER.findall(sample)) > 2 * ours


@lru_cache(maxsize=1)
def _others() -> dict[str, tuple[str, re.Pattern, frozenset[str]]]:
    """Per language of detection.yaml: its script, a pattern of its letters, its words."""
    data = _read("detection")["languages"]
    return {code: (entry["script"], re.compile(f"[{re.escape(entry['letters'])}]", re.IGNORECASE),
                   frozenset(word.lower() for word in entry["words"]))
            for code, entry in data.items()}


def language_name(code: str) -> str:
    """The English name of a language of detection.yaml ("de": "German"); the code itself otherwise."""
    entry = _read("detection")["languages"].get(code)
    return entry["name"] if entry else code


@lru_cache(maxsize=1)
def _supported_words() -> dict[str, frozenset[str]]:
    return {code: frozenset(word.lower() for word in words) for code, words in _read("detection")["supported"].items()}

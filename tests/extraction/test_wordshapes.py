"""Word shapes are told apart without a regex where their words are known, and exactly as the
regex would tell them (``airtally.extraction.wordshapes``)."""

from __future__ import annotations

import re
import sys
from functools import lru_cache
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import gate  # noqa: E402

from airtally.extraction.document import normalized  # noqa: E402
from airtally.extraction.lexicon import LANGUAGES, lexicon  # noqa: E402
from airtally.extraction.matcher import Matcher  # noqa: E402
from airtally.extraction.wordshapes import Shapes, known_words, lookaheads, plain_words, shape_words, words_of  # noqa: E402

# (shape, what it matches: (text, -1) a word, (stem, n) any word starting so, n or more longer; None: a regex decides)
WORDS_OF = [
    ("were|was", [("were", -1), ("was", -1)]),
    ("launch(?:ed|es|ing)?", [("launch", -1), ("launched", -1), ("launches", -1), ("launching", -1)]),
    ("defen[cs]e", [("defence", -1), ("defense", -1)]),
    ("air(?:(?:craft)){0,1}", [("air", -1), ("aircraft", -1)]),
    (r"дрон\w*", [("дрон", 0)]),
    (r"запусти\w+в", None),  # something after "any word characters"
    (r"д(?:е|і)н\w*|бпла", [("ден", 0), ("дін", 0), ("бпла", -1)]),
    (r"(?:бпла|дрон(?:[\w]){0,})", [("бпла", -1), ("дрон", 0)]),
    (r"\w+", [("", 1)]),
    (r"(?:[\d]){1,}", None),  # digits: a category
    (r"[^x]y", None),  # a negated class
    (r"(?i:x)y", None),  # inline flags
    ("(?:a|b|c|d)(?:a|b|c|d)(?:a|b|c|d)(?:a|b|c|d)", None),  # 256 words: more than MAX_WORDS
    ("s(?:s){0,9}", None),  # repeated more times than is worth listing
]


@pytest.mark.parametrize(("shape", "expected"), WORDS_OF)
def test_words_of_a_shape(shape: str, expected) -> None:
    assert words_of(shape) == expected


# words that the regex and a look-up could tell apart if case folds were read wrong: the long s
# (a case form of "s"), the Kelvin sign ("k"), dotted and dotless i, the sharp s, Cyrillic look-alikes
ODD = ["ſhahed", "\u212aalibr", "\u212aINZHAL", "İskander", "ıskander", "Straße", "STRASSE", "Kh101", "ДРОНІВ",
       "Дрони", "дронів", "шахедів", "Шахеди", "ракет", "Ракети", "ЗБИТО", "збито", "Ѕhahed", "Ηere", "a", "x", "1"]


@lru_cache(maxsize=None)
def vocabulary(language: str) -> tuple[str, ...]:
    """The words of the language's corpus texts, as they stand, in upper case and capitalised,
    and the odd ones above."""
    words = {w for c in gate.load_cases() if c.id.startswith(f"{language}/") for w in re.findall(r"\w+", normalized(c.text))}
    return tuple(sorted(words | {w.upper() for w in words} | {w.capitalize() for w in words} | set(ODD)))


def reference(sources: list[str], word: str) -> int:
    """The bits of the shapes matching all of ``word``, by the one regex telling them all."""
    found = lookaheads(sources).match(word)
    return sum(1 << i for i, group in enumerate(found.groups()) if group is not None) if found else 0


def shape_groups(language: str):
    """Every group of shapes the lexicon's scan asks about together, with the words it asks about:
    each leaf's first words (the words starting with its characters, and the odd ones), each
    fold's next words."""
    scanner = lexicon(language).scanner
    words = vocabulary(language)
    for matcher in scanner.matchers:
        if not isinstance(matcher, Matcher):
            continue
        leaves = {id(leaf): leaf for leaf in matcher.leaves.values()}
        for leaf in leaves.values():
            yield leaf.firsts, [w for w in words if matcher.leaves.get(w[0], matcher.anywhere) is leaf] + ODD
            for pattern in leaf.patterns:
                if pattern.alone:
                    yield [pattern.alone], words[::7]
    next_words = scanner.next_words
    for key, sources in next_words.sources.items():
        if sources:
            yield sources, words[::3]


@pytest.mark.parametrize("language", LANGUAGES)
def test_shapes_tell_words_as_the_regex_does(language: str) -> None:
    """Over every word of the language's corpus (and odd case forms), for every group of shapes the
    scan asks about: the look-up of known words and stems gives the regex's answer."""
    checked = 0
    for sources, words in shape_groups(language):
        shapes = Shapes(sources)
        wrong = [(w, shapes.fits(w), reference(sources, w)) for w in words if shapes.fits(w) != reference(sources, w)]
        assert wrong == [], f"{sources[:5]}: {wrong[:5]}"
        checked += len(words)
    assert checked > 10_000


def test_the_shipped_shape_words_are_what_words_of_gives() -> None:
    """wordshapes.json (scripts/analyse_patterns.py) lists what each shape matches; a listed
    answer that is not words_of's would make the scan match differently."""
    shipped = known_words()
    assert len(shipped) > 500
    wrong = [shape for shape, words in shipped.items() if words_of(shape) != words]
    assert wrong == [], f"{len(wrong)} stale shapes (run scripts/analyse_patterns.py), e.g. {wrong[:3]}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_shape_with_known_words_is_shipped(language: str) -> None:
    """Else a cold start compiles a regex for it (slower, not wrong): after a lexicon, weapon alias
    or region form is added, run scripts/analyse_patterns.py."""
    shapes = lexicon(language).scanner.shapes()
    missing = [s for s in shapes if shape_words(s) is None and words_of(s) is not None]
    assert missing == [], f"{len(missing)} shapes not in wordshapes.json, e.g. {missing[:3]}"
    assert sum(plain_words(s) is None and shape_words(s) is not None for s in shapes) > 100

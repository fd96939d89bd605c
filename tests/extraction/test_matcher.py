"""The lexicon matcher finds what a plain reading of its rules finds, on the corpus texts.

``Matcher`` compiles a language's patterns into one tree-and-trie regex per matcher; the rules it
must keep are simple to state and slow to run, as ``plain_scan`` does here: at each word start,
the entries in order, each trying (as one case-insensitive alternation followed by a word end)
those of its patterns that can start with the word's first character; the first entry that
matches wins and hides the word starts inside its match, or, overlapping, every entry matching
there is reported.
"""

from __future__ import annotations

import re
import sys
from functools import lru_cache
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import gate  # noqa: E402

from airtally.catalog.normalize import normalize  # noqa: E402
from airtally.extraction.document import normalized  # noqa: E402
from airtally.extraction.lexicon import LANGUAGES, lexicon  # noqa: E402
from airtally.extraction.matcher import Matcher, first_chars, uncaptured  # noqa: E402

WORD_START = re.compile(r"(?<!\w)\w")
TEXTS_PER_LANGUAGE = 25  # the plain reading is slow; these cover every kind of report


def plain_scan(entries, text: str, overlapping: bool = False, starts=None) -> list[tuple]:
    found, position = [], 0
    for word in WORD_START.finditer(text):
        at, char = word.start(), word.group()
        if at < position and not overlapping:
            continue
        for name, key, patterns in entries:
            alternation = _alternation(tuple(patterns), char, starts is None or starts(char))
            match = alternation and alternation.match(text, at)
            if match:
                found.append((name, key, at, match.end(1)))
                if not overlapping:
                    position = match.end()
                    break
    return found


@lru_cache(maxsize=None)
def _alternation(patterns: tuple[str, ...], char: str, by_char: bool) -> re.Pattern | None:
    """The patterns that can start with ``char`` (by their first characters when ``by_char``,
    else only those that can start anywhere), those that can start anywhere last."""
    first = [p for p in map(normalize, patterns) if by_char and char in (first_chars(p) or ())]
    anywhere = [p for p in map(normalize, patterns) if first_chars(p) is None]
    chosen = first + anywhere
    return re.compile("(" + "|".join(f"(?:{p})" for p in chosen) + r")(?!\w)", re.IGNORECASE) if chosen else None


def _matchers(language: str):
    lex = lexicon(language)
    entries = [e for e in lex._entries() if e[2]]
    flags = [(name, None, patterns) for name, patterns in lex.flag_patterns.items()]
    yield "words", entries, {}, lex.master
    yield "flags", flags, {"overlapping": True}, lex.flag_matcher


@pytest.mark.parametrize("language", LANGUAGES)
def test_matcher_finds_what_a_plain_scan_finds(language: str) -> None:
    texts = [normalized(c.text) for c in gate.load_cases() if c.id.startswith(f"{language}/")][:TEXTS_PER_LANGUAGE]
    for label, entries, options, matcher in _matchers(language):
        for text in texts:
            assert matcher.scan(text) == plain_scan(entries, text, **options), f"{label}: {text[:80]!r}"


def test_proper_names_are_looked_for_only_at_capitals() -> None:
    entries = [("region", "UA-30", ["Kyiv"]), ("region", "UA-30", ["the capital"])]
    matcher = Matcher(entries, starts=lambda char: not char.islower())
    text = "Kyiv and kyiv; The capital and the capital."  # lower-case forms need their own matcher
    assert matcher.scan(text) == plain_scan(entries, text, starts=lambda char: not char.islower())
    assert [m[2] for m in matcher.scan(text)] == [0, 15]


@pytest.mark.parametrize("pattern", [r"дв(а|і)", r"[(]x(?P<n>y)", r"a\(b(c)", r"[]a(]+(d)"])
def test_uncaptured_keeps_what_a_pattern_matches(pattern: str) -> None:
    plain = re.compile(uncaptured(pattern))
    assert plain.groups == 0
    for text in ("два", "дві", "(xy", "a(bc", "]a((d", "x"):
        original = re.match(pattern, text)
        assert (original and original.group()) == ((m := plain.match(text)) and m.group())


# second words a longer pattern's regex is run for only where they fit: odd gaps, optional
# parts, case look-alikes (long s, Kelvin sign) and a next word glued or missing
_SECOND_WORD_ENTRIES = [
    ("shot", None, [r"shot\s*down", r"shot(?: at)?"]),
    ("of", None, [r"of(?: the)?", r"of\s+-\s*them"]),
    ("model", "shahed", [r"Shahed(?:'?s)?"]),
    ("ship", None, [r"x ship", r"y[ -]+k\w*", r"z(?:\s+q)?\s+w"]),
    ("lone", None, [r"x"]),
    ("after", None, [r"(?<=, )said", r"more:", r"jun\.?"]),
    ("gone", None, [r"(?:were |was )?'?gone away'?", r"(?:by|/) x"]),
]


@pytest.mark.parametrize("overlapping", [False, True])
def test_longer_patterns_are_tried_only_before_their_second_words(overlapping: bool) -> None:
    text = ("shot down; shotdown, shot at x; shot; of the of them of - them of; Shahed's Shaheds "
            "Shahed s; x ſhip, x SHIP x ship; y - \u212a y \u212aELVIN (Kelvin signs); z q w, z w z; said, said more: jun. jun x; "
            "were 'gone away' was gone away, 'gone away; by x / x")
    matcher = Matcher(_SECOND_WORD_ENTRIES, overlapping=overlapping)
    for end in range(len(text) + 1):  # every cut: the next word missing or cut short
        assert matcher.scan(text[:end]) == plain_scan(_SECOND_WORD_ENTRIES, text[:end], overlapping=overlapping), text[:end]


def test_the_shipped_pattern_analyses_are_what_analyse_gives() -> None:
    """patterns.json (scripts/analyse_patterns.py) spares a cold start parsing the lexicons; a listed
    analysis that is not the one the matcher's code gives would make it match differently."""
    from airtally.extraction.matcher import analyse, known_analyses

    shipped = known_analyses()
    assert len(shipped) > 1000
    wrong = [pattern for pattern, found in shipped.items() if analyse(pattern) != found]
    assert wrong == [], f"{len(wrong)} stale analyses (run scripts/analyse_patterns.py), e.g. {wrong[:3]}"


def test_the_lexicons_patterns_are_all_analysed_in_the_shipped_file() -> None:
    """Every pattern the lexicons' matchers use is listed (else a cold start parses it: slower, not
    wrong). Fails after a lexicon, weapon alias or region form is added: run scripts/analyse_patterns.py."""
    import airtally.extraction.matcher as matcher
    from airtally.extraction.lexicon import LANGUAGES, Lexicon, raw_lexicon
    from airtally.extraction.lexicon import _read as read_lexicon

    if not matcher.__file__.endswith(".py"):
        pytest.skip("the compiled matcher calls analyse directly: it cannot be watched")
    missing: list[str] = []
    original = matcher.analyse

    def watched(pattern: str):
        missing.append(pattern)
        return original(pattern)

    matcher.analyse = watched
    try:
        for language in LANGUAGES:
            Lexicon(read_lexicon("base"), raw_lexicon(language))
    finally:
        matcher.analyse = original
    assert missing == [], f"{len(missing)} patterns not in patterns.json (run scripts/analyse_patterns.py), e.g. {missing[:3]}"

"""Which of several word shapes a word is, compiling as little as a cold start can afford.

A shape is the regex source of what one whole word can be ("drones?", "were|was", "дрон\\w*"),
matched case-insensitively. ``Shapes(sources).fits(word)`` tells which of them match all of
``word``, as a bit mask of their positions. Most shapes of the lexicons can be only a few words
("drones?": "drones", "drone"): those are looked up by the word's case fold (``fold_key``), which is
what ``re.IGNORECASE`` compares character by character, so they need no regex at all; the others
share one regex, compiled when a word is first asked about (compiling the lexicons' regexes was
most of a cold ``airtally extract``). A shape's words are read from its source when it is plain
words ("(?:were|was)"), else from ``wordshapes.json`` (written with ``patterns.json`` by
``scripts/analyse_patterns.py``, since finding them needs the regex parser, slower than compiling).

>>> shapes = Shapes(["were|was", "(?:(?:by|from))"])
>>> shapes.fits("WAS"), shapes.fits("from"), shapes.fits("fro"), shapes.compiled
(1, 2, 0, False)
>>> shapes = Shapes(["дрони", r"ka\\d+"])  # the second needs a regex
>>> shapes.fits("Дрони"), shapes.fits("KA52"), shapes.compiled
(1, 2, True)
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources
from itertools import product
from typing import Any

# the regex parser's private modules (no stubs), read only where a shape's words are worked out
from re import _constants as C  # type: ignore[attr-defined]  # noqa: N812  (the parser's opcodes)
from re import _parser  # type: ignore[attr-defined]
from re._compiler import _EXTRA_CASES  # type: ignore[import-not-found]

import _sre  # type: ignore[import-not-found]

# a shape that is plain words: groups opened around one alternation of word characters only
_PLAIN = re.compile(r"((?:\(\?:)*)(\w+(?:\|\w+)*)(\)*)")
MAX_WORDS = 64  # a shape matching more words than this is left to a regex
_MAX_REPEAT = 3  # nor is one repeating a part more times than this


@lru_cache(maxsize=4096)
def fold(char: str) -> str | frozenset[int]:
    """What ``re.IGNORECASE`` compares ``char`` by: two literals with the same fold match the same
    characters, two with different folds none in common.

    >>> fold("K") == fold("k"), fold("s") == fold("\u017f"), fold("-")
    (True, True, '-')
    """
    code = ord(char)
    if not _sre.unicode_iscased(code):
        return char
    lower = _sre.unicode_tolower(code)
    return frozenset((lower, *_EXTRA_CASES.get(lower, ())))


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    """One character standing for ``char``'s fold (the same for every character of that fold)."""
    found = fold(char)
    return found if isinstance(found, str) else chr(min(found))


def fold_key(word: str) -> str:
    """``word`` with each character replaced by its fold's: two words are equal as
    case-insensitive literals exactly when their keys are equal.

    >>> fold_key("Shahed") == fold_key("SHAHED") == fold_key("\u017fhahed"), fold_key("Ки") == fold_key("кі")
    (True, False)
    """
    return "".join(map(_fold_char, word))


# what a shape matches, as a list of (text, extra): extra -1, the word ``text`` itself; else any
# word starting with ``text`` and at least ``extra`` characters longer ("дрон\\w*": ("дрон", 0))
Word = tuple[str, int]
Words = list[Word]


def plain_words(source: str) -> Words | None:
    """The words a shape is when it is plain words ("(?:were|was)"), else None.

    >>> plain_words("(?:(?:by|from))"), plain_words("drones?"), plain_words("(?:a|b)|c")
    ([('by', -1), ('from', -1)], None, None)
    """
    found = _PLAIN.fullmatch(source)
    if found is None or len(found.group(1)) != 3 * len(found.group(3)):
        return None
    return [(word, -1) for word in found.group(2).split("|")]


def words_of(source: str) -> Words | None:
    """What a shape matches as words and stems (see ``Word``), when that is at most ``MAX_WORDS``
    of them; else None. Parses the source (slow: at run time only for a shape not in
    ``wordshapes.json``).

    >>> words_of("(?:drone(?:s){0,1}|uav)"), words_of("defen[cs]e")
    ([('drone', -1), ('drones', -1), ('uav', -1)], [('defence', -1), ('defense', -1)])
    >>> words_of(r"д(?:е|і)н\\w*|бпла"), words_of(r"\\w+"), words_of(r"\\w*s"), words_of(r"(?:\\d){1,}")
    ([('ден', 0), ('дін', 0), ('бпла', -1)], [('', 1)], None, None)
    """
    try:
        return _words(list(_parser.parse(source, re.IGNORECASE)))
    except re.error:
        return None


def _words(items: Sequence[tuple[Any, Any]]) -> Words | None:
    out: Words = [("", -1)]
    for op, av in items:
        ways = _item_words(op, av)
        if ways is None or any(extra >= 0 for _, extra in out):
            return None  # too many ways, not told, or something after "any word characters"
        out = list(dict.fromkeys((text + more, extra) for text, _ in out for more, extra in ways))
        if len(out) > MAX_WORDS:
            return None
    return out


def _item_words(op: Any, av: Any) -> Words | None:
    """What one parsed item of a shape can match (None: too many ways, or not told)."""
    if op is C.LITERAL:
        return [(chr(av), -1)]
    if op is C.IN:
        chars: list[str] = []
        for sub_op, sub_av in av:
            if sub_op is C.LITERAL:
                chars.append(chr(sub_av))
            elif sub_op is C.RANGE and sub_av[1] - sub_av[0] < MAX_WORDS:
                chars += map(chr, range(sub_av[0], sub_av[1] + 1))
            else:
                return None  # a category (\\w, \\d), a negated class, a wide range
        return [(char, -1) for char in chars]
    if op is C.SUBPATTERN:
        return None if av[1] or av[2] else _words(av[3])  # inline flags: not told
    if op is C.BRANCH:
        ways: Words = []
        for branch in av[1]:
            found = _words(branch)
            if found is None:
                return None
            ways += found
        return ways
    if op in (C.MAX_REPEAT, C.MIN_REPEAT):
        return _repeat_words(*av)
    return None  # an assertion, an anchor, a back reference: not plain words


def _repeat_words(low: int, high: int, sub: Any) -> Words | None:
    # ``high == MAXREPEAT``, not ``is``: compiled (mypyc), ``high`` is a native int, boxed anew when
    # compared by identity, so ``is`` never held there and "дрон\\w*" was not told as a stem
    unbounded = high == C.MAXREPEAT
    if unbounded and list(sub) == [(C.IN, [(C.CATEGORY, C.CATEGORY_WORD)])]:
        return [("", low)]  # \\w*, \\w+: any word characters (a word is nothing else)
    once = _words(sub)
    if once is None or unbounded or high > _MAX_REPEAT or any(extra >= 0 for _, extra in once):
        return None
    return [("".join(text for text, _ in parts), -1) for times in range(low, high + 1) for parts in product(once, repeat=times)]


@lru_cache(maxsize=1)
def known_words() -> dict[str, Words]:
    """What the lexicons' shapes that are not plain words match, as shipped (``wordshapes.json``;
    the tests check each is what ``words_of`` gives)."""
    try:
        data = json.loads(resources.files("airtally.extraction").joinpath("wordshapes.json").read_text("utf-8"))
    except FileNotFoundError:
        return {}
    return {source: [(text, extra) for text, extra in words] for source, words in data.items()}


def shape_words(source: str) -> Words | None:
    """What a shape matches, when that is known without parsing it: plain words, or listed in
    ``wordshapes.json``; else None."""
    words = plain_words(source)
    return words if words is not None else known_words().get(source)


def lookaheads(sources: list[str]) -> re.Pattern:
    """One regex telling which of ``sources`` match a whole word: matched at the word's start,
    it fails where none does, else its group ``i + 1`` holds the word where ``sources[i]`` does
    (None where it does not)."""
    fits_one = "|".join(f"(?:{source})" for source in sources)  # most words fit none: fail fast
    each = "".join(f"(?:(?=((?:{source}))\\Z))?" for source in sources)
    return re.compile(f"(?=(?:{fits_one})\\Z){each}", re.IGNORECASE)


class Shapes:
    """Word shapes (regex sources), told apart for one word at a time (see the module)."""

    def __init__(self, sources: list[str]):
        self.plain: dict[str, int] = {}  # a word's fold key -> the bits of the shapes it is
        self.stems: dict[str, list[tuple[int, int]]] = {}  # a stem's fold key -> (extra, bits) of the shapes
        self.others: list[int] = []  # the positions of the shapes whose words are not known
        for position, source in enumerate(sources):
            words = shape_words(source)
            if words is None:
                self.others.append(position)
                continue
            for text, extra in words:
                key = fold_key(text)
                if extra < 0:
                    self.plain[key] = self.plain.get(key, 0) | 1 << position
                else:
                    self.stems.setdefault(key, []).append((extra, 1 << position))
        self.lengths = sorted({len(stem) for stem in self.stems})  # the stems' lengths, to cut a word's key at
        self.sources = [sources[position] for position in self.others]
        self.regex: re.Pattern | None = None  # lookaheads(self.sources), once a word is asked about

    @property
    def compiled(self) -> bool:
        """Whether the regex of the shapes whose words are not known has been compiled."""
        return self.regex is not None

    def fits(self, word: str) -> int:
        """The bits (``1 << position``) of the shapes matching all of ``word``; 0 when none."""
        key = fold_key(word)
        bits = self.plain.get(key, 0)
        for length in self.lengths:
            if length > len(key):
                break
            for extra, bit in self.stems.get(key[:length], ()):
                if len(key) - length >= extra:
                    bits |= bit
        if self.others:
            bits |= self._others(word)
        return bits

    def _others(self, word: str) -> int:
        if self.regex is None:
            self.regex = lookaheads(self.sources)
        found = self.regex.match(word)
        bits = 0
        if found is not None:
            for position, group in zip(self.others, found.groups()):
                if group is not None:
                    bits |= 1 << position
        return bits

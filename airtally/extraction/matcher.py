"""Fast matching of many lexicon patterns, by what each word of the text is.

Patterns match case-insensitively at word starts and only where a word ends after them. Most
patterns can only ever match inside one word ("дрон\\w*", "two"): such a pattern matches at a
word start exactly when it matches the whole word there, which depends on the word alone. So a
``Scanner`` looks each word up in a memo (word -> what matches it) and runs a regex only where a
pattern spanning several words ("shot down") can start: at words its first word can be.

>>> m = Matcher([("drone", None, [r"дрон\\w*", r"бпла"]), ("number", 2, [r"дв(а|і)"])])
>>> [(name, key, s, e) for name, key, s, e in m.scan("збито два дрони")]
[('number', 2, 6, 9), ('drone', None, 10, 15)]
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Sequence
from functools import lru_cache, reduce
from importlib import resources
from itertools import compress, groupby
from operator import or_
from typing import Any, Protocol, cast
# the regex parser's private modules (no stubs): what a pattern can match is read from its parse
from re import _constants as C  # type: ignore[attr-defined]  # noqa: N812  (the parser's opcodes)
from re import _parser  # type: ignore[attr-defined]

import _sre  # type: ignore[import-not-found]

from airtally.catalog.normalize import normalize
from airtally.extraction.wordshapes import Shapes, fold, shape_words

# an entry's key is what its matches stand for, by concept: a number's value, a weapon's id, a
# region's code, an approximation's kind, or None
Entry = tuple[str, Any, list[str]]  # (name, key, patterns)
Found = tuple[str, Any, int, int]  # (name, key, start, end)
# a parsed pattern as the private parser gives it: (opcode, argument) items, the argument's shape
# by the opcode (a code, a list of items, a sub-pattern, a tuple of them)
Items = Sequence[tuple[Any, Any]]
ItemList = list[tuple[Any, Any]]
Split = tuple[ItemList, ItemList]  # (first word, rest)

# a text split at its words: gaps and words alternate (possessive: no backtracking state kept
# per character); their spans follow from the pieces' lengths, so no match object per word
_WORDS = re.compile(r"(\w++)")
_ZERO_WIDTH = (C.AT, C.ASSERT, C.ASSERT_NOT)
_REPEATS = (C.MAX_REPEAT, C.MIN_REPEAT)
_MEMO_SIZE = 100_000  # words remembered per scanner; a report has a few hundred


def _first(items: Items) -> set[str] | None:
    """The lower-case characters a parsed pattern can start with; None when any character can."""
    out: set[str] = set()
    for op, av in items:
        if op is C.LITERAL:
            return out | {chr(av).lower(), chr(av).upper()}
        if op is C.IN:
            chars = set()
            for sub_op, sub_av in av:
                if sub_op is C.LITERAL:
                    chars |= {chr(sub_av).lower(), chr(sub_av).upper()}
                elif sub_op is C.RANGE:
                    chars |= {c for n in range(sub_av[0], sub_av[1] + 1) for c in (chr(n).lower(), chr(n).upper())}
                else:
                    return None
            return out | chars
        if op is C.SUBPATTERN:
            sub = _first(list(av[3]))
            if sub is None:
                return None
            return out | sub
        if op is C.BRANCH:
            for branch in av[1]:
                sub = _first(list(branch))
                if sub is None:
                    return None
                out |= sub
            return out
        if op in (C.MAX_REPEAT, C.MIN_REPEAT):
            low, _, sub_items = av
            sub = _first(list(sub_items))
            if sub is None:
                return None
            out |= sub
            if low > 0:
                return out
            continue
        if op in (C.AT, C.ASSERT, C.ASSERT_NOT):
            continue
        return None
    return None


def _first_folds(shape: str) -> set[str | frozenset[int]] | None:
    """The folds (``wordshapes.fold``) of the characters a word shape's match can start with; None
    when any. Read from its words where they are known (parsing ~250 shapes was ~10 ms of a start)."""
    words = shape_words(shape)
    if words is None:
        chars = first_chars(shape)
        return {fold(c) for c in chars} if chars is not None else None
    if any(not text and extra >= 0 for text, extra in words):
        return None  # any word characters from the start
    return {fold(text[0]) for text, _ in words if text}


def first_chars(pattern: str) -> set[str] | None:
    """The characters a match of ``pattern`` can start with (both cases); None when any."""
    try:
        return _first(list(_parser.parse(pattern, re.IGNORECASE)))
    except re.error:
        return None


# -- what a pattern can match: one word, or several starting with a known first word -----------
def _is_word_char(code: int) -> bool:
    """Whether the character and all it matches case-insensitively are word characters."""
    found = fold(chr(code))
    folded = found if isinstance(found, frozenset) else {code}
    return all(chr(c).isalnum() or chr(c) == "_" for c in folded | {code})


def _is_apart(code: int) -> bool:
    """Whether the character is no word character, nor matches one case-insensitively."""
    char = chr(code)
    return not (char.isalnum() or char == "_") and not _sre.unicode_iscased(code)


def _word_only(items: Items) -> bool:
    """Whether parsed ``items`` match only word characters (so never across a word's end)."""
    for op, av in items:
        if op is C.LITERAL:
            ok = _is_word_char(av)
        elif op is C.IN:
            ok = all(_word_class_item(*item) for item in av)
        elif op is C.SUBPATTERN:
            ok = not av[1] and not av[2] and _word_only(av[3])  # no inline flags
        elif op is C.BRANCH:
            ok = all(_word_only(branch) for branch in av[1])
        elif op in _REPEATS:
            ok = _word_only(av[2])
        else:
            ok = False
        if not ok:
            return False
    return True


def _word_class_item(op: Any, av: Any) -> bool:
    if op is C.LITERAL:
        return _is_word_char(av)
    if op is C.RANGE:
        return all(_is_word_char(code) for code in range(av[0], av[1] + 1))
    return op is C.CATEGORY and av in (C.CATEGORY_WORD, C.CATEGORY_DIGIT)


def _leads_apart(items: Items) -> tuple[bool, bool]:
    """(whether every match of ``items`` that consumes a character starts with a non-word one,
    whether a match can consume nothing)."""
    for op, av in items:
        apart, empty = _item_leads_apart(op, av)
        if not apart:
            return False, False
        if not empty:
            return True, False
    return True, True


def _item_leads_apart(op: Any, av: Any) -> tuple[bool, bool]:
    if op is C.LITERAL:
        return _is_apart(av), False
    if op is C.IN:
        return all((o is C.LITERAL and _is_apart(a)) or (o is C.CATEGORY and a in (C.CATEGORY_SPACE, C.CATEGORY_NOT_WORD))
                   for o, a in av), False
    if op is C.SUBPATTERN:
        return _leads_apart(av[3])
    if op is C.BRANCH:
        leads = [_leads_apart(branch) for branch in av[1]]
        return all(apart for apart, _ in leads), any(empty for _, empty in leads)
    if op in _REPEATS:
        apart, empty = _leads_apart(av[2])
        return apart, empty or av[0] == 0
    if op in _ZERO_WIDTH:
        return True, True
    return False, False


def _word_splits(items: ItemList, depth: int = 0, starting: bool = False) -> list[Split] | None:
    """(first word, rest) pairs of parsed ``items``: word-only parsed patterns such that where
    ``items`` match at a word start, one of them matches that whole word, each with what follows
    it in ``items``; None when that cannot be told.

    The word-only items a pattern starts with (after zero-width assertions) must match the whole
    first word when what follows them starts with a non-word character or is empty; where it is
    not, an alternation or a repeat there is opened and each way it can go is looked at.
    ``starting``: ``items`` are only ever tried at word starts, so a way starting with a non-word
    character is no way at all ("'?locally": "locally").
    """
    i = 0
    while i < len(items) and items[i][0] in _ZERO_WIDTH:
        i += 1
    j = i
    while j < len(items) and _word_only(items[j : j + 1]):
        j += 1
    if j > i and _leads_apart(items[j:])[0]:
        return [(items[i:j], items[j:])]
    if starting and j == i < len(items) and items[i][0] in (C.LITERAL, C.IN) and _apart_only(items[i : i + 1]):
        return []
    ways = _ways(*items[j]) if j < len(items) and depth < 8 else None
    if ways is None:
        return None
    out: list[Split] = []
    for way in ways:
        splits = _word_splits(items[i:j] + way + items[j + 1 :], depth + 1, starting)
        if splits is None:
            return None
        out += splits
    return out


def _next_words(splits: list[Split]) -> list[ItemList] | None:
    """Word-only parsed patterns one of which matches the whole word after the first, wherever
    a pattern split as ``splits`` (from ``_word_splits``) matches; None when that cannot be told.

    After its first word, a pattern must go on with a gap of non-word characters (at least one)
    and a word: the text's next word, then, is where that word starts."""
    out: list[ItemList] = []
    for _, rest in splits:
        gap = 0
        while gap < len(rest) and _apart_only(rest[gap : gap + 1]):
            gap += 1
        if gap == len(rest) or _min_width(rest[:gap]) == 0:
            return None  # the match may end with the first word, or glue a second one to it
        words = _word_splits(rest[gap:])
        if words is None or any(_min_width(word) == 0 for word, _ in words):
            return None  # an empty next word would leave the gap going on
        if any(map(_any_word, (word for word, _ in words))):
            return None  # any word will do: nothing to tell
        out += [word for word, _ in words]
    return out


def _any_word(items: Items) -> bool:
    """Whether parsed ``items`` are ``\\w+`` (or ``\\w{1,}``), which matches any whole word."""
    if len(items) != 1 or items[0][0] not in _REPEATS:
        return False
    low, high, sub = items[0][1]
    return low == 1 and high is C.MAXREPEAT and list(sub) == [(C.IN, [(C.CATEGORY, C.CATEGORY_WORD)])]


def _apart_only(items: Items) -> bool:
    """Whether parsed ``items`` match only non-word characters (or nothing)."""
    for op, av in items:
        if op is C.LITERAL:
            ok = _is_apart(av)
        elif op is C.IN:
            ok = all((o is C.LITERAL and _is_apart(a)) or (o is C.CATEGORY and a in (C.CATEGORY_SPACE, C.CATEGORY_NOT_WORD))
                     for o, a in av)
        elif op is C.SUBPATTERN:
            ok = _apart_only(av[3])
        elif op is C.BRANCH:
            ok = all(_apart_only(branch) for branch in av[1])
        elif op in _REPEATS:
            ok = _apart_only(av[2])
        else:
            ok = op in _ZERO_WIDTH
        if not ok:
            return False
    return True


def _min_width(items: Items) -> int:
    """The fewest characters parsed ``items`` can match."""
    return _parser.SubPattern(_parser.State(), list(items)).getwidth()[0]


def _ways(op: Any, av: Any) -> list[ItemList] | None:
    """The item sequences one parsed item can stand for (an alternation's branches, a repeat
    taken no time or once more, a group's content)."""
    if op is C.BRANCH:
        return [list(branch) for branch in av[1]]
    if op is C.SUBPATTERN and not av[1] and not av[2]:
        return [list(av[3])]
    if op in _REPEATS:
        low, high, sub = av
        more = [] if high == 1 else [(op, (max(low - 1, 0), high if high is C.MAXREPEAT else high - 1, sub))]
        once = list(sub) + more
        return [once] if low else [[], once]
    return None


def _source(items: Items) -> str:
    """Regex source for word-only parsed ``items``."""
    out = []
    for op, av in items:
        if op is C.LITERAL:
            out.append(re.escape(chr(av)))
        elif op is C.IN:
            out.append("[" + "".join(map(_class_source, av)) + "]")
        elif op is C.SUBPATTERN:
            out.append(f"(?:{_source(av[3])})")
        elif op is C.BRANCH:
            out.append("(?:" + "|".join(map(_source, av[1])) + ")")
        else:  # a repeat
            low, high, sub = av
            lazy = "?" if op is C.MIN_REPEAT else ""
            out.append(f"(?:{_source(sub)}){{{low},{'' if high is C.MAXREPEAT else high}}}{lazy}")
    return "".join(out)


def _class_source(item: tuple[Any, Any]) -> str:
    op, av = item
    if op is C.LITERAL:
        return re.escape(chr(av))
    if op is C.RANGE:
        return f"{re.escape(chr(av[0]))}-{re.escape(chr(av[1]))}"
    return r"\w" if av is C.CATEGORY_WORD else r"\d"


# what _Pattern reads from a pattern's parse: (source, the characters it can start with or None,
# whether it is one word, its first word, its second word or None, what it matches alone or None)
Analysis = tuple[str, list[str] | None, bool, str, str | None, str | None]


def analyse(pattern: str) -> Analysis:
    """What a pattern can match, read from its parse (see ``_Pattern``); a pure function of the
    pattern, so kept for every pattern of the lexicons in ``patterns.json`` (``known_analyses``)."""
    source = uncaptured(pattern)
    parsed = _parser.parse(pattern, re.IGNORECASE)
    chars = _first(list(parsed))
    plain = not parsed.state.flags & ~(re.IGNORECASE | re.UNICODE)  # no inline global flags
    word = plain and _word_only(parsed)
    splits = _word_splits(list(parsed), starting=True) if plain and not word else None
    first = source if word else "|".join(_source(w) for w, _ in splits) if splits else r"\w+"
    ways = _endings(splits) if splits else None
    # a first word a skipped assertion stands before may match alone where the pattern does not
    alone = [w for w, rest in ways if not rest] if ways and not _asserts(parsed) else []
    going_on = [(w, rest) for w, rest in ways if rest] if ways and alone else splits
    seconds = _next_words(going_on) if going_on else None
    second = "|".join(dict.fromkeys(map(_source, seconds))) if seconds else None
    return (source, sorted(chars) if chars is not None else None, word, first, second,
            "|".join(map(_source, alone)) if alone else None)


@lru_cache(maxsize=1)
def known_analyses() -> dict[str, Analysis]:
    """The analyses of the lexicons' patterns as shipped (``patterns.json``, written by
    ``scripts/analyse_patterns.py``): parsing ~1,500 patterns was most of a cold start. A pattern
    not listed (a lexicon edited since) is parsed as it is met; the tests check that every listed
    analysis is the one ``analyse`` gives."""
    try:
        data = json.loads(resources.files("airtally.extraction").joinpath("patterns.json").read_text("utf-8"))
    except FileNotFoundError:
        return {}
    return {pattern: tuple(found) for pattern, found in data.items()}  # type: ignore[misc]


class _Pattern:
    """One pattern of an entry, analysed once: the characters it can start with (``chars``, None
    when any), ``word``: whether it matches within one word only; else ``first``, what its first
    word can be (any word, when that cannot be told), ``second``, what the word after it can be
    when it goes on past the first (None: any), and ``alone``, what it matches when it ends with
    the first word ("of" of "of(?: the)?"; None: it never does, or that cannot be told)."""

    def __init__(self, entry: int, pattern: str):
        self.entry = entry
        found = known_analyses().get(pattern)
        source, chars, word, first, second, alone = analyse(pattern) if found is None else found
        self.source, self.word, self.first, self.second = source, word, first, second
        self.chars = set(chars) if chars is not None else None
        self.alone = alone  # a word shape (see wordshapes), told apart once asked about
        self._alone: Shapes | None = None
        self.gate = _ANY_NEXT  # the bits of the next words it allows (set by its matcher)

    def alone_fits(self, word: str) -> bool:
        """Whether it matches ``word`` alone (where it cannot go on past it)."""
        if self.alone is None:
            return False
        if self._alone is None:
            self._alone = Shapes([self.alone])
        return bool(self._alone.fits(word))


def _endings(splits: list[Split]) -> list[Split] | None:
    """``splits`` (from ``_word_splits``) with what follows each first word opened where it may
    match nothing ("of(?: the)?": "of" and nothing, "of" and " the"); None when that cannot be told."""
    out: list[Split] = []
    for word, rest in splits:
        ways = _rest_ways(rest)
        if ways is None:
            return None
        out += [(word, way) for way in ways]
    return out


def _rest_ways(rest: ItemList, depth: int = 0) -> list[ItemList] | None:
    """The ways parsed ``rest`` can go, its groups, alternations and optional items at its start
    opened: each is empty or starts with what it must match."""
    if not rest:
        return [rest]
    op, av = rest[0]
    if not (op in (C.SUBPATTERN, C.BRANCH) or (op in _REPEATS and av[0] == 0)):
        return [rest]
    ways = _ways(op, av) if depth < 8 else None
    if ways is None:
        return None
    out: list[ItemList] = []
    for way in ways:
        sub = _rest_ways(way + rest[1:], depth + 1)
        if sub is None:
            return None
        out += sub
    return out


def _asserts(items: Items) -> bool:
    """Whether parsed ``items`` hold a zero-width assertion anywhere."""
    for op, av in items:
        if op in _ZERO_WIDTH:
            return True
        if op is C.SUBPATTERN and _asserts(av[3]):
            return True
        if op is C.BRANCH and any(map(_asserts, av[1])):
            return True
        if op in _REPEATS and _asserts(av[2]):
            return True
    return False


def _positions(bits: int) -> Iterator[int]:
    """The positions of the bits set in ``bits``, lowest first."""
    while bits:
        low = bits & -bits
        yield low.bit_length() - 1
        bits ^= low


_ANY_NEXT = 1  # the bit every next word has: a pattern whose next word cannot be told allows any
_NEXT_BITS = 62  # next-word shapes share these bits (a shared bit only lets a regex run in vain)
_NO_LIMIT = 1 << 30
# what an entry may match longer at a word start (see _At): (name, key, whether it matches the word
# itself, its regex (None for an entry with no longer pattern: its bits are then 0, and it never
# runs), the group its word pattern comes before, the bits of the next words it allows)
Step = tuple[str, Any, bool, re.Pattern[str] | None, int, int]


class _Leaf:
    """The patterns tried at words starting with some characters, in the order they are tried.

    The shapes of the first words (``Shapes``: which of them a word is), and per entry a regex
    trying its longer patterns in order, an empty group after each (``group[i]``: pattern
    ``i``'s). Each is built when first needed: a process reading one short report meets few of
    a lexicon's leaves (compiling them all was most of a cold start)."""

    def __init__(self, patterns: list[_Pattern], names: list[tuple[str, Any]], overlapping: bool):
        self.patterns = patterns
        self.names = names
        self.overlapping = overlapping
        self.firsts = list(dict.fromkeys(p.first for p in patterns))
        self.classify: Shapes | None = None  # Shapes(self.firsts), once needed
        self.fitting = tuple(sum(1 << i for i, p in enumerate(patterns) if p.first == first) for first in self.firsts)
        self.group = [0] * len(patterns)  # a longer pattern's group in its entry's regex; a word pattern's: the next
        self.sources: dict[int, str] = {}  # per entry with longer patterns, its regex's source
        self.regex: dict[int, re.Pattern] = {}  # the sources compiled, once needed
        for entry, positions in groupby(range(len(patterns)), key=lambda i: patterns[i].entry):
            longer: list[str] = []
            for i in positions:
                self.group[i] = len(longer) + 1
                longer += [] if patterns[i].word else [patterns[i].source]
            if longer:
                either = "|".join(f"(?:{source})()" for source in longer)
                self.sources[entry] = rf"(?:{either})(?!\w)"

    def _regex(self, entry: int) -> re.Pattern | None:
        """The regex of the entry's longer patterns (None when it has none)."""
        found = self.regex.get(entry)
        if found is None and entry in self.sources:
            found = self.regex[entry] = re.compile(self.sources[entry], re.IGNORECASE)
        return found

    def at(self, word: str) -> _At | None:
        """What may match at a word start where the word is ``word``; None when nothing."""
        if self.classify is None:
            self.classify = Shapes(self.firsts)
        fits = self.classify.fits(word)
        if not fits:
            return None
        fitting = 0
        for first in _positions(fits):
            fitting |= self.fitting[first]
        told: list[tuple[str, Any]] = []
        steps: list[Step] = []
        gate = 0
        for entry, positions in groupby(_positions(fitting), key=lambda i: self.patterns[i].entry):
            whole, longer, limit = False, 0, _NO_LIMIT
            for i in positions:
                pattern = self.patterns[i]
                if pattern.word:
                    whole, limit = True, self.group[i]
                    break
                longer |= pattern.gate
                if pattern.alone_fits(word):
                    # where it cannot go on, it matches the word: as a word pattern, its regex included
                    whole, limit = True, self.group[i] + 1
                    break
            name, key = self.names[entry]
            if longer or self.overlapping:
                steps.append((name, key, whole, self._regex(entry), limit, longer))
                gate |= longer
            if whole:
                told.append((name, key))
                if not self.overlapping:
                    break  # the first entry matching here wins
        return _At(tuple(told), tuple(steps), gate, self.overlapping)


class _At:
    """What a matcher may find at a word start, told by the word: ``told``, the (name, key) of
    the entries matching the word itself, and ``steps``, per entry in order that may match longer
    there, (name, key, whether it matches the word itself, its regex, the group its word pattern
    comes before, the bits of the next words its longer patterns allow). ``gate``: the steps'
    bits: where the next word has none of them, what matches is ``told``.

    A plain class, not a named tuple: compiled (setup.py), its fields and ``find`` are read in C
    by the scan's loop over every word."""

    __slots__ = ("told", "steps", "gate", "overlapping")

    def __init__(self, told: tuple[tuple[str, Any], ...], steps: tuple[Step, ...], gate: int, overlapping: bool) -> None:
        self.told = told
        self.steps = steps
        self.gate = gate
        self.overlapping = overlapping

    def find(self, text: str, start: int, end: int, after: int, add: Callable[[Found], None]) -> int:
        """Give ``add`` the matches at ``start``, where the word ends at ``end`` and the next word's
        bits are ``after``; the end of a longer match there that hides the word starts inside it
        (0 when none). A match of an entry's regex always has a group, the empty one each of its
        patterns ends with (its ``lastindex`` is never None)."""
        if not self.overlapping:
            for name, key, _, regex, limit, gate in self.steps:
                match = regex.match(text, start) if gate & after and regex is not None else None
                if match and (match.lastindex or 0) < limit:  # a longer pattern before the word's
                    add((name, key, start, match.end()))
                    return match.end()
            for name, key in self.told:
                add((name, key, start, end))
            return 0
        for name, key, whole, regex, limit, gate in self.steps:
            match = regex.match(text, start) if gate & after and regex is not None else None
            if match and (match.lastindex or 0) < limit:
                add((name, key, start, match.end()))
            elif whole:
                add((name, key, start, end))
        return 0


class Matcher:
    """Find the entries' patterns at word starts, earlier entries winning at the same start.

    ``entries`` are (name, key, patterns); patterns are regex fragments on normalised text,
    matched case-insensitively and only where a word ends after them. ``overlapping``: a match
    does not hide the word starts inside it, and every entry matching at a start is reported.
    ``starts`` limits the first characters looked up by character (the others are tried only
    with the patterns that can start anywhere).

    Patterns are grouped in leaves by the characters they can start with, as a regex would
    guard them: at a word start, the patterns of its first character's leaf are tried in entry
    order (within an entry, those starting with that character before those starting anywhere).
    A longer pattern's regex runs only where the next word can be its second.
    """

    def __init__(self, entries: list[Entry], overlapping: bool = False, starts: Callable[[str], bool] | None = None):
        self.overlapping = overlapping
        names = [entry[:2] for entry in entries]
        by_char: dict[str, list[_Pattern]] = {}  # in entry order
        anywhere: list[_Pattern] = []  # the patterns that can start with any character
        compiled = [_Pattern(index, pattern) for index, (_, _, patterns) in enumerate(entries) for pattern in map(normalize, patterns)]
        for pattern in compiled:
            if pattern.chars is None:
                anywhere.append(pattern)
                continue
            for char in pattern.chars:
                if starts is None or starts(char):
                    by_char.setdefault(char, []).append(pattern)
        leaves: dict[tuple[_Pattern, ...], list[str]] = {}  # characters with the same patterns to try share a leaf
        for char, items in by_char.items():
            if len(char) == 1 and (char.isalnum() or char == "_"):  # a word start is a word character
                leaves.setdefault(tuple(sorted(items + anywhere, key=lambda p: p.entry)), []).append(char)
        self._next_words([p for p in compiled if not p.word])
        self.leaves: dict[str, _Leaf] = {}
        for patterns, chars in leaves.items():
            self.leaves.update(dict.fromkeys(chars, _Leaf(list(patterns), names, overlapping)))
        self.anywhere = _Leaf(anywhere, names, overlapping) if anywhere else None
        self._alone: Scanner | None = None

    def _next_words(self, longer: list[_Pattern]) -> None:
        """Give each longer pattern the bit of its second word's shape (``seconds``: shape -> bit)."""
        sources = list(dict.fromkeys(p.second for p in longer if p.second))
        self.seconds = {source: 1 << (1 + i % _NEXT_BITS) for i, source in enumerate(sources)}
        for pattern in longer:
            pattern.gate = self.seconds[pattern.second] if pattern.second else _ANY_NEXT

    def at(self, word: str) -> _At | None:
        """What may match at a word start where the word is ``word``; None when nothing."""
        leaf = self.leaves.get(word[0], self.anywhere)
        return leaf.at(word) if leaf else None

    def shapes(self) -> list[str]:
        leaves = list(self.leaves.values()) + ([self.anywhere] if self.anywhere else [])
        return [first for leaf in leaves for first in leaf.firsts] + [p.alone for leaf in leaves for p in leaf.patterns if p.alone]

    def scan(self, text: str) -> list[Found]:
        """(name, key, start, end) of every match, left to right."""
        if self._alone is None:
            self._alone = Scanner([self])
        return self._alone.scan(text)[0]


class _NextWords:
    """Tells the bits of a word as a next word: ``_ANY_NEXT`` and the bits of the second-word
    shapes (regex sources) it matches whole. The shapes are tried by the case fold of the word's
    first character (a shape that can start anywhere: always), as the regex engine compares it.
    A fold's ``Shapes`` are built when a word of that fold is first asked about."""

    def __init__(self, shapes: dict[str, int]):
        by_fold: dict[str | frozenset[int], list[str]] = {}
        anywhere: list[str] = []
        for source in shapes:
            folds = _first_folds(source)
            for folded in folds if folds is not None else ():
                by_fold.setdefault(folded, []).append(source)
            if folds is None:
                anywhere.append(source)
        self.shapes = shapes
        # the sources tried per fold; the other folds try those that can start anywhere (key None)
        self.sources: dict[str | frozenset[int] | None, list[str]] = {key: group + anywhere for key, group in by_fold.items()}
        self.sources[None] = anywhere
        self.by_fold: dict[str | frozenset[int] | None, tuple[Shapes, tuple[int, ...]] | None] = {}

    def _classifier(self, key: str | frozenset[int] | None) -> tuple[Shapes, tuple[int, ...]] | None:
        sources = self.sources[key]
        found = self.by_fold[key] = (Shapes(sources), tuple(map(self.shapes.__getitem__, sources))) if sources else None
        return found

    def bits(self, word: str) -> int:
        key: str | frozenset[int] | None = fold(word[0])
        if key not in self.sources:
            key = None
        classifier = self.by_fold[key] if key in self.by_fold else self._classifier(key)
        if classifier is None:
            return _ANY_NEXT
        bits = _ANY_NEXT
        for shape in _positions(classifier[0].fits(word)):
            bits |= classifier[1][shape]
        return bits


class WordMatcher(Protocol):
    """What a ``Scanner`` runs (a ``Matcher``, a ``StartsWith``, a ``FirstWords``): ``at(word)``, what
    may match at a word start where the word is ``word`` (None: nothing), and ``seconds``, its
    second-word shapes and their bits."""

    seconds: dict[str, int]

    def at(self, word: str) -> _At | None: ...

    def shapes(self) -> list[str]:
        """The word shapes it tells words by (see ``Scanner.shapes``)."""


# what the matchers of a Scanner may find at a word where something may (see Scanner._known): the
# bits of the next words that let a longer match start there, (matcher index, name, key) of what
# matches where none does, and the matchers' (index, _At)
Known = tuple[int, tuple[tuple[int, str, Any], ...], tuple[tuple[int, _At], ...]]


class Scanner:
    """Several matchers run over a text in one pass over its words.

    ``words`` remembers, per word seen, what the matchers may find at it (``_known``), and
    ``nexts`` its bits as a next word, worked out only for a word after one where something
    longer may start (both functions of the word and the lexicon only; each bits value has
    ``_ANY_NEXT``, so never 0); they are emptied when ``words`` grows past ``_MEMO_SIZE`` words.
    The matchers are ``WordMatcher``s.
    """

    def __init__(self, matchers: list[WordMatcher]):
        self.matchers = matchers
        self.words: dict[str, Known | tuple[()]] = {}
        self.nexts: dict[str, int] = {}
        shapes: dict[str, int] = {}
        for matcher in matchers:  # a shape two matchers give different bits has both
            for source, bit in matcher.seconds.items():
                shapes[source] = shapes.get(source, 0) | bit
        self.next_words = _NextWords(shapes)

    def shapes(self) -> set[str]:
        """Every word shape (``wordshapes.Shapes``) the scan may ask about: its matchers' first
        words and the next words of their longer patterns."""
        return {source for matcher in self.matchers for source in matcher.shapes()} | set(self.next_words.shapes)

    def scan(self, text: str) -> list[list[Found]]:
        """Per matcher, (name, key, start, end) of every match, left to right."""
        pieces = _WORDS.split(text)  # gap, word, gap, ..., word, gap
        words = pieces[1::2]
        known: list[Known | tuple[()] | None] = list(map(self.words.get, words))  # None: a word not seen yet
        if None in known:
            known = self._learn(words, known)
        nexts = self.nexts
        out: list[list[Found]] = [[] for _ in self.matchers]
        ends = [0] * len(self.matchers)  # where the matcher's last longer match ended (not overlapping)
        last, end = len(words) - 1, 0
        for i, seen in enumerate(known):
            start = end + len(pieces[2 * i])  # a word starts where the gap before it ends
            end = start + len(words[i])
            if not seen:
                continue
            gate, told, ats = cast(Known, seen)
            bits = _ANY_NEXT
            if gate and i < last:  # a word's bits as a next word: worked out where first asked for
                bits = nexts.get(words[i + 1], 0)
                if not bits:
                    bits = nexts[words[i + 1]] = self.next_words.bits(words[i + 1])
            # the usual word: nothing longer can start here whatever follows, or the next word
            # (its bits) lets none start; what matches is told by the word alone
            if not gate or not gate & bits:
                for which, name, key in told:
                    if start >= ends[which]:
                        out[which].append((name, key, start, end))
                continue
            for which, at in ats:
                if start < ends[which]:
                    continue
                if at.gate & bits:
                    ends[which] = at.find(text, start, end, bits, out[which].append)
                else:
                    for name, key in at.told:
                        out[which].append((name, key, start, end))
        return out

    def _learn(self, words: list[str], known: list[Known | tuple[()] | None]) -> list[Known | tuple[()] | None]:
        if len(self.words) > _MEMO_SIZE:
            self.words.clear()
            self.nexts.clear()
        for word in set(compress(words, [k is None for k in known])):
            self.words[word] = self._known(word)
        return list(map(self.words.__getitem__, words))

    def _known(self, word: str) -> Known | tuple[()]:
        """What the matchers may find at ``word``: (the bits of the next words that let a longer
        match start there, (matcher index, name, key) of what matches where none does, the
        matchers' (index, ``_At``)); () when nothing."""
        ats = tuple((which, at) for which, matcher in enumerate(self.matchers) if (at := matcher.at(word)))
        if not ats:
            return ()
        told = tuple((which, name, key) for which, at in ats for name, key in at.told)
        return reduce(or_, (at.gate for _, at in ats)), told, ats


def uncaptured(pattern: str) -> str:
    """``pattern`` with its capturing groups made non-capturing (what it matches is unchanged).

    >>> uncaptured(r"дв(а|і)[(]\\(x(?P<n>y)")
    'дв(?:а|і)[(]\\\\(x(?:y)'
    """
    out: list[str] = []
    i, in_class = 0, False
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            out.append(pattern[i : i + 2])
            i += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            # the class's opening, its "^" and a "]" right after them ("[]...]" and "[^]...]" hold a "]")
            opening = i + 1
            if pattern.startswith("^", opening):
                opening += 1
            if pattern.startswith("]", opening):
                opening += 1
            out.append(pattern[i:opening])
            i = opening
            in_class = True
            continue
        elif char == "(" and not pattern.startswith("(?", i):
            char = "(?:"
        elif pattern.startswith("(?P<", i):
            i = pattern.index(">", i)
            char = "(?:"
        out.append(char)
        i += 1
    return "".join(out)


class StartsWith:
    """A matcher for a ``Scanner`` finding the words whose first character passes ``test``, as
    ("word", None, start, end).

    >>> Scanner([StartsWith(str.isdecimal)]).scan("Kh101 and 12 drones")
    [[('word', None, 10, 12)]]
    """

    overlapping = True

    def __init__(self, test: Callable[[str], bool]):
        self.test = test
        # no longer patterns, so no second words (set here: a compiled class takes no mutable default)
        self.seconds: dict[str, int] = {}
        self.found = _At((("word", None),), (), 0, True)

    def at(self, word: str) -> _At | None:
        return self.found if self.test(word[0]) else None

    def shapes(self) -> list[str]:
        return []


class FirstWords:
    """A matcher for a ``Scanner`` finding the words a match of ``patterns`` can start at, as
    ("word", None, start, end). ``apart``: whether a match can start with a non-word character
    too (then not every match starts at a word found).

    >>> Scanner([FirstWords(["read (also|more)", "фото:"])]).scan("Read more. Фото: x")
    [[('word', None, 0, 4), ('word', None, 11, 15)]]
    """

    overlapping = True

    def __init__(self, patterns: list[str]):
        self.seconds: dict[str, int] = {}  # no longer patterns, so no second words (see StartsWith)
        parsed = [_Pattern(0, normalize(pattern)) for pattern in patterns]
        self.firsts = list(dict.fromkeys(pattern.first for pattern in parsed))
        self.fits = Shapes(self.firsts)
        self.apart = any(p.chars is None or not all(c.isalnum() or c == "_" for c in p.chars) for p in parsed)
        self.found = _At((("word", None),), (), 0, True)

    def at(self, word: str) -> _At | None:
        return self.found if self.fits.fits(word) else None

    def shapes(self) -> list[str]:
        return self.firsts

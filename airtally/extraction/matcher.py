"""Fast matching of many lexicon patterns: patterns are grouped by the characters they can
start with, and only the group for the character at each word start is tried.

Python's ``re`` tries every alternative of a large alternation at every position of the text;
a report is a few hundred words and the lexicon a few thousand alternatives. So each group is
guarded by the characters it can start with, and the guards are nested as a binary tree: at a
word start the regex engine checks a handful of character classes and then tries only the
patterns that can start there. One ``finditer`` per matcher then does the whole scan in C.

>>> m = Matcher([("drone", None, [r"дрон\\w*", r"бпла"]), ("number", 2, [r"дв(а|і)"])])
>>> [(name, key, s, e) for name, key, s, e in m.scan("збито два дрони")]
[('number', 2, 6, 9), ('drone', None, 10, 15)]
"""

from __future__ import annotations

import re
from re import _constants as C  # noqa: N812  (the parser's opcodes)
from re import _parser
from re._compiler import _EXTRA_CASES

import _sre

from airtally.catalog.normalize import normalize

Entry = tuple[str, object, list[str]]


def _first(items) -> set[str] | None:
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


def first_chars(pattern: str) -> set[str] | None:
    """The characters a match of ``pattern`` can start with (both cases); None when any."""
    try:
        return _first(list(_parser.parse(pattern, re.IGNORECASE)))
    except re.error:
        return None


class Matcher:
    """Find the entries' patterns at word starts, earlier entries winning at the same start.

    ``entries`` are (name, key, patterns); patterns are regex fragments on normalised text,
    matched case-insensitively and only where a word ends after them. ``overlapping``: a match
    does not hide the word starts inside it, and every entry matching at a start is reported.
    ``starts`` limits the first characters looked up by character (the others are tried only
    with the patterns that can start anywhere).

    One pattern, ``finder``, does the whole scan in C: the leaves (the patterns one first
    character can start) are nested in a tree of character guards, and the patterns of a leaf
    share their literal beginnings. It has no capturing group but an empty one after each
    pattern, which names the pattern's entry: the regex engine saves its groups at every
    backtracking point inside a repetition, so groups around the patterns, set before they are
    tried, would cost more than the whole scan.
    """

    def __init__(self, entries: list[Entry], overlapping: bool = False, starts=None):
        self.overlapping = overlapping
        by_char: dict[str | None, list[tuple[int, str]]] = {}  # (entry, pattern) in entry order
        for index, (_, _, patterns) in enumerate(entries):
            for pattern in map(normalize, patterns):
                chars = first_chars(pattern)
                for char in chars if chars is not None else [None]:
                    if char is None or starts is None or starts(char):
                        by_char.setdefault(char, []).append((index, pattern))
        anywhere = by_char.pop(None, [])
        leaves: dict[tuple, list[str]] = {}  # characters with the same patterns to try share a leaf
        for char, items in by_char.items():
            if len(char) == 1 and (char.isalnum() or char == "_"):  # a word start is a word character
                leaves.setdefault(tuple(sorted(items + anywhere, key=lambda item: item[0])), []).append(char)
        self.markers: dict[str, tuple[str, object]] = {}  # group name -> its entry's (name, key)
        self.leaves: dict[str | None, tuple[re.Pattern, list[tuple[str, str, object]]]] = {}  # overlapping
        branches = [(chars, self._leaf(items, entries, chars)) for items, chars in leaves.items()]
        self.finder = self._finder(branches, anywhere, entries)

    def _leaf(self, items, entries, chars) -> str:
        """The patterns of ``items`` as one alternation, their literal beginnings shared as a trie
        (a shared beginning is tried once), without capturing groups but an empty one where a
        pattern ends that names its entry.

        Overlapping, the leaf matches where one of its patterns does; there, a second pattern
        (kept for the leaf's characters) tries each entry in an optional lookahead. Trying them
        all at every word start would cost more than a second match where one is found."""
        grouped: dict[int, list[tuple[list[tuple[str, str]], str]]] = {}
        for index, pattern in sorted(items, key=lambda item: item[0]):
            tokens, rest = _literal_prefix(uncaptured(pattern))
            if not self.overlapping:
                rest = f"(?:{rest})(?P<{self._marker(entries[index])}>)"
            grouped.setdefault(index, []).append((tokens, rest))
        if not self.overlapping:
            return _trie([item for patterns in grouped.values() for item in patterns], 0)
        markers = [self._marker(entries[index]) for index in grouped]
        looks = "".join(rf"(?:(?=(?:{_trie(ps, 0)})(?P<{m}>)(?!\w)))?" for m, ps in zip(markers, grouped.values()))
        which = re.compile(looks, re.IGNORECASE), [(marker, *self.markers[marker]) for marker in markers]
        self.leaves.update(dict.fromkeys(chars or [None], which))
        every = _trie([item for patterns in grouped.values() for item in patterns], 0)
        return rf"(?=(?:{every})(?!\w))"

    def _marker(self, entry: Entry) -> str:
        marker = f"m{len(self.markers)}"
        self.markers[marker] = entry[:2]
        return marker

    def _finder(self, branches: list[tuple[list[str], str]], anywhere, entries) -> re.Pattern | None:
        body = _tree(branches)
        if anywhere:
            every = "".join(c for chars, _ in branches for c in chars)
            fallback = self._leaf(anywhere, entries, [])
            body = f"(?:{body}|(?-i:(?![{_class(every)}])){fallback})" if branches else fallback
        if not body:
            return None
        tail = "" if self.overlapping else r"(?!\w)"
        return re.compile(rf"(?<!\w)(?=\w)(?:{body}){tail}", re.IGNORECASE)

    def scan(self, text: str) -> list[tuple[str, object, int, int]]:
        """(name, key, start, end) of every match, left to right."""
        if self.finder is None:
            return []
        if not self.overlapping:
            markers = self.markers
            return [markers[found.lastgroup] + found.span() for found in self.finder.finditer(text)]
        out = []
        leaves = self.leaves
        for found in self.finder.finditer(text):
            at = found.start()
            which, markers = leaves.get(text[at]) or leaves[None]
            match = which.match(text, at)
            for marker, name, key in markers:
                end = match.start(marker)
                if end >= 0:
                    out.append((name, key, at, end))
        return out


def uncaptured(pattern: str) -> str:
    """``pattern`` with its capturing groups made non-capturing (what it matches is unchanged).

    >>> uncaptured(r"дв(а|і)[(]\\(x(?P<n>y)")
    'дв(?:а|і)[(]\\\\(x(?:y)'
    """
    out, i, in_class = [], 0, False
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            out.append(pattern[i : i + 2])
            i += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            opening = re.match(r"\[\^?\]?", pattern[i:]).group()  # "[]...]" and "[^]...]" hold a "]"
            out.append(opening)
            i += len(opening)
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


_META = set("()[]{}|.^$*+?\\")
_QUANTIFIERS = set("?*+{")


def _literal_prefix(pattern: str) -> tuple[list[tuple[str, str]], str]:
    """The literal characters ``pattern`` starts with, as (source, character) pairs, and the rest.

    >>> _literal_prefix(r"Kh\\-101s?")
    ([('K', 'K'), ('h', 'h'), ('\\\\-', '-'), ('1', '1'), ('0', '0'), ('1', '1')], 's?')
    >>> _literal_prefix("a|b")  # the first branch's letters are not the whole pattern's
    ([], 'a|b')
    """
    if _top_level_bar(pattern):
        return [], pattern
    tokens, i = [], 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\" and i + 1 < len(pattern) and not pattern[i + 1].isalnum():
            source, char = pattern[i : i + 2], pattern[i + 1]
        elif char in _META:
            break
        else:
            source = char
        if pattern[i + len(source) : i + len(source) + 1] in _QUANTIFIERS and i + len(source) < len(pattern):
            break  # "s?" may be absent
        tokens.append((source, char))
        i += len(source)
    return tokens, pattern[i:]


def _top_level_bar(pattern: str) -> bool:
    depth, i, in_class = 0, 0, False
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            i += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            i += len(re.match(r"\[\^?\]?", pattern[i:]).group())
            in_class = True
            continue
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            return True
        i += 1
    return False


def _trie(items: list[tuple[list[tuple[str, str]], str]], depth: int) -> str:
    """An alternation of (literal prefix, rest) patterns equal to ``|``-joining them in order.

    Patterns whose literal characters differ at ``depth`` (case aside) cannot both match at one
    place, so they may be reordered; the others keep their order. A shared character is tried
    once for all the patterns that start with it.
    """
    out: list[str] = []
    run: dict[object, list] = {}  # consecutive patterns going deeper, by their next character's fold
    for tokens, rest in items:
        if len(tokens) > depth:
            run.setdefault(_fold(tokens[depth][1]), []).append((tokens, rest))
            continue
        out += [f"{group[0][0][depth][0]}(?:{_trie(group, depth + 1)})" for group in run.values()]
        run = {}
        out.append(f"(?:{''.join(source for source, _ in tokens[depth:])}{rest})")
    out += [f"{group[0][0][depth][0]}(?:{_trie(group, depth + 1)})" for group in run.values()]
    return "|".join(out)


def _fold(char: str):
    """What ``re.IGNORECASE`` compares ``char`` by: two literals with the same fold match the same
    characters, two with different folds none in common.

    >>> _fold("K") == _fold("k"), _fold("s") == _fold("\u017f"), _fold("-")
    (True, True, '-')
    """
    code = ord(char)
    if not _sre.unicode_iscased(code):
        return char
    lower = _sre.unicode_tolower(code)
    return frozenset((lower, *_EXTRA_CASES.get(lower, ())))


def _class(chars: str) -> str:
    return "".join(re.escape(c) for c in sorted(set(chars)))


def _tree(branches: list[tuple[list[str], str]]) -> str:
    """The leaves nested as a binary tree of case-sensitive first-character guards."""
    if not branches:
        return ""
    if len(branches) == 1:
        chars, body = branches[0]
        return f"(?-i:(?=[{_class(''.join(chars))}])){body}" if chars else body
    half = len(branches) // 2
    left, right = branches[:half], branches[half:]
    return f"(?:{_guarded(left)}|{_guarded(right)})"


def _guarded(branches: list[tuple[list[str], str]]) -> str:
    if len(branches) == 1:
        return _tree(branches)
    chars = "".join(c for cs, _ in branches for c in cs)
    return f"(?-i:(?=[{_class(chars)}])){_tree(branches)}"


def scan_all(text: str, matchers: list[Matcher]) -> list[list[tuple[str, object, int, int]]]:
    """``[m.scan(text) for m in matchers]``."""
    return [m.scan(text) for m in matchers]

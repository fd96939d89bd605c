"""Fast matching of many lexicon patterns: patterns are grouped by the characters they can
start with, and only the group for the character at each word start is tried.

Python's ``re`` tries every alternative of a large alternation at every position of the text;
a report is a few hundred words and the lexicon a few thousand alternatives, so dispatching on
the first character makes extraction some ten times faster.

>>> m = Matcher([("drone", None, [r"дрон\\w*", r"бпла"]), ("number", 2, [r"дв(а|і)"])])
>>> [(name, key, s, e) for name, key, s, e in m.scan("збито два дрони")]
[('number', 2, 6, 9), ('drone', None, 10, 15)]
"""

from __future__ import annotations

import re
from re import _constants as C  # noqa: N812  (the parser's opcodes)
from re import _parser

from airtally.catalog.normalize import normalize

_WORD_START = re.compile(r"(?<!\w)\w")
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
    matched case-insensitively and only where a word ends after them.
    """

    def __init__(self, entries: list[Entry], overlapping: bool = False):
        # overlapping: a match does not hide the word starts inside it (one match per start)
        self.overlapping = overlapping
        self.groups: dict[str, tuple[str, object]] = {}
        by_char: dict[str | None, list[tuple[int, str, str]]] = {}
        for index, (name, key, patterns) in enumerate(entries):
            group = f"g{index}"
            self.groups[group] = (name, key)
            for pattern in patterns:
                pattern = normalize(pattern)
                chars = first_chars(pattern)
                for char in chars if chars is not None else [None]:
                    by_char.setdefault(char, []).append((index, group, pattern))
        anywhere = by_char.pop(None, [])
        self.dispatch = {char: self._compile(items + anywhere) for char, items in by_char.items()}
        self.fallback = self._compile(anywhere) if anywhere else None

    def _compile(self, items: list[tuple[int, str, str]]):
        grouped: dict[str, list[str]] = {}
        for _, group, pattern in sorted(items, key=lambda item: item[0]):
            grouped.setdefault(group, []).append(pattern)
        if self.overlapping:  # every entry tested at once, each in an optional lookahead
            looks = "".join(f"(?:(?=(?P<{g}>{'|'.join(f'(?:{p})' for p in ps)})(?!\\w)))?" for g, ps in grouped.items())
            return re.compile(looks, re.IGNORECASE)
        alternation = "|".join(f"(?P<{g}>{'|'.join(f'(?:{p})' for p in ps)})" for g, ps in grouped.items())
        return re.compile(rf"(?:{alternation})(?!\w)", re.IGNORECASE)

    def scan(self, text: str, start: int = 0, end: int | None = None):
        """Yield (name, key, start, end) for every match, left to right."""
        end = len(text) if end is None else end
        position = start
        for word in _WORD_START.finditer(text, start, end):
            at = word.start()
            if at < position and not self.overlapping:
                continue
            compiled = self.dispatch.get(text[at], self.fallback)
            if compiled is None:
                continue
            if self.overlapping:
                match = compiled.match(text, at, end)
                for group, value in match.groupdict().items():
                    if value is not None:
                        yield (*self.groups[group], at, match.end(group))
                continue
            match = compiled.match(text, at, end)
            if match:
                name, key = self.groups[match.lastgroup]
                yield name, key, at, match.end()
                position = match.end()


def scan_all(text: str, matchers: list[Matcher]) -> list[list[tuple[str, object, int, int]]]:
    """``[list(m.scan(text)) for m in matchers]`` in one pass over the word starts."""
    found: list[list[tuple[str, object, int, int]]] = [[] for _ in matchers]
    positions = [0] * len(matchers)
    table = _joint_dispatch(tuple(matchers))
    for word in _WORD_START.finditer(text):
        at = word.start()
        entries = table.get(text[at])
        if entries is None:
            continue
        for index, compiled, overlapping, groups in entries:
            if overlapping:
                match = compiled.match(text, at)
                if match.lastindex:
                    for group, value in match.groupdict().items():
                        if value is not None:
                            found[index].append((*groups[group], at, match.end(group)))
            elif at >= positions[index]:
                match = compiled.match(text, at)
                if match:
                    found[index].append((*groups[match.lastgroup], at, match.end()))
                    positions[index] = match.end()
    return found


_JOINT: dict[tuple[int, ...], dict] = {}


def _joint_dispatch(matchers: tuple[Matcher, ...]) -> dict:
    """For each first character, the compiled pattern of every matcher that can start with it."""
    key = tuple(id(m) for m in matchers)
    if key not in _JOINT:
        chars = set().union(*(m.dispatch for m in matchers))
        table = {}
        for char in chars:
            entries = []
            for index, m in enumerate(matchers):
                compiled = m.dispatch.get(char, m.fallback)
                if compiled is not None:
                    entries.append((index, compiled, m.overlapping, m.groups))
            table[char] = tuple(entries)
        _JOINT[key] = table
    return _JOINT[key]

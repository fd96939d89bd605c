"""A report's text cut into pieces, each marked with the evidence spans that cover it.

>>> [(p.text, p.marks) for p in pieces("539 drones and 11 missiles", [(0, 10, "a"), (15, 26, "b")])]
[('539 drones', ('a',)), (' and ', ()), ('11 missiles', ('b',))]

Spans may overlap or nest (a total's evidence inside a sentence another figure points at); a
piece covered by several carries them all. ``starts`` names the spans beginning at the piece, so
the page can give each span an anchor to link to. Several spans may share a key (a figure that
rests on several): each is marked with it, and the anchor is at the first of them only.

>>> [(p.text, p.marks, p.starts) for p in pieces("539 drones and 11 missiles", [(0, 10, "a"), (15, 26, "a")])]
[('539 drones', ('a',), ('a',)), (' and ', (), ()), ('11 missiles', ('a',), ())]
"""

from __future__ import annotations

from dataclasses import dataclass

# Around each span of a news article, how much of the text to show (it is someone else's
# article: the page quotes the evidence in its context, not the whole text).
CONTEXT = 160


@dataclass(frozen=True)
class Piece:
    text: str
    marks: tuple[str, ...]
    starts: tuple[str, ...] = ()
    gap_before: bool = False


def _valid(spans, length: int):
    return [(s, e, key) for s, e, key in spans if s is not None and e is not None and 0 <= s < e <= length]


def pieces(text: str, spans: list[tuple[int, int, str]], window: tuple[int, int] | None = None) -> list[Piece]:
    """``text`` (or its part ``window``) cut at every span boundary."""
    low, high = window or (0, len(text))
    spans = _valid(spans, len(text))
    cuts = sorted({low, high, *(p for s, e, _ in spans for p in (s, e) if low <= p <= high)})
    first: dict[str, int] = {}  # where each key's anchor goes: its first span's start
    for s, _, key in spans:
        first[key] = min(s, first.get(key, s))
    out = []
    for a, b in zip(cuts, cuts[1:]):
        marks = tuple(dict.fromkeys(key for s, e, key in spans if s <= a and b <= e))
        starts = tuple(dict.fromkeys(key for s, _, key in spans if s == a and first[key] == a))
        out.append(Piece(text[a:b], marks, starts))
    return out


def windows(text: str, spans: list[tuple[int, int, str]], context: int = CONTEXT) -> list[tuple[int, int]]:
    """The parts of ``text`` within ``context`` characters of a span, merged where they touch,
    widened to whole words."""
    found: list[list[int]] = []
    for s, e, _ in sorted(_valid(spans, len(text))):
        low, high = max(0, s - context), min(len(text), e + context)
        while low > 0 and not text[low - 1].isspace():
            low -= 1
        while high < len(text) and not text[high].isspace():
            high += 1
        if found and low <= found[-1][1]:
            found[-1][1] = max(found[-1][1], high)
        else:
            found.append([low, high])
    return [(a, b) for a, b in found]


def excerpt(text: str, spans: list[tuple[int, int, str]]) -> list[Piece]:
    """Only the context around the spans, as pieces; the first piece of each part after a cut
    has ``gap_before``."""
    out = []
    for a, b in windows(text, spans):
        part = pieces(text, spans, (a, b))
        out.append(Piece(part[0].text, part[0].marks, part[0].starts, gap_before=a > 0))
        out.extend(part[1:])
    return out

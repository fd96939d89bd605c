"""A report cut into sentences, each with its lexicon hits, flags and region mentions.

Lines that are not part of the story are marked ``skip`` ("Read also" blocks, photo captions,
short embedded headlines of other stories); the first line is the ``headline`` when it reads like
one (short, no final full stop). Bullet items remember that they are bullets, so they can take the
verb of the line that introduces them.

>>> doc = Document("Ukraine downs 15 drones\\nRussia fired 17 drones. Read also: x", "en")
>>> [(s.headline, doc.text[s.start:s.end]) for s in doc.sentences]
[(True, 'Ukraine downs 15 drones'), (False, 'Russia fired 17 drones.'), (False, 'Read also: x')]
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from airtally.catalog.normalize import normalize
from airtally.extraction.lexicon import Hit, lexicon

if TYPE_CHECKING:
    from airtally.model import Language

_TERMINAL = ".!?…:;"
_CLOSERS = "\"')»]"
# "[.!?…][.!?…]*", not "[.!?…]+": a pattern starting with a character class is searched for by
# that class in C; one starting with a repeat is tried at every position. Tried only at the first
# of a run of stops (the lookbehind after it), and possessive: a run of stops or spaces is read
# once, not again from each of its characters (a line of dots would make it quadratic). No line's
# end: the space it takes is the longest, so a shorter one never reaches the next sentence's start
_SPLIT = re.compile(r"[.!?…](?<![.!?…][.!?…])[.!?…]*+[\"')»]*+[^\S\n]++(?=[\"«(]?[^\W_a-zа-яіїєґё])")
_LINE = re.compile(r"[^\n]+")
_LETTER_OR_DIGIT = re.compile(r"[^\W_]")  # a character of Unicode category L* or N*
_WORD = re.compile(r"\w+")
# the last word of a stretch (its part in the stretch), matched at the stretch's start: words and
# the gaps between them taken whole, not tried again from each character as a search would
_LAST_WORD = re.compile(r"\W*+(?:\w++\W++)*(\w++)\W*+\Z")
_CUE_WIDTH = 40  # a line's cue to skip it stands in its first characters


class Sentence:
    """One sentence (or list line, or headline) of a document: its span, its line, its marks and
    the lexicon's finds in it. Compared by identity: the same sentence, not the same words.

    A plain class with typed fields, not a dataclass: compiled (setup.py), its fields are read in
    C by every rule."""

    __slots__ = ("start", "end", "line", "bullet", "list_line", "headline", "skip", "flags", "hits", "regions")

    def __init__(self, start: int, end: int, line: int, bullet: bool, list_line: int | None, headline: bool, skip: bool,
                 flags: dict[str, list[tuple[int, int]]], hits: list[Hit], regions: list[tuple[str, int, int]]) -> None:
        self.start = start
        self.end = end
        self.line = line
        self.bullet = bullet
        self.list_line = list_line  # for a bullet: the line that introduces its list
        self.headline = headline
        self.skip = skip
        self.flags = flags
        self.hits = hits
        self.regions = regions

    def has(self, flag: str) -> bool:
        return flag in self.flags


# a verdict on a sentence (whether it speaks of the attack, of its side and day: the engine's)
SentenceTest = Callable[[Sentence], bool]


def normalized(text: str) -> str:
    """``normalize(text)``, kept one character per character even when NFC would merge some."""
    out = normalize(text)
    if len(out) == len(text):
        return out
    return "".join(c if len(n := normalize(c)) != 1 else n for c in text)


def _is_terminated(stripped: str) -> bool:
    """Whether a line (with no trailing space) ends a sentence, closing quotes and brackets aside."""
    while stripped and stripped[-1] in _CLOSERS:
        stripped = stripped[:-1]
    return bool(stripped) and stripped[-1] in _TERMINAL


def _words_at_most(line: str, count: int) -> bool:
    """Whether ``line`` has at most ``count`` words (split by space; the rest is not split)."""
    return len(line.split(None, count)) <= count


class _Shares:
    """The lexicon's finds in a text, handed out by sentence (all sorted by start)."""

    def __init__(self, hits: list[Hit], regions: list[tuple[str, int, int]], flags: list[tuple[str, int, int]]):
        self.hits, self.regions = hits, regions
        self.flags = [flag for flag in flags if flag[0] != "skip_line"]  # read by the lines only
        self.hit_starts = list(map(itemgetter(2), hits))
        self.region_starts = list(map(itemgetter(1), regions))
        self.flag_starts = list(map(itemgetter(1), self.flags))

    def between(self, start: int, end: int) -> tuple[dict[str, list[tuple[int, int]]], list[Hit], list[tuple[str, int, int]]]:
        """(flags, hits, regions) starting in ``[start, end)``."""
        flags: dict[str, list[tuple[int, int]]] = {}
        starts = self.flag_starts
        for name, a, b in self.flags[bisect_left(starts, start) : bisect_left(starts, end)]:
            flags.setdefault(name, []).append((a, b))
        starts = self.hit_starts
        hits = self.hits[bisect_left(starts, start) : bisect_left(starts, end)]
        starts = self.region_starts
        return flags, hits, self.regions[bisect_left(starts, start) : bisect_left(starts, end)]


class Document:
    """The normalised text of one report and its sentences."""

    def __init__(self, text: str, language: Language):
        self.raw = text
        # what later steps work out once a report (dates, clause marks), kept by name: an attribute
        # of its own, not the object's __dict__, which a compiled class has not
        self.memo: dict[str, Any] = {}
        self.text = normalized(text)
        self.language = language
        self.lex = lexicon(language)
        self.sentences: list[Sentence] = []
        # The whole text is one region's report (a regional command's post, a governor's news):
        # its regional figures are its totals.
        self.regional_scope = False
        # what the lexicon finds first: each sentence takes its share as it is cut
        hits, regions, flags, cues = self.lex.scan(self.text)
        self._split_lines(hits, regions, flags, cues)
        self._story = [s for s in self.sentences if not s.skip]
        self._places = {id(s): place for place, s in enumerate(self._story)}
        self._lines: dict[int, list[Sentence]] = {}
        for sentence in self._story:
            self._lines.setdefault(sentence.line, []).append(sentence)
        self._starts = [s.start for s in self.sentences]
        story = self.story
        # the story's opening: its first sentence, and the one after a headline
        self.opening = opening = story[:2] if story and story[0].headline else story[:1]
        # a regional official as the source: in the opening, or named as the source just after it
        # ("Про це повідомив голова ОВА"), not merely quoted further on
        sourced = [s for s in story[len(opening) : len(opening) + 1] if s.has("attribution")]
        self.regional_scope = any(s.has("regional_command") for s in self._command_window(story)) or any(
            s.has("regional_official") for s in opening + sourced)

    @staticmethod
    def _command_window(story: list[Sentence]) -> list[Sentence]:
        """Where a regional command names the report's source: the first three sentences, or the
        fourth after an opening on one place's damage ("У передмісті Одеси ... загинула людина" ...
        "Сили оборони півдня повідомили, що ..."), none of them, nor it, speaking of the whole
        country ("по Україні", the Air Force)."""
        if len(story) < 4 or any(s.has("countrywide") for s in story[:4]):
            return story[:3]
        return story[:4]

    # -- lines and sentences -------------------------------------------------------------
    def _split_lines(self, hits: list[Hit], regions: list[tuple[str, int, int]], flags: list[tuple[str, int, int]],
                     cues: list[int] | None = None) -> None:
        """Cut the text into sentences, line by line, each with the ``hits``, ``regions`` and
        ``flags`` (as from ``Lexicon.scan``) starting inside it; ``cues``: where a cue to skip a
        line can start (None: anywhere)."""
        text = self.text
        shares = _Shares(hits, regions, flags)
        breaks = self._sentence_breaks()
        in_skip_block = False
        first = True
        header: int | None = None
        for number, match in enumerate(_LINE.finditer(text)):
            line = match.group()
            if not _LETTER_OR_DIGIT.search(line):
                continue
            bullet = bool(self.lex.bullet.match(line))
            stripped = line.rstrip()
            terminated = _is_terminated(stripped)
            cue = self._skip_cue(line, match.start(), cues)
            # "Read also:" and the bullet list of other stories after it
            in_skip_block = (in_skip_block and bullet) or (cue and (stripped.endswith(":") or _words_at_most(line, 3)))
            skip = cue or in_skip_block
            headline = first and not terminated and _words_at_most(line, 30)
            if not first and not bullet and not terminated and _words_at_most(line, 20):
                skip = True  # an embedded headline of another story, a dateline, a byline
            elif not first and not terminated and self.lex.teaser_end.search(stripped):
                skip = True  # a link to another story with its view count
            first = False
            list_line = header if bullet else None
            for start, end in self._split_sentences(match.start(), match.start() + len(stripped), breaks):
                marks, hits_in, regions_in = shares.between(start, end)  # by name: a call with *args is a generic call, compiled or not
                self.sentences.append(Sentence(start, end, number, bullet, list_line, headline, skip, marks, hits_in, regions_in))
            if not bullet or stripped.endswith(":"):
                # a marked line that ends in a colon opens a list too ("✅ As of 09:30, air defence
                # shot down 247 targets:" in a post whose every line starts with an emoji)
                header = number

    def _skip_cue(self, line: str, start: int, cues: list[int] | None) -> bool:
        """Whether a cue to skip the line ("Read also", "Фото:") is in its first 40 characters.

        Searched for there only when a word can start one there (``cues``: where); else a match
        can only start at the word cut at the 40th character, searched for from its space on."""
        search = self.lex.flag("skip_line").search
        if cues is None or bisect_left(cues, start + _CUE_WIDTH) > bisect_left(cues, start):
            return bool(search(line[:_CUE_WIDTH]))
        return len(line) > _CUE_WIDTH and bool(search(line, line.rfind(" ", 0, _CUE_WIDTH) + 1, _CUE_WIDTH))

    def _sentence_breaks(self) -> tuple[list[int], list[int]]:
        """Where sentences end inside lines, and where the next ones start: the ``_SPLIT`` matches
        not after an abbreviation or an initial, found in one pass."""
        text = self.text
        ends, starts = [], []
        start = 0  # the sentence's start (the line's or the last break's)
        for split, after in map(re.Match.span, _SPLIT.finditer(text)):
            start = max(start, text.rfind("\n", start, split) + 1)  # from the last start: a text without lines is read once
            tail = _LAST_WORD.match(text, max(start, split - 24), split + 1)
            # an abbreviation or an initial ends at its stop: after a closing quote or bracket
            # ("ракеты «Искандер-М». Силы") the stop ends the sentence, not the quoted word
            last = tail.group(1).casefold() if tail and tail.end(1) == split else ""
            initial = len(last) == 1 and last.isalpha() and text[split - 2 : split - 1] != "-"
            if last in self.lex.abbreviations or initial:
                continue
            ends.append(split + len(text[split:after].rstrip()))
            starts.append(after)
            start = after
        return ends, starts

    def _split_sentences(self, start: int, end: int, breaks: tuple[list[int], list[int]]) -> list[tuple[int, int]]:
        """The (start, end) of the sentences of the line ``text[start:end]`` (no trailing space),
        cut at the ``breaks`` (from ``_sentence_breaks``) inside it."""
        ends, starts = breaks
        first, past = bisect_left(ends, start), bisect_left(ends, end)
        if first == past:
            return [(start, end)]  # the usual line: one sentence
        out = []
        for index in range(first, past):
            out.append((start, ends[index]))
            start = starts[index]
        out.append((start, end))
        return out

    # -- what each sentence holds --------------------------------------------------------
    def sentence_at(self, position: int) -> Sentence | None:
        index = bisect_right(self._starts, position) - 1
        if index >= 0 and position < self.sentences[index].end:
            return self.sentences[index]
        return None

    def recaps(self) -> list[Sentence]:
        """The sentences of the skipped lines that open with a recap ("Нагадаємо, вночі ...",
        "Напомним, ..."; the lexicon's ``recap_line``): out of the story, read for casualties only."""
        found = self.memo.get("recaps")
        if found is None:
            match = self.lex.recap_line.match
            lines = {s.line for k, s in enumerate(self.sentences) if s.skip and not s.bullet
                     and (k == 0 or self.sentences[k - 1].line != s.line) and match(self.text, s.start)}
            found = self.memo["recaps"] = [s for s in self.sentences if s.line in lines]
        return found

    def place(self, sentence: Sentence) -> int | None:
        """The sentence's place in the ``story`` (None when it is not part of it), looked up, not searched."""
        return self._places.get(id(sentence))

    def on_line(self, line: int) -> list[Sentence]:
        """The story's sentences on line ``line``, in order (looked up, not searched: every bullet
        asks for its list's header line); read-only."""
        return self._lines.get(line, [])

    def hit_place(self, sentence: Sentence, hit: Hit) -> int | None:
        """The place of ``hit`` (the object itself) among the sentence's hits, None when not there:
        found by bisecting their starts (listed once a sentence), not by a walk through them."""
        starts = self.memo.setdefault("_hit_starts", {}).get(id(sentence))
        if starts is None:
            starts = self.memo["_hit_starts"][id(sentence)] = list(map(itemgetter(2), sentence.hits))
        hits = sentence.hits
        for place in range(bisect_left(starts, hit.start), bisect_right(starts, hit.start)):
            if hits[place] is hit:
                return place
        return None

    @property
    def story(self) -> list[Sentence]:
        """The sentences that belong to the story (not skipped); read-only, built once."""
        return self._story

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
from bisect import bisect_right
from dataclasses import dataclass, field

from airtally.catalog.normalize import normalize
from airtally.extraction.lexicon import Hit, lexicon

_TERMINAL = ".!?…:;"
_CLOSERS = "\"')»]"
# "[.!?…][.!?…]*", not "[.!?…]+": a pattern starting with a character class is searched for by
# that class in C; one starting with a repeat is tried at every position
_SPLIT = re.compile(r"[.!?…][.!?…]*[\"')»]*\s+(?=[\"«(]?[^\W_a-zа-яіїєґё])")
_LINE = re.compile(r"[^\n]+")
_LETTER_OR_DIGIT = re.compile(r"[^\W_]")  # a character of Unicode category L* or N*
_WORD = re.compile(r"\w+")
_LAST_WORD = re.compile(r"(\w+)\W*$")


@dataclass(eq=False)  # identity: compared as the same sentence, not the same words
class Sentence:
    start: int
    end: int
    line: int
    bullet: bool = False
    list_line: int | None = None  # for a bullet: the line that introduces its list
    headline: bool = False
    skip: bool = False
    flags: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    hits: list[Hit] = field(default_factory=list)
    regions: list[tuple[str, int, int]] = field(default_factory=list)

    def has(self, flag: str) -> bool:
        return flag in self.flags


def normalized(text: str) -> str:
    """``normalize(text)``, kept one character per character even when NFC would merge some."""
    out = normalize(text)
    if len(out) == len(text):
        return out
    return "".join(c if len(n := normalize(c)) != 1 else n for c in text)


def _is_terminated(line: str) -> bool:
    stripped = line.rstrip()
    while stripped and stripped[-1] in _CLOSERS:
        stripped = stripped[:-1]
    return bool(stripped) and stripped[-1] in _TERMINAL


class Document:
    """The normalised text of one report and its sentences."""

    def __init__(self, text: str, language: str):
        self.raw = text
        self.text = normalized(text)
        self.language = language
        self.lex = lexicon(language)
        self.sentences: list[Sentence] = []
        # The whole text is one region's report (a regional command's post, a governor's news):
        # its regional figures are its totals.
        self.regional_scope = False
        self._split_lines()
        self._story = [s for s in self.sentences if not s.skip]
        hits, regions, flags = self.lex.scan(self.text)
        self._starts = [s.start for s in self.sentences]
        self._attach(hits)
        self._attach(regions)
        self._attach_flags(flags)
        story = self.story
        opening = story[:2] if story and story[0].headline else story[:1]
        # a regional official as the source: in the opening, or named as the source just after it
        # ("Про це повідомив голова ОВА"), not merely quoted further on
        sourced = [s for s in story[len(opening) : len(opening) + 1] if s.has("attribution")]
        self.regional_scope = any(s.has("regional_command") for s in story[:3]) or any(
            s.has("regional_official") for s in opening + sourced)

    # -- lines and sentences -------------------------------------------------------------
    def _split_lines(self) -> None:
        in_skip_block = False
        first = True
        header: int | None = None
        for number, match in enumerate(_LINE.finditer(self.text)):
            line = match.group()
            if not _LETTER_OR_DIGIT.search(line):
                continue
            bullet = bool(self.lex.bullet.match(line))
            words = len(line.split())
            cue = bool(self.lex.flags["skip_line"].search(line[:40]))
            # "Read also:" and the bullet list of other stories after it
            in_skip_block = (in_skip_block and bullet) or (cue and (line.rstrip().endswith(":") or words <= 3))
            skip = cue or in_skip_block
            headline = first and not _is_terminated(line) and words <= 30
            if not first and not bullet and not _is_terminated(line) and words <= 20:
                skip = True  # an embedded headline of another story, a dateline, a byline
            first = False
            for start, end in self._split_sentences(line, match.start()):
                self.sentences.append(Sentence(start, end, number, bullet=bullet, headline=headline, skip=skip,
                                               list_line=header if bullet else None))
            if not bullet or line.rstrip().endswith(":"):
                # a marked line that ends in a colon opens a list too ("✅ As of 09:30, air defence
                # shot down 247 targets:" in a post whose every line starts with an emoji)
                header = number

    def _split_sentences(self, line: str, offset: int):
        start = 0
        for match in _SPLIT.finditer(line):
            tail = _LAST_WORD.search(line, max(start, match.start() - 24), match.start() + 1)
            last = tail.group(1).casefold() if tail else ""
            initial = len(last) == 1 and last.isalpha() and line[match.start() - 2 : match.start() - 1] != "-"
            if last in self.lex.abbreviations or initial:
                continue
            yield offset + start, offset + start + len(line[start : match.end()].rstrip())
            start = match.end()
        stripped_end = len(line.rstrip())
        if start < stripped_end:
            yield offset + start, offset + stripped_end

    # -- what each sentence holds --------------------------------------------------------
    def sentence_at(self, position: int) -> Sentence | None:
        index = bisect_right(self._starts, position) - 1
        if index >= 0 and position < self.sentences[index].end:
            return self.sentences[index]
        return None

    def _attach(self, hits) -> None:
        for hit in hits:
            sentence = self.sentence_at(hit.start)
            if sentence is None:
                continue
            if hit.kind == "region":
                sentence.regions.append((hit.key, hit.start, hit.end))
            else:
                sentence.hits.append(hit)

    def _attach_flags(self, flags) -> None:
        for name, start, end in flags:
            if name == "skip_line":
                continue
            sentence = self.sentence_at(start)
            if sentence is not None:
                sentence.flags.setdefault(name, []).append((start, end))

    @property
    def story(self) -> list[Sentence]:
        """The sentences that belong to the story (not skipped); read-only, built once."""
        return self._story

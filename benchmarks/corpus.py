"""The benchmark corpora, built from the extraction test cases (sizes are UTF-8 bytes).

``benchmark_reports()``: the measured corpus of the 2,000 reports/s target, "realistic reports
of 1-3 KB": every case whose text is 1-3 KB as written, one report each (news articles with
their distractors, long Air Force and regional posts, hard negatives), nothing joined or cut.

``joined_pages()``: one 1-3 KB page per case, a harder load printed beside it. A short case
(an Air Force post of a few hundred bytes) is extended with further cases of its language until
it reaches 1 KB, and a long one is cut at a paragraph boundary before 3 KB: a page carrying two
to four unrelated stories holds more figures per kilobyte than any one report does.

>>> reports = benchmark_reports()
>>> all(1024 <= len(r.encode("utf-8")) <= 3072 for r in reports + joined_pages())
True
"""

from __future__ import annotations

from itertools import cycle
from pathlib import Path

CASES_DIR = Path(__file__).resolve().parent.parent / "tests" / "extraction" / "cases"
MIN_BYTES, MAX_BYTES = 1024, 3072


def _size(text: str) -> int:
    return len(text.encode("utf-8"))


def _cut(text: str) -> str:
    """``text`` cut before MAX_BYTES, at a line break when that still leaves MIN_BYTES."""
    if _size(text) <= MAX_BYTES:
        return text
    head = text.encode("utf-8")[:MAX_BYTES].decode("utf-8", "ignore")
    line_end = head.rfind("\n")
    return head[:line_end] if _size(head[:line_end]) >= MIN_BYTES else head


def case_texts() -> dict[str, list[str]]:
    """The corpus texts by language folder."""
    return {
        folder.name: [p.read_text(encoding="utf-8").strip() for p in sorted(folder.glob("*.txt"))]
        for folder in sorted(CASES_DIR.iterdir())
        if folder.is_dir()
    }


def benchmark_reports() -> list[str]:
    """Every case of 1-3 KB as written: one realistic report each."""
    return [text for texts in case_texts().values() for text in texts if MIN_BYTES <= _size(text) <= MAX_BYTES]


def joined_pages() -> list[str]:
    """One 1-3 KB page per corpus case, short cases joined with further ones of their language."""
    pages = []
    for texts in case_texts().values():
        fillers = cycle(texts)
        for text in texts:
            page = text
            while _size(page) < MIN_BYTES:
                page += "\n\n" + next(fillers)
            pages.append(_cut(page))
    return pages

"""A benchmark corpus of realistic 1-3 KB reports, built from the extraction test cases.

Each case text is one report; a short one is extended with further reports of the same language
(a news page often carries several stories) until it reaches 1 KB, and a long one is cut at a
paragraph boundary before 3 KB. Sizes are UTF-8 bytes.

>>> reports = benchmark_reports()
>>> all(1024 <= len(r.encode("utf-8")) <= 3072 for r in reports)
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
    """One 1-3 KB report per corpus case."""
    reports = []
    for texts in case_texts().values():
        fillers = cycle(texts)
        for text in texts:
            report = text
            while _size(report) < MIN_BYTES:
                report += "\n\n" + next(fillers)
            reports.append(_cut(report))
    return reports

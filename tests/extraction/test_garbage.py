"""An extraction leaves no reference cycles behind: a report's document, sentences, hits and phrases
are freed when the result is returned, not at the garbage collector's next run (which cost ~40 us
a report when a linker kept its own bound methods)."""

from __future__ import annotations

import gc
from pathlib import Path

from airtally.extraction import extract

CASES = Path(__file__).resolve().parent / "cases"


def test_extracting_the_corpus_leaves_no_cyclic_garbage() -> None:
    texts = [p.read_text("utf-8") for p in sorted(CASES.glob("*/*.txt"))]
    extract(texts[0], published="2025-07-04")  # lexicons and caches built outside the count
    enabled = gc.isenabled()
    gc.disable()
    try:
        gc.collect()
        for text in texts:
            extract(text, published="2025-07-04")
        assert gc.collect() == 0
    finally:
        if enabled:
            gc.enable()

"""The benchmark corpora (``benchmarks/corpus.py``: the 1-3 KB cases, and case texts joined into
1-3 KB pages) read without breaking the contract: the throughput measured there is that of
working extractions.

Joined pages put a news story's approximate figures next to a post's exact ones, which no
single case does (a combined "all destroyed" once failed on ``{"min": N}`` lost drones).
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT / "benchmarks"))
from contract import assert_contract  # noqa: E402
from corpus import benchmark_reports, joined_pages  # noqa: E402
from gate import KYIV  # noqa: E402

from airtally.extraction import extract  # noqa: E402

REPORTS = benchmark_reports() + joined_pages()
PUBLISHED = dt.datetime(2025, 7, 4, 12, 0, tzinfo=KYIV)  # the benchmark's


@pytest.mark.parametrize("index", range(len(REPORTS)))
def test_benchmark_report_keeps_the_contract(index: int) -> None:
    text = REPORTS[index]
    assert_contract(text, extract(text, published=PUBLISHED).to_json())


def test_the_measured_corpus_is_whole_reports_of_one_to_three_kilobytes() -> None:
    reports = benchmark_reports()
    assert len(reports) >= 60
    assert all(1024 <= len(r.encode("utf-8")) <= 3072 for r in reports)
    assert len(set(reports)) == len(reports)  # no report counted twice

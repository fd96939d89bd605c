"""Threat posts parsed per second, beside extraction of the same texts, in the same run.

    python benchmarks/threats.py [--seconds 5]

The corpus is the rule cases' posts (``tests/extraction/threat_cases.yaml``: live-threat posts as
the Air Force and the regional commands write them, a few morning reports among them). Each
reader goes over the whole corpus again and again for about ``--seconds`` of CPU time (the
process's own: on a shared machine wall time runs far above it), after one warm-up pass that
builds the lexicons; the two readers are interleaved pass by pass so a change in the machine's
load falls on both. Printed: posts per CPU second of each and the ratio. Target: a threat post is
read well within the watcher's shortest interval (30 s) for a page of 20 posts: at least 1,000
posts/s, and no slower than extraction of the same text (the watcher runs both on every post).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

import yaml

from airtally.extraction.engine import extract
from airtally.extraction.threats import parse_threats

CASES = Path(__file__).resolve().parent.parent / "tests" / "extraction" / "threat_cases.yaml"
AT = dt.datetime(2025, 7, 4, 1, 0, tzinfo=dt.timezone.utc)
TARGET = 1_000


def corpus() -> list[str]:
    return [case["text"] for case in yaml.safe_load(CASES.read_text("utf-8"))["cases"]]


def one_pass(reader, texts: list[str]) -> float:
    """CPU seconds of one pass of ``reader`` over ``texts``."""
    begin = time.process_time()
    for text in texts:
        reader(text)
    return time.process_time() - begin


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="CPU seconds of each reader (about)")
    args = parser.parse_args(argv)
    texts = corpus()
    readers = {"threats (parse_threats)": lambda text: parse_threats(text, at=AT),
               "extraction (extract, uk)": lambda text: extract(text, published=AT, language="uk")}
    spent = {name: 0.0 for name in readers}
    passes = {name: 0 for name in readers}
    for reader in readers.values():
        one_pass(reader, texts)  # warm-up: lexicons built
    while min(spent.values()) < args.seconds:
        for name, reader in readers.items():
            if spent[name] < args.seconds:
                spent[name] += one_pass(reader, texts)
                passes[name] += 1
    rates = {name: passes[name] * len(texts) / spent[name] for name in readers}
    print(f"corpus: {len(texts)} posts, {sum(map(len, texts)):,} characters ({CASES.name}); Python {sys.version.split()[0]}")
    for name, rate in rates.items():
        print(f"{name:28} {rate:10,.0f} posts/CPU s  ({passes[name]} passes, {spent[name]:.2f} CPU s)")
    threats, extraction = rates.values()
    print(f"threats / extraction: {threats / extraction:.1f}x; target >= {TARGET:,} posts/s: "
          f"{'met' if threats >= TARGET else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

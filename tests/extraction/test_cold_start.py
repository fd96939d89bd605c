"""A cold start compiles only the regexes a short report needs (benchmarks/cold_start.py times
it): words are told apart by looking them up (wordshapes), and every other regex is compiled
when first used. Counted in a fresh process, from the call of ``extract`` on (the lexicon built,
the text read), by the compilations Python's ``re`` makes (its own cache misses)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

RUN = """
import json, re, sys
from airtally.extraction import extract
compiled = []
original = re._compile
def counting(pattern, flags):
    if isinstance(pattern, str) and (type(pattern), pattern, flags) not in re._cache:
        compiled.append(pattern)
    return original(pattern, flags)
re._compile = counting
extract(sys.argv[1])
print(json.dumps([len(compiled), sum(map(len, compiled))]))
"""

# a short report per language, and the most it may compile: (regexes, characters of their sources)
# (before the word shapes: ~140-210 regexes of ~41,000-47,500 characters; 12,000 since 2026-12-08:
# the lexicons' growth of that day, and in uk and ru the prefix shapes of Russia's region names,
# which a word is checked against by one lookahead)
SHORT = [
    ("Overnight Russia launched 50 Shahed drones and two Kh-101 missiles; 41 drones and both missiles were shot down.",
     100, 12_000),
    ("Вночі ворог атакував Україну 50 ударними БпЛА типу Shahed та двома ракетами Х-101; збито 41 дрон і обидві ракети.",
     100, 12_000),
    ("Ночью противник атаковал Украину 50 ударными БпЛА типа Shahed и двумя ракетами Х-101; сбиты 41 дрон и обе ракеты.",
     100, 12_000),
]


@pytest.mark.parametrize(("text", "most", "most_chars"), SHORT, ids=["en", "uk", "ru"])
def test_a_short_report_compiles_few_regexes(text: str, most: int, most_chars: int) -> None:
    done = subprocess.run([sys.executable, "-c", RUN, text], capture_output=True, text=True, timeout=120, check=True)
    count, chars = json.loads(done.stdout.strip().splitlines()[-1])
    assert count <= most and chars <= most_chars, f"{count} regexes of {chars} characters compiled"

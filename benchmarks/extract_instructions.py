"""Instructions per warm report of the extraction engine, this checkout's against another
revision's, on the same inputs in the same run (``valgrind --tool=callgrind``).

    python benchmarks/extract_instructions.py --against 07de67c [--passes 0 1]

Seconds on a shared machine move with its load; the instructions a process executes do not
(the same count twice for the same binary, inputs and environment, whatever else runs). For each
build, two processes extract the same reports, one making ``passes[0]`` warm passes and one
``passes[1]``; the difference over the extra passes is the cost of a warm report, with the start,
the lexicons and the first pass cancelled out. The other build is a ``git worktree`` of the
revision, imported through ``PYTHONPATH`` by this interpreter. Inputs: ``corpus.py``'s 1-3 KB
reports and the real-news corpus's tuned part (never its held-out part), read from this
checkout, so both builds read the same texts. The issue 16 target: throughput within 10 % of
the previous build's.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
REAL = ROOT / "tests" / "extraction" / "real"

# Run by each measured process: the inputs come from this checkout (``argv[1]``), the engine from
# whatever ``PYTHONPATH`` puts first.
_RUN = """
import datetime as dt, sys
from pathlib import Path
sys.path.insert(0, sys.argv[1] + "/benchmarks")
from corpus import benchmark_reports
from airtally.extraction import extract
real = [p.read_text(encoding="utf-8") for lang in ("en", "uk", "ru")
        for p in sorted((Path(sys.argv[1]) / "tests/extraction/real" / lang).glob("*.txt"))]
reports = {"reports": benchmark_reports(), "real": real}[sys.argv[2]]
published = dt.datetime(2025, 7, 4, 12, 0, tzinfo=dt.timezone(dt.timedelta(hours=3)))
for _ in range(1 + int(sys.argv[3])):  # the first pass builds the memos: cancelled out
    for text in reports:
        extract(text, published=published)
print(len(reports))
"""


def instructions(checkout: Path, corpus: str, passes: int) -> tuple[int, int]:
    """(instructions executed, reports per pass) of one process over ``corpus``."""
    env = dict(os.environ, PYTHONPATH=str(checkout), PYTHONHASHSEED="0")
    done = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
                           sys.executable, "-c", _RUN, str(ROOT), corpus, str(passes)],
                          capture_output=True, text=True, env=env, check=False)
    found = re.search(r"Collected : (\d+)", done.stderr)
    if done.returncode != 0 or not found:
        raise SystemExit(f"callgrind failed on {checkout} ({corpus}, {passes} passes):\n{done.stderr[-2000:]}")
    return int(found.group(1)), int(done.stdout.split()[-1])


def per_report(checkout: Path, corpus: str, passes: tuple[int, int]) -> tuple[float, int]:
    low, n = instructions(checkout, corpus, passes[0])
    high, _ = instructions(checkout, corpus, passes[1])
    return (high - low) / ((passes[1] - passes[0]) * n), n


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", required=True, help="the revision to compare with (a commit, tag or branch)")
    parser.add_argument("--passes", type=int, nargs=2, default=(0, 1), metavar=("FEW", "MORE"))
    args = parser.parse_args(argv)
    if not args.passes[1] > args.passes[0] >= 0:
        parser.error("--passes FEW MORE needs 0 <= FEW < MORE")
    with tempfile.TemporaryDirectory() as tmp:
        other = Path(tmp) / "other"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(other), args.against], check=True)
        try:
            print(f"| corpus | reports | {args.against} | this checkout | change |")
            print("| --- | --- | --- | --- | --- |")
            for corpus in ("reports", "real"):
                before, n = per_report(other, corpus, tuple(args.passes))
                after, _ = per_report(ROOT, corpus, tuple(args.passes))
                print(f"| {corpus} | {n} | {before / 1e6:.3f} M | {after / 1e6:.3f} M | {100 * (after / before - 1):+.1f} % |")
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(other)], check=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Extraction time on pathological texts, up to the 5 MB a report may be, beside a plain regex pass.

    python benchmarks/pathological.py [--sizes 100000,1000000,5000000] [--shapes giant_sentence,...]
                                      [--timeout 300]

Each shape of ``benchmarks/shapes.py`` (a fragment repeated to a size: one sentence with
thousands of figures, thousands of bullet lines, runs of numbers or stops, ...) is extracted once
per size in a fresh process (the lexicons built before the clock starts), and a plain regex pass
over the same text (``re.findall(r"\\w+", text)``, best of three) is timed in that process as the
baseline. Printed per shape and size: the extraction's CPU seconds (the process's own: on a
shared machine the steadier measure), its CPU microseconds per KB, its ratio to the regex pass's
CPU time, and its wall-clock seconds. Linear time shows as microseconds per KB (and the ratio) staying flat as
the size grows; a measurement past ``--timeout`` seconds is killed, and one that fails (the
engine raised) is shown with its error.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from shapes import SHAPES  # noqa: E402

# what the child process runs: argv = shape name, size; prints one JSON object
CHILD = r"""
import json, re, sys, time
sys.path.insert(0, sys.argv[3])
from shapes import SHAPES, build
from airtally.extraction import extract
from airtally.extraction.lexicon import LANGUAGES, lexicon
for language in LANGUAGES:
    lexicon(language)
text = build(SHAPES[sys.argv[1]], int(sys.argv[2]))
words = re.compile(r"\w+")
def regex_pass():
    begin = time.process_time()
    words.findall(text)
    return time.process_time() - begin
regex = min(regex_pass() for _ in range(3))
begin, cpu = time.perf_counter(), time.process_time()
extract(text, published="2025-07-04")
print(json.dumps({"extract": time.process_time() - cpu, "wall": time.perf_counter() - begin, "regex": regex}))
"""


def measure(shape: str, size: int, timeout: float) -> dict | str:
    """The child's timings, or why there are none: it ran past ``timeout`` seconds, or failed."""
    here = str(Path(__file__).resolve().parent)
    try:
        done = subprocess.run([sys.executable, "-c", CHILD, shape, str(size), here], capture_output=True, text=True,
                              timeout=timeout)
    except subprocess.TimeoutExpired:
        return f"> {timeout:.0f} s (killed)"
    if done.returncode:
        return "failed: " + (done.stderr.strip().splitlines() or ["no message"])[-1][:80]
    return json.loads(done.stdout)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,1000000,5000000", help="text sizes in characters, comma-separated")
    parser.add_argument("--shapes", default=",".join(SHAPES), help="shapes to run, comma-separated")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds before a measurement is given up")
    args = parser.parse_args(argv)
    sizes = [int(size) for size in args.sizes.split(",")]
    print(f"{'shape':<22} {'size':>9} {'extract s':>10} {'us/KB':>9} {'regex s':>9} {'ratio':>7} {'wall s':>8}")
    for shape in args.shapes.split(","):
        for size in sizes:
            found = measure(shape, size, args.timeout)
            if isinstance(found, str):
                print(f"{shape:<22} {size:>9,}  {found}; larger sizes skipped", flush=True)
                break
            per_kb = found["extract"] / (size / 1000) * 1e6
            ratio = found["extract"] / max(found["regex"], 1e-6)
            print(f"{shape:<22} {size:>9,} {found['extract']:>10.3f} {per_kb:>9,.0f} {found['regex']:>9.4f} {ratio:>7,.0f}"
                  f" {found['wall']:>8.2f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

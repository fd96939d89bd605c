"""Cold start: a fresh ``airtally extract`` of a short report and ``airtally --help``, beside the
import of the CLI's own libraries (``python -c "import typer, rich, pydantic"``), in the same run.

    python benchmarks/cold_start.py [--runs 20]

Each command runs ``--runs`` times in a fresh process, the three interleaved (baseline, help,
extract, baseline, ...) so that a change in the machine's load falls on all of them; one warm-up
run of each first writes the bytecode caches (with ``PYTHONDONTWRITEBYTECODE`` unset: a cold
start is a new process, not a first import after installation). Printed per command: the wall
time's median and minimum, and the user+system CPU time's median, each also as the difference
from the baseline. Target: extract and help within 0.2 s of the baseline.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET = 0.2
REPORT = "Overnight Russia launched 50 Shahed drones and two Kh-101 missiles; 41 drones and both missiles were shot down.\n"


def commands(report: Path) -> dict[str, list[str]]:
    cli = [sys.executable, "-c", "import sys; from airtally.cli import main; sys.exit(main())"]
    return {
        "baseline": [sys.executable, "-c", "import typer, rich, pydantic"],
        "airtally --help": [*cli, "--help"],
        "airtally extract": [*cli, "extract", str(report), "--json", "--published", "2025-07-04"],
    }


def run(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall seconds, user+system CPU seconds) of one run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    begin = time.perf_counter()
    subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    wall = time.perf_counter() - begin
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20, help="runs of each command")
    args = parser.parse_args(argv)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.txt"
        report.write_text(REPORT, encoding="utf-8")
        todo = commands(report)
        for command in todo.values():  # warm-up: bytecode caches written
            run(command, env)
        times: dict[str, list[tuple[float, float]]] = {name: [] for name in todo}
        for _ in range(args.runs):
            for name, command in todo.items():
                times[name].append(run(command, env))
    base_wall = statistics.median(w for w, _ in times["baseline"])
    base_cpu = statistics.median(c for _, c in times["baseline"])
    print(f"{args.runs} runs each, interleaved; python {sys.version.split()[0]}")
    print(f"{'command':<18} {'wall median':>12} {'wall min':>9} {'CPU median':>11} {'wall - base':>12} {'CPU - base':>11}")
    for name, found in times.items():
        wall = statistics.median(w for w, _ in found)
        cpu = statistics.median(c for _, c in found)
        verdict = "" if name == "baseline" else ("  within target" if wall - base_wall <= TARGET else "  OVER target")
        print(f"{name:<18} {wall:>11.3f}s {min(w for w, _ in found):>8.3f}s {cpu:>10.3f}s "
              f"{wall - base_wall:>+11.3f}s {cpu - base_cpu:>+10.3f}s{verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Extraction throughput and memory: reports per second on one core over 1-3 KB reports.

    python benchmarks/extract.py [--seconds 10]

The corpus is ``benchmarks/corpus.py``'s: every extraction test case of 1-3 KB as written, one
report each; the joined pages (short cases joined into 1-3 KB pages of several stories) are
measured after it, as a harder load.
The process is pinned to one CPU where the OS allows it. Throughput (per wall-clock and per CPU
second) is measured without tracing; peak memory is measured on a separate pass with
``tracemalloc`` (Python allocations during extraction) and as the process's maximum resident set
size. Target: at least 2,000 reports/s.

The first pass over the corpus is timed apart, after the lexicons are built but before any
per-word memo of the lexicon scan has seen a word: what a fresh process does with new text.
``--stages`` adds the CPU time of each step of ``extract`` (the functions ``engine`` calls).
The engine measured is the installed one, compiled or not (``AIRTALLY_COMPILE=1 pip install .``
builds it compiled; see setup.py); the script says which.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import resource
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
try:  # the installed airtally (a compiled build is measured as installed); else this checkout's
    import airtally  # noqa: F401
except ImportError:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from corpus import benchmark_reports, joined_pages  # noqa: E402

from airtally.extraction import COMPILED, engine, extract  # noqa: E402
from airtally.extraction.lexicon import LANGUAGES, lexicon  # noqa: E402

TARGET = 2000
PUBLISHED = dt.datetime(2025, 7, 4, 12, 0, tzinfo=dt.timezone(dt.timedelta(hours=3)))


def pin_to_one_core() -> str:
    if hasattr(os, "sched_setaffinity"):
        cpu = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpu})
        return f"cpu {cpu}"
    return "not pinned"


def run_once(reports: list[str]) -> list[float]:
    """Extract every report once; the per-report latencies in seconds."""
    latencies = []
    for text in reports:
        start = time.perf_counter()
        extract(text, published=PUBLISHED)
        latencies.append(time.perf_counter() - start)
    return latencies


def throughput(reports: list[str], seconds: float) -> tuple[int, float, float, list[float]]:
    """Repeat the corpus for at least ``seconds``: (reports done, elapsed, CPU time, latencies).

    CPU time is the process's own: on a shared machine it is the steadier of the two."""
    latencies: list[float] = []
    begin, cpu = time.perf_counter(), time.process_time()
    while time.perf_counter() - begin < seconds:
        latencies += run_once(reports)
    return len(latencies), time.perf_counter() - begin, time.process_time() - cpu, latencies


STAGES = ("detect_language", "Document", "find_phrases", "assign_actions", "attacker", "find_period",
          "choose_totals", "build")


def stage_times(reports: list[str], passes: int = 5) -> list[tuple[str, float]]:
    """CPU microseconds a report spent in each step ``engine.extract`` calls by name, and the rest."""
    spent: dict[str, float] = {}
    originals = {name: getattr(engine, name) for name in STAGES}

    def timed(name, step):
        def run(*args, **kwargs):
            begin = time.process_time()
            try:
                return step(*args, **kwargs)
            finally:
                spent[name] = spent.get(name, 0.0) + time.process_time() - begin
        return run

    for name, step in originals.items():
        setattr(engine, name, timed(name, step))
    try:
        begin = time.process_time()
        for _ in range(passes):
            run_once(reports)
        total = time.process_time() - begin
    finally:
        for name, step in originals.items():
            setattr(engine, name, step)
    count = passes * len(reports)
    rows = [(name, spent.get(name, 0.0) / count * 1e6) for name in STAGES]
    return rows + [("rest of extract", (total - sum(spent.values())) / count * 1e6), ("total", total / count * 1e6)]


def peak_traced(reports: list[str]) -> int:
    tracemalloc.start()
    run_once(reports)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="minimum measuring time")
    parser.add_argument("--stages", action="store_true", help="also time each step of extract")
    args = parser.parse_args(argv)
    pinned = pin_to_one_core()
    reports = benchmark_reports()
    sizes = [len(r.encode("utf-8")) for r in reports]
    for language in LANGUAGES:
        lexicon(language)  # built once a process: not part of any report's time
    first = run_once(reports)  # also the warm-up of the throughput runs
    done, elapsed, cpu, latencies = throughput(reports, args.seconds)
    rate, cpu_rate = done / elapsed, done / cpu
    pages = joined_pages()
    page_done, _, page_cpu, _ = throughput(pages, args.seconds / 2)
    traced = peak_traced(reports)
    rss_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    ms = sorted(x * 1000 for x in latencies)
    rows = [
        ("date", dt.date.today().isoformat()),
        ("python", f"{platform.python_version()} ({pinned})"),
        ("engine", "compiled (mypyc)" if COMPILED else "Python"),
        ("corpus", f"{len(reports)} reports, {min(sizes)}-{max(sizes)} B, mean {statistics.mean(sizes):.0f} B"),
        ("reports extracted", f"{done} in {elapsed:.1f} s ({cpu:.1f} s CPU)"),
        ("throughput", f"{rate:,.0f} reports/s (target {TARGET:,}: {'met' if rate >= TARGET else 'NOT met'})"),
        ("throughput per CPU second", f"{cpu_rate:,.0f} reports/s"),
        ("first pass (fresh memos)", f"{len(first) / sum(first):,.0f} reports/s"),
        ("joined pages, per CPU second", f"{page_done / page_cpu:,.0f} pages/s ({len(pages)} pages of several stories, 1-3 KB)"),
        ("latency p50 / p99 / max", f"{ms[len(ms) // 2]:.3f} / {ms[int(len(ms) * 0.99)]:.3f} / {ms[-1]:.3f} ms"),
        ("peak traced memory", f"{traced / 1024:,.0f} KiB (tracemalloc, one pass)"),
        ("max RSS", f"{rss_kib / 1024:,.1f} MiB"),
    ]
    width = max(len(k) for k, _ in rows)
    print("\n".join(f"{k:<{width}}  {v}" for k, v in rows))
    if args.stages and COMPILED:
        print("\n--stages times the Python engine only (compiled steps call each other directly)")
    elif args.stages:
        print("\nCPU time a report, by step of extract:")
        print("\n".join(f"  {name:<18} {us:8.1f} us" for name, us in stage_times(reports)))
    return 0


if __name__ == "__main__":
    sys.exit(main())

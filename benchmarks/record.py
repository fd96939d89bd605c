"""Record benchmarks: importing the whole curated CSV, and ingesting generated reports.

    python benchmarks/record.py            # both; needs ../shared/data for the import
    python benchmarks/record.py --reports 2000
    python benchmarks/record.py --one-attack 600    # only the reports-of-one-attack measure

Prints: the import's seconds and its ratio to a plain sqlite3 executemany of the same rows
(parsed with the csv module) in the same run, and ingest throughput in reports/s (the real
extractor when airtally.extraction is present, one transaction per report) split into
extraction (timed alone on a sample of the same texts) and storage. Then ms per stored report
while 600 reports join one attack (extraction done beforehand), at the 1st..100th and the
500th..600th report: from one source (each report a revision of the last) and from 600 sources,
beside a raw sqlite3 executemany of the same report and figure rows, one transaction a report.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from airtally.record.curated import import_curated  # noqa: E402
from airtally.storage.database import open_database  # noqa: E402

CURATED = ROOT.parent / "shared" / "data" / "missile_attacks_daily.csv"


def plain_sqlite(path: Path, db: Path) -> float:
    """The baseline: read the CSV and executemany its rows into one sqlite3 table."""
    began = time.perf_counter()
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    header, body = rows[0], rows[1:]
    conn = sqlite3.connect(db)
    columns = ", ".join(f'"{h}"' for h in header)
    conn.execute(f"CREATE TABLE rows ({columns})")
    conn.executemany(f"INSERT INTO rows VALUES ({', '.join('?' * len(header))})", body)
    conn.commit()
    conn.close()
    return time.perf_counter() - began


def bench_import(workdir: Path, repeats: int) -> None:
    """Best of ``repeats`` runs of each, each into a fresh database (the machine is shared)."""
    if not CURATED.exists():
        print(f"import: skipped ({CURATED} not present)")
        return
    baseline, took = [], []
    for i in range(repeats):
        baseline.append(plain_sqlite(CURATED, workdir / f"plain{i}.db"))
        engine = open_database(f"sqlite:///{workdir / f'record{i}.db'}")
        began = time.perf_counter()
        summary = import_curated(CURATED, engine)
        took.append(time.perf_counter() - began)
        engine.dispose()
    print(f"import curated: {summary.rows} rows -> {summary.reports} reports, {summary.attacks} attacks, "
          f"{summary.figures} figures in {min(took):.2f} s (best of {repeats})")
    print(f"plain sqlite3 executemany of the same rows: {min(baseline) * 1000:.1f} ms; "
          f"ratio {min(took) / min(baseline):.1f}x")


def generated(i: int) -> str:
    day = dt.date(2023, 1, 1) + dt.timedelta(days=i % 900)
    when = day.strftime("%d %B %Y")
    return (f"Overnight on {when}, Russia attacked Ukraine with {50 + i % 400} Shahed attack drones and "
            f"{i % 12} Kh-101 cruise missiles. Air defence forces shot down {40 + i % 300} drones and "
            f"{i % 7} missiles, the air force said. (report {i})")


def bench_ingest(workdir: Path, count: int) -> None:
    from airtally.record import ingest

    try:
        import airtally.extraction  # noqa: F401
        which = "real extractor"
    except ImportError:
        sys.path.insert(0, str(ROOT / "tests" / "record"))
        from children import fake_extract, generated_report

        ingest.run_extract, which = fake_extract, "stand-in extractor (airtally.extraction absent)"
        globals()["generated"] = generated_report
    engine = open_database(f"sqlite:///{workdir / 'ingest.db'}")
    ingest.run_extract(generated(0), None)  # load the lexicons before the clock starts
    began = time.perf_counter()
    for i in range(count):
        ingest.ingest_text(engine, generated(i), origin=f"gen/{i}.txt", source="bench",
                           published=dt.datetime(2025, 1, 1, tzinfo=dt.timezone.utc))
    took = time.perf_counter() - began
    print(f"ingest {count} generated reports ({which}): {took:.1f} s, {count / took:.0f} reports/s")
    sample = min(count, 2000)  # extraction depends on the text only: a sample gives its share
    began = time.perf_counter()
    for i in range(sample):
        ingest.run_extract(generated(i), dt.datetime(2025, 1, 1, tzinfo=dt.timezone.utc))
    extracting = (time.perf_counter() - began) / sample
    print(f"  of which extraction {extracting * 1000:.2f} ms/report ({1 / extracting:.0f} reports/s alone), "
          f"storage {(took / count - extracting) * 1000:.2f} ms/report")


def one_attack_text(i: int) -> str:
    return (f"Overnight on 4 July 2025, Russia attacked Ukraine with {50 + i % 400} Shahed attack drones and "
            f"{i % 12} Kh-101 cruise missiles. Air defence forces shot down {40 + i % 300} drones and "
            f"{i % 7} missiles, the air force said. (report {i})")


def raw_one_attack(db: Path, count: int, figures: int) -> list[float]:
    """The baseline: each report's row and its figure rows by plain sqlite3, a commit each."""
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA journal_mode=WAL")  # as airtally's own connections
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("CREATE TABLE reports (id INTEGER PRIMARY KEY, source TEXT, text TEXT)")
    conn.execute("CREATE TABLE figures (id INTEGER PRIMARY KEY, report_id INT, subject TEXT, measure TEXT, value INT)")
    took = []
    for i in range(count):
        began = time.perf_counter()
        report_id = conn.execute("INSERT INTO reports (source, text) VALUES (?, ?)", (f"s{i}", one_attack_text(i))).lastrowid
        conn.executemany("INSERT INTO figures (report_id, subject, measure, value) VALUES (?, ?, ?, ?)",
                         [(report_id, "shahed", "launched", i + n) for n in range(figures)])
        conn.commit()
        took.append(time.perf_counter() - began)
    conn.close()
    return took


def bench_one_attack(workdir: Path, count: int) -> None:
    """ms per report while ``count`` reports join one attack, early and late."""
    from airtally.record import ingest

    extracted = [ingest.run_extract(one_attack_text(i), None) for i in range(count)]
    figures = len(extracted[0].weapons) * 2 + 4
    windows = [(0, 100), (count - 100, count)]
    raw = raw_one_attack(workdir / "raw.db", count, figures)
    print(f"{count} reports of one attack, ms per report (storage; extraction done beforehand):")
    print("  " + "   ".join(f"raw sqlite3 executemany {a + 1}..{b}: {sum(raw[a:b]) / (b - a) * 1000:.2f}" for a, b in windows))
    real = ingest.run_extract
    for shape in ("one source", "a source each"):
        engine = open_database(f"sqlite:///{workdir / (shape.replace(' ', '-') + '.db')}")
        ingest.run_extract = lambda text, published, _it=iter(extracted): next(_it)
        took = []
        for i in range(count):
            began = time.perf_counter()
            ingest.ingest_text(engine, one_attack_text(i), origin=f"r{i}.txt", kind="news",
                               source="bench" if shape == "one source" else f"bench{i}",
                               published=dt.datetime(2025, 7, 4, 6, tzinfo=dt.timezone.utc) + dt.timedelta(seconds=i))
            took.append(time.perf_counter() - began)
        engine.dispose()
        print(f"  {shape}: " + "   ".join(f"reports {a + 1}..{b}: {sum(took[a:b]) / (b - a) * 1000:.2f}" for a, b in windows))
    ingest.run_extract = real


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--one-attack", type=int, default=0, help="only the reports-of-one-attack measure, this many")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if args.one_attack:
            bench_one_attack(Path(tmp), args.one_attack)
            return
        bench_import(Path(tmp), args.repeats)
        bench_ingest(Path(tmp), args.reports)
        bench_one_attack(Path(tmp), 600)


if __name__ == "__main__":
    main()

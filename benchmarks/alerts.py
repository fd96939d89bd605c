"""Alert benchmarks on the real data sets (../shared/data/alerts), SQLite in a temp folder.

    python benchmarks/alerts.py [--data ../shared/data] [--instants 1000]

1. import of both CSVs (~97,000 rows) with ``import_alerts``, against a plain ``sqlite3``
   executemany of the same CSV rows (read with ``csv``, inserted as text into a table with the
   same columns, no indexes) in the same run; target: within 5x. Also against a plain
   executemany of the rows airtally stored into the same table with its indexes (the cost of
   the storage alone).
2. ``alerts active --at`` (``active_at``) over the whole history at 1,000 random instants
   (seeded), against a naive scan of all rows for each instant; target: under 10 ms a query.
   Also with ``--source official`` (and volunteer): as fast as without a source.
3. ``alerts nationwide`` over the whole history; target: under 1 s.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from airtally.alerts.importer import import_alerts  # noqa: E402
from airtally.alerts.queries import _entries_at_level, _COLUMNS, active_at, nationwide  # noqa: E402
from airtally.storage.database import open_database  # noqa: E402
from airtally.storage.tables_alerts import alert_events  # noqa: E402

FILES = ("official_data_en.csv", "volunteer_data_en.csv")
COLUMNS = ("source", "level", "oblast", "raion", "hromada", "started_at", "finished_at", "naive")


def plain_executemany(folder: Path, db: Path) -> float:
    """Seconds to read both CSVs and executemany their rows into a plain sqlite3 table."""
    start = time.perf_counter()
    connection = sqlite3.connect(db)
    connection.execute(f"CREATE TABLE alert_rows ({', '.join(COLUMNS)})")
    rows = []
    for name in FILES:
        with (folder / name).open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                rows.append((name, row.get("level", "oblast"), row.get("oblast") or row.get("region"), row.get("raion"),
                             row.get("hromada"), row["started_at"], row["finished_at"], row.get("naive")))
    connection.executemany(f"INSERT INTO alert_rows VALUES ({', '.join('?' * len(COLUMNS))})", rows)
    connection.commit()
    connection.close()
    return time.perf_counter() - start


def same_rows_same_schema(engine, tmp: Path, run: int) -> float:
    """Seconds for a plain sqlite3 executemany of the rows airtally stored, into the same schema."""
    with engine.connect() as connection:
        rows = connection.exec_driver_sql("SELECT * FROM alert_events").all()
    copy = open_database(f"sqlite:///{tmp / f'copy{run}.db'}")
    copy.dispose()
    connection = sqlite3.connect(tmp / f"copy{run}.db")
    start = time.perf_counter()
    connection.executemany(f"INSERT INTO alert_events VALUES ({', '.join('?' * len(rows[0]))})", [tuple(r) for r in rows])
    connection.commit()
    seconds = time.perf_counter() - start
    connection.close()
    return seconds


def airtally_import(folder: Path, url: str):
    engine = open_database(url)
    start = time.perf_counter()
    for name in FILES:
        import_alerts(engine, folder / name)
    return engine, time.perf_counter() - start


def naive_active(connection, at: dt.datetime, level: str) -> dict:
    """Every stored alert checked against ``at`` (a full scan), rolled up the same way."""
    rows = connection.execute(
        sa.select(*_COLUMNS).where(
            alert_events.c.alert_type == "air_raid", alert_events.c.started_at <= at,
            sa.or_(alert_events.c.finished_at > at, alert_events.c.finished_at.is_(None)),
        ).with_hint(alert_events, "NOT INDEXED", "sqlite")
    ).all()
    return _entries_at_level(rows, level)


def time_sources(engine, instants: list[dt.datetime]) -> dict[str, float]:
    """Median ms per ``active_at`` query choosing one source (``alerts active --source``)."""
    found = {}
    for source in ("official", "volunteer"):
        took = []
        for at in instants:
            began = time.perf_counter()
            active_at(engine, at, sources=[source])
            took.append(time.perf_counter() - began)
        found[source] = statistics.median(took) * 1000
    return found


def time_active(engine, instants: list[dt.datetime]) -> tuple[float, float, int]:
    """Median ms per query: active_at, and the naive scan; and how many answers disagreed."""
    fast, naive, disagreements = [], [], 0
    with engine.connect() as connection:
        for at in instants:
            t0 = time.perf_counter()
            got = active_at(engine, at)
            t1 = time.perf_counter()
            slow = naive_active(connection, at, "oblast")
            t2 = time.perf_counter()
            fast.append(t1 - t0)
            naive.append(t2 - t1)
            disagreements += [e.to_json() for _, e in sorted(slow.items())] != got["regions"]
    return statistics.median(fast) * 1000, statistics.median(naive) * 1000, disagreements, statistics.mean(fast) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--instants", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3, help="import runs; the best is reported")
    args = parser.parse_args()
    folder = args.data / "alerts"
    if not all((folder / name).exists() for name in FILES):
        sys.exit(f"the alert CSVs are not in {folder}; pass --data")
    rows = sum(1 for name in FILES for _ in (folder / name).open(encoding="utf-8")) - len(FILES)
    with tempfile.TemporaryDirectory() as tmp:
        # Best of --repeat runs, interleaved, so that load from other processes skews neither side.
        imports, baselines, same_schema = [], [], []
        for run in range(args.repeat):
            baselines.append(plain_executemany(folder, Path(tmp) / f"plain{run}.db"))
            engine, seconds = airtally_import(folder, f"sqlite:///{tmp}/airtally{run}.db")
            imports.append(seconds)
            same_schema.append(same_rows_same_schema(engine, Path(tmp), run))
        seconds, baseline, same = min(imports), min(baselines), min(same_schema)
        print(f"import: {rows} rows in {seconds:.2f} s (best of {args.repeat}); plain sqlite3 executemany of the CSV rows "
              f"{baseline:.2f} s, ratio {seconds / baseline:.1f}x (target <= 5x); of the stored rows into the same indexed "
              f"table {same:.2f} s, ratio {seconds / same:.1f}x")

        rng = random.Random(4)
        first, last = dt.datetime(2022, 2, 25, tzinfo=dt.timezone.utc), dt.datetime(2024, 10, 10, tzinfo=dt.timezone.utc)
        span = int((last - first).total_seconds())
        instants = [first + dt.timedelta(seconds=rng.randrange(span)) for _ in range(args.instants)]
        fast, naive, disagreements, mean = time_active(engine, instants)
        print(f"active --at: {len(instants)} instants, median {fast:.2f} ms (mean {mean:.2f} ms) per query (target < 10 ms); "
              f"naive scan {naive:.2f} ms; ratio {naive / fast:.0f}x faster; answers that differ: {disagreements}")
        for source, ms in time_sources(engine, instants).items():
            print(f"active --at --source {source}: median {ms:.2f} ms per query (without --source {fast:.2f} ms)")

        runs = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            periods = nationwide(engine, 0.8)
            runs.append(time.perf_counter() - start)
        print(f"nationwide --threshold 0.8: {len(periods)} periods in {min(runs):.2f} s (best of {args.repeat}; "
              f"worst {max(runs):.2f} s) (target < 1 s)")
        engine.dispose()


if __name__ == "__main__":
    main()

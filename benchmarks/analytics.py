"""Benchmark: ``tally --by month`` and ``records`` over the whole curated record.

Imports ../shared/data/missile_attacks_daily.csv into a fresh SQLite file (and a fresh
PostgreSQL database when one is reachable at $AIRTALLY_TEST_PG or 127.0.0.1:5432), then times
the library calls behind the commands, warm, many times, and prints the median and the worst
in milliseconds. Target: < 50 ms each.

    python benchmarks/analytics.py [--repeat 50]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
import uuid
from pathlib import Path

import sqlalchemy as sa

from airtally.analytics.claims import check
from airtally.analytics.records import largest
from airtally.analytics.tally import tally
from airtally.record.curated import import_curated
from airtally.storage.database import open_database

ROOT = Path(__file__).resolve().parent.parent
CSV = Path(os.environ.get("AIRTALLY_SHARED_DATA", ROOT.parent / "shared" / "data")) / "missile_attacks_daily.csv"
PG_ADMIN = os.environ.get("AIRTALLY_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
TARGET_MS = 50

CASES = {
    "tally --by month (3 classes)": lambda e: tally(e, by="month"),
    "tally --by week --class drones": lambda e: tally(e, by="week", weapon_class="drones"),
    "tally --by month --source-kind regional": lambda e: tally(e, by="month", source_kind="regional"),
    "records --top 10": lambda e: largest(e, top=10),
    "records --months --top 10": lambda e: largest(e, top=10, months=True),
    "records --as-of 2025-07-10": lambda e: largest(e, top=10, as_of="2025-07-10"),
    "check (attack claim)": lambda e: check(e, "the largest attack since the beginning of the invasion", "2025-07-04"),
}


def timings(engine, call, repeat: int) -> list[float]:
    call(engine)  # warm: connection pool, statement cache
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        call(engine)
        out.append((time.perf_counter() - start) * 1000)
    return out


def postgres_url() -> str | None:
    try:
        admin = sa.create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3})
        name = f"airtally_bench_{uuid.uuid4().hex[:8]}"
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        return sa.engine.make_url(PG_ADMIN).set(database=name).render_as_string(hide_password=False)
    except Exception:
        return None


def drop_postgres(url: str) -> None:
    admin = sa.create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{sa.engine.make_url(url).database}" WITH (FORCE)'))
    admin.dispose()


def run(url: str, label: str, repeat: int) -> None:
    engine = open_database(url)
    import_curated(CSV, engine)
    with engine.connect() as conn:
        attacks = conn.execute(sa.text("SELECT count(*) FROM attacks")).scalar()
        totals = conn.execute(sa.text("SELECT count(*) FROM attack_totals")).scalar()
    print(f"\n{label}: {attacks} attacks, {totals} attack_totals rows; {repeat} runs each")
    print(f"{'call':45} {'median ms':>10} {'max ms':>8}  target < {TARGET_MS} ms")
    for name, call in CASES.items():
        ms = timings(engine, call, repeat)
        verdict = "ok" if statistics.median(ms) < TARGET_MS else "SLOW"
        print(f"{name:45} {statistics.median(ms):10.2f} {max(ms):8.2f}  {verdict}")
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()
    if not CSV.exists():
        raise SystemExit(f"the curated data set is not at {CSV}")
    with tempfile.TemporaryDirectory() as tmp:
        run(f"sqlite:///{Path(tmp) / 'bench.db'}", "SQLite", args.repeat)
    url = postgres_url()
    if url is None:
        print("\nPostgreSQL: not reachable, skipped")
        return
    try:
        run(url, "PostgreSQL", args.repeat)
    finally:
        drop_postgres(url)


if __name__ == "__main__":
    main()

"""Writers at once: N processes writing to one database together, against the same N jobs
run one after the other, beside a raw executemany baseline run the same two ways.

    python benchmarks/writers.py                      # SQLite, and PostgreSQL when reachable
    python benchmarks/writers.py --writers 4 --reports 150 --alerts 3000
    python benchmarks/writers.py --tree /path/to/other/checkout   # the same jobs on other code

Two workloads, each process started and held at a start line until all are ready:
- ``ingest``: each writer ingests ``--reports`` generated reports (one transaction each; the
  extractor replaced by a stand-in that reads the figures back from the text, so storage is
  what is measured); the writers' reports fall on the same 30 nights, so they join the same
  attacks;
- ``alerts``: each writer imports its own generated official-format CSV of ``--alerts`` rows
  (one transaction each; the first import of a database also stores the permanent alerts).
Baseline: each writer inserts the same number of rows with the driver's executemany into a
plain table, one transaction, holding the same write lock (SQLite BEGIN IMMEDIATE, PostgreSQL
the advisory lock), so the floor of "one writer at a time" on that database.

Printed per database and workload: the time the N jobs took in turn (their own times added
up, process start-up left out) and at once (from the start line to the last writer's end);
failed writers; and how long the writers waited for the write lock per
transaction (median and worst), measured around airtally's take_write_lock.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TREE_VAR = "AIRTALLY_BENCH_TREE"  # a child's checkout, when --tree names another one
sys.path.insert(0, os.environ.get(TREE_VAR) or str(ROOT))
sys.path.insert(1, str(ROOT / "tests" / "record"))

from tests.conftest import PG_ADMIN_URL as PG_ADMIN, _postgres_reachable  # noqa: E402
PLACES = ["Kyiv City", "Lvivska oblast", "Odeska oblast", "Kharkivska oblast", "Dnipropetrovska oblast",
          "Poltavska oblast"]


# ---------------------------------------------------------------- the jobs (run in a child)


def report_text(writer: int, i: int) -> str:
    """A report that tests/record/children.py's stand-in extractor reads back."""
    day = dt.date(2024, 3, 1) + dt.timedelta(days=i % 30)
    return f"Writer {writer} report {i}: the enemy launched {100 + i} drones; attack of {day.isoformat()}."


def alert_csv(path: Path, writer: int, rows: int) -> None:
    """``rows`` official-format alerts, distinct per writer (each writer its own days)."""
    start = dt.datetime(2023, 1, 1, tzinfo=dt.timezone.utc) + dt.timedelta(days=200 * writer)
    lines = ["oblast,raion,hromada,level,started_at,finished_at,source"]
    for i in range(rows):
        began = start + dt.timedelta(hours=i // len(PLACES) * 3)
        lines.append(f"{PLACES[i % len(PLACES)]},,,oblast,{began:%Y-%m-%d %H:%M:%S}+00:00,"
                     f"{began + dt.timedelta(minutes=50):%Y-%m-%d %H:%M:%S}+00:00,official")
    path.write_text("\n".join(lines) + "\n", "utf-8")


def _timed_lock(waits: list[float]) -> None:
    """Record how long each write transaction waited for the write lock (when the code has one)."""
    try:
        from airtally.storage import transactions
    except ImportError:
        return
    take = getattr(transactions, "take_write_lock", None)
    if take is None:
        return

    def timed(conn):
        began = time.perf_counter()
        take(conn)
        waits.append(time.perf_counter() - began)

    transactions.take_write_lock = timed


def _raw(engine, writer: int, rows: int) -> None:
    """The baseline: ``rows`` rows by the driver's executemany in one transaction, under the lock."""
    values = [(writer, i, f"row {i} of writer {writer}") for i in range(rows)]
    with engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("PRAGMA busy_timeout=60000")
            conn.exec_driver_sql("BEGIN IMMEDIATE")
            insert = "INSERT INTO raw (writer, n, text) VALUES (?, ?, ?)"
        else:
            conn.exec_driver_sql("SELECT pg_advisory_xact_lock(42)")
            insert = "INSERT INTO raw (writer, n, text) VALUES (%s, %s, %s)"
        conn.connection.cursor().executemany(insert, values)
        conn.commit()


def child(job: str, url: str, writer: int, amount: int, path: str, ready: str, go: str) -> None:
    waits: list[float] = []
    error = None
    if job == "raw":
        import sqlalchemy as sa

        engine = sa.create_engine(url)
        engine.connect().close()  # connected before the start, as open_database is
    else:
        from airtally.storage.database import open_database

        engine = open_database(url)
        _timed_lock(waits)
    if job == "ingest":
        from children import fake_extract  # tests/record/children.py

        from airtally.record import ingest

        ingest.run_extract = fake_extract
    elif job == "alerts":
        from airtally.alerts.importer import import_alerts
    Path(ready).touch()
    while not Path(go).exists():
        time.sleep(0.002)
    began = time.perf_counter()
    try:
        if job == "raw":
            _raw(engine, writer, amount)
        elif job == "ingest":
            for i in range(amount):
                ingest.ingest_text(engine, report_text(writer, i), origin=f"w{writer}/{i}.txt",
                                   source=f"writer{writer % 2}", kind="news")
        else:
            import_alerts(engine, Path(path))
    except Exception as exc:  # a failed writer is what the benchmark counts
        error = f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}"
    print(json.dumps({"ended": time.time(), "seconds": time.perf_counter() - began, "waits": waits,
                      "error": error}))


# ---------------------------------------------------------------- the parent


def fresh_url(kind: str, folder: Path, made: list[str]) -> str:
    import sqlalchemy as sa

    if kind == "sqlite":
        url = f"sqlite:///{folder / f'w{uuid.uuid4().hex[:8]}.db'}"
    else:
        name = f"airtally_bench_{uuid.uuid4().hex[:8]}"
        admin = sa.create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        url = sa.engine.make_url(PG_ADMIN).set(database=name).render_as_string(hide_password=False)
    made.append(url)
    return url


def prepare(job: str, url: str, tree: Path | None) -> None:
    """A migrated database (the jobs measure writing, not the first use); a raw table for raw."""
    import sqlalchemy as sa

    if job == "raw":
        engine = sa.create_engine(url)
        with engine.begin() as conn:
            conn.exec_driver_sql("CREATE TABLE raw (id INTEGER PRIMARY KEY, writer INTEGER, n INTEGER, text TEXT)"
                                 if engine.dialect.name == "sqlite" else
                                 "CREATE TABLE raw (id SERIAL PRIMARY KEY, writer INTEGER, n INTEGER, text TEXT)")
            if engine.dialect.name == "sqlite":
                conn.exec_driver_sql("PRAGMA journal_mode=WAL")
        engine.dispose()
        return
    python, env = _interpreter(tree)  # the schema of the code that will write
    subprocess.run([*python, __file__, "--migrate", url], env=env, check=True)


def _interpreter(tree: Path | None) -> tuple[list[str], dict]:
    """The command and environment of a child running this checkout, or ``tree``'s."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    if tree is None:
        return [sys.executable], env
    import sqlalchemy

    # -S: no .pth files, so not this checkout's editable install; the tree, then the dependencies
    env["PYTHONPATH"] = f"{tree}{os.pathsep}{Path(sqlalchemy.__file__).parent.parent}"
    env[TREE_VAR] = str(tree)
    return [sys.executable, "-S"], env


def run(job: str, url: str, amounts: list[int], files: list[str], folder: Path, together: bool,
        tree: Path | None) -> dict:
    """Start one child per writer; release them together (or one after another)."""
    python, env = _interpreter(tree)
    results = []
    batches = [list(range(len(amounts)))] if together else [[w] for w in range(len(amounts))]
    began = 0.0
    for batch in batches:
        go = folder / f"go-{uuid.uuid4().hex[:6]}"
        children = []
        for w in batch:
            ready = folder / f"ready-{uuid.uuid4().hex[:6]}"
            children.append((ready, subprocess.Popen(
                [*python, __file__, "--child", job, url, str(w), str(amounts[w]), files[w], str(ready), str(go)],
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)))
        while not all(r.exists() or p.poll() is not None for r, p in children):
            time.sleep(0.01)
        began = time.time()
        go.touch()
        for _, process in children:
            out, err = process.communicate(timeout=900)
            lines = [line for line in out.splitlines() if line.startswith("{")]
            results.append(json.loads(lines[-1]) if lines else {"error": err.strip().splitlines()[-1:], "waits": []})
    # at once: from the start line to the last writer's end; in turn: the writers' own times
    # added up (each process's start-up left out, as it is at once)
    ended = max((r.get("ended", time.time()) for r in results), default=time.time())
    wall = ended - began if together else sum(r.get("seconds", 0) for r in results)
    waits = [w for r in results for w in r.get("waits", [])]
    return {"wall": wall, "failed": [r["error"] for r in results if r.get("error")],
            "busy": sum(r.get("seconds", 0) for r in results), "waits": waits}


def describe(label: str, result: dict) -> str:
    waits = result["waits"]
    waited = (f"lock wait per transaction median {statistics.median(waits) * 1000:.1f} ms, "
              f"worst {max(waits) * 1000:.0f} ms" if waits else "lock waits not measured")
    failed = f"{len(result['failed'])} failed" + (f" ({result['failed'][0]})" if result["failed"] else "")
    return f"  {label:11} {result['wall']:7.2f} s   {failed}; {waited}"


def bench(kind: str, args, folder: Path, made: list[str]) -> None:
    writers = args.writers
    files = []
    for w in range(writers):
        path = folder / f"alerts{w}.csv"
        alert_csv(path, w, args.alerts)
        files.append(str(path))
    jobs = {
        "ingest": ([args.reports] * writers, f"{args.reports} reports each, one transaction a report"),
        "alerts": ([args.alerts] * writers, f"a {args.alerts}-row official CSV each, one transaction"),
        "raw": ([args.alerts] * writers, f"{args.alerts} rows each by executemany, one transaction (baseline)"),
    }
    print(f"\n{kind}: {writers} writers")
    for job, (amounts, what) in jobs.items():
        print(f" {job}: {what}")
        for together in (False, True):
            url = fresh_url(kind, folder, made)
            tree = args.tree if job != "raw" else None
            prepare(job, url, tree)
            result = run(job, url, amounts, files, folder, together, tree)
            print(describe("at once" if together else "in turn", result), flush=True)


def drop(made: list[str]) -> None:
    import sqlalchemy as sa

    admin = sa.create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        for url in made:
            if url.startswith("postgresql"):
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{sa.engine.make_url(url).database}" WITH (FORCE)'))
    admin.dispose()


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        job, url, writer, amount, path, ready, go = sys.argv[2:]
        child(job, url, int(writer), int(amount), path, ready, go)
        return
    if len(sys.argv) > 1 and sys.argv[1] == "--migrate":
        from airtally.storage.database import open_database

        open_database(sys.argv[2]).dispose()
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--writers", type=int, default=4)
    parser.add_argument("--reports", type=int, default=150, help="reports each writer ingests")
    parser.add_argument("--alerts", type=int, default=3000, help="rows of each writer's alert file")
    parser.add_argument("--tree", type=Path, help="run the airtally jobs on another checkout (e.g. an older main)")
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    args = parser.parse_args()
    print(f"writers at once; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
          + (f"; airtally from {args.tree}" if args.tree else ""))
    kinds = [k for k in ("sqlite", "postgresql") if args.only in (None, k)]
    if "postgresql" in kinds and not _postgres_reachable():
        print(f"postgresql: skipped ({PG_ADMIN} not reachable)")
        kinds.remove("postgresql")
    made: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        try:
            for kind in kinds:
                bench(kind, args, Path(tmp), made)
        finally:
            drop(made)


if __name__ == "__main__":
    main()

"""Child processes for the fault tests (run as ``python tests/record/children.py KIND ...``).

- ``import DB CSV PAUSE``: import the curated CSV; when PAUSE is "pause", print WRITING after
  the figures are written (inside the open transaction) and sleep, so the parent can kill -9.
- ``ingest DB FIRST LAST ORDER``: ingest generated reports FIRST..LAST (ORDER "up" or "down")
  with a stand-in extractor that reads "N drones ... on YYYY-MM-DD" back from the text.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
import time

from airtally.model import Extraction, Period
from airtally.storage.database import open_database


def generated_report(i: int) -> str:
    day = dt.date(2024, 1, 1) + dt.timedelta(days=i % 300)
    return f"Report {i}: the enemy launched {100 + i} drones; attack of {day.isoformat()}."


def fake_extract(text: str, published=None) -> Extraction:
    launched, day = re.search(r"launched (\d+) drones; attack of (\d{4}-\d\d-\d\d)", text).groups()
    ex = Extraction(input="-", language="en", is_attack_report=True, attacker="RU", target="UA",
                    period=Period(date=dt.date.fromisoformat(day)))
    ex.totals.drones.launched = int(launched)
    return ex


def run_import(db: str, csv_path: str, pause: str) -> None:
    from airtally.record import curated
    from airtally.storage import attacks

    if pause == "pause":
        original = attacks.insert_figures

        def slow(conn, rows, **options):
            ids = original(conn, rows, **options)
            print("WRITING", flush=True)
            time.sleep(60)
            return ids

        curated.attack_store.insert_figures = slow
    curated.import_curated(csv_path, open_database(db))
    print("DONE", flush=True)


def run_ingest(db: str, first: int, last: int, order: str) -> None:
    from airtally.record import ingest

    ingest.run_extract = fake_extract
    engine = open_database(db)
    numbers = range(first, last) if order == "up" else range(last - 1, first - 1, -1)
    for i in numbers:
        ingest.ingest_text(engine, generated_report(i), origin=f"r{i}.txt", source="gen", kind="news")
    print("DONE", flush=True)


if __name__ == "__main__":
    kind, *args = sys.argv[1:]
    if kind == "import":
        run_import(*args)
    else:
        run_ingest(args[0], int(args[1]), int(args[2]), args[3])

"""``airtally reextract`` on a filled record, beside plain extraction of the same texts.

    python benchmarks/reextract.py

The record: the curated data set (``../shared/data``, when present: its rows are not re-read,
no engine read them), the bundled examples and the real-news corpus texts
(``tests/extraction/real``, tuned and held-out, each with its publication date and outlet),
in a temporary SQLite file. Then, timed:

1. plain extraction of the texts ``reextract`` re-reads (the baseline: the engine alone);
2. ``reextract`` as stored (the same engine: every report unchanged, nothing written);
3. ``reextract`` again (idempotent: the same);
4. ``reextract`` after every stored reading was altered (each value + 1): every report with
   figures changed, a new reading written and its attack merged again, one transaction each.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402

from airtally.clock import parse_published  # noqa: E402
from airtally.record.curated import import_curated  # noqa: E402
from airtally.record.examples import ingest_examples  # noqa: E402
from airtally.record.ingest import ingest_text, run_extract  # noqa: E402
from airtally.record.reextract import reextract  # noqa: E402
from airtally.storage import readings  # noqa: E402
from airtally.storage.database import open_database  # noqa: E402
from airtally.storage.tables_record import figures  # noqa: E402

CURATED = ROOT.parent / "shared" / "data" / "missile_attacks_daily.csv"
REAL = ROOT / "tests" / "extraction" / "real"


def real_cases() -> list[tuple[str, dt.datetime | None, str]]:
    """(text, published, outlet) of every real corpus case."""
    cases = []
    for path in sorted(REAL.rglob("*.json")):
        meta = json.loads(path.read_text("utf-8"))
        published = parse_published(meta["published"]) if meta.get("published") else None
        cases.append((path.with_suffix(".txt").read_text("utf-8"), published, meta.get("outlet") or path.stem))
    return cases


def fill(engine) -> None:
    began = time.perf_counter()
    if CURATED.exists():
        import_curated(CURATED, engine)
    ingest_examples(engine)
    for n, (text, published, outlet) in enumerate(real_cases()):
        ingest_text(engine, text, origin=f"real/{n}", published=published, source=outlet)
    with engine.connect() as conn:
        count = conn.execute(sa.select(sa.func.count()).select_from(figures)).scalar()
    print(f"filled: curated {'yes' if CURATED.exists() else 'absent'}, {count} figures, "
          f"in {time.perf_counter() - began:.1f} s")


def plain_extraction(engine, ids: list[int]) -> float:
    with engine.connect() as conn:
        reports = [readings.report_to_reread(conn, i) for i in ids]
    began = time.perf_counter()
    for report in reports:
        run_extract(report["text"], report["published_at"])
    return time.perf_counter() - began


def timed(engine, label: str) -> float:
    began = time.perf_counter()
    summary = reextract(engine)
    took = time.perf_counter() - began
    print(f"{label}: {took:.2f} s; {summary.as_dict() | {'errors': len(summary.failed)}}")
    return took


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        engine = open_database(f"sqlite:///{Path(folder) / 'record.db'}")
        fill(engine)
        with engine.connect() as conn:
            ids = readings.rereadable_reports(conn)
        run_extract("warm-up: the lexicons load before the clock starts", None)
        base = plain_extraction(engine, ids)
        print(f"plain extraction of the {len(ids)} re-readable texts: {base:.2f} s")
        same = timed(engine, "reextract, same engine")
        timed(engine, "reextract again (idempotent)")
        with engine.begin() as conn:  # as if the engine had read every figure differently before
            conn.execute(figures.update().where(figures.c.superseded_by.is_(None), figures.c.line.is_(None))
                         .values(value=figures.c.value + 1))
        changed = timed(engine, "reextract, every reading altered")
        print(f"ratio to plain extraction: unchanged {same / base:.2f}x, all changed {changed / base:.2f}x")
        engine.dispose()


if __name__ == "__main__":
    main()

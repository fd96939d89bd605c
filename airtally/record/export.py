"""``airtally export``: the record as CSV, Parquet or JSON, in airtally's or the curated schema.

- ``airtally`` schema: every figure in long format (``frames.figures_frame``).
- ``curated`` schema: the curated data set's columns, one row per weapon row of a source
  post. Imported curated rows come back with every column they had (figures from the record);
  ingested reports give one row per report and weapon model (current figures; class totals
  without a model are left out, the curated format has no place for them).

>>> export(engine, Path("out.csv"), "csv", "curated")      # doctest: +SKIP
3468
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from airtally.catalog.weapons import catalogue
from airtally.errors import InvalidValue
from airtally.record.frames import figures_frame
from airtally.record.merge import CLASS_SUBJECTS
from airtally.storage.tables_record import curated_rows, reports

FORMATS = ("csv", "parquet", "json")
SCHEMAS = ("airtally", "curated")
CURATED_COLUMNS = [
    "time_start", "time_end", "model", "launch_place", "target", "target_main", "launched", "destroyed",
    "not_reach_goal", "still_attacking", "border_crossing", "is_shahed", "num_hit_location",
    "num_fall_fragment_location", "carrier", "turbojet", "turbojet_destroyed", "affected region",
    "destroyed_details", "launched_details", "launch_place_details", "source",
]
CURATED_MEASURE = {"launched": "launched", "destroyed": "destroyed", "lost": "not_reach_goal"}


def _curated_from_rows(engine: Engine, current: pd.DataFrame) -> list[dict]:
    sums: dict[tuple, dict] = defaultdict(dict)
    for row in current.dropna(subset=["line"]).itertuples():
        column = CURATED_MEASURE.get(row.measure)
        if column:
            key = (row.report_id, int(row.line))
            sums[key][column] = sums[key].get(column, 0) + int(row.value)
    with engine.connect() as conn:
        stored = conn.execute(sa.select(curated_rows, reports.c.origin)
                              .join(reports, reports.c.id == curated_rows.c.report_id)
                              .order_by(curated_rows.c.report_id, curated_rows.c.line)).mappings().all()
    return [{**r["fields"], "time_start": r["time_start"], "time_end": r["time_end"], "model": r["model"],
             **sums.get((r["report_id"], r["line"]), {}), "source": r["origin"]} for r in stored]


def _curated_from_ingested(engine: Engine, current: pd.DataFrame) -> list[dict]:
    ingested = current[current["line"].isna() & ~current["subject"].isin(CLASS_SUBJECTS)]
    out = []
    for (report_id, subject), group in ingested.groupby(["report_id", "subject"], sort=True):
        first = group.iloc[0]
        values = {CURATED_MEASURE[m]: int(v) for m, v in zip(group["measure"], group["value"]) if m in CURATED_MEASURE}
        day = first["date"].isoformat()
        out.append({"time_start": day, "time_end": day, "model": _curated_name(subject), **values,
                    "source": first["origin"]})
    return out


def _curated_name(subject: str) -> str:
    names = []
    for part in subject.split("+"):
        try:
            weapon = catalogue().get(part)
        except KeyError:
            names.append(part)
            continue
        names.append(weapon.curated[0] if weapon.curated else weapon.name)
    return " and ".join(names)


def curated_frame(engine: Engine) -> pd.DataFrame:
    """The record in the curated data set's schema (see the module docstring)."""
    current = figures_frame(engine, current_only=True)
    rows = _curated_from_rows(engine, current) + _curated_from_ingested(engine, current)
    extra = sorted({k for r in rows for k in r} - set(CURATED_COLUMNS))
    return pd.DataFrame(rows, columns=CURATED_COLUMNS + extra).astype(
        {c: "Int64" for c in ("launched", "destroyed", "not_reach_goal")})


def export(engine: Engine, path: Path, fmt: str = "csv", schema: str = "airtally") -> int:
    """Write the record to ``path``; returns the number of rows written."""
    if fmt not in FORMATS:
        raise InvalidValue(f"unknown export format {fmt!r} (use one of {', '.join(FORMATS)})")
    if schema not in SCHEMAS:
        raise InvalidValue(f"unknown export schema {schema!r} (use one of {', '.join(SCHEMAS)})")
    frame = curated_frame(engine) if schema == "curated" else figures_frame(engine)
    path = Path(path)
    if fmt == "csv":
        frame.to_csv(path, index=False)
    elif fmt == "parquet":
        frame.astype({c: "string" for c in frame.columns if frame[c].dtype == object}).to_parquet(path, index=False)
    else:
        records = json.loads(frame.to_json(orient="records", date_format="iso", force_ascii=False))
        path.write_text(json.dumps(records, ensure_ascii=False, indent=1), encoding="utf-8")
    return len(frame)

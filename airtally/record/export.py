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

import io
import json
import os
import tempfile
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
MEDIA_TYPES = {"csv": "text/csv; charset=utf-8", "parquet": "application/vnd.apache.parquet",
               "json": "application/json"}
CURATED_MEASURE = {"launched": "launched", "destroyed": "destroyed", "lost": "not_reach_goal"}


def _curated_from_rows(engine: Engine, current: pd.DataFrame, attack_ids=None) -> list[dict]:
    sums: dict[tuple, dict] = defaultdict(dict)
    for row in current.dropna(subset=["line"]).itertuples():
        column = CURATED_MEASURE.get(row.measure)
        if column:
            key = (row.report_id, int(row.line))
            sums[key][column] = sums[key].get(column, 0) + int(row.value)
    query = (sa.select(curated_rows, reports.c.origin).join(reports, reports.c.id == curated_rows.c.report_id)
             .order_by(curated_rows.c.report_id, curated_rows.c.line))
    if attack_ids is not None:
        query = query.where(reports.c.attack_id.in_(attack_ids))
    with engine.connect() as conn:
        stored = conn.execute(query).mappings().all()
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


def curated_frame(engine: Engine, attack_ids=None) -> pd.DataFrame:
    """The record in the curated data set's schema (see the module docstring); ``attack_ids``
    (a SELECT of attack ids) keeps only those attacks' rows."""
    current = figures_frame(engine, current_only=True, attack_ids=attack_ids)
    rows = _curated_from_rows(engine, current, attack_ids) + _curated_from_ingested(engine, current)
    extra = sorted({k for r in rows for k in r} - set(CURATED_COLUMNS))
    return pd.DataFrame(rows, columns=CURATED_COLUMNS + extra).astype(
        {c: "Int64" for c in ("launched", "destroyed", "not_reach_goal")})


def export_frame(engine: Engine, schema: str = "airtally", attack_ids=None) -> pd.DataFrame:
    """The record (or the attacks ``attack_ids`` selects) in ``schema``: airtally or curated."""
    if schema not in SCHEMAS:
        raise InvalidValue(f"unknown export schema {schema!r} (use one of {', '.join(SCHEMAS)})")
    if schema == "curated":
        return curated_frame(engine, attack_ids)
    return figures_frame(engine, attack_ids=attack_ids)


def frame_bytes(frame: pd.DataFrame, fmt: str) -> bytes:
    """``frame`` encoded as ``fmt``: csv, parquet or json (a list of records)."""
    if fmt not in FORMATS:
        raise InvalidValue(f"unknown export format {fmt!r} (use one of {', '.join(FORMATS)})")
    if fmt == "csv":
        return frame.to_csv(index=False).encode("utf-8")
    if fmt == "parquet":
        buffer = io.BytesIO()
        frame.astype({c: "string" for c in frame.columns if frame[c].dtype == object}).to_parquet(buffer, index=False)
        return buffer.getvalue()
    records = json.loads(frame.to_json(orient="records", date_format="iso", force_ascii=False))
    return json.dumps(records, ensure_ascii=False, indent=1).encode("utf-8")


def export_bytes(engine: Engine, fmt: str = "csv", schema: str = "airtally", attack_ids=None) -> bytes:
    """The export of the record (or of the attacks ``attack_ids`` selects) as bytes: the API's
    ``/api/attacks.csv|.parquet|.json``."""
    return frame_bytes(export_frame(engine, schema, attack_ids), fmt)


def export(engine: Engine, path: Path, fmt: str = "csv", schema: str = "airtally") -> int:
    """Write the record to ``path``; returns the number of rows written."""
    path = writable_path(path)
    frame = export_frame(engine, schema)
    write_whole(path, frame_bytes(frame, fmt))
    return len(frame)


def write_whole(path: Path, data: bytes) -> None:
    """``data`` written beside ``path`` and renamed over it: a failed export never leaves half a file."""
    partial = None
    try:
        handle, partial = tempfile.mkstemp(prefix=f".{path.name[:100]}.", suffix=".partial", dir=path.parent)
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(partial, path)
    except OSError as exc:
        raise InvalidValue(f"cannot write {path}: {exc.strerror or exc}") from None
    finally:
        if partial and os.path.exists(partial):
            os.unlink(partial)


def writable_path(path: str | Path) -> Path:
    """``path`` when a file can be written there, else an InvalidValue that says why not.

    >>> writable_path("/no/such/folder/out.csv")
    Traceback (most recent call last):
    ...
    airtally.errors.InvalidValue: cannot write /no/such/folder/out.csv: there is no folder /no/such/folder (create it first)
    """
    text = str(path)
    if not text.strip() or "\x00" in text:
        raise InvalidValue(f"cannot write to {text!r}: give a file name, e.g. record.csv")
    path = Path(text)
    folder = path.parent
    try:
        if text.endswith(("/", os.sep)) or path.is_dir():
            raise InvalidValue(f"cannot write {text}: it is a folder; give a file name in it, e.g. {path / 'record.csv'}")
        if not folder.is_dir():
            raise InvalidValue(f"cannot write {text}: there is no folder {folder} (create it first)")
    except OSError as exc:  # a name too long for the file system
        raise InvalidValue(f"cannot write {text[:80]}...: {exc.strerror or exc}") from None
    if not os.access(folder, os.W_OK):
        raise InvalidValue(f"cannot write {text}: the folder {folder} is not writable")
    return path

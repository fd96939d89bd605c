"""The real official alert history (data tier): the stored answer to "what was under alert at t"
equals a plain computation over the CSV rows, at 200 random instants and at each level."""

from __future__ import annotations

import csv
import datetime as dt
import random

import pytest

from airtally.alerts.importer import import_alerts
from airtally.alerts.queries import active_at
from airtally.catalog.regions import region, regions

pytestmark = pytest.mark.data
PERMANENT = {"UA-09": "2022-04-04 16:45:00+00:00", "UA-43": "2022-12-10 22:22:00+00:00"}


def read_rows(path) -> list[dict]:
    """The CSV rows with their oblast code; a row with oblast and raion swapped is read swapped."""
    codes = {r.alerts_name: r.code for r in regions()}
    rows = []
    for row in csv.DictReader(path.open(encoding="utf-8")):
        oblast, raion = row["oblast"], row["raion"]
        if oblast not in codes:
            oblast, raion = raion, oblast
        start = dt.datetime.fromisoformat(row["started_at"])
        end = dt.datetime.fromisoformat(row["finished_at"])
        rows.append({"code": codes[oblast], "raion": raion, "hromada": row["hromada"], "level": row["level"], "start": start, "end": end})
    for code, since in PERMANENT.items():
        rows.append({"code": code, "raion": "", "hromada": "", "level": "oblast", "start": dt.datetime.fromisoformat(since), "end": None, "permanent": True})
    return rows


def expected_at(rows, at: dt.datetime, level: str) -> set[tuple]:
    """Written plainly: who is under alert at ``at``, rolled up to ``level``."""
    depth = {"oblast": 1, "raion": 2, "hromada": 3}
    full, partial = {}, {}
    for row in rows:
        if not (row["start"] <= at and (row["end"] is None or at < row["end"])):
            continue
        path = [row["code"], row["raion"], row["hromada"]][: depth[row["level"]]]
        key = tuple(path[: depth[level]])
        target = full if depth[row["level"]] <= depth[level] else partial
        if key not in target or row["start"] < target[key][0]:
            target[key] = (row["start"], row.get("permanent", False))
    found = set()
    for key, (since, permanent) in full.items():
        found.add((key[0], region(key[0]).en if len(key) == 1 else key[-1], "full", since, permanent))
    for key, (since, _) in partial.items():
        if key not in full:
            found.add((key[0], region(key[0]).en if len(key) == 1 else key[-1], "partial", since, False))
    return found


def test_active_set_matches_the_csv_at_200_instants(shared_data, engine):
    path = shared_data / "alerts" / "official_data_en.csv"
    import_alerts(engine, path)
    rows = read_rows(path)
    first = min(r["start"] for r in rows)
    last = max(r["end"] for r in rows if r["end"])
    rng = random.Random(20240422)
    span = int((last - first).total_seconds())
    instants = [first + dt.timedelta(seconds=rng.randrange(span)) for _ in range(200)]
    nonempty = 0
    for at in instants:
        for level in ("oblast", "raion", "hromada"):
            got = {(r["code"], r["name"], r["state"], dt.datetime.fromisoformat(r["since"]), r["permanent"])
                   for r in active_at(engine, at, level)["regions"]}
            assert got == expected_at(rows, at, level), f"{level} at {at.isoformat()}"
            nonempty += len(got) > 2
    assert nonempty > 100  # the instants do find alerts beyond the two permanent ones

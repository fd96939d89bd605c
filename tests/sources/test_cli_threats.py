"""`airtally threats`: the timeline with the shared output options, filters and the notice."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

from airtally.model import THREAT_DISCLAIMER
from airtally.record.threats import store_threats
from airtally.storage.database import Database
from tests.sources.test_cli_sources import airtally

UTC = dt.timezone.utc
AT = dt.datetime(2025, 7, 3, 22, 10, tzinfo=UTC)


def _database(tmp_path) -> str:
    url = f"sqlite:///{tmp_path / 't.db'}"
    with Database.open(url) as database, database.engine.begin() as conn:
        store_threats(conn, "kpszsu", "10", AT, "Група ударних БпЛА на Харківщині, курсом на Полтавщину.")
        store_threats(conn, "kpszsu", "11", AT + dt.timedelta(hours=1), "Загроза застосування балістичного озброєння!")
        store_threats(conn, "kpszsu", "12", AT + dt.timedelta(days=2), "КАБи на Донеччину!")
    return url


def test_threats_as_json_csv_and_table_with_the_notice(tmp_path):
    db = _database(tmp_path)
    listed = airtally("threats", "--json", db=db)
    assert listed.returncode == 0, listed.stderr
    data = json.loads(listed.stdout)
    assert data["notice"] == THREAT_DISCLAIMER
    assert [(t["type"], t["regions"], t["heading_region"]) for t in data["threats"]] == [
        ("strike_drones", ["UA-63"], "UA-53"), ("ballistic_missiles", [], None), ("guided_bombs", ["UA-14"], None)]
    as_csv = airtally("threats", "--csv", "--type", "guided_bombs", db=db)
    rows = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert [(r["type"], r["regions"]) for r in rows] == [("guided_bombs", "UA-14")]
    assert "not official alerts" in as_csv.stderr
    table = airtally("threats", "--region", "Полтавщина", "--to", "2025-07-04", db=db)
    assert table.returncode == 0 and "strike_drones" in table.stdout and "guided_bombs" not in table.stdout
    assert "do not replace air-raid sirens" in table.stdout


def test_bad_filters_are_bad_usage_with_one_line(tmp_path):
    db = _database(tmp_path)
    wrong_type = airtally("threats", "--type", "rockets", db=db)
    assert wrong_type.returncode == 2 and "one of: strike_drones" in wrong_type.stderr
    wrong_region = airtally("threats", "--region", "Kharkov oblastt", db=db)
    assert wrong_region.returncode == 2 and "did you mean" in wrong_region.stderr
    backwards = airtally("threats", "--from", "2025-07-05", "--to", "2025-07-01", db=db)
    assert backwards.returncode == 2 and len(backwards.stderr.strip().splitlines()) == 1

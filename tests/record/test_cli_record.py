"""The record commands end to end: import curated, attack, export, ingest errors, exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def airtally(*args: str, db: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "AIRTALLY_DB": db, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-c", "from airtally.cli import main; main()", *args],
                          capture_output=True, text=True, env=env, timeout=120)


@pytest.fixture
def db(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'cli.db'}"


def test_import_then_attack_json(db, curated_csv):
    done = airtally("import", "curated", str(curated_csv), db=db)
    assert done.returncode == 0, done.stderr
    assert "stored 12 reports in 7 new attacks" in done.stderr
    assert "skipped line 13: launched 'two' is not a number" in done.stderr
    view = json.loads(airtally("attack", "2025-07-04", "--json", db=db).stdout)
    assert {"id", "date", "start", "end", "attacker", "target", "totals", "weapons", "sources", "conflicts"} <= set(view)
    assert view["totals"]["drones"]["launched"] == 539 and view["totals"]["missiles"]["launched"] == 11
    assert {s["kind"] for s in view["sources"]} == {"national", "regional"}
    figure = view["sources"][0]["figures"][0]
    assert {"subject", "measure", "value", "qualifier", "evidence"} <= set(figure)


def test_attack_table_and_unknown_attack(db, curated_csv):
    airtally("import", "curated", str(curated_csv), db=db)
    shown = airtally("attack", "2025-07-09", db=db)
    assert shown.returncode == 0 and "kh-101+iskander-k" in shown.stdout
    missing = airtally("attack", "2020-01-01", db=db)
    assert missing.returncode == 1 and "no attack ended on 2020-01-01" in missing.stderr
    assert "Traceback" not in missing.stderr


def test_export_writes_the_curated_schema(db, curated_csv, tmp_path):
    airtally("import", "curated", str(curated_csv), db=db)
    out = tmp_path / "out.json"
    done = airtally("export", "--format", "json", "--schema", "curated", str(out), db=db)
    assert done.returncode == 0 and "wrote 20 rows" in done.stderr
    assert len(json.loads(out.read_text("utf-8"))) == 20


def test_import_of_a_wrongly_encoded_file_exits_3(db, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_bytes("time_start,time_end,model,launched,source\n2025-07-04,2025-07-04,Kalibr,1,Київ\n".encode("cp1251"))
    done = airtally("import", "curated", str(bad), db=db)
    assert done.returncode == 3 and "not UTF-8" in done.stderr


def test_a_read_only_database_exits_4(tmp_path, curated_csv):
    path = tmp_path / "ro.db"
    airtally("version", db=f"sqlite:///{path}")
    assert airtally("attack", "1", db=f"sqlite:///{path}").returncode == 1  # migrated, empty
    done = airtally("import", "curated", str(curated_csv), db=f"sqlite:///file:{path}?mode=ro&uri=true")
    assert done.returncode == 4 and "read-only" in done.stderr


def test_ingest_reports_unreadable_files_and_exits_non_zero(db, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    done = airtally("ingest", str(empty), str(tmp_path / "missing.txt"), db=db)
    assert done.returncode == 3
    assert "errors 2" in done.stderr and "empty.txt" in done.stderr and "missing.txt" in done.stderr


def test_ingest_refuses_an_unknown_kind(db, tmp_path):
    done = airtally("ingest", "x.txt", "--kind", "blog", db=db)
    assert done.returncode == 2 and "--kind 'blog'" in done.stderr


SEED = ROOT.parent / "shared" / "examples" / "seed-article-2025-07-04.txt"


def test_ingest_prints_a_summary_and_is_idempotent(db, tmp_path):
    pytest.importorskip("airtally.extraction")
    report = tmp_path / "post.txt"
    report.write_text("Overnight on 4 July, Russia launched 539 drones and 11 missiles at Ukraine; "
                      "268 drones and 2 missiles were shot down, the air force said.", encoding="utf-8")
    first = airtally("ingest", str(report), "--published", "2025-07-04", db=db)
    assert first.returncode == 0, first.stderr
    assert "stored 1 (in 1 attacks), duplicates 0, not attack reports 0, errors 0" in first.stderr
    again = airtally("ingest", str(report), "--published", "2025-07-04", db=db)
    assert "stored 0 (in 0 attacks), duplicates 1" in again.stderr
    view = json.loads(airtally("attack", "2025-07-04", "--json", db=db).stdout)
    assert view["totals"]["drones"]["launched"] == 539 and view["sources"][0]["kind"] == "news"

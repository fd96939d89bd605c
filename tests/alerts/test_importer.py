"""Importing alert files: counts, idempotence, merge rule, bad rows, one transaction, the CLI."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from airtally.alerts import importer
from airtally.inputs import read_data_set
from airtally.alerts.importer import import_alerts
from airtally.cli import app
from airtally.errors import DatabaseError, MalformedData, UnreadableInput
from airtally.storage.tables_alerts import alert_events


def count(engine, *where) -> int:
    with engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(alert_events).where(*where)).scalar()


def test_official_import_reports_what_it_did(engine, fixtures):
    report = import_alerts(engine, fixtures / "official_small.csv")
    assert (report.format, report.rows, report.inserted, report.permanent_new) == ("official", 11, 9, 2)
    assert report.duplicates == [5] and report.merged == [4]
    assert [q.line for q in report.quirks] == [8, 12]


def test_importing_twice_stores_once(engine, fixtures):
    import_alerts(engine, fixtures / "official_small.csv")
    again = import_alerts(engine, fixtures / "official_small.csv")
    assert (again.inserted, again.updated, again.unchanged, again.permanent_new) == (0, 0, 9, 0)
    assert count(engine) == 11


def test_both_formats_and_the_permanent_alerts_once(alerts_engine):
    assert count(alerts_engine, alert_events.c.source == "volunteer") == 4
    assert count(alerts_engine, alert_events.c.permanent.is_(True)) == 2
    with alerts_engine.connect() as conn:
        permanent = conn.execute(sa.select(alert_events.c.region_code, alert_events.c.finished_at).where(alert_events.c.permanent.is_(True))).all()
    assert sorted(permanent) == [("UA-09", None), ("UA-43", None)]


def test_merged_rows_are_stored_as_one_alert(alerts_engine):
    with alerts_engine.connect() as conn:
        lviv = conn.execute(
            sa.select(alert_events.c.started_at, alert_events.c.finished_at).where(
                alert_events.c.region_code == "UA-46", alert_events.c.source == "official")
        ).all()
    assert [(s.strftime("%H:%M"), e.strftime("%H:%M")) for s, e in lviv] == [("05:10", "06:10")]


def test_bad_rows_stop_the_import_with_line_numbers_and_write_nothing(engine, fixtures):
    with pytest.raises(MalformedData) as caught:
        import_alerts(engine, fixtures / "official_bad.csv")
    for line in (3, 4, 5, 6, 7):
        assert f"line {line}:" in caught.value.message
    assert "--skip-bad" in caught.value.message
    assert count(engine) == 0


def test_skip_bad_imports_the_rest_and_lists_the_bad(engine, fixtures):
    report = import_alerts(engine, fixtures / "official_bad.csv", skip_bad=True)
    assert [p.line for p in report.skipped] == [3, 4, 5, 6, 7]
    assert count(engine, alert_events.c.source == "official") == 1


def test_a_failure_midway_leaves_nothing_behind(engine, fixtures, monkeypatch):
    calls = []

    def failing(connection, events, **options):
        calls.append(len(events))
        if len(calls) == 2:
            raise sa.exc.OperationalError("INSERT", {}, Exception("disk full"))
        return real(connection, events, **options)

    real = importer.upsert_events
    monkeypatch.setattr(importer, "CHUNK", 3)
    monkeypatch.setattr(importer, "upsert_events", failing)
    with pytest.raises(DatabaseError, match="nothing was imported"):
        import_alerts(engine, fixtures / "official_small.csv")
    assert count(engine) == 0


@pytest.mark.parametrize(
    "content,message",
    [(b"", "is empty"), (b"\x00\x01binary", "binary content"), ("region,started_at\nKyi\xefv".encode("latin-1"), "not UTF-8")],
)
def test_unreadable_files(tmp_path, content, message):
    path = tmp_path / "alerts.csv"
    path.write_bytes(content)
    with pytest.raises(UnreadableInput, match=message):
        read_data_set(path)


def test_a_missing_file_is_unreadable(tmp_path):
    with pytest.raises(UnreadableInput, match="no such file"):
        read_data_set(tmp_path / "nope.csv")


def test_cli_import_then_active_json(db_url, fixtures):
    runner = CliRunner()
    result = runner.invoke(app, ["import", "alerts", str(fixtures / "official_small.csv"), "--db", db_url])
    assert result.exit_code == 0, result.output
    assert "official" in result.output and "line 8" in result.output
    result = runner.invoke(app, ["alerts", "active", "--at", "2022-10-10T05:30Z", "--json", "--db", db_url])
    data = json.loads(result.output)
    assert set(data) == {"at", "regions"} and data["at"] == "2022-10-10T08:30:00+03:00"
    assert all(set(r) == {"code", "name", "level", "state", "since", "permanent"} for r in data["regions"])


def test_cli_bad_rows_exit_with_code_5(tmp_path, fixtures):
    db = f"sqlite:///{tmp_path / 'a.db'}"
    run = subprocess.run(
        [sys.executable, "-c", "from airtally.cli import main; main()", "import", "alerts", str(fixtures / "official_bad.csv"), "--db", db],
        capture_output=True, text=True,
    )
    assert run.returncode == 5
    assert "line 3" in run.stderr and "Traceback" not in run.stderr

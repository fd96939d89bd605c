"""``airtally tally|records|check``: the JSON/CSV shapes other tools read, and clear errors."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from airtally.cli import app

from .conftest import SAMPLE, RecordBuilder

runner = CliRunner()


@pytest.fixture
def db(engine, db_url):
    RecordBuilder(engine)(SAMPLE)
    return db_url


def run(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def test_tally_json(db):
    rows = json.loads(run("tally", "--by", "month", "--class", "drones", "--from", "2025-06", "--json", "--db", db))
    assert rows[0] | {"interception_rate": None, "destroyed_rate": None} == {
        "period": "2025-06", "class": "drones", "attacks": 2, "launched": 950, "destroyed": 780, "lost": 150,
        "attacks_without_launched": 0, "unconfirmed": 0, "interception_rate": None, "destroyed_rate": None,
        "first_day": "2025-06-01", "last_day": "2025-06-30"}
    assert rows[0]["interception_rate"] == round(930 / 950, 4)
    assert [r["period"] for r in rows] == ["2025-06", "2025-07"]


def test_tally_csv_and_table(db):
    rows = list(csv.DictReader(io.StringIO(run("tally", "--by", "year", "--csv", "--db", db))))
    assert [(r["period"], r["class"], r["launched"]) for r in rows][:3] == [
        ("2024", "drones", "10"), ("2024", "all", "10"), ("2025", "drones", "3684")]
    assert "Tally by week" in run("tally", "--by", "week", "--db", db)


def test_tally_by_source_kind_and_direction(db):
    assert json.loads(run("tally", "--source-kind", "national", "--json", "--db", db)) == []
    rows = json.loads(run("tally", "--direction", "UA-RU", "--class", "drones", "--json", "--db", db))
    assert [(r["period"], r["launched"]) for r in rows] == [("2025-07", 900)]


def test_records_json(db):
    rows = json.loads(run("records", "--top", "2", "--class", "drones", "--as-of", "2025-07-08", "--json", "--db", db))
    assert [{k: r[k] for k in ("rank", "date", "class", "launched", "destroyed")} for r in rows] == [
        {"rank": 1, "date": "2025-07-04", "class": "drones", "launched": 539, "destroyed": 268},
        {"rank": 2, "date": "2025-06-15", "class": "drones", "launched": 500, "destroyed": 400}]
    assert all(isinstance(r["attack_id"], int) for r in rows)
    months = json.loads(run("records", "--months", "--top", "1", "--json", "--db", db))
    assert (months[0]["rank"], months[0]["period"], months[0]["launched"]) == (1, "2025-07", 1706)


def test_records_mark_an_unconfirmed_record_and_name_the_confirmed_one(engine, db_url):
    RecordBuilder(engine)("""
    2025-06-15  merged  drones  500  400  90
    2025-07-09  merged  drones  728  296  415 unconfirmed
    """)
    [first, second] = json.loads(run("records", "--class", "drones", "--json", "--db", db_url))
    assert (first["unconfirmed"], first["confirmed_record"]["date"], second["unconfirmed"]) == (True, "2025-06-15", False)
    rows = list(csv.DictReader(io.StringIO(run("records", "--class", "drones", "--csv", "--db", db_url))))
    assert [(r["date"], r["unconfirmed"], r["confirmed_record"]) for r in rows] == [
        ("2025-07-09", "yes", f"2025-06-15: 500 launched (attack {second['attack_id']})"), ("2025-06-15", "", "")]
    table = runner.invoke(app, ["records", "--class", "drones", "--db", db_url])
    assert "the first place rests on unconfirmed figures" in table.stderr and "2025-06-15: 500 launched" in table.stderr


def test_check_json_and_text(db):
    claim = "the largest drone and missile attack since the beginning of the invasion"
    result = json.loads(run("check", claim, "--date", "2025-07-04", "--json", "--db", db))
    assert result["verdict"] == "supported"
    assert (result["attack"]["date"], result["attack"]["launched"]) == ("2025-07-04", 550)
    assert (result["record"]["date"], result["record"]["launched"]) == ("2025-06-30", 520)
    text = run("check", "самая массированная атака с начала войны", "--date", "2025-07-10", "--db", db)
    assert text.startswith("contradicted: the attack that ended on 2025-07-10 has 415 launched (all weapons)")
    assert "read: attack claim, class all, measure launched, period all_time" in text
    ukrainian = run("check", "самая массированная атака с начала войны", "--date", "2025-07-10", "--lang", "uk", "--db", db)
    assert ukrainian.startswith("contradicted: в атаці, що закінчилася 2025-07-10, запущено 415 (дрони й ракети) — менше, ніж")
    assert "- запис починається 2024-12-30, пізніше за початок періоду (2022-02-24): раніших атак у ньому немає" in ukrainian
    items = json.loads(run("check", claim, "--date", "2025-07-04", "--lang", "uk", "--json", "--db", db))
    assert items["lang"] == "uk" and items["note_items"] == result["note_items"] and result["lang"] == "en"


@pytest.mark.parametrize("command", ["tally", "records", "check"])
def test_every_command_has_help(command):
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0 and "--db" in result.stdout and "--json" in result.stdout


@pytest.mark.parametrize(
    "args, message",
    [
        (["tally", "--by", "fortnight"], "unknown period 'fortnight' (use one of: day, week, month, year)"),
        (["tally", "--from", "2025-02-30"], "not a --from date: '2025-02-30'"),
        (["records", "--class", "bombs"], "unknown class 'bombs'"),
        (["check", "hello there"], "no record claim in 'hello there'"),
        (["check", "the largest attack", "--date", "yesterday"], "not a --date: 'yesterday'"),
        (["check", "the largest attack", "--lang", "de"], "'de' is not one of: en, uk"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(tmp_path, args, message):
    db = f"sqlite:///{tmp_path / 'empty.db'}"
    done = subprocess.run([sys.executable, "-c", "from airtally.cli import main; main()", *args, "--db", db],
                          capture_output=True, text=True, env={"COLUMNS": "200", "PATH": ""})
    assert done.returncode == 2  # bad usage: a value an option cannot take
    assert message in done.stderr and "Traceback" not in done.stderr


def test_the_readme_documents_every_analytics_command():
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text("utf-8")
    section = readme.split("## Tallies, records and claim checks", 1)[1].split("\n## ", 1)[0]
    for command in ("airtally tally", "airtally records", "airtally check", "airtally.open"):
        assert command in section

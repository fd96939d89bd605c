"""The alerts commands through the CLI: help text, each output format, clear errors."""

from __future__ import annotations

import csv
import io
import json

import pytest
from typer.testing import CliRunner

from airtally.cli import app
from airtally.errors import InvalidValue

runner = CliRunner()
COMMANDS = ["active", "stats", "nationwide", "during-attacks"]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_alerts_command_has_help(command):
    result = runner.invoke(app, ["alerts", command, "--help"])
    assert result.exit_code == 0 and "--db" in result.output and "--json" in result.output


def test_import_alerts_has_help():
    result = runner.invoke(app, ["import", "alerts", "--help"])
    assert result.exit_code == 0 and "--format" in result.output and "--skip-bad" in result.output


@pytest.fixture
def db(tmp_path, fixtures) -> str:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    for name in ("official_small.csv", "volunteer_small.csv"):
        assert runner.invoke(app, ["import", "alerts", str(fixtures / name), "--db", url]).exit_code == 0
    return url


def test_stats_as_csv(db):
    result = runner.invoke(app, ["alerts", "stats", "--region", "Kharkivska oblast", "--from", "2022-10-30", "--to", "2022-10-30", "--by", "day", "--csv", "--db", db])
    (row,) = list(csv.DictReader(io.StringIO(result.output)))
    assert (row["period"], row["alerts"], row["longest_minutes"]) == ("2022-10-30", "1", "80.000")


def test_nationwide_as_json(db, fixtures):
    # official_nationwide.csv: the morning of 10 October 2022, the country's 24 oblasts put under
    # alert one a minute from 04:15 UTC; the 20th (80 %) at 04:34.
    assert runner.invoke(app, ["import", "alerts", str(fixtures / "official_nationwide.csv"), "--db", db]).exit_code == 0
    result = runner.invoke(app, ["alerts", "nationwide", "--threshold", "0.8", "--json", "--db", db])
    (period,) = json.loads(result.output)
    assert set(period) == {"start", "end", "minutes", "peak_share", "peak_regions"}
    assert period["start"] == "2022-10-10T07:34:00+03:00" and (period["peak_share"], period["peak_regions"]) == (1.0, 24)


def test_a_few_oblasts_under_alert_are_no_nationwide_alert(db):
    # official_small.csv holds alerts in four oblasts at most at once: 4 of 24 is not the country.
    result = runner.invoke(app, ["alerts", "nationwide", "--threshold", "0.5", "--json", "--db", db])
    assert result.exit_code == 0 and json.loads(result.output) == []


def test_during_attacks_without_attacks_is_an_empty_table(db):
    result = runner.invoke(app, ["alerts", "during-attacks", "--csv", "--db", db])
    assert result.exit_code == 0 and result.output.startswith("attack_id,date,window_start")


def test_active_table_names_the_instant_in_kyiv_time(db):
    result = runner.invoke(app, ["alerts", "active", "--at", "2022-10-10T05:30Z", "--db", db])
    assert result.exit_code == 0 and "Lviv Oblast" in result.output and "08:30" in result.output


def test_a_reversed_window_is_a_clear_error(db):
    result = runner.invoke(app, ["alerts", "stats", "--from", "2023-02-01", "--to", "2023-01-01", "--db", db])
    assert isinstance(result.exception, InvalidValue) and "swap them" in result.exception.message


@pytest.mark.parametrize("command", ["active", "stats", "nationwide", "during-attacks"])
def test_an_unknown_source_is_an_error_naming_the_sources(db, command):
    """It used to match nothing and print an empty answer with exit 0."""
    result = runner.invoke(app, ["alerts", command, "--source", "oficial", "--db", db])
    assert isinstance(result.exception, InvalidValue)
    assert "unknown alert source 'oficial'" in result.exception.message
    assert "official, volunteer, alerts.in.ua" in result.exception.message

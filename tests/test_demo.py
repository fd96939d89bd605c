"""The main job: ``airtally demo`` on the bundled examples."""

from __future__ import annotations

from typer.testing import CliRunner

from airtally.cli import app
from airtally.record.examples import bundled_examples


def test_demo_merges_the_seed_night_and_supports_its_record_claim(tmp_path):
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    result = CliRunner().invoke(app, ["demo", "--db", url], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    out = result.output
    assert "the night ending 2025-07-04: merged from 3 reports" in out
    assert "│ drones   │ 539      │ 268       │ 208" in out
    assert "│ missiles │ 11       │ 2" in out
    assert "on 2025-07-04: supported" in out
    assert f"see it in a browser: airtally serve --db '{url}'" in out  # the command that serves this database


def test_demo_twice_stores_nothing_new(tmp_path):
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    CliRunner().invoke(app, ["demo", "--db", url])
    result = CliRunner().invoke(app, ["demo", "--db", url], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert result.output.count("duplicate") == len([e for e in bundled_examples()])

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


def test_demo_uses_a_database_of_its_own_and_says_how_to_use_it(tmp_path, monkeypatch):
    """Without --db the demo writes demo.db beside the default database, never the record
    itself (nor $AIRTALLY_DB), and ends by saying how to query and serve it."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    monkeypatch.setenv("AIRTALLY_DB", f"sqlite:///{tmp_path / 'real.db'}")
    result = CliRunner().invoke(app, ["demo"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    demo_db = tmp_path / "airtally" / "demo.db"
    assert demo_db.exists() and not (tmp_path / "airtally" / "airtally.db").exists() and not (tmp_path / "real.db").exists()
    end = "\n".join(result.output.strip().splitlines()[-2:])
    assert f"airtally tally --db 'sqlite:///{demo_db}'" in end and f"airtally serve --db 'sqlite:///{demo_db}'" in end


def test_one_source_has_one_name():
    """The examples name the Air Force's and the regional commands' accounts as the curated data
    set does, so importing it after the demo adds no second national source for a night."""
    from airtally.record.curated_rows import kind_of, source_kinds

    accounts = {name for kind in ("national", "regional") for name in source_kinds()[kind]}
    for example in bundled_examples():
        if example.kind != "news":
            assert example.source in accounts and kind_of(example.source) == example.kind, example

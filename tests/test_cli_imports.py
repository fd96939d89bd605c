"""Commands that never touch a database do not import one: a cold ``airtally extract`` or
``airtally --help`` loads no SQLAlchemy, Alembic or httpx (they once cost ~0.5 s of every start).
Checked in a fresh process, by the modules loaded when the command is done."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = ("sqlalchemy", "alembic", "httpx", "pandas", "pyarrow", "psycopg")
RUN = """
import json, sys
heavy = set(json.loads(sys.argv[2]))
sys.argv = ["airtally", *json.loads(sys.argv[1])]
from airtally.cli import main
try:
    main()
except SystemExit:
    pass
print(json.dumps(sorted({name.split('.')[0] for name in sys.modules} & heavy)))
print(json.dumps(sorted(name for name in sys.modules if name.startswith("airtally"))))
"""


def loaded_after(args: list[str]) -> list[str]:
    """The heavy top-level packages loaded once ``airtally ARGS`` has run in a fresh process."""
    done = subprocess.run([sys.executable, "-c", RUN, json.dumps(args), json.dumps(HEAVY)],
                          capture_output=True, text=True, timeout=120, check=True)
    return json.loads(done.stdout.strip().splitlines()[-2])


def loaded_modules(args: list[str]) -> list[str]:
    """The airtally modules loaded once ``airtally ARGS`` has run in a fresh process."""
    done = subprocess.run([sys.executable, "-c", RUN, json.dumps(args), json.dumps(HEAVY)],
                          capture_output=True, text=True, timeout=120, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("args", [["--help"], ["extract", "--help"], ["alerts", "--help"], ["version"]])
def test_help_loads_no_database_or_network_library(args: list[str]) -> None:
    assert loaded_after(args) == []


@pytest.mark.parametrize("args", [["--help"], ["threats", "--help"], ["version"]])
def test_help_loads_no_pydantic_model(args: list[str]) -> None:
    """Help builds no pydantic model (airtally.model costs ~0.1 s of a start: see cold_start.py)."""
    assert "airtally.model" not in loaded_modules(args)


def test_extract_loads_no_database_or_network_library(tmp_path) -> None:
    report = tmp_path / "report.txt"
    report.write_text("Overnight Russia launched 50 drones; 41 were shot down.", encoding="utf-8")
    assert loaded_after(["extract", str(report), "--json", "--published", "2025-07-04"]) == []


# what a cold `extract --json` needs none of: Rich's console and tables (~30 ms; the JSON is
# written as it is) and PyYAML (~10 ms, and ~20 ms to parse the data files: they are shipped parsed)
UNNEEDED = ("rich.console", "rich.table", "rich.progress", "yaml")


def test_extract_json_loads_no_console_or_yaml_parser(tmp_path) -> None:
    report = tmp_path / "report.txt"
    report.write_text("Overnight Russia launched 50 drones; 41 were shot down.", encoding="utf-8")
    run = RUN.replace("{name.split('.')[0] for name in sys.modules}", "set(sys.modules)")
    done = subprocess.run([sys.executable, "-c", run, json.dumps(["extract", str(report), "--json"]), json.dumps(UNNEEDED)],
                          capture_output=True, text=True, timeout=120, check=True)
    assert json.loads(done.stdout.strip().splitlines()[-2]) == []


@pytest.mark.parametrize("argv,expected", [
    (["extract", "report.txt", "--json"], "extract"),
    (["--lock-timeout", "5", "ingest", "x.txt"], "ingest"),
    (["--lock-timeout=5", "alerts", "active"], "alerts"),
    (["--help"], None), ([], None), (["-h"], None),
])
def test_the_command_line_names_its_command(argv, expected):
    from airtally.cli import _named

    assert _named(argv) == expected


def test_a_named_command_is_built_alone_and_anything_else_gets_every_command():
    # typer reads every command's signature when it builds the parser (~0.06 s of a cold start):
    # a command line that names one command builds that one only.
    import typer.main

    from airtally.cli import _only, app

    assert list(typer.main.get_command(_only("extract")).commands) == ["extract"]
    assert list(typer.main.get_command(_only("import")).commands) == ["import"]
    everything = typer.main.get_command(app).commands
    assert _only("no-such-command") is app and _only(None) is app and {"extract", "ingest", "alerts", "serve"} <= set(everything)

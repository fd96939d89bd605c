"""Tested documentation: every CLI command has help text and is documented in the README."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer.main

from airtally.cli import app

README = (Path(__file__).resolve().parent.parent / "README.md").read_text("utf-8")


def _commands(group, prefix=""):
    for name, command in sorted(group.commands.items()):
        path = f"{prefix} {name}".strip()
        if hasattr(command, "commands"):
            yield from _commands(command, path)
        else:
            yield path, command


COMMANDS = list(_commands(typer.main.get_command(app)))


@pytest.mark.parametrize("path,command", COMMANDS, ids=[p for p, _ in COMMANDS])
def test_command_has_help_text(path, command):
    assert (command.help or "").strip(), f"`airtally {path}` has no help text"


@pytest.mark.parametrize("path,command", COMMANDS, ids=[p for p, _ in COMMANDS])
def test_command_is_documented_in_the_readme(path, command):
    assert f"airtally {path}" in README, f"README.md does not document `airtally {path}`"


QUICK_START = README.split("## Quick start", 1)[1].split("```", 2)[1].strip().splitlines()


def test_the_quick_start_works_in_a_virtual_environment():
    """Each quick-start line makes and uses a venv (Debian's Python refuses `pip install`
    outside one) and the README names the package `python3 -m venv` needs there."""
    assert len(QUICK_START) == 2
    for line in QUICK_START:
        assert line.startswith("python3 -m venv .venv && . .venv/bin/activate && pip install ")
    assert "python3-venv" in README


def test_ci_runs_the_readme_test_command():
    ci = (Path(__file__).resolve().parent.parent / ".ci" / "run").read_text("utf-8")
    test_command = QUICK_START[1]
    assert test_command.endswith("&& pytest")
    assert test_command in ci.splitlines()

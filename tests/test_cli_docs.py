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

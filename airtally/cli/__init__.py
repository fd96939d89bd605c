"""The ``airtally`` command: parse arguments, call one library function, print.

Every command module adds its commands to ``app`` through ``register``; library errors
become one line on standard error and the exit code documented in airtally.errors.
"""

from __future__ import annotations

import copy
import os
import sys
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from airtally.cli import alerts, analytics, demo, extract, notify, record, review, serve, sources, threats
from airtally.cli.database import settings as database_settings
from airtally.cli.groups import command_group, import_app
from airtally.cli.output import make_console
from airtally.errors import AirtallyError

if TYPE_CHECKING:
    from rich.console import Console

app = command_group(
    name="airtally",
    help="Turn reports of air attacks on Ukraine into a verified, queryable record.",
    pretty_exceptions_enable=False,
)



@app.callback()
def root(
    lock_timeout: Annotated[Optional[float], typer.Option(
        "--lock-timeout", min=0, metavar="SECONDS",
        help="How long a writer waits for another writer to finish (default: $AIRTALLY_LOCK_TIMEOUT, else 60).",
    )] = None,
) -> None:
    """Turn reports of air attacks on Ukraine into a verified, queryable record."""
    database_settings["lock_timeout"] = lock_timeout


for module in (extract, record, review, analytics, alerts, sources, threats, notify, demo, serve):
    module.register(app)
app.add_typer(import_app, name="import")


@app.command()
def version() -> None:
    """Print airtally's version."""
    from airtally import __version__

    typer.echo(__version__)


def _error(stderr: Console, label: str, message: str) -> None:
    """One line on standard error: never wrapped at the terminal's width (scripts match on it),
    and the message printed as it is (a path with brackets is not Rich markup)."""
    from rich.text import Text

    stderr.print(Text.assemble((label, "bold red"), " ", message), soft_wrap=True, highlight=False)


def _named(argv: list[str]) -> str | None:
    """The command a command line names: its first word past the root's options; None when it
    names none (``airtally``, ``airtally --help``) or begins with an option of another kind."""
    words = iter(argv)
    for word in words:
        if word == "--lock-timeout":
            next(words, None)  # its value
        elif word.startswith("-"):
            return None if not word.startswith("--lock-timeout=") else _named(list(words))
        else:
            return word
    return None


def _only(name: str | None) -> typer.Typer:
    """``app`` with only the command or group ``name`` when there is one (else ``app`` whole).

    Typer reads the signature of every command when it builds the command line's parser, about
    0.06 s of a cold ``airtally extract`` that names one command; the one named is built alone.
    A name that is no command gets the whole app, so click's "No such command" lists them all."""
    from typer.main import get_command_name  # typer's own rule for a command's name

    # (a command always has its callback, a group its Typer: the checks are for the types)
    commands = [c for c in app.registered_commands
                if (c.name or (get_command_name(c.callback.__name__) if c.callback else None)) == name]
    groups = [g for g in app.registered_groups if (g.name or (g.typer_instance.info.name if g.typer_instance else None)) == name]
    if not commands and not groups:
        return app
    slim = copy.copy(app)
    slim.registered_commands, slim.registered_groups = commands, groups
    return slim


def main() -> None:
    """Entry point: run the app, turning errors into messages and exit codes."""
    try:
        _only(_named(sys.argv[1:]))()
    except AirtallyError as exc:
        _error(make_console(stderr=True), "airtally:", exc.message)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        make_console(stderr=True).print("airtally: interrupted")
        sys.exit(130)
    except Exception as exc:  # never a traceback for a person; AIRTALLY_DEBUG=1 shows it
        if os.environ.get("AIRTALLY_DEBUG"):
            raise
        stderr = make_console(stderr=True)
        _error(stderr, "airtally: internal error:", f"{type(exc).__name__}: {exc}")
        stderr.print("Run again with AIRTALLY_DEBUG=1 for the traceback, and report it.")
        sys.exit(1)

"""Command groups: the shared settings of every group (``-h`` beside ``--help``, plain help and
one-line usage errors), and the groups several command modules add to (``airtally import``)."""

from __future__ import annotations

import typer

# Every command answers -h; help and usage errors are plain text, not boxes cut to the terminal's
# width, so a script (or a person piping to less) reads an error whole, on one line.
CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"]}


def command_group(**settings) -> typer.Typer:
    """A Typer group with airtally's settings; ``settings`` are Typer's (help, name, ...; a group
    that does something without a subcommand passes ``no_args_is_help=False``)."""
    settings = {"no_args_is_help": True, **settings}
    return typer.Typer(context_settings=CONTEXT_SETTINGS, rich_markup_mode=None, add_completion=False, **settings)


import_app = command_group(help="Import data sets: the curated attack data set, alert histories.")

"""Shared output options: every command that prints data takes ``--json/--csv/--table``."""

from __future__ import annotations

import csv
import enum
import io
import json
import sys
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer

if TYPE_CHECKING:  # Rich's console is imported where something is printed with it: a cold
    from rich.console import Console  # `airtally extract --json` never loads it (~30 ms)


# When output is not a terminal (a pipe, a file) a table is as wide as its content: Rich's
# default of 80 columns there would cut and wrap it.
UNBOUNDED_WIDTH = 10_000


def make_console(stderr: bool = False, **settings: Any) -> Console:
    """A Rich console on standard output (or error): the terminal's width on a terminal, else
    as wide as what is printed."""
    stream = sys.stderr if stderr else sys.stdout
    isatty = getattr(stream, "isatty", None)
    if isatty is None or not isatty():
        settings.setdefault("width", UNBOUNDED_WIDTH)
    from rich.console import Console

    return Console(stderr=stderr, **settings)


class Format(str, enum.Enum):
    table = "table"
    json = "json"
    csv = "csv"


def format_option(
    json_: bool = False, csv_: bool = False
) -> Format:
    """The chosen format from the two flags (``--json`` wins over ``--csv``)."""
    if json_:
        return Format.json
    if csv_:
        return Format.csv
    return Format.table


DbOption = Annotated[
    Optional[str], typer.Option("--db", help="Database URL (default: $AIRTALLY_DB or a local SQLite file).")
]
JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON.")]
CsvFlag = Annotated[bool, typer.Option("--csv", help="Print CSV.")]
TableFlag = Annotated[bool, typer.Option("--table", help="Print a table (the default).")]


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def emit(
    rows: Sequence[Mapping[str, Any]] | Any,
    fmt: Format,
    columns: Sequence[str] | None = None,
    title: str | None = None,
    console: Console | None = None,
) -> None:
    """Print ``rows`` (a list of dicts) as a Rich table, JSON or CSV.

    For JSON, ``rows`` may be any JSON-ready value (a dict for a single object).
    """
    if fmt is Format.json:
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, default=str) + "\n")
        return
    rows = list(rows)
    columns = list(columns or (rows[0].keys() if rows else []))
    if fmt is Format.csv:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({c: _cell(row.get(c)) for c in columns})
        sys.stdout.write(buffer.getvalue())
        return
    from rich.table import Table

    table = Table(title=title)
    for column in columns:
        table.add_column(column)
    for row in rows:
        table.add_row(*(_cell(row.get(c)) for c in columns))
    (console or make_console()).print(table)


def iter_json_lines(objects: Iterable[Any]) -> None:
    """Print one JSON object per line (JSON Lines)."""
    for obj in objects:
        sys.stdout.write(json.dumps(obj, ensure_ascii=False, default=str) + "\n")

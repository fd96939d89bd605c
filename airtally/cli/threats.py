"""``airtally threats``: the threat timeline read from the followed channels (not official alerts)."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from airtally.cli.alerts import FromOption, ToOption
from airtally.cli.database import opened
from airtally.cli.output import CsvFlag, DbOption, Format, JsonFlag, TableFlag, emit, format_option, make_console
from airtally.clock import parse_day_bound
from airtally.threat_types import THREAT_DISCLAIMER, THREAT_TYPES

COLUMNS = ["at", "type", "count", "regions", "heading", "heading_region", "closed_at", "source", "post", "text"]


def threats(
    from_: FromOption = None, to: ToOption = None,
    region: Annotated[Optional[str], typer.Option(
        "--region", help="Only threats naming this oblast or headed to it (code, name or a report's form: Харківщина).")] = None,
    type_: Annotated[Optional[list[str]], typer.Option(
        "--type", help=f"Only this type ({', '.join(THREAT_TYPES)}); repeatable.")] = None,
    db: DbOption = None, json_: JsonFlag = False, csv_: CsvFlag = False, table: TableFlag = False,
) -> None:
    """The threat timeline: live threats the followed channels posted (drones, missiles, take-offs, all clears).
    Not official alerts: they do not replace air-raid sirens."""
    from airtally.record.threats import threats_between  # on use: SQLAlchemy

    start = parse_day_bound(from_) if from_ else None
    end = parse_day_bound(to, end=True) if to else None
    with opened(db, read_only=True) as database:
        rows = threats_between(database.engine, start, end, region, type_ or ())
    fmt = format_option(json_, csv_)
    if fmt is Format.json:
        emit({"notice": THREAT_DISCLAIMER, "threats": rows}, fmt)
        return
    shown = [row | {"regions": " ".join(row["regions"])} for row in rows]
    emit(shown, fmt, columns=COLUMNS, title="Threat timeline (UTC)")
    make_console(stderr=fmt is Format.csv).print(THREAT_DISCLAIMER, highlight=False, soft_wrap=True)


def register(app: typer.Typer) -> None:
    app.command("threats")(threats)

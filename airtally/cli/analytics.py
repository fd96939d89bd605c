"""The analytics commands of the airtally CLI: ``tally``, ``records``, ``check``."""

from __future__ import annotations

from functools import partial
from typing import Annotated, Optional

import typer

from airtally.cli.database import opened
from airtally.cli.output import CsvFlag, DbOption, Format, JsonFlag, TableFlag, emit, format_option, make_console

# The library is imported inside each command so that `airtally --help` stays quick.

ClassOption = Annotated[Optional[str], typer.Option("--class", help="drones, missiles or all (all weapons together).")]
SourceKindOption = Annotated[
    str, typer.Option("--source-kind", help="national, regional, news, or all (the merged record, the default).")
]
FromOption = Annotated[Optional[str], typer.Option("--from", help="First date (YYYY-MM-DD, YYYY-MM or YYYY).")]
ToOption = Annotated[Optional[str], typer.Option("--to", help="Last date, inclusive (YYYY-MM-DD, YYYY-MM or YYYY).")]
DirectionOption = Annotated[str, typer.Option("--direction", help="RU-UA (the default), UA-RU or any.")]


def _on_record(db: str | None, call, *args):
    """``call(engine, *args)`` on the database ``db`` (opened read-only), its engine disposed afterwards."""
    with opened(db, read_only=True) as database:
        return call(database.engine, *args)


def tally(
    by: Annotated[str, typer.Option("--by", help="day, week (ISO), month or year.")] = "month",
    weapon_class: ClassOption = None,
    start: FromOption = None,
    end: ToOption = None,
    source_kind: SourceKindOption = "all",
    direction: DirectionOption = "RU-UA",
    db: DbOption = None,
    json_: JsonFlag = False,
    csv_: CsvFlag = False,
    table: TableFlag = False,
) -> None:
    """Launched, destroyed, lost and interception rates per period and class (every class unless --class)."""
    from airtally.analytics.tally import TALLY_COLUMNS, tally as tally_rows

    rows = _on_record(db, tally_rows, by, weapon_class, start, end, source_kind, direction)
    emit(rows, format_option(json_, csv_), TALLY_COLUMNS, title=f"Tally by {by}")


def attacks(
    start: FromOption = None,
    end: ToOption = None,
    weapon_class: Annotated[str, typer.Option("--class", help="Attacks with figures of drones, missiles or all (all weapons).")] = "all",
    min_launched: Annotated[Optional[int], typer.Option("--min-launched", min=0, max=2**62, help="Only attacks that launched at least this many of the class.")] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, max=500, help="How many attacks (newest first).")] = 50,
    cursor: Annotated[Optional[str], typer.Option("--cursor", help="Continue after an earlier page (its next_cursor, from --json).")] = None,
    direction: DirectionOption = "RU-UA",
    db: DbOption = None,
    json_: JsonFlag = False,
    csv_: CsvFlag = False,
    table: TableFlag = False,
) -> None:
    """The attacks that match the filters, newest first, with their class totals (a page at a time)."""
    from airtally.analytics.attack_list import ATTACK_LIST_COLUMNS, flat_row, list_attacks

    page = _on_record(db, list_attacks, start, end, weapon_class, min_launched, direction, limit, cursor)
    fmt = format_option(json_, csv_)
    if fmt is Format.json:
        emit(page, fmt)
        return
    emit([flat_row(a) for a in page["attacks"]], fmt, ATTACK_LIST_COLUMNS, title="Attacks (newest first)")
    if page["next_cursor"] and fmt is Format.table:
        make_console(stderr=True).print(f"more: --cursor {page['next_cursor']}", highlight=False)


def records(
    top: Annotated[int, typer.Option("--top", help="How many to list.")] = 10,
    weapon_class: Annotated[str, typer.Option("--class", help="drones, missiles or all (all weapons together).")] = "all",
    as_of: Annotated[Optional[str], typer.Option("--as-of", help="The record as it stood on this date (attacks that ended on or before it).")] = None,
    months: Annotated[bool, typer.Option("--months", help="Rank months by their tally instead of single attacks.")] = False,
    measure: Annotated[str, typer.Option("--measure", help="Rank by launched (the default), destroyed or lost.")] = "launched",
    source_kind: SourceKindOption = "all",
    direction: DirectionOption = "RU-UA",
    db: DbOption = None,
    json_: JsonFlag = False,
    csv_: CsvFlag = False,
    table: TableFlag = False,
) -> None:
    """The largest attacks (or months with --months) ranked by launched (or --measure), with their dates."""
    from airtally.analytics.records import ATTACK_COLUMNS, MONTH_COLUMNS, largest

    rows = _on_record(db, largest, top, weapon_class, as_of, months, source_kind, direction, measure)
    title = f"Largest {'months' if months else 'attacks'} ({weapon_class})" + (f" as of {as_of}" if as_of else "")
    fmt = format_option(json_, csv_)
    if fmt is not Format.json and not months:
        rows = [row | {"unconfirmed": "yes" if row["unconfirmed"] else "",
                       "confirmed_record": _holder(row["confirmed_record"], measure)} for row in rows]
    emit(rows, fmt, MONTH_COLUMNS if months else ATTACK_COLUMNS, title=title)
    if fmt is Format.table and rows and rows[0]["unconfirmed"]:
        make_console(stderr=True).print(
            f"the first place rests on unconfirmed figures (airtally review lists them); the largest confirmed: "
            f"{rows[0]['confirmed_record'] or 'none'}", highlight=False)


def _holder(holder: dict | None, measure: str) -> str:
    """The confirmed record-holder beside an unconfirmed row, for a table or CSV cell."""
    if holder is None:
        return ""
    return f"{holder['date']}: {holder['value']} {measure} (attack {holder['attack_id']})"


def check(
    text: Annotated[str, typer.Argument(help='The claim, e.g. "the largest drone attack since the beginning of the invasion".')],
    date: Annotated[Optional[str], typer.Option("--date", help="The date the claimed attack ended (default: the latest attack in the record).")] = None,
    source_kind: SourceKindOption = "all",
    direction: DirectionOption = "RU-UA",
    lang: Annotated[str, typer.Option("--lang", help="The language of the notes and the explanation: en (the default) or uk.")] = "en",
    db: DbOption = None,
    json_: JsonFlag = False,
) -> None:
    """Check a record claim ("the largest ... since ...") against the record as it stood on --date."""
    from airtally.analytics.claim_notes import LANGUAGES
    from airtally.analytics.claims import check as check_claim

    if lang not in LANGUAGES:
        raise typer.BadParameter(f"{lang!r} is not one of: {', '.join(LANGUAGES)}", param_hint="--lang")
    result = _on_record(db, partial(check_claim, lang=lang), text, date, source_kind, direction)
    if json_:
        emit(result, Format.json)
        return
    _print_check(result)


def brief(
    date: Annotated[Optional[str], typer.Option("--date", help="The date the attack ended, YYYY-MM-DD (default: the latest attack in the record).")] = None,
    fmt: Annotated[str, typer.Option("--format", help="md (the default), html or txt.")] = "md",
    lang: Annotated[str, typer.Option("--lang", help="en (the default) or uk.")] = "en",
    db: DbOption = None,
) -> None:
    """The morning brief of one attack, written from the record: figures, rank, month, alerts, sources."""
    from airtally.analytics.brief import build_brief
    from airtally.analytics.brief_render import FORMATS, LANGUAGES, render

    if fmt not in FORMATS:
        raise typer.BadParameter(f"{fmt!r} is not one of: {', '.join(FORMATS)}", param_hint="--format")
    if lang not in LANGUAGES:
        raise typer.BadParameter(f"{lang!r} is not one of: {', '.join(LANGUAGES)}", param_hint="--lang")
    typer.echo(render(_on_record(db, build_brief, date), fmt, lang), nl=False)


def _print_check(result: dict) -> None:
    console = make_console(highlight=False)
    read = result["read"]
    console.print(f"[bold]{result['verdict']}[/]: {result['explanation']}", soft_wrap=True)
    console.print(
        f"read: {read['subject']} claim, class {read['class']}, measure {read['measure']}, period {read['period']}"
        + (f" from {read['period_start']}" if read["period_start"] else "")
        + f", date {read['date']} ({read['date_from']})"
    )
    for line in result["disagreements"] + result["notes"]:
        console.print(f"- {line}")


def register(app: typer.Typer) -> None:
    """Add the analytics commands to ``app``."""
    for command in (tally, attacks, records, check, brief):
        app.command(name=command.__name__)(command)

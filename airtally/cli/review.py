"""``airtally review`` (the figures waiting for a person, and decisions on them) and
``airtally reextract`` (re-read stored reports with the current engine)."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from airtally.cli.database import opened
from airtally.cli.groups import command_group
from airtally.cli.output import CsvFlag, DbOption, JsonFlag, TableFlag, emit, format_option, make_console

# The library is imported inside each command so that `airtally --help` stays quick.

review_app = command_group(
    help="List the low-confidence figures (weapons and casualties) waiting for a person; accept, correct or reject one.",
    no_args_is_help=False, invoke_without_command=True,
)
FigureId = Annotated[int, typer.Argument(help="The figure's id (the first column of airtally review).", min=1)]
NoteOption = Annotated[Optional[str], typer.Option("--note", help="Why (kept with the decision).")]
CasualtyFlag = Annotated[bool, typer.Option("--casualty", help="ID is a casualty figure's (item 'casualty' in the list).")]


@review_app.callback()
def review(
    ctx: typer.Context,
    decided: Annotated[bool, typer.Option("--decided", help="List the figures a person has decided on instead.")] = False,
    limit: Annotated[Optional[int], typer.Option("--limit", min=1, help="At most this many figures.")] = None,
    db: DbOption = None,
    json_: JsonFlag = False,
    csv_: CsvFlag = False,
    table: TableFlag = False,
) -> None:
    """List the low-confidence figures waiting for a person, with their evidence and report."""
    if ctx.invoked_subcommand is not None:
        return
    from airtally.record.review import REVIEW_COLUMNS, flat_row, waiting

    with opened(db, read_only=True) as database:
        rows = waiting(database.engine, decided, limit)
    fmt = format_option(json_, csv_)
    emit(rows if fmt.value == "json" else [flat_row(r) for r in rows], fmt, REVIEW_COLUMNS,
         title="decided figures" if decided else "figures waiting for review")


def _decide(db: str | None, figure: int, decision: str, value: str | None, note: str | None, casualty: bool) -> None:
    from airtally.record.review import decide

    item = "casualty" if casualty else "figure"
    with opened(db) as database:
        done = decide(database.engine, figure, decision, value, note, item=item)
    what = {"accept": "accepted", "correct": "corrected", "reject": "rejected"}[decision]
    corrected = f" to {done['corrected_value']}" if done["corrected_value"] is not None else ""
    name = "casualty figure" if casualty else "figure"
    make_console(stderr=True).print(f"{what} {name} {figure}{corrected} ({done['subject']} {done['measure']}, "
                                    f"report {done['report_id']}) as {done['reviewer']}", highlight=False)


@review_app.command("accept")
def accept(figure: FigureId, note: NoteOption = None, casualty: CasualtyFlag = False, db: DbOption = None) -> None:
    """Accept a figure as read: it counts as a high-confidence figure."""
    _decide(db, figure, "accept", None, note, casualty)


@review_app.command("correct")
def correct(
    figure: FigureId,
    value: Annotated[str, typer.Argument(help="The right value (a whole number).")],
    note: Annotated[str, typer.Option("--note", help="Why, and where the right value comes from.")],
    casualty: CasualtyFlag = False,
    db: DbOption = None,
) -> None:
    """Correct a figure: the new value counts in its place (the value read stays stored)."""
    _decide(db, figure, "correct", value, note, casualty)


@review_app.command("reject")
def reject(figure: FigureId, note: NoteOption = None, casualty: CasualtyFlag = False, db: DbOption = None) -> None:
    """Reject a figure: it stops counting (it stays stored and queryable)."""
    _decide(db, figure, "reject", None, note, casualty)


def reextract(
    since: Annotated[Optional[str], typer.Option("--since", help="Only reports published on or after this Kyiv date (YYYY-MM-DD, YYYY-MM or YYYY).")] = None,
    source: Annotated[Optional[str], typer.Option("--source", help="Only this source's reports (its name, as airtally attack shows it).")] = None,
    db: DbOption = None,
    json_: JsonFlag = False,
    csv_: CsvFlag = False,
    table: TableFlag = False,
) -> None:
    """Re-read stored reports with the current engine: a changed reading becomes the report's new figures."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from airtally.record.reextract import reextract as run

    console = make_console(stderr=True)
    with opened(db) as database, Progress(TextColumn("re-reading"), BarColumn(), MofNCompleteColumn(),
                                          console=console, transient=True) as progress:
        task = progress.add_task("reextract", total=None)
        summary = run(database.engine, since, source, on_each=lambda *_: progress.advance(task))
    fmt = format_option(json_, csv_)
    result = summary.as_dict()
    emit(result if fmt.value == "json" else [{k: v for k, v in result.items() if k != "errors"}], fmt,
         ["reread", "changed", "unchanged", "failed", "attacks_changed"], title="reextract")
    for report_id, message in summary.failed:
        console.print(f"  report {report_id}: {message}", highlight=False)
    if summary.failed:
        raise typer.Exit(3)


def register(app: typer.Typer) -> None:
    """Add ``review`` and ``reextract`` to ``app``."""
    app.add_typer(review_app, name="review")
    app.command("reextract")(reextract)

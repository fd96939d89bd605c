"""The record commands of the airtally CLI: ingest, attack, export, import curated."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from airtally.cli.database import opened
from airtally.cli.groups import import_app
from airtally.cli.output import DbOption, Format, JsonFlag, emit, make_console
from airtally.errors import InvalidValue

if TYPE_CHECKING:
    from rich.console import Console

PROGRESS_FROM = 10  # files: show a progress bar from this many on
SHOW_WARNINGS = 10


def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Text files of reports.")],
    published: Annotated[Optional[str], typer.Option("--published", help="When the reports were published (YYYY-MM-DD[THH:MM], Kyiv time unless an offset is given).")] = None,
    source: Annotated[Optional[str], typer.Option("--source", help="Who published them (default: the file name); a later report of the same source revises earlier figures.")] = None,
    kind: Annotated[Optional[str], typer.Option("--kind", help="national | regional | news (default: the extraction's kind).")] = None,
    db: DbOption = None,
) -> None:
    """Extract reports and store them in the record (the same text twice is stored once)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from airtally.extraction import parse_published
    from airtally.record.ingest import ingest_paths
    from airtally.model import REPORT_KINDS as KINDS

    if kind and kind not in KINDS:
        raise InvalidValue(f"--kind {kind!r} is not one of {', '.join(KINDS)}")
    # the same reading as `airtally extract --published` (a bare date is noon, Kyiv time)
    when = parse_published(published) if published else None
    console = make_console(stderr=True)
    with opened(db) as database, Progress(
            TextColumn("ingesting"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
            console=console, disable=len(paths) < PROGRESS_FROM, transient=True) as progress:
        task = progress.add_task("ingest", total=len(paths))
        summary = ingest_paths(database.engine, paths, published=when, source=source, kind=kind,
                               on_each=lambda *_: progress.advance(task))
    console.print(f"stored {summary.stored} (in {len(summary.attacks)} attacks), duplicates {summary.duplicates}, "
                  f"not attack reports {summary.not_attack}, errors {len(summary.errors)}"
                  + (f", unsupported language {summary.unsupported_language} (not stored)" if summary.unsupported_language else ""),
                  highlight=False)
    if summary.unplaced:
        console.print(f"{summary.unplaced} attack reports had no date and joined no attack (give --published)")
    for path, message in summary.errors:
        console.print(f"  {path}: {message}", highlight=False)
    if summary.errors:
        raise typer.Exit(3)


@import_app.command("curated")
def import_curated(
    path: Annotated[Path, typer.Argument(help="The curated data set's CSV (missile_attacks_daily.csv).")],
    all_warnings: Annotated[bool, typer.Option("--all-warnings", help="List every flagged row, not the first ten.")] = False,
    db: DbOption = None,
) -> None:
    """Import the curated data set's CSV (one transaction; importing twice stores once)."""
    from airtally.record.curated import import_curated as run

    with opened(db) as database:
        summary = run(path, database.engine)
    console = make_console(stderr=True)
    shown = len(summary.warnings) if all_warnings else SHOW_WARNINGS
    console.print(f"read {summary.rows} rows: stored {summary.reports} reports in {summary.attacks} new attacks "
                  f"({summary.figures} figures), duplicates {summary.duplicates}, "
                  f"skipped rows {len(summary.problems)}, warnings {len(summary.warnings)}", highlight=False)
    for message in summary.problems:
        console.print(f"  skipped {message}", highlight=False)
    for message in summary.warnings[:shown]:
        console.print(f"  warning {message}", highlight=False)
    if len(summary.warnings) > shown:
        console.print(f"  ... and {len(summary.warnings) - shown} more warnings (--all-warnings lists them)")


def _print_attack(view: dict) -> None:
    console = make_console()
    console.print(f"[bold]attack {view['id']}[/]: {view['date']} ({view['attacker']} -> {view['target']}), "
                  f"{view['start'] or '?'} .. {view['end'] or '?'}; totals from {view['totals_from']} reports")
    unconfirmed = set(view["unconfirmed"])
    rows = [{"subject": s, **v} for s, v in view["totals"].items()]
    rows += [{"subject": w["model"], **{m: w[m] for m in ("launched", "destroyed", "lost", "hits")}} for w in view["weapons"]]
    for row in rows:
        row["unconfirmed"] = "yes" if row["subject"] in unconfirmed else ""
    emit(rows, Format.table, ["subject", "launched", "destroyed", "lost", "hits", "unconfirmed"], title="merged totals",
         console=console)
    for src in view["sources"]:
        figures = [{"subject": f["subject"], "measure": f["measure"], "value": f["value"], "qualifier": f["qualifier"],
                    "confidence": f["confidence"], "review": _review_note(f["review"]),
                    "superseded": "yes" if f["superseded_by"] else "", "evidence": (f["evidence"]["text"] or "")[:60]}
                   for f in src["figures"]]
        title = f"report {src['report_id']}: {src['source']} ({src['kind']}) {src['origin'] or ''}"
        emit(figures, Format.table, ["subject", "measure", "value", "qualifier", "confidence", "review", "superseded",
                                     "evidence"], title=title, console=console)
    for c in view["conflicts"]:
        console.print(f"conflict: {c['subject']} {c['measure']}: record {c['value']}, "
                      f"{c['source']} ({c['kind']}) says {c['other_value']}", highlight=False)
    for c in view["casualty_conflicts"]:
        console.print(f"conflict: casualties {c['measure']}: record {c['value']}, "
                      f"{c['source']} ({c['kind']}) says {c['other_value']}", highlight=False)
    _print_casualties(console, view)
    for c in view["claims"]:
        console.print(f"claim ({c['kind']}, report {c['report_id']}): {c['text']}", highlight=False)
    _print_alerts(console, view["alerts"])


def _print_casualties(console: Console, view: dict) -> None:
    """The attack's casualty figure per measure (marked when unconfirmed), then every casualty
    figure of its reports with its confidence and a person's decision."""
    for measure, total in view["casualty_totals"].items():
        if total is not None:
            mark = " (unconfirmed)" if total["unconfirmed"] else ""
            console.print(f"casualties: {measure} {total['value']}{mark} (from {total['kind']}, report "
                          f"{total['report_id']})", highlight=False)
    rows = [{"id": c["id"], "report": c["report_id"], "source": c["source"], "measure": c["measure"],
             "value": c["value"], "qualifier": c["qualifier"], "confidence": c["confidence"],
             "review": _review_note(c["review"]), "superseded": "yes" if c["superseded_by"] else "",
             "evidence": (c["evidence_text"] or "")[:60]} for c in view["casualties"]]
    if rows:
        emit(rows, Format.table, list(rows[0]), title="casualty figures", console=console)


def _review_note(review: dict | None) -> str:
    """A person's decision on a figure, for the table: "rejected", "corrected (read 600)"."""
    if review is None:
        return ""
    done = {"accept": "accepted", "correct": "corrected", "reject": "rejected"}[review["decision"]]
    return done if review["decision"] != "correct" else f"{done} (read {review['read_value']})"


def _print_alerts(console: Console, coverage: dict) -> None:
    assumed = " (assumed: the record has no time window)" if coverage["window_assumed"] else ""
    known = ("not known (the stored alert history does not cover this window)" if coverage["regions"] is None
             else f"{len(coverage['regions'])} oblasts under alert")
    console.print(f"air-raid alerts during {coverage['window_start']} .. {coverage['window_end']}{assumed}: {known}",
                  highlight=False)
    if coverage.get("note"):
        console.print(f"  {coverage['note']}", highlight=False)
    rows = [{"region": r["name"], "code": r["code"], "minutes": round(r["minutes_under_alert"]),
             "share": f"{r['share']:.0%}"} for r in coverage["regions"] or []]
    if rows:
        emit(rows, Format.table, ["region", "code", "minutes", "share"], console=console)


def attack(
    key: Annotated[str, typer.Argument(help="The attack's Kyiv end date (YYYY-MM-DD) or its id.")],
    json_: JsonFlag = False,
    db: DbOption = None,
) -> None:
    """Show one attack: its merged totals, every source with its figures and evidence, conflicts."""
    from airtally.record.attack_view import attack_detail

    with opened(db, read_only=True) as database:
        view = attack_detail(database.engine, key)
    if json_:
        emit(view, Format.json)
    else:
        _print_attack(view)


def export(
    path: Annotated[Path, typer.Argument(help="The file to write.")],
    fmt: Annotated[str, typer.Option("--format", help="csv | parquet | json")] = "csv",
    schema: Annotated[str, typer.Option("--schema", help="airtally (every figure, long format) | curated (the curated data set's columns)")] = "airtally",
    db: DbOption = None,
) -> None:
    """Export the record as CSV, Parquet or JSON."""
    from airtally.record.export import export as run

    with opened(db, read_only=True) as database:
        count = run(database.engine, path, fmt, schema)
    make_console(stderr=True).print(f"wrote {count} rows to {path}", highlight=False)


def register(app: typer.Typer) -> None:
    """Add the record commands to ``app``."""
    app.command("ingest")(ingest)
    app.command("attack")(attack)
    app.command("export")(export)

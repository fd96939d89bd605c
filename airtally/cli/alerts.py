"""The alerts commands of the airtally CLI: ``airtally alerts ...`` and ``airtally import alerts``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from airtally.clock import parse_day_bound, parse_instant
from airtally.cli.alerts_watch import register_watch
from airtally.cli.database import opened
from airtally.cli.groups import command_group, import_app
from airtally.cli.output import CsvFlag, DbOption, Format, JsonFlag, TableFlag, emit, format_option, make_console

alerts_app = command_group(help="Air-raid alert history: what was under alert when, statistics, nationwide alerts.")
STATS_COLUMNS = ["period", "region", "alerts", "total_hours", "median_minutes", "longest_minutes", "longest_started", "share"]
DURING_COLUMNS = ["attack_id", "date", "window_start", "window_end", "window_assumed", "code", "name",
                  "minutes_under_alert", "share"]

SourceOption = Annotated[
    Optional[list[str]],
    typer.Option("--source", help="Only alerts from this source (official, volunteer, alerts.in.ua, permanent); repeatable."),
]
FromOption = Annotated[Optional[str], typer.Option("--from", help="First Kyiv day, month or year (YYYY-MM-DD, YYYY-MM, YYYY) or an instant.")]
ToOption = Annotated[Optional[str], typer.Option("--to", help="Last Kyiv day, month or year (included: YYYY-MM-DD, YYYY-MM, YYYY) or an instant.")]


def _reading(db: str | None, query, *args):
    """``query(engine, *args)`` on the database ``db``, opened read-only."""
    with opened(db, read_only=True) as database:
        return query(database.engine, *args)


@alerts_app.command("active")
def active(
    at: Annotated[str, typer.Option("--at", help="The instant: ISO 8601; without an offset it is Kyiv time; 'now'.")] = "now",
    level: Annotated[str, typer.Option("--level", help="oblast (one entry per oblast), raion or hromada.")] = "oblast",
    source: SourceOption = None, db: DbOption = None,
    json_: JsonFlag = False, csv_: CsvFlag = False, table: TableFlag = False,
) -> None:
    """Which regions were under alert at an instant (state full, or partial: only raions/hromadas)."""
    from airtally.alerts import queries  # on use: SQLAlchemy

    result = _reading(db, queries.active_at, parse_instant(at), level, source)
    fmt = format_option(json_, csv_)
    emit(result if fmt is Format.json else result["regions"], fmt,
         columns=["code", "name", "level", "state", "since", "permanent"], title=f"Under alert at {result['at']} (Kyiv time)")


@alerts_app.command("stats")
def stats(
    region: Annotated[Optional[str], typer.Option("--region", help="An oblast (code or name), raion or hromada; default every oblast.")] = None,
    from_: FromOption = None, to: ToOption = None,
    by: Annotated[Optional[str], typer.Option("--by", help="Split by Kyiv 'day' or 'month'.")] = None,
    include_permanent: Annotated[bool, typer.Option("--include-permanent", help="Count the permanent alerts (Luhansk, Crimea) too.")] = False,
    source: SourceOption = None, db: DbOption = None,
    json_: JsonFlag = False, csv_: CsvFlag = False, table: TableFlag = False,
) -> None:
    """Number of alerts, total and median duration, longest alert, share of time under alert."""
    from airtally.alerts import queries  # on use: SQLAlchemy

    start = parse_day_bound(from_) if from_ else None
    end = parse_day_bound(to, end=True) if to else None
    rows = _reading(db, queries.stats, region, start, end, by, include_permanent, source)
    emit(rows, format_option(json_, csv_), columns=STATS_COLUMNS, title="Alert statistics (times in Kyiv time)")


@alerts_app.command("nationwide")
def nationwide(
    threshold: Annotated[float, typer.Option("--threshold", help="Share of oblasts under alert at once (permanent ones excluded).")] = 0.8,
    from_: FromOption = None, to: ToOption = None,
    source: SourceOption = None, db: DbOption = None,
    json_: JsonFlag = False, csv_: CsvFlag = False, table: TableFlag = False,
) -> None:
    """Periods when at least THRESHOLD of the oblasts were under alert at once: start, end, peak share."""
    from airtally.alerts import queries  # on use: SQLAlchemy

    start = parse_day_bound(from_) if from_ else None
    end = parse_day_bound(to, end=True) if to else None
    rows = _reading(db, queries.nationwide, threshold, source, start, end)
    emit(rows, format_option(json_, csv_), columns=["start", "end", "minutes", "peak_share", "peak_regions"],
         title=f"Nationwide alerts (>= {threshold:.0%} of oblasts, Kyiv time)")


@alerts_app.command("during-attacks")
def during_attacks(
    source: SourceOption = None, db: DbOption = None,
    json_: JsonFlag = False, csv_: CsvFlag = False, table: TableFlag = False,
) -> None:
    """For every attack inside the alert history: which oblasts were under alert, for how long.

    Attacks the stored history does not cover are counted on standard error (in --json they
    are listed with history_covers false and regions null: not known, not zero). An attack without a start or end time is taken to run from 18:00 the day before to 09:00
    of its date, Kyiv time (window_assumed says so).
    """
    from airtally.alerts import queries  # on use: SQLAlchemy

    attacks = _reading(db, queries.during_attacks, source, True)
    fmt = format_option(json_, csv_)
    if fmt is Format.json:
        emit(attacks, fmt)
        return
    rows = [{**{k: a[k] for k in ("attack_id", "date", "window_start", "window_end", "window_assumed")}, **region}
            for a in attacks if a["history_covers"] for region in a["regions"]]
    emit(rows, fmt, columns=DURING_COLUMNS, title="Oblasts under alert during each attack (Kyiv time)")
    outside = sum(not a["history_covers"] for a in attacks)
    if outside:
        make_console(stderr=True).print(f"{outside} of {len(attacks)} attacks are outside the stored alert history and not listed "
                     "(--json lists them with history_covers false)", highlight=False)


def import_alerts(
    path: Annotated[Path, typer.Argument(help="An alert history file: official or volunteer CSV, alerts.in.ua JSON.")],
    format_: Annotated[Optional[str], typer.Option("--format", help="official, volunteer or alerts-in-ua (default: from the header).")] = None,
    skip_bad: Annotated[bool, typer.Option("--skip-bad", help="Import the readable rows and list the bad ones.")] = False,
    db: DbOption = None,
) -> None:
    """Import an alert history (idempotent, one transaction; bad rows reported by line)."""
    from airtally.alerts import importer  # on use: SQLAlchemy

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn("storing alerts"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with opened(db) as database, Progress(*columns, console=make_console(stderr=True), transient=True) as bar:
        task = bar.add_task("store", total=None)
        report = importer.import_alerts(database.engine, path, format_, skip_bad,
                                        progress=lambda done, total: bar.update(task, completed=done, total=total))
    typer.echo(
        f"{report.path} ({report.format}): {report.rows} rows; {report.inserted} new, {report.updated} updated, "
        f"{report.unchanged} already stored; {len(report.duplicates)} duplicate rows dropped, "
        f"{len(report.merged)} overlapping rows merged"
        + (f"; the {report.permanent_new} permanent alerts stored" if report.permanent_new else "")
    )
    for label, problems in (("quirk", report.quirks), ("skipped", report.skipped)):
        for problem in problems[:10]:
            typer.echo(f"  {label}: {problem}")
        if len(problems) > 10:
            typer.echo(f"  ... and {len(problems) - 10} more {label} rows")


def register(app: typer.Typer) -> None:
    """Add ``airtally alerts ...`` to ``app`` and ``alerts`` to ``airtally import``."""
    register_watch(alerts_app)
    app.add_typer(alerts_app, name="alerts")
    import_app.command("alerts")(import_alerts)

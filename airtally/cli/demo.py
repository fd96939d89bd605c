"""``airtally demo``: the main job on the bundled examples, start to finish."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from airtally.cli.database import opened
from airtally.cli.output import Format, emit, make_console

if TYPE_CHECKING:
    from rich.console import Console

SEED_CLAIM = "the largest drone and missile attack since the beginning of the invasion"


def demo_url() -> str:
    """The demo's own SQLite file, beside the default database: the demo never mixes its
    examples into the real record."""
    from platformdirs import user_data_dir

    return f"sqlite:///{Path(user_data_dir('airtally')) / 'demo.db'}"


def demo(
    db: Annotated[Optional[str], typer.Option("--db", help="Database URL (default: demo.db beside the default database, never the record itself).")] = None,
    curated: Annotated[Optional[Path], typer.Option("--curated", help="Also import the curated data set's CSV first (e.g. ../shared/data/missile_attacks_daily.csv).")] = None,
) -> None:
    """Ingest the bundled example reports, then show the merged attack, a tally, the records and a claim check."""
    console = make_console()
    with opened(db or demo_url()) as database:
        console.print(f"[bold]database[/]: {database.url}", highlight=False)
        _run(database.engine, curated, console)
        url = database.url
    console.print(f"the demo's record is {url}: query it with `airtally tally --db '{url}'` (every command takes --db)",
                  highlight=False, soft_wrap=True)
    console.print(f"see it in a browser: [bold]airtally serve --db '{url}'[/], then open http://127.0.0.1:8000/",
                  highlight=False, soft_wrap=True)


def _run(engine, curated: Path | None, console: Console) -> None:
    """The demo's steps on ``engine``."""
    from airtally.analytics.claims import check
    from airtally.analytics.records import largest
    from airtally.analytics.tally import tally
    from airtally.record.attack_view import attack_detail
    from airtally.record.curated import import_curated
    from airtally.record.examples import ingest_examples

    if curated:
        imported = import_curated(curated, engine)
        console.print(f"imported the curated data set: {imported.reports} reports, {imported.attacks} new attacks")
    summary, outcomes = ingest_examples(engine)
    emit([{"example": e.file, "kind": e.kind, "language": e.language, "published": e.published.isoformat(), "result": s}
          for e, s in outcomes], Format.table, title="bundled examples ingested", console=console)

    view = attack_detail(engine, "2025-07-04")
    rows = [{"class": c, **v} for c, v in view["totals"].items()]
    console.print(f"[bold]the night ending {view['date']}[/]: merged from {len(view['sources'])} reports "
                  f"({view['totals_from']} figures win)", highlight=False)
    emit(rows, Format.table, ["class", "launched", "destroyed", "lost", "hits"], console=console)
    emit(tally(engine, by="month", weapon_class="all"), Format.table,
         ["period", "class", "attacks", "launched", "destroyed", "lost"], title="tally by month (all weapons)", console=console)
    emit(largest(engine, top=5), Format.table, ["rank", "date", "class", "launched", "destroyed"],
         title="largest attacks on record", console=console)
    verdict = check(engine, SEED_CLAIM, "2025-07-04")
    console.print(f'check "{SEED_CLAIM}" on 2025-07-04: [bold]{verdict["verdict"]}[/]', highlight=False)
    console.print(verdict.get("explanation", ""), highlight=False)


def register(app: typer.Typer) -> None:
    """Add ``airtally demo`` to ``app``."""
    app.command("demo")(demo)

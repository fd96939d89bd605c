"""The following commands: ``import telegram``, ``sources add|list|remove|init``, ``watch``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console

from airtally.cli.database import opened
from airtally.cli.groups import import_app
from airtally.cli.output import DbOption

REPORT_KINDS = ("national", "regional", "news")


def _kind(value: str | None, allowed: tuple[str, ...]) -> str | None:
    if value is not None and value not in allowed:
        raise typer.BadParameter(f"{value!r} is not one of {', '.join(allowed)}", param_hint="'--kind'")
    return value


@import_app.command("telegram")
def import_telegram(
    path: Annotated[Path, typer.Argument(help="Telegram Desktop's JSON export of a channel (result.json).")],
    channel: Annotated[str, typer.Option("--channel", help="The channel's public name, as in t.me/NAME (e.g. kpszsu): a post is (channel, post id).")],
    kind: Annotated[Optional[str], typer.Option("--kind", help="national | regional | news (default: guessed from each text).")] = None,
    db: DbOption = None,
) -> None:
    """Import a channel's whole history from Telegram Desktop's export (idempotent with `airtally watch`)."""
    from airtally.inputs import read_data_set
    from airtally.record.posts import ingest_posts
    from airtally.sources.telegram_export import parse_export

    _kind(kind, REPORT_KINDS)
    posts = parse_export(read_data_set(path, "a Telegram export"), channel.lstrip("@"))
    with opened(db) as database:
        summary = ingest_posts(database.engine, posts, kind=kind)
    Console(stderr=True).print(
        f"read {len(posts)} posts of {channel}: stored {summary.stored} (in {len(summary.attacks)} attacks), "
        f"revised {summary.revised}, duplicates {summary.duplicates}, not attack reports {summary.not_attack}, "
        f"without text {summary.empty}", highlight=False, soft_wrap=True)


def register(app: typer.Typer) -> None:
    """The commands of this module that sit at the top level (none yet besides `import telegram`)."""

"""The following commands: ``import telegram``, ``sources add|list|remove|init``, ``watch``."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated, Optional, overload

import typer

from airtally.cli.database import opened, writing
from airtally.cli.groups import command_group, import_app
from airtally.cli.notify import LOGGER as NOTIFY_LOGGER, TtlOption, delivering
from airtally.cli.output import CsvFlag, DbOption, JsonFlag, emit, format_option, make_console

LOGGER = "airtally.sources.watch"
REPORT_KINDS = ("national", "regional", "news")
FOLLOW_KINDS = ("national", "regional", "news", "alerts")
LIST_COLUMNS = ("name", "platform", "kind", "url", "interval_s", "last_poll_at", "next_poll_at", "last_post_id",
                "last_error")

sources_app = command_group(help="The channels and feeds `airtally watch` follows.")
add_app = command_group(help="Follow a Telegram channel or a feed.")
sources_app.add_typer(add_app, name="add")

IntervalOption = Annotated[float, typer.Option("--interval", min=30, help="Seconds between polls (±10 % jitter; at least 30).")]
SinceOption = Annotated[float, typer.Option("--since", min=0, max=36500, help="The first poll reads back this many days.")]


@overload
def _kind(value: str, allowed: tuple[str, ...]) -> str: ...
@overload
def _kind(value: None, allowed: tuple[str, ...]) -> None: ...
@overload
def _kind(value: str | None, allowed: tuple[str, ...]) -> str | None: ...
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
    make_console(stderr=True).print(
        f"read {len(posts)} posts of {channel}: stored {summary.stored} (in {len(summary.attacks)} attacks), "
        f"revised {summary.revised}, duplicates {summary.duplicates}, not attack reports {summary.not_attack}, "
        f"without text {summary.empty}, in a language not read {summary.unsupported_language}", highlight=False, soft_wrap=True)


def _add(db: str | None, name: str, *, platform: str, kind: str, url: str | None, interval: float, since: float) -> None:
    import datetime as dt

    from airtally.sources.followed import add_source

    with writing(db) as conn:
        add_source(conn, name, platform=platform, kind=kind, url=url, interval=interval,
                   since=dt.timedelta(days=since))
    typer.echo(f"following {name} ({platform}, {kind}); `airtally watch` polls it", err=True)


@add_app.command("telegram")
def add_telegram(
    name: Annotated[str, typer.Argument(help="The channel's public name, as in t.me/NAME (e.g. kpszsu).")],
    kind: Annotated[str, typer.Option("--kind", help="national | regional | alerts (the official alert channel) | news.")],
    base_url: Annotated[Optional[str], typer.Option("--base-url", help="Where the web preview is served (default https://t.me; a mirror or a test server).")] = None,
    interval: IntervalOption = 300.0,
    since: SinceOption = 7.0,
    db: DbOption = None,
) -> None:
    """Follow a public Telegram channel through its web preview (t.me/s/NAME)."""
    _add(db, name.lstrip("@"), platform="telegram", kind=_kind(kind, FOLLOW_KINDS), url=base_url,
         interval=interval, since=since)


@add_app.command("feed")
def add_feed(
    url: Annotated[str, typer.Argument(help="The feed's URL (RSS or Atom).")],
    kind: Annotated[str, typer.Option("--kind", help="news | national | regional.")] = "news",
    name: Annotated[Optional[str], typer.Option("--name", help="The source's name in the record (default: the URL).")] = None,
    interval: IntervalOption = 300.0,
    since: SinceOption = 7.0,
    db: DbOption = None,
) -> None:
    """Follow an RSS or Atom feed (an item with only a summary is read from its article)."""
    _add(db, name or url, platform="feed", kind=_kind(kind, REPORT_KINDS), url=url, interval=interval, since=since)


@sources_app.command("list")
def list_command(json_: JsonFlag = False, csv_: CsvFlag = False, db: DbOption = None) -> None:
    """The followed sources: last poll, next poll, last post id and last error."""
    from airtally.sources.followed import list_sources

    with opened(db, read_only=True) as database, database.engine.connect() as conn:
        rows = list_sources(conn)
    emit([{c: row[c] for c in LIST_COLUMNS} for row in rows], format_option(json_, csv_), LIST_COLUMNS)


@sources_app.command("remove")
def remove_command(
    name: Annotated[str, typer.Argument(help="The source's name (as `airtally sources list` shows it).")],
    db: DbOption = None,
) -> None:
    """Stop following a source (what it brought stays in the record)."""
    from airtally.sources.followed import remove_source

    with writing(db) as conn:
        remove_source(conn, name)
    typer.echo(f"no longer following {name}", err=True)


@sources_app.command("init")
def init_command(
    base_url: Annotated[Optional[str], typer.Option("--base-url", help="Where the web preview is served (default https://t.me).")] = None,
    db: DbOption = None,
) -> None:
    """Follow the Air Force (kpszsu, national) and the official alert channel (air_alert_ua, alerts)."""
    from airtally.sources.followed import init_sources

    with writing(db) as conn:
        added = init_sources(conn, url=base_url)
    typer.echo(f"following {', '.join(added)}" if added else "the official channels are followed already", err=True)


def watch(
    once: Annotated[bool, typer.Option("--once", help="Poll every source once, store, and stop.")] = False,
    max_rounds: Annotated[Optional[int], typer.Option("--max-rounds", min=1, help="Stop after this many rounds of polls.")] = None,
    timeout: Annotated[float, typer.Option("--timeout", min=0.1, help="Seconds to wait for a page.")] = 20.0,
    notify: Annotated[bool, typer.Option("--notify/--no-notify", help="Deliver notifications beside the polls (`airtally notify`).")] = True,
    threat_ttl: TtlOption = None,
    db: DbOption = None,
) -> None:
    """Follow the sources: poll each politely, store new posts, edits and deletions.

    One poll of one source is one transaction: killed at any moment, it loses nothing and
    stores nothing twice. With $ALERTS_IN_UA_TOKEN set it also polls alerts.in.ua (as
    `airtally alerts watch` does). Errors (timeouts, 429, 5xx, malformed pages) are logged, recorded
    as the source's last error, and retried with backoff. It also delivers the notifications of
    what it stores (`airtally notify`; --no-notify when `airtally notify run` does it apart). Stop with Ctrl-C.
    """
    import os

    from airtally.alerts.live import ApiClient, DatabaseSink, Watcher as AlertsApiWatcher
    from airtally.cli.alerts_watch import LOGGER as ALERTS_LOGGER, TOKEN_VAR, log_to_stderr
    from airtally.sources.fetch import Fetcher
    from airtally.sources.watch import Watcher, watch_lock

    handlers = [(name, log_to_stderr(name)) for name in (LOGGER, ALERTS_LOGGER) + ((NOTIFY_LOGGER,) if notify else ())]
    fetcher = Fetcher(timeout=timeout)
    token = os.environ.get(TOKEN_VAR, "").strip()
    client = ApiClient(token, timeout=timeout) if token else None
    try:
        with opened(db) as database, watch_lock(database.engine), delivering(database.engine, notify, once, threat_ttl):
            if client is None:
                _some_source_followed(database.engine)
            api = AlertsApiWatcher(client, DatabaseSink(database.engine)) if client else None
            results = Watcher(database.engine, fetcher, alerts_api=api).run(once=once, max_rounds=max_rounds)
    finally:
        fetcher.close()
        if client:
            client.close()
        for name, handler in handlers:
            logging.getLogger(name).removeHandler(handler)
    errors = [r for r in results if r.error]
    typer.echo(f"stopped after {len(results)} poll(s): {sum(r.new for r in results)} new, "
               f"{sum(r.revised for r in results)} revised, {sum(r.deleted for r in results)} deleted post(s); "
               f"{len(errors)} failed poll(s)", err=True)


def _some_source_followed(engine) -> None:
    """Refuse to wait on nothing: a watch with no source (and no alerts.in.ua token) says what to do."""
    from airtally.errors import AirtallyError
    from airtally.sources.followed import list_sources

    with engine.connect() as conn:
        if not list_sources(conn):
            raise AirtallyError("no source is followed: `airtally sources init` follows the Air Force and the "
                                "official alert channel, `airtally sources add` others")


def register(app: typer.Typer) -> None:
    """Add ``airtally sources ...`` and ``airtally watch``."""
    app.add_typer(sources_app, name="sources")
    app.command("watch")(watch)

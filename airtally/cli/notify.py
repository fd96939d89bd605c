"""``airtally notify add|list|remove|test|run``: where events are delivered, and the delivery loop."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Optional

import typer

from airtally.cli.database import opened, writing
from airtally.cli.groups import command_group
from airtally.cli.output import CsvFlag, DbOption, JsonFlag, TableFlag, emit, format_option, make_console

LOGGER = "airtally.notify"
LIST_COLUMNS = ("id", "kind", "url", "on", "regions", "min_launched", "enabled", "disabled_reason", "created_at",
                "pending", "delivered", "failed", "expired")

notify_app = command_group(help="Notifications: webhooks and ntfy topics told of new attacks, records, revisions, threats.")
add_app = command_group(help="Add a webhook or an ntfy topic (it hears of events stored from now on).")
notify_app.add_typer(add_app, name="add")

OnOption = Annotated[Optional[list[str]], typer.Option(
    "--on", help="attack | record | revision | threat (repeatable; default: all).")]
RegionOption = Annotated[Optional[list[str]], typer.Option(
    "--region", help="Only events concerning this oblast (code, name or a report's form: Харківщина); repeatable.")]
MinLaunchedOption = Annotated[Optional[int], typer.Option(
    "--min-launched", min=0, max=2**31 - 1, help="Only attacks and records with at least this many launched.")]
IdArgument = Annotated[int, typer.Argument(min=1, max=2**31 - 1, help="The endpoint's id (as `airtally notify list` shows it).")]
TtlOption = Annotated[Optional[float], typer.Option(
    "--threat-ttl", min=0, max=7 * 24 * 60, metavar="MINUTES",
    help="Threats older than this are never delivered (default: $AIRTALLY_THREAT_TTL_MINUTES, else 30).")]


def _add(db: str | None, kind: str, url: str, on: list[str] | None, region: list[str] | None,
         min_launched: int | None, token: str | None = None) -> None:
    from airtally.notify.endpoints import add_endpoint

    with writing(db) as conn:
        added = add_endpoint(conn, kind, url, on=on or (), regions=region or (), min_launched=min_launched, token=token)
    stderr = make_console(stderr=True)
    stderr.print(f"added {kind} endpoint {added.id}: it hears of events stored from now on "
                 "(`airtally watch` or `airtally notify run` delivers them)", highlight=False, soft_wrap=True)
    if added.secret:
        stderr.print("its signing secret, shown this once (receivers verify webhook-signature with it):",
                     highlight=False)
        typer.echo(added.secret)


@add_app.command("webhook")
def add_webhook(
    url: Annotated[str, typer.Argument(help="The receiver's http(s) URL.")],
    on: OnOption = None, region: RegionOption = None, min_launched: MinLaunchedOption = None, db: DbOption = None,
) -> None:
    """Deliver events to a webhook, signed as Standard Webhooks sign them (the whsec_ secret is printed once)."""
    _add(db, "webhook", url, on, region, min_launched)


@add_app.command("ntfy")
def add_ntfy(
    url: Annotated[str, typer.Argument(help="The ntfy server and topic: https://ntfy.sh/TOPIC.")],
    token: Annotated[Optional[str], typer.Option("--token", help="An ntfy access token (sent as a bearer token).")] = None,
    on: OnOption = None, region: RegionOption = None, min_launched: MinLaunchedOption = None, db: DbOption = None,
) -> None:
    """Deliver events to an ntfy topic as push notifications (Title, Tags, Priority)."""
    _add(db, "ntfy", url, on, region, min_launched, token)


@notify_app.command("list")
def list_command(json_: JsonFlag = False, csv_: CsvFlag = False, table: TableFlag = False, db: DbOption = None) -> None:
    """The endpoints: their filters, whether enabled (and why not), their deliveries by state."""
    from airtally.notify.endpoints import list_endpoints

    with opened(db, read_only=True) as database, database.engine.connect() as conn:
        rows = list_endpoints(conn)
    fmt = format_option(json_, csv_)
    shown = [{c: row[c] for c in LIST_COLUMNS} for row in rows]
    if fmt.value != "json":
        shown = [row | {"on": " ".join(row["on"]) or "all", "regions": " ".join(row["regions"])} for row in shown]
    emit(shown, fmt, LIST_COLUMNS, title="Notification endpoints")


@notify_app.command("remove")
def remove_command(endpoint_id: IdArgument, db: DbOption = None) -> None:
    """Remove an endpoint (its pending deliveries go with it)."""
    from airtally.notify.endpoints import remove_endpoint

    with writing(db) as conn:
        remove_endpoint(conn, endpoint_id)
    typer.echo(f"removed endpoint {endpoint_id}", err=True)


@notify_app.command("test")
def test_command(endpoint_id: IdArgument, db: DbOption = None) -> None:
    """Send a signed test event to an endpoint now and say what it answered (exit 1 unless 2xx)."""
    from airtally.errors import AirtallyError
    from airtally.notify.delivery import Notifier
    from airtally.notify.endpoints import get_endpoint

    with opened(db, read_only=True) as database:
        with database.engine.connect() as conn:
            endpoint = get_endpoint(conn, endpoint_id)
        notifier = Notifier(database.engine)
        try:
            answer = notifier.test(endpoint)
        finally:
            notifier.close()
    if answer.status is None or not 200 <= answer.status < 300:
        raise AirtallyError(f"endpoint {endpoint_id} ({endpoint['url']}) did not take the test event: {answer.error}")
    typer.echo(f"endpoint {endpoint_id} answered HTTP {answer.status} in {answer.seconds * 1000:.0f} ms", err=True)


def delivery_policy(threat_ttl: float | None):
    """The loop's policy with the threat time to live in minutes (None: the outbox's default)."""
    import datetime as dt

    from airtally.notify.delivery import Policy

    return Policy() if threat_ttl is None else Policy(threat_ttl=dt.timedelta(minutes=threat_ttl))


@contextmanager
def delivering(engine, enabled: bool, once: bool, threat_ttl: float | None) -> Iterator[None]:
    """The delivery loop beside `airtally watch`: in a thread while it runs, or one round after
    its polls with --once (nothing with --no-notify)."""
    if not enabled:
        yield
        return
    from airtally.notify.delivery import Background, Notifier, wake_hub

    policy = delivery_policy(threat_ttl)
    notifier = Notifier(engine, policy=policy, hub=None if once else wake_hub(engine, policy))
    try:
        if once:
            yield
            notifier.run(once=True)
        else:
            with Background(notifier):
                yield
    finally:
        notifier.close()


@notify_app.command("run")
def run_command(
    once: Annotated[bool, typer.Option("--once", help="Deliver what is due now, and stop.")] = False,
    threat_ttl: TtlOption = None, db: DbOption = None,
) -> None:
    """The delivery loop on its own (`airtally watch` runs it too): new events to the endpoints,
    retried with backoff; several may run on PostgreSQL. Stop with Ctrl-C."""
    from airtally.cli.alerts_watch import log_to_stderr
    from airtally.notify.delivery import Notifier, wake_hub

    handler = log_to_stderr(LOGGER)
    try:
        with opened(db) as database:
            policy = delivery_policy(threat_ttl)
            notifier = Notifier(database.engine, policy=policy, hub=None if once else wake_hub(database.engine, policy))
            try:
                report = notifier.run(once=once)
            finally:
                notifier.close()
    finally:
        logging.getLogger(LOGGER).removeHandler(handler)
    typer.echo(f"delivered {report.delivered}, to retry {report.retried}, failed {report.failed}, "
               f"expired threats {report.expired}; endpoints disabled: {len(report.disabled)}", err=True)


def register(app: typer.Typer) -> None:
    """Add ``airtally notify ...``."""
    app.add_typer(notify_app, name="notify")

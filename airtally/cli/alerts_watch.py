"""``airtally alerts watch``: keep the alert history current from the alerts.in.ua API."""

from __future__ import annotations

import logging
import os
import sys
import time
from typing import Annotated, Optional

import typer

from airtally.cli.database import opened
from airtally.cli.output import DbOption

from airtally.alerts.live_settings import DEFAULT_BASE_URL, DEFAULT_INTERVAL, DEFAULT_TIMEOUT
from airtally.errors import AirtallyError

TOKEN_VAR = "ALERTS_IN_UA_TOKEN"
LOGGER = "airtally.alerts.live"


def watch(
    db: DbOption = None,
    interval: Annotated[float, typer.Option("--interval", help="Seconds between polls (at least 8 against api.alerts.in.ua).")] = DEFAULT_INTERVAL,
    once: Annotated[bool, typer.Option("--once", help="Poll once, store, and stop.")] = False,
    base_url: Annotated[str, typer.Option("--base-url", help="The API's address (a mirror or a test server).")] = DEFAULT_BASE_URL,
    max_polls: Annotated[Optional[int], typer.Option("--max-polls", min=1, help="Stop after this many polls.")] = None,
    timeout: Annotated[float, typer.Option("--timeout", min=0.1, help="Seconds to wait for an answer.")] = DEFAULT_TIMEOUT,
) -> None:
    """Poll alerts.in.ua's active alerts; store new alerts and the end of finished ones.

    The API token comes from $ALERTS_IN_UA_TOKEN. Each snapshot is stored whole in one
    transaction or not at all; timeouts, HTTP errors, rate limits (429) and malformed answers
    are logged and retried with backoff; a rejected token (401) stops with exit code 1, and so
    does a watch in which every poll failed.
    Stop with Ctrl-C.
    """
    from airtally.alerts.live import ApiClient, DatabaseSink, Watcher, check_settings  # on use: httpx, SQLAlchemy

    token = os.environ.get(TOKEN_VAR, "").strip()
    if not token:
        raise AirtallyError(f"{TOKEN_VAR} is not set: export your alerts.in.ua API token (see https://devs.alerts.in.ua)")
    check_settings(interval, base_url)
    with opened(db) as database:
        handler = log_to_stderr(LOGGER)
        client = ApiClient(token, base_url=base_url, timeout=timeout)
        watcher = Watcher(client, DatabaseSink(database.engine), interval=interval)
        try:
            status = watcher.run(max_polls=1 if once else max_polls)
        finally:
            client.close()
            logging.getLogger(LOGGER).removeHandler(handler)
    typer.echo(
        f"stopped ({status.stopped_by}) after {status.polls} poll(s): {status.new} new and "
        f"{status.finished} finished alert(s) stored; {status.active} active at the last poll",
        err=True,
    )
    if status.polls and status.failures_in_a_row == status.polls:
        raise AirtallyError(f"every poll failed ({status.polls} of {status.polls}), nothing was stored; "
                            f"the last: {status.last_message}")


def log_to_stderr(name: str) -> logging.Handler:
    """One line per poll of logger ``name`` on standard error, with the time in UTC; returns the
    handler to remove."""
    handler = logging.StreamHandler(sys.stderr)
    formatter = logging.Formatter("%(asctime)s %(levelname)s %(message)s", "%Y-%m-%dT%H:%M:%SZ")
    formatter.converter = time.gmtime
    handler.setFormatter(formatter)
    logger = logging.getLogger(name)
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    return handler


def register_watch(alerts_app: typer.Typer) -> None:
    """Add ``watch`` to the ``airtally alerts`` command group."""
    alerts_app.command("watch")(watch)

"""``airtally serve`` (the API and the dashboard on uvicorn) and ``airtally token create|list|revoke``."""

from __future__ import annotations

import os
from typing import Annotated, Optional

import typer

from airtally.cli.database import opened
from airtally.cli.groups import command_group
from airtally.cli.output import CsvFlag, DbOption, JsonFlag, TableFlag, emit, format_option, make_console

token_app = command_group(help="Tokens that may write through the API (POST /api/reports).")
NameArgument = Annotated[str, typer.Argument(help="Who holds the token (letters, digits, '.', '_', '-'); written into the log with every write.")]


def serve(
    host: Annotated[str, typer.Option("--host", help="Address to listen on (0.0.0.0: every interface).")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=0, max=65535, help="TCP port.")] = 8000,
    workers: Annotated[int, typer.Option("--workers", min=1, max=64, help="Worker processes over the same database.")] = 1,
    db: DbOption = None,
    root_path: Annotated[str, typer.Option("--root-path", help="The path prefix a reverse proxy serves the app under (e.g. /airtally).")] = "",
    forwarded_allow_ips: Annotated[Optional[list[str]], typer.Option("--forwarded-allow-ips", help="A proxy (address or network, '*' any) whose X-Forwarded-For names the client; repeatable.")] = None,
    cors_origin: Annotated[Optional[list[str]], typer.Option("--cors-origin", help="An origin whose pages may call the API (e.g. https://example.org); repeatable. Default: CORS off.")] = None,
    max_body: Annotated[int, typer.Option("--max-body", min=1024, help="Largest request body in bytes.")] = 1_000_000,
    writes_per_minute: Annotated[int, typer.Option("--writes-per-minute", min=1, help="Writes a token may make per minute (per worker process).")] = 60,
    extracts_per_minute: Annotated[int, typer.Option("--extracts-per-minute", min=1, help="POST /api/extract calls per client address per minute (per worker process).")] = 30,
    access_log: Annotated[bool, typer.Option("--access-log/--no-access-log", help="Log every request (uvicorn's access log).")] = True,
    cache_entries: Annotated[int, typer.Option("--cache-entries", min=0, help="GET answers each worker keeps until the database changes (0: none).")] = 256,
    event_clients: Annotated[int, typer.Option("--event-clients", min=1, help="Live event streams (GET /api/events) each worker holds at once; more get 503.")] = 1000,
    redis: Annotated[Optional[str], typer.Option("--redis", help="A Redis server that wakes the event streams (e.g. redis://127.0.0.1:6379/0); default $AIRTALLY_REDIS_URL, else LISTEN/NOTIFY on PostgreSQL, else polling.")] = None,
) -> None:
    """Serve the API and the dashboard (FastAPI on uvicorn); migrates the schema once first; runs no watcher."""
    import uvicorn

    from airtally.api.app import FACTORY
    from airtally.api.settings import ENV, Settings

    if root_path and (not root_path.startswith("/") or root_path.endswith("/")):
        raise typer.BadParameter(f"{root_path!r}: start it with '/' and end it without one (e.g. /airtally)",
                                 param_hint="--root-path")
    if redis and not redis.startswith(("redis://", "rediss://", "unix://")):
        raise typer.BadParameter(f"{redis!r}: a Redis URL starts with redis://, rediss:// or unix://", param_hint="--redis")
    with opened(db) as database:  # migrated here, once, before any worker starts
        where, url = database.where, database.url
    proxies = tuple(forwarded_allow_ips or ())
    settings = Settings(db_url=url, cors_origins=tuple(cors_origin or ()),
                        forwarded_allow_ips=proxies, max_body_bytes=max_body,
                        writes_per_minute=writes_per_minute, extracts_per_minute=extracts_per_minute,
                        cache_entries=cache_entries, event_clients=event_clients, redis_url=redis)
    if redis:
        os.environ["AIRTALLY_REDIS_URL"] = redis  # a write made through the API publishes there too
    os.environ[ENV] = settings.to_json()  # the workers build the app from it
    make_console(stderr=True, highlight=False).print(f"serving {where} at http://{host}:{port}{root_path}/ (API docs: {root_path}/docs), "
                 f"{workers} worker{'s' if workers > 1 else ''}; Ctrl+C stops")
    uvicorn.run(FACTORY, factory=True, host=host, port=port, workers=workers, root_path=root_path,
                proxy_headers=bool(proxies), forwarded_allow_ips=",".join(proxies) or None, log_level="info",
                access_log=access_log)


@token_app.command("create")
def token_create(name: NameArgument, db: DbOption = None) -> None:
    """Make a write token for NAME and print it (only its hash is stored: it cannot be shown again)."""
    from airtally.storage.tokens import create_token

    with opened(db) as database:
        token = create_token(database.engine, name)
    typer.echo(token)
    make_console(stderr=True, highlight=False).print(f"token {name!r} created; it is shown only now: send it as 'Authorization: Bearer <token>'")


@token_app.command("list")
def token_list(db: DbOption = None, json_: JsonFlag = False, csv_: CsvFlag = False, table: TableFlag = False) -> None:
    """List the tokens: name, when made, when revoked (never the tokens themselves)."""
    from airtally.storage.tokens import list_tokens

    with opened(db, read_only=True) as database:
        rows = list_tokens(database.engine)
    emit(rows, format_option(json_, csv_), ["name", "created_at", "revoked_at", "active"], title="API tokens")


@token_app.command("revoke")
def token_revoke(name: NameArgument, db: DbOption = None) -> None:
    """Revoke the token of NAME: the API refuses it (401) from now on."""
    from airtally.storage.tokens import revoke_token

    with opened(db) as database:
        revoke_token(database.engine, name)
    make_console(stderr=True, highlight=False).print(f"token {name!r} revoked")


def register(app: typer.Typer) -> None:
    """Add ``airtally serve`` and ``airtally token ...`` to ``app``."""
    app.command("serve")(serve)
    app.add_typer(token_app, name="token")

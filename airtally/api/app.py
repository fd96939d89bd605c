"""The ASGI application: ``create_app(database, settings)``, and ``app_from_env`` for uvicorn's workers.

The application is the answer cache (airtally.api.cache) around the FastAPI application
(``.app``), so that a kept answer is sent before FastAPI's own middleware and routing.

>>> from airtally.storage.database import Database       # doctest: +SKIP
>>> app = create_app(Database("sqlite:///airtally.db"))   # doctest: +SKIP
"""

from __future__ import annotations

import logging

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from airtally import __version__, web
from airtally.api import errors
from airtally.api.cache import AnswerCache
from airtally.api.limits import RateLimiter
from airtally.api.middleware import BodyLimit, ETags
from airtally.api.routes import alerts, analytics, attacks, events, health, reports, review, threats
from airtally.api.settings import Settings
from airtally.storage.changes import ChangeWatch

FACTORY = "airtally.api.app:app_from_env"
DESCRIPTION = """Air attacks on Ukraine as a verified, queryable record: attacks with every figure's evidence,
tallies, records, claim checks, the air-raid alert history. Reading is public; writing
(`POST /api/reports`, `POST /api/review/{id}`) needs a token made by `airtally token create NAME`, sent as
`Authorization: Bearer <token>`. Errors are `{"error": {"code", "message"}}`."""


def create_app(database, settings: Settings | None = None) -> AnswerCache:
    """The API and the dashboard over ``database``, an
    airtally.storage.database.Database whose schema is already migrated: the FastAPI application
    (``.app``) inside the answer cache."""
    settings = settings or Settings()
    app = FastAPI(title="airtally", version=__version__, description=DESCRIPTION)
    app.state.database = database
    app.state.settings = settings
    app.state.write_limiter = RateLimiter(settings.writes_per_minute)
    app.state.extract_limiter = RateLimiter(settings.extracts_per_minute)
    errors.install(app)
    for module in (health, attacks, analytics, reports, review, alerts, threats, events):
        app.include_router(module.router)
    app.router.on_shutdown.append(lambda: events.stop_hub(app))
    web.mount(app)  # the dashboard's pages and static files
    # Added last = run first: the body cap sees the request before anything reads it.
    app.add_middleware(ETags)
    if settings.cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=list(settings.cors_origins), allow_methods=["GET", "POST"],
                           allow_headers=["Authorization", "Content-Type", "If-None-Match"], expose_headers=["ETag"])
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    watch = ChangeWatch(database)
    app.router.on_shutdown.append(watch.close)  # its own connection to the database (reopened if used again)
    return AnswerCache(app, watch=watch, entries=settings.cache_entries)


def app_from_env() -> AnswerCache:
    """The app for one uvicorn worker: settings from ``$AIRTALLY_SERVE_SETTINGS``, the database
    opened without migrating (``airtally serve`` migrated it once before starting the workers)."""
    from airtally.storage.database import Database

    settings = Settings.from_env()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    return create_app(Database(settings.db_url), settings)

"""The dashboard: server-rendered pages over the library, mounted on the FastAPI application.

``mount(app)`` adds the pages (overview, attack, alerts, paste), the charts' SVG, CSV and
embeddable routes, and the static files. Pages read the database from
``request.app.state.database`` (the Database object, or an Engine).
"""

from __future__ import annotations

from fastapi import FastAPI


def mount(app: FastAPI) -> None:
    """Add the dashboard's routes and static files to ``app``."""
    from fastapi.staticfiles import StaticFiles

    from airtally.web import embeds, pages
    from airtally.web.render import STATIC

    app.include_router(pages.router)
    app.include_router(embeds.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

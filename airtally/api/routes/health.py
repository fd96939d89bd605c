"""``GET /api/health``: the version, whether the database answers, its schema revision."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from airtally import __version__
from airtally.errors import AirtallyError

router = APIRouter(tags=["health"])


@router.get("/api/health", responses={503: {"description": "the database does not answer"}})
def health(request: Request) -> JSONResponse:
    """``{"status", "version", "database": {"reachable", "backend", "revision"}}``; 503 when the database does not answer."""
    database = request.app.state.database
    try:
        revision = database.revision()
        reachable = True
    except AirtallyError:
        revision, reachable = None, False
    body = {"status": "ok" if reachable else "unavailable", "version": __version__,
            "database": {"reachable": reachable, "backend": database.backend, "revision": revision}}
    return JSONResponse(body, status_code=200 if reachable else 503)

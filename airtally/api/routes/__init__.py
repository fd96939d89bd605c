"""The API's routes, one module per area; each route calls one library function."""

from __future__ import annotations

from fastapi import Request
from sqlalchemy.engine import Engine


def engine_of(request: Request) -> Engine:
    """The engine of the database the app serves (``app.state.database``)."""
    return request.app.state.database.engine

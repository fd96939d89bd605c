"""``/api/threats``: the threat timeline read from the followed channels (not official alerts)."""

from __future__ import annotations

from typing import Annotated, Optional

from fastapi import APIRouter, Query, Request

from airtally.api.errors import responses
from airtally.api.routes import engine_of
from airtally.api.routes.alerts import _bounds
from airtally.model import THREAT_DISCLAIMER, ThreatType
from airtally.record.threats import threats_between

router = APIRouter(tags=["threats"])


@router.get("/api/threats", responses=responses(400, 422))
def threats(request: Request, start: Annotated[Optional[str], Query(alias="from", max_length=40)] = None,
            end: Annotated[Optional[str], Query(alias="to", max_length=40)] = None,
            region: Annotated[Optional[str], Query(max_length=200, description="An oblast: code, name or a report's form.")] = None,
            type: Annotated[Optional[list[ThreatType]], Query(description="Only threats of these types (repeatable).")] = None) -> dict:
    """The threats the followed channels posted from ``from`` to ``to`` (as ``airtally threats --json``):
    not official alerts, they do not replace air-raid sirens (``notice``)."""
    first, last = _bounds(start, end)
    return {"notice": THREAT_DISCLAIMER, "threats": threats_between(engine_of(request), first, last, region, type or ())}

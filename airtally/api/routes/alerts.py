"""``/api/alerts/...``: the alert history's queries (active at an instant, statistics, nationwide)."""

from __future__ import annotations

from typing import Annotated, Literal, Optional

from fastapi import APIRouter, Query, Request

from airtally.alerts import queries
from airtally.clock import parse_day_bound, parse_instant
from airtally.api.errors import responses
from airtally.api.routes import engine_of

router = APIRouter(tags=["alerts"])
Source = Annotated[Optional[list[Literal["official", "volunteer", "alerts.in.ua", "permanent"]]],
                   Query(description="Only alerts of these data sets (repeatable).")]
Bound = Annotated[Optional[str], Query(max_length=40, description="A Kyiv day (YYYY-MM-DD) or an ISO instant.")]


def _bounds(start: str | None, end: str | None):
    return (parse_day_bound(start) if start else None, parse_day_bound(end, end=True) if end else None)


@router.get("/api/alerts/active", responses=responses(400, 422))
def active(request: Request, at: Annotated[str, Query(max_length=40, description="ISO instant (Kyiv time without an offset) or 'now'.")] = "now",
           level: Literal["oblast", "raion", "hromada"] = "oblast", source: Source = None) -> dict:
    """The places under alert at ``at`` (as ``airtally alerts active --json``)."""
    return queries.active_at(engine_of(request), parse_instant(at), level, source)


@router.get("/api/alerts/stats", responses=responses(400, 422))
def stats(request: Request, region: Annotated[Optional[str], Query(max_length=200)] = None,
          start: Annotated[Optional[str], Query(alias="from", max_length=40)] = None,
          end: Annotated[Optional[str], Query(alias="to", max_length=40)] = None,
          by: Optional[Literal["day", "month"]] = None, include_permanent: bool = False, source: Source = None) -> dict:
    """Number, total and median duration, longest alert and share of time under alert."""
    first, last = _bounds(start, end)
    return {"rows": queries.stats(engine_of(request), region, first, last, by, include_permanent, source)}


@router.get("/api/alerts/nationwide", responses=responses(400, 422))
def nationwide(request: Request, threshold: Annotated[float, Query(gt=0, le=1)] = 0.8,
               start: Annotated[Optional[str], Query(alias="from", max_length=40)] = None,
               end: Annotated[Optional[str], Query(alias="to", max_length=40)] = None, source: Source = None) -> dict:
    """Periods when at least ``threshold`` of the oblasts were under alert at once."""
    first, last = _bounds(start, end)
    return {"threshold": threshold, "rows": queries.nationwide(engine_of(request), threshold, source, first, last)}

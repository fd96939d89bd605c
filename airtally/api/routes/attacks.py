"""``/api/attacks``: attacks by filters (paged), one attack in full, and exports of the same filters."""

from __future__ import annotations

from typing import Annotated, Literal, Optional

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response

from airtally.analytics.attack_list import MAX_LIMIT, list_attacks, matching_attacks
from airtally.api.errors import responses
from airtally.api.routes import engine_of
from airtally.api.routes.params import ClassParam, Direction, FromDate, ToDate
from airtally.record.attack_view import attack_detail
from airtally.record.export import MEDIA_TYPES, export_bytes

router = APIRouter(tags=["attacks"])
MinLaunched = Annotated[Optional[int], Query(ge=0, le=10**9, description="Only attacks that launched at least this many of the class.")]


@router.get("/api/attacks", responses=responses(400, 422))
def attacks(request: Request, start: FromDate = None, end: ToDate = None, weapon_class: ClassParam = None,
            min_launched: MinLaunched = None, direction: Direction = "RU-UA",
            limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 50,
            cursor: Annotated[Optional[str], Query(max_length=200, description="next_cursor of the previous page.")] = None) -> dict:
    """Attacks newest first with their class totals; follow ``next_cursor`` for the next page
    (stable while attacks are added)."""
    return list_attacks(engine_of(request), start, end, weapon_class or "all", min_launched, direction, limit, cursor)


@router.get("/api/attacks.{fmt}", responses=responses(400, 422),
            response_class=Response, summary="Export the attacks of these filters")
def export(request: Request, fmt: Annotated[Literal["csv", "parquet", "json"], Path()],
           start: FromDate = None, end: ToDate = None, weapon_class: ClassParam = None,
           min_launched: MinLaunched = None, direction: Direction = "RU-UA",
           schema: Annotated[Literal["airtally", "curated"], Query(description="airtally: every figure, long format; curated: the curated data set's columns.")] = "airtally") -> Response:
    """The figures of the attacks these filters select, as CSV, Parquet or JSON."""
    chosen = matching_attacks(start, end, weapon_class or "all", min_launched, direction)
    body = export_bytes(engine_of(request), fmt, schema, attack_ids=chosen)
    disposition = f'attachment; filename="airtally-attacks-{schema}.{fmt}"'
    return Response(body, media_type=MEDIA_TYPES[fmt], headers={"Content-Disposition": disposition})


@router.get("/api/attacks/{attack_id}", responses=responses(404, 422))
def attack(request: Request, attack_id: Annotated[int, Path(ge=1, le=2**31 - 1)]) -> dict:
    """One attack: merged totals, every source with its figures (each with its evidence and the
    report text around it), conflicts, casualties, claims, and the oblasts under alert during it."""
    return attack_detail(engine_of(request), attack_id, context=True)

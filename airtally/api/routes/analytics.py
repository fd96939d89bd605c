"""``/api/tally``, ``/api/records``, ``POST /api/check``: the analytics library over HTTP."""

from __future__ import annotations

from typing import Annotated, Literal, Optional

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field

from airtally.analytics.claims import check as check_claim
from airtally.analytics.records import largest
from airtally.analytics.tally import tally as tally_rows
from airtally.api.errors import responses
from airtally.api.routes import engine_of
from airtally.api.routes.params import DATE_PATTERN, ClassParam, Direction, FromDate, SourceKind, ToDate

router = APIRouter(tags=["analytics"])


@router.get("/api/tally", responses=responses(400, 422))
def tally(request: Request, by: Literal["day", "week", "month", "year"] = "month", weapon_class: ClassParam = None,
          start: FromDate = None, end: ToDate = None, source_kind: SourceKind = "all",
          direction: Direction = "RU-UA") -> dict:
    """Launched, destroyed, lost and interception rates per period and class (as ``airtally tally --json``)."""
    rows = tally_rows(engine_of(request), by, weapon_class, start, end, source_kind, direction)
    return {"by": by, "rows": rows}


@router.get("/api/records", responses=responses(400, 422))
def records(request: Request, top: Annotated[int, Query(ge=1, le=1000)] = 10, weapon_class: ClassParam = None,
            as_of: Annotated[Optional[str], Query(pattern=DATE_PATTERN, description="The record as it stood on this date.")] = None,
            measure: Literal["launched", "destroyed", "lost"] = "launched",
            months: Annotated[bool, Query(description="Rank months instead of single attacks.")] = False,
            source_kind: SourceKind = "all", direction: Direction = "RU-UA") -> dict:
    """The largest attacks (or months) by a measure, as the record stood on ``as_of``."""
    rows = largest(engine_of(request), top, weapon_class or "all", as_of, months, source_kind, direction, measure)
    return {"measure": measure, "rows": rows}


class CheckRequest(BaseModel):
    claim: str = Field(min_length=1, max_length=2000, examples=["the largest drone attack since the beginning of the invasion"])
    date: Optional[str] = Field(None, pattern=DATE_PATTERN, description="The date the attack ended (default: the latest).")
    source_kind: Literal["national", "regional", "news", "all"] = "all"
    direction: Literal["RU-UA", "UA-RU", "any"] = "RU-UA"
    lang: Literal["en", "uk"] = Field("en", description="The language of the answer's notes, disagreements and explanation "
                                                         "(the claim itself may be in any language airtally reads).")


@router.post("/api/check", responses=responses(400, 413, 422))
def check(request: Request, body: CheckRequest) -> dict:
    """The verdict on a record claim, with the record it was checked against (as ``airtally check --json``)."""
    return check_claim(engine_of(request), body.claim, body.date, body.source_kind, body.direction, lang=body.lang)

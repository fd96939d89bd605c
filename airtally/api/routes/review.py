"""``GET /api/review`` (the figures waiting for a person, weapon and casualty figures; public),
``POST /api/review/{id}`` and ``POST /api/review/casualties/{id}`` (a token's decision on a
figure or a casualty figure, stored with the token's name)."""

from __future__ import annotations

import logging
from typing import Annotated, Literal, Optional

from fastapi import APIRouter, Depends, Path, Query, Request
from pydantic import BaseModel, Field

from airtally.api.auth import writer
from airtally.api.errors import responses
from airtally.api.routes import engine_of
from airtally.record.review import MAX_NOTE, decide, waiting

router = APIRouter(tags=["review"])
log = logging.getLogger("airtally.api.writes")


class Decision(BaseModel):
    decision: Literal["accept", "correct", "reject"]
    value: Optional[int] = Field(None, ge=0, le=2**31 - 1, description="The right value (correct only).")
    note: Optional[str] = Field(None, max_length=MAX_NOTE, description="Why; where the right value comes from.")


@router.get("/api/review", responses=responses(422))
def review(request: Request, decided: bool = False,
           limit: Annotated[Optional[int], Query(ge=1, le=5000)] = None) -> dict:
    """``{"figures": [...]}``: the low-confidence figures waiting for a person (``decided``: those a
    person has decided on), as ``airtally review --json``."""
    return {"figures": waiting(engine_of(request), decided, limit)}


@router.post("/api/review/{figure_id}", responses=responses(400, 401, 404, 422, 429))
def decide_figure(request: Request, figure_id: Annotated[int, Path(ge=1, le=2**31 - 1)], body: Decision,
                  token: str = Depends(writer)) -> dict:
    """Accept, correct or reject one figure; stored with the token's name as the reviewer."""
    done = decide(engine_of(request), figure_id, body.decision, body.value, body.note, reviewer=token)
    log.info("POST /api/review/%s by token %r: %s", figure_id, token, body.decision)
    return done


@router.post("/api/review/casualties/{casualty_id}", responses=responses(400, 401, 404, 422, 429))
def decide_casualty(request: Request, casualty_id: Annotated[int, Path(ge=1, le=2**31 - 1)], body: Decision,
                    token: str = Depends(writer)) -> dict:
    """Accept, correct or reject one casualty figure (killed, injured; item "casualty" in the
    list); stored with the token's name as the reviewer."""
    done = decide(engine_of(request), casualty_id, body.decision, body.value, body.note, reviewer=token, item="casualty")
    log.info("POST /api/review/casualties/%s by token %r: %s", casualty_id, token, body.decision)
    return done

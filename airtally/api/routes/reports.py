"""``POST /api/extract`` (stores nothing), ``POST /api/reports`` (a token's write), ``GET /api/reports/{id}``."""

from __future__ import annotations

import logging
from typing import Annotated, Literal, Optional

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from airtally.api.auth import caller, extract_limit, writer
from airtally.api.errors import responses
from airtally.api.routes import engine_of
from airtally.extraction import extract as run_extraction
from airtally.clock import parse_published
from airtally.errors import InvalidValue
from airtally.record.ingest import ingest_text
from airtally.record.report_view import report_view

router = APIRouter(tags=["reports"])
log = logging.getLogger("airtally.api.writes")
MAX_TEXT = 200_000  # characters: a long article is ~20,000


class ExtractRequest(BaseModel):
    text: str = Field(min_length=1, max_length=MAX_TEXT)
    published: Optional[str] = Field(None, max_length=40, description="ISO date or datetime (Kyiv time without an offset); default now.")
    lang: Optional[Literal["en", "uk", "ru"]] = None


class ReportRequest(BaseModel):
    text: str = Field(min_length=1, max_length=MAX_TEXT)
    published: Optional[str] = Field(None, max_length=40, description="ISO date or datetime (Kyiv time without an offset).")
    source: Optional[str] = Field(None, min_length=1, max_length=200, description="Who published it (default: the token's name).")
    kind: Optional[Literal["national", "regional", "news"]] = None
    origin: Optional[str] = Field(None, max_length=500, description="Where it came from: a URL or a file name.")


StoredStatus = Literal["stored", "not_attack", "duplicate"]
_STORED_STATUSES: dict[str, StoredStatus] = {"stored": "stored", "not_attack": "not_attack", "duplicate": "duplicate"}


class StoredReport(BaseModel):
    id: Optional[int]
    attack_id: Optional[int]
    status: StoredStatus
    duplicate: bool


def _stored_status(status: str) -> StoredStatus:
    """An ingested text's status as the answer states it (``ingest_text`` gives no other)."""
    if status not in _STORED_STATUSES:
        raise ValueError(f"ingest_text returned status {status!r}, not one of {', '.join(_STORED_STATUSES)}")
    return _STORED_STATUSES[status]


@router.post("/api/extract", responses=responses(400, 413, 422, 429))
def extract(body: ExtractRequest, _address: str = Depends(extract_limit)) -> dict:
    """The extractor's JSON for one text (the output contract of ``airtally extract --json``); stores nothing."""
    when = parse_published(body.published) if body.published else None
    return run_extraction(body.text, published=when, language=body.lang, input_name="api").to_json()


@router.post("/api/reports", status_code=201, response_model=StoredReport,
             responses={200: {"model": StoredReport, "description": "the same text was stored before"},
                        **responses(400, 401, 413, 422, 429)})
def store_report(request: Request, body: ReportRequest, token: str = Depends(writer)):
    """Extract one report and store it in the record (one transaction). The same text again
    answers 200 with the stored report's id and ``"duplicate": true``."""
    when = parse_published(body.published) if body.published else None
    outcome = ingest_text(engine_of(request), body.text, origin=body.origin or f"api:{token}", published=when,
                          source=body.source or token, kind=body.kind)
    log.info("POST /api/reports by token %r: %s report %s (attack %s)", token, outcome.status,
             outcome.report_id, outcome.attack_id)
    if outcome.status == "unsupported_language":
        raise InvalidValue("the text is in no language airtally reads (English, Ukrainian, Russian): nothing stored")
    answer = StoredReport(id=outcome.report_id, attack_id=outcome.attack_id, status=_stored_status(outcome.status),
                          duplicate=outcome.status == "duplicate")
    return JSONResponse(answer.model_dump(), status_code=200 if answer.duplicate else 201)


@router.get("/api/reports/{report_id}", responses=responses(401, 404, 422))
def report(request: Request, report_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
           token: Optional[str] = Depends(caller)) -> dict:
    """A stored report: figures, evidence snippets and its source link for everyone; the full
    text of a news article only with a token (it is someone else's article)."""
    return report_view(engine_of(request), report_id, full_text=token is not None)

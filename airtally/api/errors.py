"""Every error the API answers is JSON ``{"error": {"code", "message"}}`` with its 4xx (or 5xx).

Library errors keep their one-line messages: an unknown id is 404, a value the library cannot
use (a bad date, an unknown class) is 400, an unreachable database 503. Validation errors are
422 in the same shape, and the OpenAPI schema says so.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from airtally.errors import AirtallyError, DatabaseError, NotFound

log = logging.getLogger("airtally.api")

CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
         406: "not_acceptable", 413: "body_too_large", 415: "unsupported_media_type", 422: "invalid_request",
         429: "too_many_requests", 503: "unavailable"}


class ErrorDetail(BaseModel):
    code: str
    message: str


class ErrorBody(BaseModel):
    """The body of every error answer."""

    error: ErrorDetail


def error_response(status: int, message: str, code: str | None = None, headers: dict | None = None) -> JSONResponse:
    body = {"error": {"code": code or CODES.get(status, "error"), "message": message}}
    return JSONResponse(body, status_code=status, headers=headers)


def responses(*statuses: int) -> dict:
    """``responses=`` for a route: the error answers it can give, all of shape ErrorBody."""
    return {s: {"model": ErrorBody, "description": CODES.get(s, "error").replace("_", " ")} for s in statuses}


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors()[:3]:
        where = ".".join(str(p) for p in err.get("loc", ()) if p != "body") or "body"
        parts.append(f"{where}: {err.get('msg', 'invalid')}")
    return "; ".join(parts) or "invalid request"


async def _http_error(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
    message = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
    return error_response(exc.status_code, message, headers=getattr(exc, "headers", None))


async def _validation_error(_request: Request, exc: RequestValidationError) -> JSONResponse:
    return error_response(422, _validation_message(exc))


async def _library_error(_request: Request, exc: AirtallyError) -> JSONResponse:
    if isinstance(exc, NotFound):
        return error_response(404, exc.message)
    if isinstance(exc, DatabaseError):
        log.error("database error: %s", exc.message)
        return error_response(503, "the database is unavailable; try again later", "database_unavailable")
    return error_response(400, exc.message)


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("internal error on %s %s", request.method, request.url.path)
    return error_response(500, f"internal error ({type(exc).__name__}); it was logged", "internal_error")


def install(app: FastAPI) -> None:
    """Register the handlers and make the OpenAPI schema describe 422 answers as ErrorBody."""
    app.add_exception_handler(Exception, _unexpected)
    # Through the decorator, which registers the same way: add_exception_handler's stubs want a
    # handler of any Exception, these take the class each is registered for.
    app.exception_handler(StarletteHTTPException)(_http_error)
    app.exception_handler(RequestValidationError)(_validation_error)
    app.exception_handler(AirtallyError)(_library_error)
    original = app.openapi

    def openapi() -> dict:
        if app.openapi_schema:
            return app.openapi_schema
        schema = original()
        for path in schema.get("paths", {}).values():
            for operation in path.values():
                answer = operation.get("responses", {}).get("422")
                if answer:
                    answer["content"] = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}
        schemas = schema.get("components", {}).get("schemas", {})
        for unused in ("HTTPValidationError", "ValidationError"):
            schemas.pop(unused, None)
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]  # FastAPI's documented way to extend the schema

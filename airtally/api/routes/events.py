"""``/api/events``: the live event stream, Server-Sent Events read from the outbox.

Each event is sent as ``id: N``, ``event: <type>`` and ``data: <the event as JSON>``; a comment
line keeps an idle connection open. A client that reconnects with ``Last-Event-ID`` (or
``?after=N``, for clients that cannot set headers) is sent every event after it first; a new
client starts at the newest. One process holds at most ``Settings.event_clients`` streams and
answers 503 beyond them. The stream waits in the process's ``Hub`` (airtally.storage.wakeup).
"""

from __future__ import annotations

import asyncio
import json
import logging
import threading
from collections.abc import AsyncIterator
from typing import Annotated, Optional

from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import StreamingResponse
from starlette.concurrency import run_in_threadpool

from airtally.api.errors import error_response, responses
from airtally.api.routes import engine_of
from airtally.errors import InvalidValue
from airtally.record.events import EVENT_TYPES, checked_types, matching, read_outbox
from airtally.record.threats import threat_region
from airtally.storage.wakeup import Hub

router = APIRouter(tags=["events"])
log = logging.getLogger("airtally.api.events")
BATCH = 200
_lock = threading.Lock()

STREAM_DOC = {
    200: {"description": "An endless `text/event-stream`: `id:`, `event:` (one of " + ", ".join(EVENT_TYPES) + ") "
                         "and `data:` (the event as JSON: id, type, created_at, subject_at, attack_id, threat_id, "
                         "regions, data, notify) per event; `: keep-alive` comments while idle.",
          "content": {"text/event-stream": {"schema": {"type": "string"}}}},
    **responses(400, 422, 503),
}


def hub_of(request: Request) -> Hub:
    """The process's hub, started on first use (stopped when the app shuts down)."""
    state = request.app.state
    with _lock:
        if getattr(state, "event_hub", None) is None:
            settings = state.settings
            state.event_hub = Hub(engine_of(request), redis=settings.redis_url,
                                  poll_interval=settings.events_poll_interval).start()
            state.event_clients = 0
            state.event_reads = RecentReads()  # per app: another app in the process serves another database
    return state.event_hub


def stop_hub(app) -> None:
    hub = getattr(app.state, "event_hub", None)
    if hub is not None:
        hub.stop()
        app.state.event_hub = None


def _start(last_event_id: str | None, after: int | None, hub: Hub) -> int:
    """Where the stream starts: after ``Last-Event-ID``, else after ``?after``, else at the newest."""
    if last_event_id is not None and last_event_id.strip():
        text = last_event_id.strip()
        if not text.isdigit() or len(text) > 18:
            raise InvalidValue(f"Last-Event-ID {text[:30]!r} is not an event id (a whole number)")
        return int(text)
    return after if after is not None else hub.latest


def sse(event: dict) -> str:
    """One event in the text/event-stream format.

    >>> sse({"id": 7, "type": "threat.created", "created_at": None, "subject_at": None, "data": {}})
    'id: 7\\nevent: threat.created\\ndata: {"id": 7, "type": "threat.created", "created_at": null, "subject_at": null, "data": {}}\\n\\n'
    """
    shaped = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in event.items()}
    return f"id: {event['id']}\nevent: {event['type']}\ndata: {json.dumps(shaped, ensure_ascii=False)}\n\n"


def _formatted(event: dict) -> str:
    """``sse(event)``, made once per event however many streams send it (the read is shared)."""
    text = event.get(_SSE)
    if text is None:
        text = event[_SSE] = sse({k: v for k, v in event.items() if k != _SSE})
    return text


_SSE = "__sse__"


@router.get("/api/events", response_class=StreamingResponse, responses=STREAM_DOC)
async def event_stream(
    request: Request,
    after: Annotated[Optional[int], Query(ge=0, le=2**62, description="Replay the events after this id (as Last-Event-ID).")] = None,
    types: Annotated[Optional[list[str]], Query(max_length=200, description="Only these event types, comma-separated or repeated; a prefix like `attack.` takes a family.")] = None,
    region: Annotated[Optional[str], Query(max_length=200, description="Only events about this oblast (code, name or a report's form); events naming no oblast concern all.")] = None,
    last_event_id: Annotated[Optional[str], Header(alias="Last-Event-ID", max_length=40)] = None,
):
    """The live event stream (Server-Sent Events) of changes worth telling: new attacks,
    revisions that change a figure, new records, new threats (threats are not official alerts
    and do not replace air-raid sirens). Never cached."""
    kinds = checked_types(t.strip() for value in types or () for t in value.split(","))
    code = threat_region(region) if region else None
    hub = hub_of(request)
    settings = request.app.state.settings
    cursor = _start(last_event_id, after, hub)
    with _lock:
        if request.app.state.event_clients >= settings.event_clients:
            return error_response(503, f"this server holds {settings.event_clients} event streams already; "
                                       "try again shortly or another server", headers={"Retry-After": "5"})
        request.app.state.event_clients += 1
    headers = {"Cache-Control": "no-cache, no-store", "X-Accel-Buffering": "no"}  # nginx: pass each event on
    return StreamingResponse(_events(request, hub, cursor, kinds, code, settings.events_keepalive),
                             media_type="text/event-stream", headers=headers)


async def _events(request: Request, hub: Hub, cursor: int, kinds: list[str], region: str | None,
                  keepalive: float) -> AsyncIterator[str]:
    engine = engine_of(request)
    try:
        yield f"retry: 2000\n: airtally events after {cursor}\n\n"
        checked = cursor  # the newest id the outbox was read up to or found not to hold yet
        while True:
            latest = hub.latest
            if latest > checked:
                found, until = await _read(request.app.state.event_reads, engine, cursor, kinds, region)
                for event in found:
                    yield _formatted(event)
                # a full batch may have more behind it; an id announced by a write that was
                # rolled back never appears: wait for a newer one instead of reading again
                checked = latest if until == cursor or until >= latest else until
                cursor = until
                continue
            if await hub.wait(checked, keepalive) <= checked:
                yield ": keep-alive\n\n"
    finally:
        with _lock:
            request.app.state.event_clients -= 1


class RecentReads:
    """The outbox's latest reads, shared by the streams of a process: when an event arrives,
    every stream waiting at the same id asks for the same rows, and one query (in flight once,
    awaited by all) answers them all. Only reads that found events are kept (events never change
    once written; a read that found none must be made again)."""

    def __init__(self, size: int = 64):
        self.size = size
        self._kept: dict[int, list[dict]] = {}
        self._pending: dict[int, asyncio.Future] = {}

    async def read(self, engine, cursor: int) -> list[dict]:
        kept = self._kept.get(cursor)
        if kept is not None:
            return kept
        pending = self._pending.get(cursor)
        if pending is None:
            pending = self._pending[cursor] = asyncio.ensure_future(run_in_threadpool(_read_outbox, engine, cursor))
            pending.add_done_callback(lambda done: self._settled(cursor, done))
        return await asyncio.shield(pending)  # a stream that goes away does not cancel the others' read

    def _settled(self, cursor: int, done: asyncio.Future) -> None:
        self._pending.pop(cursor, None)
        if done.cancelled() or done.exception() is not None or not done.result():
            return
        self._kept[cursor] = done.result()
        while len(self._kept) > self.size:
            self._kept.pop(next(iter(self._kept)))


def _read_outbox(engine, cursor: int) -> list[dict]:
    with engine.connect() as conn:
        return read_outbox(conn, cursor, BATCH)


async def _read(reads: RecentReads, engine, cursor: int, kinds: list[str], region: str | None) -> tuple[list[dict], int]:
    found = await reads.read(engine, cursor)
    return matching(found, kinds, region), found[-1]["id"] if found else cursor

"""Answers to GET kept per process while the database has not changed: a repeated read (a
poller, a dashboard many people open) is served without asking the database again.

An answer is kept under its path, query, path prefix (``root_path``) and ``Origin`` (CORS
headers depend on it), and under the database's change token
(airtally.storage.changes.ChangeWatch): any committed write, from any process, changes the token
and so retires every kept answer; each request reads the token afresh, so it sees every write
committed before it arrived. Entries also expire after ``TTL`` seconds, since some answers
depend on the time ("now" on the alert map). Requests with an Authorization header (their
answers may show more) or a body, and answers about "now", are never kept or served from here.

AnswerCache is the outermost layer, around the whole FastAPI application: a kept answer is sent
without FastAPI's middleware, routing or validation, and with the ETag computed when it was
kept (a 304 when ``If-None-Match`` names it), so that it costs little more than a bare ASGI
"hello" (BENCHMARKS.md, "Serving"). What is kept is what that stack answered the first time,
its headers (ETag, CORS, framing) included.
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import NamedTuple
from urllib.parse import parse_qsl

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from airtally.api.middleware import etag_of, is_stream, send_tagged
from airtally.storage.changes import ChangeWatch

TTL = 30.0
MAX_BODY = 1_000_000
MAX_KEY = 2_048  # bytes of path, query string and Origin together: a longer request is answered, never kept
UNCACHED_PATHS = ("/api/health",)


def _about_now(scope: Scope) -> bool:
    raw = scope.get("query_string", b"")
    query = parse_qsl(raw.decode("latin-1")) if raw else []
    if any(value.strip().lower() == "now" for _, value in query):
        return True
    return scope["path"] == "/api/alerts/active" and not any(name == "at" for name, _ in query)


class _Asked(NamedTuple):
    """What of a GET's headers a kept answer depends on: ``private`` (an Authorization header or
    a body: never kept), the ``Origin`` and the ``If-None-Match``."""

    private: bool
    origin: bytes | None
    if_none_match: bytes | None


def _asked(scope: Scope) -> _Asked:
    private, origin, if_none_match = False, None, None
    for name, value in scope["headers"]:
        name = name.lower()
        if name == b"authorization" or name == b"transfer-encoding" or (name == b"content-length" and value != b"0"):
            private = True
        elif name == b"origin":
            origin = value
        elif name == b"if-none-match":
            if_none_match = value
    return _Asked(private, origin, if_none_match)


class _Kept(NamedTuple):
    token: str
    at: float
    start: Message  # with its ETag
    body: bytes
    tag: bytes


class AnswerCache:
    """Up to ``entries`` GET answers (200, at most 1 MB each, keyed by at most ``MAX_KEY`` bytes
    of path, query and Origin) of ``app``, least recently used dropped first; ``entries`` 0 keeps
    none. ``app`` is the FastAPI application."""

    def __init__(self, app: ASGIApp, watch: ChangeWatch, entries: int = 256):
        self.app, self.watch, self.entries = app, watch, entries
        self._kept: OrderedDict[tuple, _Kept] = OrderedDict()
        self._fresh = FreshReads(watch.token)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (scope["type"] != "http" or scope["method"] != "GET" or self.entries <= 0
                or scope["path"] in UNCACHED_PATHS):
            await self.app(scope, receive, send)
            return
        asked = _asked(scope)
        if asked.private or _about_now(scope):
            await self.app(scope, receive, send)
            return
        token = self.watch.token() if self.watch.instant else await self._fresh.get()
        if token is None:
            await self.app(scope, receive, send)
            return
        query = scope.get("query_string", b"")
        if len(query) + len(asked.origin or b"") + len(scope["path"]) > MAX_KEY:
            await self.app(scope, receive, send)  # a flood of long keys must not grow memory
            return
        key = (scope.get("root_path", ""), scope["path"], query, asked.origin)
        kept = self._kept.get(key)
        if kept is not None and kept.token == token and time.monotonic() - kept.at < TTL:
            self._kept.move_to_end(key)
            await send_tagged(kept.start, kept.body, kept.tag, asked.if_none_match, send)
            return
        await self.app(scope, receive, self._keeper(key, token, send))

    def _keeper(self, key: tuple, token: str, send: Send) -> Send:
        start: Message = {}
        chunks: list[bytes] = []
        tag: list[bytes] = []  # the answer's ETag, while it may still be kept

        async def keeping(message: Message) -> None:
            await send(message)
            if message["type"] == "http.response.start":
                start.update(message)
                found = etag_of(message)
                if message["status"] == 200 and found is not None and not is_stream(message):
                    tag.append(found)  # else never kept: an error, a stream, an answer without its tag
            elif message["type"] == "http.response.body" and tag:
                chunks.append(message.get("body", b""))
                if sum(map(len, chunks)) > MAX_BODY:
                    tag.clear()  # too large to keep
                elif not message.get("more_body"):
                    self._keep(key, _Kept(token, time.monotonic(), start, b"".join(chunks), tag[0]))

        return keeping

    def _keep(self, key: tuple, entry: _Kept) -> None:
        self._kept[key] = entry
        self._kept.move_to_end(key)
        while len(self._kept) > self.entries:
            self._kept.popitem(last=False)


class FreshReads:
    """A blocking ``read`` (the change token on PostgreSQL: a query) run in a worker thread and
    shared by the requests that wait at once, never staler than the request: each caller gets
    the result of a read that began after it asked. Callers that arrive while a read runs share
    the next one; so under load one query serves many requests, and alone a request pays one.
    A read that fails gives None (cannot tell: the request is answered by the application)."""

    def __init__(self, read: Callable[[], str | None]) -> None:
        self.read = read
        self._loop: asyncio.AbstractEventLoop | None = None
        self._running: asyncio.Future | None = None  # the read under way (began before later callers)
        self._next: asyncio.Future | None = None  # the read that begins when it ends
        self._tasks: set[asyncio.Task] = set()  # held: the loop keeps only weak references to tasks

    async def get(self) -> str | None:
        loop = asyncio.get_running_loop()
        if loop is not self._loop:  # a new event loop (tests start one per client): nothing shared
            self._loop, self._running, self._next = loop, None, None
        if self._next is None:
            self._next = loop.create_future()
            task = loop.create_task(self._read_after(self._running, self._next))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        return await asyncio.shield(self._next)

    async def _read_after(self, running: asyncio.Future | None, mine: asyncio.Future) -> None:
        if running is not None:
            await asyncio.wait([running])  # it began before this read's callers asked
        self._running, self._next = mine, None
        try:
            result = await asyncio.get_running_loop().run_in_executor(None, self.read)
        except Exception:  # noqa: BLE001 - the application answers, and reports, a database it cannot reach
            result = None
        mine.set_result(result)
        if self._running is mine:
            self._running = None

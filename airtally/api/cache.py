"""Answers to GET kept per process while the database has not changed: a repeated read (a
poller, a dashboard many people open) is served without asking the database again.

An answer is kept under its path and query and the database's change token
(airtally.storage.changes.ChangeWatch): any committed write, from any process, changes the token
and so retires every kept answer. Entries also expire after ``TTL`` seconds, since some answers
depend on the time ("now" on the alert map). Requests with an Authorization header (their
answers may show more) and answers about "now" are never kept.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from urllib.parse import parse_qsl

import anyio.to_thread
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from airtally.api.middleware import is_stream
from airtally.storage.changes import ChangeWatch

TTL = 30.0
MAX_BODY = 1_000_000
UNCACHED_PATHS = ("/api/health",)


def _about_now(scope: Scope) -> bool:
    query = parse_qsl(scope.get("query_string", b"").decode("latin-1"))
    if any(value.strip().lower() == "now" for _, value in query):
        return True
    return scope["path"] == "/api/alerts/active" and not any(name == "at" for name, _ in query)


class AnswerCache:
    """Up to ``entries`` GET answers (200, at most 1 MB each), least recently used dropped first."""

    def __init__(self, app: ASGIApp, watch: ChangeWatch, entries: int = 256):
        self.app, self.watch, self.entries = app, watch, entries
        self._kept: OrderedDict[tuple, tuple[str, float, Message, bytes]] = OrderedDict()

    def _cacheable(self, scope: Scope) -> bool:
        return (scope["type"] == "http" and scope["method"] == "GET" and self.entries > 0
                and scope["path"] not in UNCACHED_PATHS and b"authorization" not in dict(scope["headers"])
                and not _about_now(scope))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not self._cacheable(scope):
            await self.app(scope, receive, send)
            return
        token = await anyio.to_thread.run_sync(self.watch.token)
        if token is None:
            await self.app(scope, receive, send)
            return
        key = (scope.get("root_path", ""), scope["path"], scope.get("query_string", b""))
        kept = self._kept.get(key)
        if kept and kept[0] == token and time.monotonic() - kept[1] < TTL:
            self._kept.move_to_end(key)
            await send(kept[2])
            await send({"type": "http.response.body", "body": kept[3]})
            return
        await self.app(scope, receive, self._keeper(key, token, send))

    def _keeper(self, key: tuple, token: str, send: Send) -> Send:
        start: dict = {}
        chunks: list[bytes] = []

        async def keeping(message: Message) -> None:
            await send(message)
            if message["type"] == "http.response.start":
                start.update(message)
                if is_stream(message):
                    start["status"] = None  # a stream is never kept
            elif message["type"] == "http.response.body" and start.get("status") == 200:
                chunks.append(message.get("body", b""))
                if sum(map(len, chunks)) > MAX_BODY:
                    start["status"] = None  # too large to keep
                elif not message.get("more_body"):
                    self._keep(key, (token, time.monotonic(), dict(start), b"".join(chunks)))

        return keeping

    def _keep(self, key: tuple, entry: tuple) -> None:
        self._kept[key] = entry
        self._kept.move_to_end(key)
        while len(self._kept) > self.entries:
            self._kept.popitem(last=False)

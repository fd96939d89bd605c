"""ASGI middleware: request bodies capped, ETags on what GET answers (304 when unchanged).

Both are plain ASGI so that they see every route, the API's and the dashboard's alike.
"""

from __future__ import annotations

import hashlib

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from airtally.api.errors import error_response


class BodyLimit:
    """Refuse request bodies above ``max_bytes`` with 413: by Content-Length before reading,
    and while reading for bodies sent without one (chunked)."""

    def __init__(self, app: ASGIApp, max_bytes: int):
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        too_large = f"the request body is larger than {self.max_bytes:,} bytes"
        length = dict(scope["headers"]).get(b"content-length")
        if length is not None and not length.isdigit():
            await error_response(400, f"bad Content-Length header {length[:20]!r}")(scope, receive, send)
            return
        if length is not None and int(length) > self.max_bytes:
            await error_response(413, too_large)(scope, receive, send)
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.max_bytes:
                raise HTTPException(413, too_large)  # FastAPI passes HTTPExceptions from body reading through
            return message

        await self.app(scope, counted, send)


def is_stream(start: Message) -> bool:
    """Whether a response (its ``http.response.start``) is a stream (Server-Sent Events): it is
    passed on as it comes, never held whole, tagged or kept."""
    return any(k.lower() == b"content-type" and v.startswith(b"text/event-stream") for k, v in start.get("headers", ()))


class ETags:
    """A strong ETag (hash of the body) on every 200 answer to GET but a stream; ``If-None-Match``
    with the same tag gets 304 and no body, so a client polling an unchanged answer moves no data."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        held: dict = {}
        chunks: list[bytes] = []

        async def buffered(message: Message) -> None:
            if message["type"] == "http.response.start":
                if message["status"] != 200 or is_stream(message):
                    held["pass"] = True
                    await send(message)
                else:
                    held["start"] = message
                return
            if held.get("pass") or message["type"] != "http.response.body":
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if not message.get("more_body"):
                await self._answer(scope, held["start"], b"".join(chunks), send)

        await self.app(scope, receive, buffered)

    @staticmethod
    async def _answer(scope: Scope, start: Message, body: bytes, send: Send) -> None:
        tag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
        asked = dict(scope["headers"]).get(b"if-none-match", b"").decode("latin-1")
        headers = [(k, v) for k, v in start["headers"] if k.lower() not in (b"etag", b"cache-control")]
        headers += [(b"etag", tag.encode()), (b"cache-control", b"no-cache")]
        if tag in [t.strip().removeprefix("W/") for t in asked.split(",")] or asked.strip() == "*":
            kept = [(k, v) for k, v in headers if k.lower() not in (b"content-length", b"content-type")]
            await send({"type": "http.response.start", "status": 304, "headers": kept})
            await send({"type": "http.response.body", "body": b""})
            return
        await send({**start, "headers": headers})
        await send({"type": "http.response.body", "body": body})

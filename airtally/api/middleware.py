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
                body = b"".join(chunks)
                tag = b'"' + hashlib.sha256(body).hexdigest()[:32].encode() + b'"'
                asked = dict(scope["headers"]).get(b"if-none-match")
                await send_tagged(tagged(held["start"], tag), body, tag, asked, send)

        await self.app(scope, receive, buffered)


def tagged(start: Message, tag: bytes) -> Message:
    """``start`` (an ``http.response.start``) with the ETag ``tag`` and ``Cache-Control: no-cache``
    (a client may keep the answer but asks again, with the tag, before using it)."""
    headers = [(k, v) for k, v in start["headers"] if k.lower() not in (b"etag", b"cache-control")]
    return {**start, "headers": [*headers, (b"etag", tag), (b"cache-control", b"no-cache")]}


def etag_of(start: Message) -> bytes | None:
    """The ETag an ``http.response.start`` carries (None: none)."""
    return next((v for k, v in start.get("headers", ()) if k.lower() == b"etag"), None)


async def send_tagged(start: Message, body: bytes, tag: bytes, asked: bytes | None, send: Send) -> None:
    """The answer (``start``, already ``tagged``, and ``body``), or a bodiless 304 when the
    request's ``If-None-Match`` (``asked``) names ``tag`` or is ``*``."""
    if asked is not None and (asked.strip() == b"*" or tag in [t.strip().removeprefix(b"W/") for t in asked.split(b",")]):
        kept = [(k, v) for k, v in start["headers"] if k.lower() not in (b"content-length", b"content-type")]
        await send({"type": "http.response.start", "status": 304, "headers": kept})
        await send({"type": "http.response.body", "body": b""})
        return
    await send(start)
    await send({"type": "http.response.body", "body": body})

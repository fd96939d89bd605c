"""Rate limits (writes per token, extractions per client address) and who the client is.

Counted in memory, in each worker process: with ``--workers 4`` a client can make up to four
times the limit. A sliding window of the last minute's requests per key.

>>> limiter = RateLimiter(per_minute=2)
>>> limiter.hit("a", now=0.0), limiter.hit("a", now=1.0), limiter.hit("a", now=2.0)
(None, None, 58)
>>> limiter.hit("a", now=61.0) is None
True
"""

from __future__ import annotations

import ipaddress
import math
import time
from collections import deque

from fastapi import Request

WINDOW = 60.0
MAX_KEYS = 10_000


class RateLimiter:
    """At most ``per_minute`` hits per key in any 60 seconds."""

    def __init__(self, per_minute: int):
        self.per_minute = per_minute
        self._hits: dict[str, deque[float]] = {}

    def hit(self, key: str, now: float | None = None) -> int | None:
        """Count a request of ``key``: None when allowed, else the seconds to wait (Retry-After)."""
        now = time.monotonic() if now is None else now
        hits = self._hits.setdefault(key, deque())
        while hits and hits[0] <= now - WINDOW:
            hits.popleft()
        if len(hits) >= self.per_minute:
            return max(1, math.ceil(hits[0] + WINDOW - now))
        hits.append(now)
        if len(self._hits) > MAX_KEYS:
            self._forget(now)
        return None

    def _forget(self, now: float) -> None:
        """Drop keys with no hit in the window (a flood of addresses must not grow memory)."""
        for key in [k for k, hits in self._hits.items() if not hits or hits[-1] <= now - WINDOW]:
            del self._hits[key]


def _trusted(address: str, proxies: tuple[str, ...]) -> bool:
    if "*" in proxies:
        return True
    for proxy in proxies:
        try:
            if ipaddress.ip_address(address) in ipaddress.ip_network(proxy, strict=False):
                return True
        except ValueError:
            if address == proxy:
                return True
    return False


def client_address(request: Request, proxies: tuple[str, ...]) -> str:
    """The client's address: the peer's, unless the peer is a proxy named in ``proxies``; then
    the nearest address in X-Forwarded-For that is not itself such a proxy."""
    peer = request.client.host if request.client else "unknown"
    if not proxies or not _trusted(peer, proxies):
        return peer
    forwarded = [a.strip() for a in request.headers.get("x-forwarded-for", "").split(",") if a.strip()]
    for address in reversed(forwarded):
        if not _trusted(address, proxies):
            return address
    return forwarded[0] if forwarded else peer

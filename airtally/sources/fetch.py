"""The one HTTP client of the sources: polite, conditional, and clear about failures.

It names the tool in its User-Agent, sends ``If-None-Match`` / ``If-Modified-Since`` when it has
validators, and turns every failure into ``FetchError`` whose message says what happened and,
for 429 and 5xx, how long to wait (``Retry-After``). Nothing else in airtally opens a socket
to a source.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import httpx

from airtally import __version__
from airtally.alerts.live import retry_after_seconds

USER_AGENT = f"airtally/{__version__} (records air-attack reports; polls politely, one page at a time)"
TIMEOUT = 20.0


class FetchError(Exception):
    """A page could not be had; ``retry_after`` is the server's wait, in seconds, when it gave one."""

    def __init__(self, message: str, retry_after: float | None = None):
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after


@dataclass
class Answer:
    """A fetched page: ``text`` is None when the server said it has not changed (304)."""

    url: str
    text: str | None
    etag: str | None = None
    last_modified: str | None = None


class Fetcher:
    """``get(url)`` with the tool's User-Agent and timeouts; close() when done."""

    def __init__(self, timeout: float = TIMEOUT, transport: httpx.BaseTransport | None = None):
        self._http = httpx.Client(headers={"User-Agent": USER_AGENT}, timeout=timeout, follow_redirects=True,
                                  transport=transport)

    def get(self, url: str, *, etag: str | None = None, last_modified: str | None = None) -> Answer:
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        try:
            response = self._http.get(url, headers=headers)
        except httpx.TimeoutException:
            raise FetchError(f"no answer from {url} within {self._http.timeout.read:g} s") from None
        except httpx.HTTPError as exc:
            raise FetchError(f"cannot reach {url}: {type(exc).__name__}: {exc}") from None
        code = response.status_code
        if code == 304:
            return Answer(url, None, etag, last_modified)
        if code == 429 or code >= 500:
            wait = retry_after_seconds(response.headers.get("Retry-After"), dt.datetime.now(dt.timezone.utc))
            raise FetchError(f"HTTP {code} from {url}" + (f" (retry after {wait:g} s)" if wait is not None else ""),
                             wait)
        if code != 200:
            raise FetchError(f"HTTP {code} from {url}")
        try:
            text = response.text
        except (UnicodeDecodeError, httpx.DecodingError) as exc:
            raise FetchError(f"unreadable answer from {url}: {exc}") from None
        return Answer(url, text, response.headers.get("ETag"), response.headers.get("Last-Modified"))

    def close(self) -> None:
        self._http.close()

"""Checking a URL a person gives (a webhook, an ntfy topic, a feed, an API's base URL).

One set of rules wherever a URL is taken: http or https, a host, a port that exists, no spaces or
control characters, no credentials (they would be stored and shown in plain text: `notify list`,
`sources list`, log lines) and at most ``MAX_URL`` characters (the stored columns' width).
A bad URL is ``InvalidValue`` (exit 2) naming it, never a parser's own exception.

>>> checked_http_url("https://example.org/hook ")
'https://example.org/hook'
>>> checked_http_url("http://[::1")
Traceback (most recent call last):
...
airtally.errors.InvalidValue: 'http://[::1' is not a valid URL (Invalid IPv6 URL)
>>> checked_http_url("https://user:pw@example.org/hook")
Traceback (most recent call last):
...
airtally.errors.InvalidValue: 'https://user:pw@example.org/hook' carries credentials (user:password@): they would be stored and shown in plain text
"""

from __future__ import annotations

from urllib.parse import urlsplit

from airtally.errors import InvalidValue

MAX_URL = 2000


def checked_http_url(url: str, what: str = "", hint: str = "") -> str:
    """``url`` stripped when it is an http(s) URL by the rules above, else ``InvalidValue``.
    ``what`` names the option in the message (``--base-url``); ``hint`` ends the scheme's message."""
    text = url.strip()
    label = f"{what} {text[:100]!r}".lstrip() + ("..." if len(text) > 100 else "")
    if len(text) > MAX_URL:
        raise InvalidValue(f"{label} is {len(text)} characters long (at most {MAX_URL})")
    if any(c.isspace() or ord(c) < 32 or ord(c) == 127 for c in text):
        raise InvalidValue(f"{label} has a space or a control character in it (percent-encode it)")
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 - parsed on access: a port over 65535 or not a number is a ValueError
    except ValueError as exc:
        raise InvalidValue(f"{label} is not a valid URL ({exc})") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidValue(f"{label} is not an http(s) URL{hint}")
    if parts.username is not None or parts.password is not None:
        raise InvalidValue(f"{label} carries credentials (user:password@): they would be stored and shown in plain text")
    return text

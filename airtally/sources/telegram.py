"""Reading a channel through its web preview: the latest page, then older pages as needed.

The latest page is read at every poll (conditionally); older pages are read through the
page's own ``data-before`` cursor (ids have gaps) while one of these holds:
- the first poll of a source: the oldest post read is newer than the source's ``since``;
- posts may have been missed: the oldest id read is above the last id stored + 1;
- the re-read is due and the oldest post read is within the last 24 hours, to catch edits
  and deletions there.

The re-read of the last 24 hours is due at the first poll of each hour (UTC; every poll when
the interval is an hour or more): an edit or a deletion on an older page is caught within the
hour, while a poll every 5 minutes costs one request when nothing new was posted. An edit on
an older page does not change the latest page, so a 304 on it does not end a poll whose
re-read is due: the latest page is then read again whole (its posts bound the range in which
a stored post that is missing was deleted).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from airtally.sources.fetch import Fetcher
from airtally.sources.posts import Page, Post
from airtally.sources.telegram_page import parse_page

RECHECK = dt.timedelta(hours=24)
RECHECK_EVERY = 3600  # seconds: the re-read of the last 24 hours, at the first poll of each hour
MAX_PAGES = 1000  # a channel's whole week is a few dozen pages; this only stops a cursor loop


@dataclass
class ChannelReading:
    """What one poll read: the posts (oldest first, one per id; a stored post from the oldest on
    that is missing was deleted) and the latest page's validators."""

    posts: list[Post] = field(default_factory=list)
    etag: str | None = None
    last_modified: str | None = None
    unchanged: bool = False
    pages: int = 0
    # a channel's pages cover a range of ids, so a stored post missing from it was deleted;
    # a feed only shows its latest items, so a missing one says nothing
    judges_deletions: bool = True


def page_url(base_url: str, channel: str, before: int | None = None) -> str:
    url = f"{base_url.rstrip('/')}/s/{channel}"
    return url if before is None else f"{url}?before={before}"


def recheck_due(last_poll: dt.datetime | None, now: dt.datetime) -> bool:
    """Whether a poll at ``now`` re-reads the last 24 hours: the first poll of a source, or the
    first of an hour (UTC) since the last poll.

    >>> at = dt.datetime(2025, 7, 20, 9, 55, tzinfo=dt.timezone.utc)
    >>> recheck_due(at, at + dt.timedelta(minutes=4)), recheck_due(at, at + dt.timedelta(minutes=6))
    (False, True)
    """
    return last_poll is None or int(now.timestamp()) // RECHECK_EVERY != int(last_poll.timestamp()) // RECHECK_EVERY


def _more(page: Page, last_post_id: int | None, since: dt.datetime, recheck_from: dt.datetime | None) -> bool:
    if page.before is None or not page.posts:
        return False
    oldest = page.posts[0]
    if last_post_id is None:
        return oldest.published > since
    return oldest.id > last_post_id + 1 or (recheck_from is not None and oldest.published > recheck_from)


def read_channel(fetcher: Fetcher, base_url: str, channel: str, *, last_post_id: int | None,
                 since: dt.datetime, now: dt.datetime, etag: str | None = None,
                 last_modified: str | None = None, recheck: bool = True) -> ChannelReading:
    """Read what a poll of ``channel`` needs (see the module docstring; ``recheck``: the re-read
    of the last 24 hours is due); ``FetchError`` and ``MalformedData`` pass up to the caller,
    which records them as the source's error."""
    answer = fetcher.get(page_url(base_url, channel), etag=etag, last_modified=last_modified)
    reading = ChannelReading(etag=answer.etag, last_modified=answer.last_modified, pages=1)
    if answer.text is None:
        if not recheck:
            reading.unchanged = True
            return reading
        answer = fetcher.get(page_url(base_url, channel))  # unchanged, but the pages back are due
        reading.pages += 1
    page = parse_page(answer.text or "", channel)
    by_id = {p.id: p for p in page.posts}
    seen_cursors = set()
    recheck_from = now - RECHECK if recheck else None
    while _more(page, last_post_id, since, recheck_from) and reading.pages < MAX_PAGES:
        if page.before in seen_cursors:
            break
        seen_cursors.add(page.before)
        page = parse_page(fetcher.get(page_url(base_url, channel, page.before)).text or "", channel)
        reading.pages += 1
        for post in page.posts:
            by_id.setdefault(post.id, post)
    reading.posts = [by_id[i] for i in sorted(by_id)]
    return reading

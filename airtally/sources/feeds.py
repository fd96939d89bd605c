"""RSS and Atom feeds: items in, posts out.

An item's text is its title and its content, else its summary; an item that holds only a
summary (most news feeds) is read from its article, whose main text trafilatura extracts,
once: items already stored are not fetched again. An item's identity is its id (guid), else
its link; the record keys it by a 60-bit number made from that (``item_number``).

>>> item_number("https://example.org/news/1") == item_number("https://example.org/news/1")
True
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
from collections.abc import Callable

import feedparser
import trafilatura
from selectolax.lexbor import LexborHTMLParser

from airtally.errors import MalformedData
from airtally.sources.fetch import Fetcher, FetchError
from airtally.sources.posts import Post
from airtally.sources.telegram import ChannelReading

_BLOCKS = frozenset({"br", "p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr"})
SHORT = 400  # characters: a summary this short is a teaser, the article holds the report


def item_number(key: str) -> int:
    """A stable positive number for an item's id: the first 60 bits of its sha256."""
    return int(hashlib.sha256(key.encode("utf-8")).hexdigest()[:15], 16)


def html_text(fragment: str) -> str:
    """The text of an HTML fragment, block elements and <br> as line breaks."""
    body = LexborHTMLParser(f"<div>{fragment}</div>").body
    if body is None:
        return fragment.strip()
    parts = []
    for node in body.traverse(include_text=True):
        if node.tag == "-text":
            parts.append(node.text_content or "")
        elif node.tag in _BLOCKS:
            parts.append("\n")
    return "\n".join(" ".join(line.split()) for line in "".join(parts).splitlines() if line.strip())


def _published(entry, now: dt.datetime) -> dt.datetime:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    return dt.datetime.fromtimestamp(calendar.timegm(parsed), dt.timezone.utc) if parsed else now


def article_text(fetcher: Fetcher, url: str) -> str | None:
    """The main text of the article at ``url`` (trafilatura), or None when it cannot be had."""
    try:
        answer = fetcher.get(url)
    except FetchError:
        return None
    return trafilatura.extract(answer.text or "", include_comments=False, include_tables=False) or None


def parse_feed(raw: str, name: str, now: dt.datetime) -> list[tuple[Post, str | None]]:
    """(post, the article's link when the item holds only a summary) per item, oldest first."""
    feed = feedparser.parse(raw)
    if not feed.entries and (feed.bozo or not feed.get("feed")):
        raise MalformedData(f"the feed {name!r} could not be read as RSS or Atom ({feed.get('bozo_exception', 'no items')})")
    items = []
    for entry in feed.entries:
        key = entry.get("id") or entry.get("link")
        if not key:
            continue
        content = " ".join(c.get("value", "") for c in entry.get("content", []))
        summary = entry.get("summary", "")
        body = html_text(content or summary)
        title = entry.get("title", "").strip()
        text = f"{title}\n\n{body}".strip() if title and not body.startswith(title) else body
        needs_article = not content and len(body) < SHORT and entry.get("link")
        items.append((Post(name, item_number(key), _published(entry, now), text, url=entry.get("link")),
                      entry.get("link") if needs_article else None))
    items.sort(key=lambda item: item[0].published)
    return items


def read_feed(fetcher: Fetcher, source: dict, now: dt.datetime,
              is_known: Callable[[int], bool] = lambda number: False) -> ChannelReading:
    """Read a feed; summary-only items not stored yet are completed from their articles."""
    answer = fetcher.get(source["url"], etag=source["etag"], last_modified=source["last_modified"])
    reading = ChannelReading(etag=answer.etag, last_modified=answer.last_modified, pages=1, judges_deletions=False)
    if answer.text is None:
        reading.unchanged = True
        return reading
    for post, link in parse_feed(answer.text, source["name"], now):
        if link and is_known(post.id):
            continue  # stored from its article already: the summary is no revision of it
        if link:
            article = article_text(fetcher, link)
            reading.pages += 1
            if article:
                title = post.text.split("\n\n", 1)[0]
                post = Post(post.channel, post.id, post.published, f"{title}\n\n{article}", url=post.url)
        reading.posts.append(post)
    return reading

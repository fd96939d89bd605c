"""Telegram's public web preview of a channel (``https://t.me/s/<channel>``): page in, posts out.

A pure function over the page's HTML; the markup it expects is the one public scrapers read
(snscrape, RSSHub), kept in ``SELECTORS`` so that a change of the site is fixed in one place.
The selectors cannot be checked against the live site from a test, so a page that yields no
post and carries no "no posts" marker is an error (``MalformedData``), never an empty success.

>>> html = '''<div class="tgme_widget_message" data-post="kpszsu/7"><div class="tgme_widget_message_bubble">
... <div class="tgme_widget_message_text">Ворог атакував<br/>52 БпЛА</div>
... <a class="tgme_widget_message_date"><time datetime="2025-07-04T09:40:00+03:00"></time></a></div></div>'''
>>> page = parse_page(html, "kpszsu")
>>> page.posts[0].id, page.posts[0].text, page.before
(7, 'Ворог атакував\\n52 БпЛА', None)
"""

from __future__ import annotations

import datetime as dt

from selectolax.lexbor import LexborHTMLParser, LexborNode

from airtally.errors import MalformedData
from airtally.sources.posts import Page, Post

# Every selector of the page in one place.
SELECTORS = {
    "post": "div.tgme_widget_message[data-post]",
    # the post's own text: a direct child of the bubble (a quoted reply's text sits in an <a>)
    "text": ".tgme_widget_message_bubble > .tgme_widget_message_text",
    "time": "a.tgme_widget_message_date > time[datetime]",
    "edited": "span.tgme_widget_message_edited",
    "more": "a.tme_messages_more[data-before]",
    "no_posts": ".tme_no_messages_found",
    "service": "service_message",  # a class: "channel photo updated" and the like, not posts
}


def parse_page(html: str, channel: str) -> Page:
    """The posts of a preview page (oldest first) and the cursor to older posts.

    Raises ``MalformedData`` when the page holds neither a post nor the "no posts" marker.
    """
    tree = LexborHTMLParser(html)
    posts = []
    for node in tree.css(SELECTORS["post"]):
        post = _post(node, channel)
        if post is not None:
            posts.append(post)
    if not posts and tree.css_first(SELECTORS["no_posts"]) is None and not tree.css(SELECTORS["post"]):
        raise MalformedData(f"the preview page of {channel!r} holds no post and no 'no posts' marker "
                            f"(the page's markup may have changed: see airtally/sources/telegram_page.py)")
    posts.sort(key=lambda p: p.id)
    return Page(posts, _before(tree))


def _post(node: LexborNode, channel: str) -> Post | None:
    if SELECTORS["service"] in (node.attributes.get("class") or "").split():
        return None
    name, _, number = (node.attributes.get("data-post") or "").rpartition("/")
    if not number.isdigit():
        raise MalformedData(f"a post of {channel!r} has data-post={node.attributes.get('data-post')!r}, "
                            "not '<channel>/<id>'")
    time = node.css_first(SELECTORS["time"])
    published = _time(time.attributes.get("datetime") if time else None, channel, number)
    text_node = node.css_first(SELECTORS["text"])
    text = post_text(text_node) if text_node is not None else ""
    edited = node.css_first(SELECTORS["edited"]) is not None
    return Post(name or channel, int(number), published, text, edited)


def _time(value: str | None, channel: str, number: str) -> dt.datetime:
    try:
        parsed = dt.datetime.fromisoformat(value or "")
    except ValueError:
        raise MalformedData(f"post {channel}/{number} has no readable time ({value!r})") from None
    if parsed.tzinfo is None:
        raise MalformedData(f"post {channel}/{number}'s time {value!r} has no UTC offset")
    return parsed.astimezone(dt.timezone.utc)


def post_text(node: LexborNode) -> str:
    """The text of a message node: ``<br>`` as a line break, entities decoded, tags dropped."""
    parts = []
    for child in node.traverse(include_text=True):
        if child.tag == "-text":
            parts.append(child.text_content or "")
        elif child.tag == "br":
            parts.append("\n")
    return "".join(parts).strip()


def _before(tree: LexborHTMLParser) -> int | None:
    more = tree.css_first(SELECTORS["more"])
    value = more.attributes.get("data-before") if more is not None else None
    return int(value) if value and value.isdigit() else None

"""Feeds: RSS and Atom items into reports; a summary-only item is read from its article, once."""

from __future__ import annotations

import datetime as dt
import random

import sqlalchemy as sa

from airtally.sources.feeds import html_text, parse_feed
from airtally.sources.fetch import Fetcher
from airtally.sources.followed import add_source, list_sources
from airtally.sources.watch import Watcher
from airtally.storage.tables_record import reports
from tests.sources.fake_telegram import FakeTelegram, Serving

NOW = dt.datetime(2025, 7, 4, 12, 0, tzinfo=dt.timezone.utc)
ARTICLE_TEXT = ("Russia launched 539 drones and 11 missiles at Ukraine overnight, the air force said on Friday. "
                "Air defences shot down 268 drones and two missiles, it said in a statement on Telegram.")


def rss(base: str) -> str:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
<title>Example news</title><link>{base}/</link><description>news</description>
<item><title>Overnight attack on Kyiv</title><link>{base}/news/1</link><guid>{base}/news/1</guid>
<pubDate>Fri, 04 Jul 2025 08:00:00 GMT</pubDate><description>Teaser only.</description></item>
<item><title>Drones over Odesa</title><link>{base}/news/2</link><guid>{base}/news/2</guid>
<pubDate>Fri, 04 Jul 2025 09:00:00 GMT</pubDate><description>x</description>
<content:encoded><![CDATA[<p>Russia attacked Odesa with 20 drones overnight;</p><p>air defences shot down 18.</p>]]></content:encoded></item>
</channel></rss>"""


ARTICLE = f"""<!DOCTYPE html><html><head><title>Overnight attack on Kyiv</title></head><body>
<nav><a href="/">Home</a> | <a href="/world">World</a></nav>
<article><h1>Overnight attack on Kyiv</h1><p>{ARTICLE_TEXT}</p>
<p>The attack was one of the largest of the war, officials said, and damaged buildings in several districts of the capital.</p></article>
<footer>© Example news. All rights reserved. Subscribe to our newsletter.</footer></body></html>"""


def test_html_text_keeps_paragraphs_apart():
    assert html_text("<p>one <b>bold</b> line</p><p>two<br>three</p>") == "one bold line\ntwo\nthree"


def test_parse_feed_marks_summary_only_items():
    items = parse_feed(rss("http://x"), "example", NOW)
    assert [link for _, link in items] == ["http://x/news/1", None]
    assert items[1][0].text.startswith("Drones over Odesa\n\nRussia attacked Odesa with 20 drones")


def test_a_feed_is_watched_and_articles_fetched_once(engine):
    fake = FakeTelegram()
    with Serving(fake) as url:
        fake.feeds["/feed.xml"] = rss(url)
        fake.feeds["/news/1"] = ARTICLE
        with engine.begin() as conn:
            add_source(conn, "example", platform="feed", kind="news", url=f"{url}/feed.xml", now=NOW)
        fetcher = Fetcher(timeout=2.0)
        watcher = Watcher(engine, fetcher, clock=lambda: NOW, rng=random.Random(0))
        first, = watcher.run(once=True)
        second, = watcher.run(once=True)
        fetcher.close()
    assert first.error is None and first.new == 2 and second.new == 0 and second.revised == 0
    with engine.connect() as conn:
        assert list_sources(conn)[0]["last_post_id"] is None  # an item's number is no position
    assert [p for p, _ in fake.requests].count("/news/1") == 1
    with engine.connect() as conn:
        texts = dict(conn.execute(sa.select(reports.c.origin, reports.c.text)).all())
    assert ARTICLE_TEXT in texts[f"{url}/news/1"] and "Subscribe" not in texts[f"{url}/news/1"]

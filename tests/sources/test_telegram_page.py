"""The preview page parser on stored pages of the real markup."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from airtally.errors import MalformedData
from airtally.sources.telegram_page import parse_page

FIXTURES = Path(__file__).parent / "fixtures"


def _page(name: str, channel: str = "kpszsu"):
    return parse_page((FIXTURES / name).read_text("utf-8"), channel)


def test_posts_oldest_first_with_gaps_and_no_service_message():
    page = _page("kpszsu_page.html")
    assert [p.id for p in page.posts] == [13987, 13990, 13994, 13995]
    assert page.before == 13987


def test_time_is_the_time_elements_with_its_offset():
    post = _page("kpszsu_page.html").posts[1]
    assert post.published == dt.datetime(2025, 7, 4, 6, 40, 12, tzinfo=dt.timezone.utc)


def test_text_keeps_line_breaks_decodes_entities_and_emoji():
    posts = _page("kpszsu_page.html").posts
    assert posts[0].text == "⚠️ Загроза застосування балістичного озброєння з півдня!"
    text = posts[1].text
    assert text.startswith("У ніч на 4 липня (з 18:00 3 липня) противник атакував 539 ударними БпЛА")
    assert "ракетами.\n\nСтаном на 09:00 збито/подавлено 270 засобів" in text
    assert "mil.gov.ua/news/?id=1&lang=uk" in text
    assert text.endswith("#контрнаступ")


def test_reply_text_is_not_the_posts_text():
    post = _page("kpszsu_page.html").posts[2]
    assert post.text == "Оновлено станом на 11:00: збито/подавлено 272 засоби."


def test_edited_flag():
    assert [p.edited for p in _page("kpszsu_page.html").posts] == [False, True, False, False]


def test_a_post_without_text_is_kept_empty():
    post = _page("kpszsu_page.html").posts[3]
    assert (post.id, post.text) == (13995, "")


def test_no_posts_marker_is_an_empty_page():
    page = _page("empty_channel.html", "new_channel")
    assert page.posts == [] and page.before is None


def test_a_page_of_unknown_markup_fails_loudly():
    with pytest.raises(MalformedData, match="no post and no 'no posts' marker"):
        _page("changed_markup.html")


@pytest.mark.parametrize("html,message", [
    ('<div class="tgme_widget_message" data-post="kpszsu/x"></div>', "data-post='kpszsu/x'"),
    ('<div class="tgme_widget_message" data-post="kpszsu/5"></div>', "no readable time"),
    ('<div class="tgme_widget_message" data-post="kpszsu/5"><a class="tgme_widget_message_date">'
     '<time datetime="2025-07-04T09:40:00"></time></a></div>', "has no UTC offset"),
])
def test_a_broken_post_names_what_is_wrong(html, message):
    with pytest.raises(MalformedData, match=message):
        parse_page(html, "kpszsu")

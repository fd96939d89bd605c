"""Which kind of report a text is: national, regional or news.

``--kind`` decides when given; otherwise a text that relays what others said ("the air force
said", "як повідомили", "сообщают": record/data/news_markers.yaml) is news, else the
extractor's scope (the Air Force's national post or a regional command's post), else news.

>>> report_kind("The Ukrainian air force confirmed 539 drones.", "national")
'news'
>>> report_kind("У ніч на 4 липня ворог атакував 539 ударними БпЛА.", "national")
'national'
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import yaml

from airtally.catalog.normalize import fold

KINDS = ("national", "regional", "news")


@lru_cache(maxsize=1)
def news_markers() -> tuple[str, ...]:
    text = resources.files("airtally.record").joinpath("data/news_markers.yaml").read_text("utf-8")
    return tuple(fold(m) for markers in yaml.safe_load(text).values() for m in markers)


def looks_like_news(text: str) -> bool:
    """True when the text relays what others said (a news marker occurs in it)."""
    folded = fold(text)
    return any(marker in folded for marker in news_markers())


def report_kind(text: str, scope: str | None, given: str | None = None) -> str:
    """The kind of the report: ``given``, else news for news-like text, else ``scope``, else news."""
    if given:
        return given
    if looks_like_news(text):
        return "news"
    return scope if scope in ("national", "regional") else "news"

"""Typed posts as the sources read them: one channel's post, one page of posts.

>>> import datetime as dt
>>> post = Post("kpszsu", 12, dt.datetime(2025, 7, 4, 6, 40, tzinfo=dt.timezone.utc), "text")
>>> post.key
('kpszsu', 12)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Post:
    """One post of a channel: its identity is ``(channel, id)``, never its text.

    ``text`` is the post's own text (not a quoted reply), line breaks kept; ``edited`` says the
    channel marked it as edited; ``edited_at`` is known only from an export.
    """

    channel: str
    id: int
    published: dt.datetime
    text: str
    edited: bool = False
    edited_at: dt.datetime | None = None
    url: str | None = None  # where it can be read, when not a channel's post (a feed item's link)

    @property
    def key(self) -> tuple[str, int]:
        return (self.channel, self.id)


@dataclass
class Page:
    """The posts of one page (oldest first) and the cursor to the page before it, if any."""

    posts: list[Post] = field(default_factory=list)
    before: int | None = None

    @property
    def newest_id(self) -> int | None:
        return max((p.id for p in self.posts), default=None)

    @property
    def oldest_id(self) -> int | None:
        return min((p.id for p in self.posts), default=None)

"""A fake Telegram web preview (and feed server) on loopback, serving pages of the real markup.

Posts can be added, edited and deleted while it runs; ``faults`` queues answers for the next
requests (429 with Retry-After, 500, a slow answer, a broken page); every request is recorded.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

PAGE_SIZE = 20


@dataclass
class FakePost:
    id: int
    published: dt.datetime
    text: str
    edited: bool = False
    deleted: bool = False


def render_post(channel: str, post: FakePost) -> str:
    text = "<br/>".join(html.escape(line) for line in post.text.split("\n"))
    edited = '<span class="tgme_widget_message_edited">edited</span> ' if post.edited else ""
    return (
        '<div class="tgme_widget_message_wrap js-widget_message_wrap">'
        f'<div class="tgme_widget_message text_not_supported_wrap js-widget_message" data-post="{channel}/{post.id}">'
        '<div class="tgme_widget_message_bubble">'
        f'<div class="tgme_widget_message_author accent_color"><a class="tgme_widget_message_owner_name" '
        f'href="https://t.me/{channel}"><span dir="auto">{channel}</span></a></div>'
        f'<div class="tgme_widget_message_text js-message_text" dir="auto">{text}</div>'
        '<div class="tgme_widget_message_footer compact js-message_footer"><div class="tgme_widget_message_info short">'
        f'<span class="tgme_widget_message_meta">{edited}<a class="tgme_widget_message_date" '
        f'href="https://t.me/{channel}/{post.id}"><time datetime="{post.published.isoformat()}" class="time">'
        f'{post.published:%H:%M}</time></a></span></div></div></div></div></div>'
    )


def render_page(channel: str, posts: list[FakePost], before: int | None, page_size: int = PAGE_SIZE) -> str:
    visible = [p for p in sorted(posts, key=lambda p: p.id) if not p.deleted and (before is None or p.id < before)]
    page = visible[-page_size:]
    more = ""
    if page and len(visible) > len(page):
        more = (f'<div class="tgme_widget_messages_more_wrap"><a href="/s/{channel}?before={page[0].id}" '
                f'class="tme_messages_more js-messages_more" data-before="{page[0].id}"></a></div>')
    body = "".join(render_post(channel, p) for p in page) or '<div class="tme_no_messages_found">No posts found</div>'
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{channel} – Telegram</title></head>'
            f'<body class="widget_frame_base"><main class="tgme_main"><section class="tgme_channel_history '
            f'js-message_history">{more}{body}</section></main></body></html>')


@dataclass
class Fault:
    status: int = 200
    retry_after: str | None = None
    delay: float = 0.0
    body: str | None = None


@dataclass
class FakeTelegram:
    channels: dict[str, list[FakePost]] = field(default_factory=dict)
    faults: list[Fault] = field(default_factory=list)
    requests: list[tuple[str, dict]] = field(default_factory=list)
    feeds: dict[str, str] = field(default_factory=dict)  # path -> body (feeds and articles)
    page_size: int = PAGE_SIZE
    lock: threading.Lock = field(default_factory=threading.Lock)

    def post(self, channel: str, id_: int, text: str, published: dt.datetime) -> FakePost:
        post = FakePost(id_, published, text)
        with self.lock:
            self.channels.setdefault(channel, []).append(post)
        return post

    def find(self, channel: str, id_: int) -> FakePost:
        return next(p for p in self.channels[channel] if p.id == id_)

    def answer(self, path: str, query: dict, headers: dict) -> tuple[int, dict, str]:
        with self.lock:
            self.requests.append((path + ("?" + "&".join(f"{k}={v[0]}" for k, v in query.items()) if query else ""),
                                  headers))
            fault = self.faults.pop(0) if self.faults else None
        if fault is not None:
            time.sleep(fault.delay)
            if fault.status != 200 or fault.body is not None:
                extra = {"Retry-After": fault.retry_after} if fault.retry_after else {}
                return fault.status, extra, fault.body or f"error {fault.status}"
        if path in self.feeds:
            return 200, {"Content-Type": "application/xml; charset=utf-8"}, self.feeds[path]
        if not path.startswith("/s/") or path[3:] not in self.channels:
            return 404, {}, "not found"
        before = int(query["before"][0]) if "before" in query else None
        with self.lock:
            body = render_page(path[3:], list(self.channels[path[3:]]), before, self.page_size)
        etag = '"' + hashlib.sha256(body.encode()).hexdigest()[:16] + '"'
        if before is None and headers.get("if-none-match") == etag:
            return 304, {"ETag": etag}, ""
        return 200, {"ETag": etag, "Content-Type": "text/html; charset=utf-8"}, body


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (the standard library's name)
        parsed = urlparse(self.path)
        status, headers, body = self.server.fake.answer(parsed.path, parse_qs(parsed.query),
                                                        {k.lower(): v for k, v in self.headers.items()})
        data = body.encode("utf-8")
        try:
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def log_message(self, *args):
        pass


class Serving:
    """``with Serving(fake) as url``: the fake on a free loopback port, in a thread."""

    def __init__(self, fake: FakeTelegram):
        self.fake = fake
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.server.daemon_threads = True
        self.server.fake = fake
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)

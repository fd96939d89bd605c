"""Telegram Desktop's JSON export of a channel (``result.json``): text in, posts out (pure).

Each message has ``id``, ``date_unixtime`` (used: ``date`` is the exporting computer's local
time without an offset), ``text`` (a string, or a list of strings and entities such as
``{"type": "bold", "text": "..."}``), and ``edited_unixtime`` once edited. Service messages
(``"type": "service"``: "channel created", pinned messages) are not posts.

>>> export = '{"name": "Air Force", "type": "public_channel", "messages": [{"id": 5, "type": "message",'\\
...     ' "date": "2025-07-04T09:40:12", "date_unixtime": "1751611212", "text": ["Збито ", {"type": "bold",'\\
...     ' "text": "270"}, " засобів"]}]}'
>>> posts = parse_export(export, "kpszsu")
>>> posts[0].id, posts[0].text, posts[0].published.isoformat()
(5, 'Збито 270 засобів', '2025-07-04T06:40:12+00:00')
"""

from __future__ import annotations

import datetime as dt
import json

from airtally.errors import MalformedData
from airtally.sources.posts import Post


def flatten(text: str | list) -> str:
    """A message's text with its entities flattened to their text."""
    if isinstance(text, str):
        return text
    return "".join(part if isinstance(part, str) else str(part.get("text", "")) for part in text)


def _moment(value, what: str, message_id) -> dt.datetime:
    try:
        return dt.datetime.fromtimestamp(int(value), dt.timezone.utc)
    except (TypeError, ValueError):
        raise MalformedData(f"message {message_id} has no readable {what} ({value!r}): "
                            "export the channel again with Telegram Desktop (JSON)") from None


def parse_export(raw: str, channel: str) -> list[Post]:
    """The posts of an export, oldest first; ``MalformedData`` names what is wrong."""
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise MalformedData(f"not JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from None
    messages = data.get("messages") if isinstance(data, dict) else None
    if not isinstance(messages, list):
        raise MalformedData("no 'messages' list: not a Telegram Desktop export of one channel (result.json)")
    posts = []
    for message in messages:
        if not isinstance(message, dict) or message.get("type") != "message":
            continue
        if not isinstance(message.get("id"), int):
            raise MalformedData(f"a message has no integer id ({message.get('id')!r})")
        edited = message.get("edited_unixtime")
        posts.append(Post(channel, message["id"], _moment(message.get("date_unixtime"), "date_unixtime", message["id"]),
                          flatten(message.get("text", "")).strip(), edited is not None,
                          _moment(edited, "edited_unixtime", message["id"]) if edited is not None else None))
    posts.sort(key=lambda p: p.id)
    return posts

"""Waking the readers of the outbox: a writer announces a new event, a process waiting for
events is woken by it.

How a wake-up travels, the first that applies:

- Redis pub/sub, when ``$AIRTALLY_REDIS_URL`` (or ``airtally serve --redis URL``) names a
  server: the writer publishes the newest event id on the database's channel
  (``airtally_events:<hash of the database's address>``) after its transaction commits
  (``transactions.after_commit``); every waiting process is subscribed.
- PostgreSQL ``LISTEN/NOTIFY``, when the database is PostgreSQL: the writer's ``NOTIFY`` is
  part of its transaction, so the server delivers it exactly when the event becomes visible.
- Polling the outbox (``Hub(poll_interval=...)``, default every second) otherwise.

A process waits in one ``Hub``: a single thread listens (or polls) for all of its streams, so a
thousand idle clients cost one connection and no queries. With Redis or PostgreSQL the hub
also reads the newest id every ``safety_interval`` seconds, so that a wake-up lost with a
dropped connection (or sent by a writer outside ``write_transaction``) delays an event, never
loses it.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import URL, Connection, Engine, make_url

from airtally.storage.tables_events import events
from airtally.storage.transactions import after_commit

LOG = logging.getLogger(__name__)

CHANNEL = "airtally_events"
_NOTIFY = sa.text("SELECT pg_notify(:channel, :payload)")
_configured_redis: str | None = None
_clients: dict[str, object] = {}


def configure(redis_url: str | None) -> None:
    """Use ``redis_url`` for wake-ups in this process (``serve --redis``), over ``$AIRTALLY_REDIS_URL``."""
    global _configured_redis
    _configured_redis = redis_url or None


def redis_url() -> str | None:
    """The Redis server wake-ups travel through, or None."""
    return _configured_redis or os.environ.get("AIRTALLY_REDIS_URL", "").strip() or None


def _redis(url: str):
    import redis  # imported on use: only a deployment that names a server needs the client

    client = _clients.get(url)
    if client is None:
        client = _clients[url] = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
    return client


def publish(url: str, channel: str, event_id: int) -> None:
    """Publish ``event_id`` on Redis; a server that cannot be reached is logged, not raised: the
    event is committed, and the readers' own reading of the outbox finds it."""
    try:
        _redis(url).publish(channel, str(event_id))
    except Exception as exc:  # redis.RedisError and socket errors alike
        LOG.warning("could not publish event %s on Redis %s: %s", event_id, url, exc)


def redis_channel(url: URL) -> str:
    """The Redis channel of the database at ``url``: one server may serve several databases,
    and an id announced for one means nothing to another's readers.

    >>> redis_channel(make_url("postgresql+psycopg://u:secret@db/airtally")) == redis_channel(make_url("postgresql://u@db/airtally"))
    True
    """
    if url.get_backend_name() == "sqlite":
        where = f"sqlite:{Path(url.database).resolve() if url.database and url.database != ':memory:' else url.database}"
    else:
        where = f"{url.get_backend_name()}://{url.host}:{url.port or ''}/{url.database}"
    return f"{CHANNEL}:{hashlib.sha256(where.encode()).hexdigest()[:16]}"


def announce(conn: Connection, event_id: int) -> None:
    """Tell waiting readers that ``event_id`` exists, once ``conn``'s transaction commits."""
    if conn.dialect.name == "postgresql":
        conn.execute(_NOTIFY, {"channel": CHANNEL, "payload": str(event_id)})
    url = redis_url()
    if url:
        channel = redis_channel(conn.engine.url)
        after_commit(conn, lambda: publish(url, channel, event_id), key=CHANNEL)


def newest_id(engine: Engine) -> int:
    with engine.connect() as conn:
        return conn.execute(sa.select(sa.func.max(events.c.id))).scalar() or 0


class Hub:
    """Where the streams of one process wait for events above an id.

    >>> from airtally.storage.database import open_database
    >>> hub = Hub(open_database("sqlite://"), poll_interval=0.05).start()
    >>> hub.mode, hub.wait_sync(0, timeout=0.1)
    ('poll', 0)
    >>> hub.stop()
    """

    def __init__(self, engine: Engine, *, redis: str | None = None, poll_interval: float = 1.0,
                 safety_interval: float = 10.0):
        self.engine = engine
        self.redis = redis if redis is not None else redis_url()
        self.mode = "redis" if self.redis else "postgresql" if engine.dialect.name == "postgresql" else "poll"
        self.poll_interval, self.safety_interval = poll_interval, safety_interval
        self.latest = 0
        self._changed = threading.Condition()
        self._waiters: set[tuple[asyncio.AbstractEventLoop, asyncio.Future]] = set()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._last_check = 0.0

    def start(self) -> Hub:
        self.latest = newest_id(self.engine)
        self._last_check = time.monotonic()
        listen = {"redis": self._listen_redis, "postgresql": self._listen_postgresql, "poll": self._poll}[self.mode]
        self._thread = threading.Thread(target=self._run, args=(listen,), name=f"airtally-events-{self.mode}", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout=5)

    # -- waiting -------------------------------------------------------------------------------
    def wait_sync(self, after: int, timeout: float) -> int:
        """The newest event id once it is above ``after``, or when ``timeout`` seconds have passed."""
        with self._changed:
            self._changed.wait_for(lambda: self.latest > after, timeout=timeout)
            return self.latest

    async def wait(self, after: int, timeout: float) -> int:
        """``wait_sync`` for a coroutine: the event loop is never blocked."""
        if self.latest > after:
            return self.latest
        loop = asyncio.get_running_loop()
        entry = (loop, loop.create_future())
        self._waiters.add(entry)
        try:
            if self.latest <= after:  # an event that came between the check and the registration
                await asyncio.wait([entry[1]], timeout=timeout)
        finally:
            self._waiters.discard(entry)
        return self.latest

    def _seen(self, event_id: int) -> None:
        if event_id <= self.latest:
            return
        with self._changed:
            self.latest = event_id
            self._changed.notify_all()
        by_loop: dict[asyncio.AbstractEventLoop, list[asyncio.Future]] = {}
        for loop, future in list(self._waiters):
            by_loop.setdefault(loop, []).append(future)
        for loop, futures in by_loop.items():  # one wake-up of each loop for all of its streams
            loop.call_soon_threadsafe(_settle, futures)

    # -- listening -------------------------------------------------------------------------------
    def _run(self, listen: Callable[[], None]) -> None:
        while not self._stopping.is_set():
            try:
                listen()
            except Exception as exc:  # a dropped server: poll while reconnecting
                LOG.warning("event wake-ups by %s failed (%s); reading the outbox meanwhile", self.mode, exc)
                self._check()
                self._stopping.wait(min(self.safety_interval, 2.0))

    def _check(self) -> None:
        try:
            self._seen(newest_id(self.engine))
        except Exception as exc:
            LOG.warning("could not read the outbox: %s", exc)

    def _poll(self) -> None:
        while not self._stopping.wait(self.poll_interval):
            self._check()

    def _listen_redis(self) -> None:
        import redis  # imported on use (see _redis)

        assert self.redis is not None, "the redis mode is chosen only when a Redis URL is set"
        client = redis.Redis.from_url(self.redis, socket_connect_timeout=2, socket_timeout=self.safety_interval + 5)
        pubsub = client.pubsub(ignore_subscribe_messages=True)
        try:
            pubsub.subscribe(redis_channel(self.engine.url))
            self._check()  # what was written before the subscription took
            while not self._stopping.is_set():
                message = pubsub.get_message(timeout=min(self.safety_interval, 1.0))
                if message is None:
                    self._maybe_check()
                    continue
                self._seen(_event_id(message.get("data")))
        finally:
            pubsub.close()
            client.close()

    def _listen_postgresql(self) -> None:
        import psycopg  # the PostgreSQL driver airtally uses

        url = self.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f"LISTEN {CHANNEL}")
            self._check()
            while not self._stopping.is_set():
                for note in conn.notifies(timeout=min(self.safety_interval, 1.0)):
                    self._seen(_event_id(note.payload))
                self._maybe_check()

    def _maybe_check(self) -> None:
        """The safety reading of the newest id, every ``safety_interval`` seconds."""
        now = time.monotonic()
        if now - self._last_check >= self.safety_interval:
            self._last_check = now
            self._check()


def _event_id(data) -> int:
    try:
        return int(data.decode() if isinstance(data, bytes) else data)
    except (TypeError, ValueError):
        return 0


def _settle(futures: list[asyncio.Future]) -> None:
    for future in futures:
        if not future.done():
            future.set_result(None)

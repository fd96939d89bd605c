"""``airtally watch``: poll the followed sources and keep the record and the alert history current.

One poll of one source is one transaction: the posts it brought (reports, revisions,
withdrawals, alert events), what was read (``source_posts``) and where the source stands
(``last_post_id``, validators, next poll) commit together, so a watcher killed at any moment
loses nothing and stores nothing twice: the next poll reads the same pages again.

Politeness: each source has its own interval (default 300 s) with ±10 % jitter; a failed poll
(timeout, 429, 5xx, a malformed page) is recorded as the source's error and the source waits
``Retry-After`` when the server gave one, else its interval doubled per failure in a row (at
most an hour).

Sharing: on PostgreSQL several watchers share the sources; each takes one due source with
``SELECT ... FOR UPDATE SKIP LOCKED`` and holds it for the length of its poll, so no source is
polled by two at once and a dead watcher's sources are taken over at their next due time. On
SQLite one watcher runs at a time (``watch_lock``).
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import overload

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from airtally.alerts.channel import AlertPost, read_post, store_posts
from airtally.alerts.live import Watcher as AlertsApiWatcher
from airtally.errors import AirtallyError, DatabaseError, MalformedData
from airtally.record.attack_events import AttackChanges
from airtally.record.events import env_number
from airtally.record.ingest import Outcome
from airtally.record.posts import post_hash, store_post, withdraw_post
from airtally.record.threats import forget_threats, store_threats
from airtally.sources.fetch import Fetcher, FetchError
from airtally.sources.posts import Post
from airtally.sources.telegram import ChannelReading, read_channel, recheck_due
from airtally.storage.tables_watch import followed_sources as fs, source_posts as sp
from airtally.storage.transactions import collecting_after_commit, run_actions, take_write_lock, write_transaction

LOG = logging.getLogger("airtally.sources.watch")
JITTER = 0.10
MAX_BACKOFF = 3600.0
UTC = dt.timezone.utc
THREAT_KINDS = ("national", "regional")  # the channels that post live threats during an attack


@dataclass
class PollResult:
    """What one poll of one source did."""

    source: str
    new: int = 0
    revised: int = 0
    deleted: int = 0
    pending: int = 0
    pages: int = 0
    threats: int = 0
    error: str | None = None

    def __str__(self) -> str:
        if self.error:
            return f"{self.source}: error: {self.error}"
        return (f"{self.source}: {self.new} new, {self.revised} revised, {self.deleted} deleted, "
                f"{self.pending} kept to re-read, {self.threats} threats ({self.pages} pages)")


def jittered(interval: float, rng: random.Random) -> float:
    return interval * rng.uniform(1 - JITTER, 1 + JITTER)


def backoff(interval: float, failures: int, retry_after: float | None) -> float:
    """Seconds to wait after ``failures`` failed polls in a row."""
    if retry_after is not None:
        return max(retry_after, 1.0)
    return min(interval * 2 ** max(failures - 1, 0), max(MAX_BACKOFF, interval))


# --- one poll ----------------------------------------------------------------------------------

def _known(conn: Connection, source_id: int, posts: list[Post], ranged: bool = True) -> dict[str, dict]:
    """Stored posts of the source: those read now, and those from the oldest read on (a stored
    post of that range that is no longer on the pages was deleted)."""
    if not posts:
        return {}
    keys = {str(p.id) for p in posts}
    oldest = posts[0]
    rows = conn.execute(sa.select(sp.c.id, sp.c.post_key, sp.c.text_hash, sp.c.status)
                        .where(sp.c.source_id == source_id, sp.c.deleted_at.is_(None),
                               sa.or_(sp.c.post_key.in_(sorted(keys)),
                                      sp.c.published_at >= oldest.published if ranged else sa.false())))
    found = {}
    for row in rows.mappings():
        key = row["post_key"]
        if key in keys or (ranged and key.isdigit() and int(key) >= oldest.id):
            found[key] = dict(row)
    return found


# Statements built once: building one per post (.values(...)) cost more than running it.
_INSERT_POST = sp.insert()
_UPDATE_POST = sp.update().where(sp.c.id == sa.bindparam("row_id"))


def _save_post(conn: Connection, source_id: int, post: Post, digest: str, status: str, now: dt.datetime,
               known: dict | None, note: str | None = None, report_id: int | None = None) -> None:
    values = dict(published_at=post.published, text_hash=digest, status=status, note=note, seen_at=now,
                  deleted_at=None, report_id=report_id, text=post.text if status == "pending" else None)
    if known is None:
        conn.execute(_INSERT_POST, dict(source_id=source_id, post_key=str(post.id), **values))
    else:
        conn.execute(_UPDATE_POST, dict(row_id=known["id"], **values))


def catching_up(source: dict, now: dt.datetime) -> bool:
    """Whether a poll of ``source`` at ``now`` catches up (its events recorded, not to be sent):
    the source's first poll (what it reads is history), or the first after the watcher was down
    longer than $AIRTALLY_CATCHUP_MINUTES (default 30) and three of the source's intervals."""
    last = _aware(source.get("last_poll_at"))
    if last is None:
        return True
    gap = max(dt.timedelta(minutes=env_number("AIRTALLY_CATCHUP_MINUTES", 30.0)),
              dt.timedelta(seconds=3 * source["interval_s"]))
    return now - last > gap


def apply_reading(conn: Connection, source: dict, reading: ChannelReading, now: dt.datetime) -> PollResult:
    """Store what a poll read, inside the caller's transaction (see the module docstring), with
    one event per attack it changed and one per new threat (``airtally.record.events``)."""
    result = PollResult(source["name"], pages=reading.pages)
    changes = AttackChanges(conn, notify=not catching_up(source, now), now=now)
    known = _known(conn, source["id"], reading.posts, reading.judges_deletions)
    alert_posts: list[AlertPost] = []
    for post in reading.posts:
        digest = post_hash(post.text)
        stored = known.get(str(post.id))
        if stored is not None and stored["text_hash"] == digest and stored["status"] != "pending":
            continue
        status, note, report_id, alert = take_post(conn, source, post, result, changes)
        if alert is not None:
            alert_posts.append(alert)
        if status == "pending":
            result.pending += 1
        elif stored is None:
            result.new += 1
        elif source["kind"] == "alerts" and stored["text_hash"] != digest:
            result.revised += 1
        _save_post(conn, source["id"], post, digest, status, now, stored, note, report_id)
    on_pages = {str(p.id) for p in reading.posts}
    alert_posts += _reread_pending(conn, source, on_pages, result, changes)
    if alert_posts:
        store_posts(conn, sorted(alert_posts, key=lambda a: a.published))
    for key, stored in known.items():
        if key not in on_pages:
            conn.execute(sp.update().where(sp.c.id == stored["id"]).values(deleted_at=now))
            _withdraw(conn, source, key, now, changes)
            result.deleted += 1
    # a channel's ids grow with time; a feed item's number is a hash, no position
    newest = [p.id for p in reading.posts[-1:]] if reading.judges_deletions else []
    ids = newest + ([source["last_post_id"]] if source["last_post_id"] is not None else [])
    last = max(ids) if ids else None
    changes.emit()
    conn.execute(fs.update().where(fs.c.id == source["id"]).values(
        last_poll_at=now, last_post_id=last, last_error=None, failures=0,
        etag=reading.etag, last_modified=reading.last_modified))
    return result


def take_post(conn: Connection, source: dict, post: Post, result: PollResult,
              changes: AttackChanges) -> tuple[str, str | None, int | None, AlertPost | None]:
    """What becomes of one post, a new one or one read again: (status, note, report id, the
    alert post read from it). A report (and the threats of a national or regional channel) is
    stored here; an alert post is returned, to be folded with the poll's others."""
    if not post.text.strip():
        return "empty", None, None, None
    if source["kind"] == "alerts":
        alert = read_post(post.text, post.published)
        if not alert.unknown:
            return "stored", None, None, alert
        LOG.warning("%s/%s names places the registry does not know: %s (kept to re-read)",
                    source["name"], post.id, ", ".join(alert.unknown))
        return "pending", f"unknown places: {' '.join(alert.unknown)}", None, alert
    outcome, note = _store_report(conn, source, post, changes)
    if outcome is None:
        return "pending", note, None, None
    if source["kind"] in THREAT_KINDS:
        result.threats += len(store_threats(conn, source["name"], str(post.id), post.published, post.text,
                                            notify=changes.notify))
    if outcome.status in ("revised", "reinstated"):
        result.revised += 1
    return "stored", None, outcome.report_id, None


def _withdraw(conn: Connection, source: dict, key: str, now: dt.datetime, changes: AttackChanges) -> None:
    """A deleted post withdraws what it brought: its report and its threats."""
    if source["kind"] == "alerts" or not key.isdigit():
        return
    withdraw_post(conn, source["name"], int(key), now, changes)
    if source["kind"] in THREAT_KINDS:
        forget_threats(conn, source["name"], key)


def _store_report(conn: Connection, source: dict, post: Post,
                  changes: AttackChanges) -> tuple[Outcome | None, str | None]:
    """``store_post`` in a savepoint: a text the extractor fails on (a bug) must not stop the
    other posts; it is logged and its note returned, to be kept and read again."""
    try:
        with conn.begin_nested():
            return store_post(conn, post, kind=source["kind"], source=source["name"], changes=changes), None
    except DatabaseError:
        raise
    except Exception as exc:
        note = f"internal error: {type(exc).__name__}: {exc} (please report it)"
        LOG.error("%s/%s: %s", source["name"], post.id, note)
        return None, note


def _reread_pending(conn: Connection, source: dict, skip: set[str], result: PollResult,
                    changes: AttackChanges) -> list[AlertPost]:
    """Read again the posts kept ``pending`` (a place the registry did not know, a text the
    extractor failed on) through ``take_post``, as new ones are read: those now read whole are
    stored (their alert posts returned, to be stored with the others)."""
    found = []
    rows = conn.execute(sa.select(sp.c.id, sp.c.post_key, sp.c.published_at, sp.c.text)
                        .where(sp.c.source_id == source["id"], sp.c.status == "pending", sp.c.text.isnot(None),
                               sp.c.deleted_at.is_(None)))  # a deleted post is not read again
    for row in rows.all():
        if row.post_key in skip or not row.post_key.isdigit():
            continue
        post = Post(source["name"], int(row.post_key), _aware(row.published_at), row.text)
        status, _, report_id, alert = take_post(conn, source, post, result, changes)
        if status == "pending":
            continue  # still not read whole: kept
        if alert is not None:
            found.append(alert)
        conn.execute(sp.update().where(sp.c.id == row.id).values(status=status, note=None, text=None,
                                                                 report_id=report_id))
    return found


def record_failure(conn: Connection, source: dict, message: str, retry_after: float | None,
                   now: dt.datetime) -> PollResult:
    failures = (source["failures"] or 0) + 1
    wait = backoff(source["interval_s"], failures, retry_after)
    conn.execute(fs.update().where(fs.c.id == source["id"]).values(
        last_poll_at=now, last_error=message, last_error_at=now, failures=failures,
        next_poll_at=now + dt.timedelta(seconds=wait)))
    return PollResult(source["name"], error=message)


def read_source(fetcher: Fetcher, source: dict, now: dt.datetime, engine: Engine) -> ChannelReading:
    if source["platform"] != "telegram":
        from airtally.sources.feeds import read_feed

        def is_known(number: int) -> bool:
            with engine.connect() as conn:
                return conn.execute(sa.select(sp.c.id).where(sp.c.source_id == source["id"],
                                                             sp.c.post_key == str(number))).first() is not None

        return read_feed(fetcher, source, now, is_known)
    return read_channel(fetcher, source["url"], source["name"], last_post_id=source["last_post_id"],
                        since=_aware(source["since"]), now=now, etag=source["etag"],
                        last_modified=source["last_modified"], recheck=recheck_due(_aware(source["last_poll_at"]), now))


@overload
def _aware(value: dt.datetime) -> dt.datetime: ...
@overload
def _aware(value: None) -> None: ...
@overload
def _aware(value: dt.datetime | None) -> dt.datetime | None: ...
def _aware(value: dt.datetime | None) -> dt.datetime | None:
    return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


# --- choosing sources and the loop ---------------------------------------------------------------

def _source_query(due_at: dt.datetime | None):
    query = sa.select(fs).order_by(fs.c.next_poll_at, fs.c.id)
    if due_at is not None:
        query = query.where(sa.or_(fs.c.next_poll_at.is_(None), fs.c.next_poll_at <= due_at))
    return query


class Watcher:
    """Polls followed sources; ``clock`` and ``rng`` are injectable for tests."""

    def __init__(self, engine: Engine, fetcher: Fetcher, *, clock: Callable[[], dt.datetime] | None = None,
                 rng: random.Random | None = None, sleep: Callable[[float], None] = time.sleep,
                 alerts_api: AlertsApiWatcher | None = None):
        self.engine, self.fetcher = engine, fetcher
        self.clock = clock or (lambda: dt.datetime.now(UTC))
        self.rng = rng or random.Random()
        self.sleep = sleep
        # the alerts.in.ua client (airtally.alerts.live), polled beside the sources when configured
        self.alerts_api = alerts_api
        self._alerts_due: dt.datetime | None = None

    def poll_alerts_api(self, *, every: bool = False) -> None:
        """Poll alerts.in.ua when its client is configured and due (``ApiRefused`` passes up)."""
        now = self.clock()
        if self.alerts_api is None or not (every or self._alerts_due is None or now >= self._alerts_due):
            return
        result = self.alerts_api.poll()
        LOG.info("alerts.in.ua: %s", result.message)
        self._alerts_due = now + dt.timedelta(seconds=result.delay)

    def poll(self, source: dict, conn: Connection | None = None) -> PollResult:
        """Poll one source and store the outcome (on ``conn``'s transaction when given)."""
        now = self.clock()
        try:
            reading = read_source(self.fetcher, source, now, self.engine)
            error, wait = None, None
        except FetchError as exc:
            error, wait = exc.message, exc.retry_after
        except MalformedData as exc:
            error, wait = exc.message, None
        with self._writing(conn) as writer:
            if error is not None:
                LOG.warning("%s: %s", source["name"], error)
                return record_failure(writer, source, error, wait, now)
            result = apply_reading(writer, source, reading, now)
            writer.execute(fs.update().where(fs.c.id == source["id"]).values(
                next_poll_at=now + dt.timedelta(seconds=jittered(source["interval_s"], self.rng))))
        LOG.info("%s", result)
        return result

    @contextmanager
    def _writing(self, conn: Connection | None) -> Iterator[Connection]:
        if conn is not None:  # PostgreSQL: the claiming transaction writes, holding the write lock
            take_write_lock(conn)
            yield conn
            return
        with write_transaction(self.engine) as writer:
            yield writer

    def poll_due(self, *, every: bool = False) -> list[PollResult]:
        """Poll every source that is due (all of them with ``every``), each once."""
        due_at = None if every else self.clock()
        if self.engine.dialect.name == "postgresql":
            return self._poll_shared(due_at)
        with self.engine.connect() as conn:
            sources = [dict(row) for row in conn.execute(_source_query(due_at)).mappings()]
        return [self.poll(source) for source in sources]

    def _poll_shared(self, due_at: dt.datetime | None) -> list[PollResult]:
        results: list[PollResult] = []
        done: set[int] = set()
        while True:
            with self.engine.connect() as conn, collecting_after_commit(conn) as after_commit:
                with conn.begin():
                    query = _source_query(due_at).where(fs.c.id.notin_(done) if done else sa.true())
                    row = conn.execute(query.limit(1).with_for_update(skip_locked=True)).mappings().first()
                    if row is None:
                        return results
                    done.add(row["id"])
                    results.append(self.poll(dict(row), conn))
            run_actions(after_commit)  # the poll's wake-ups, once it has committed

    def next_due(self) -> dt.datetime | None:
        with self.engine.connect() as conn:
            return _aware(conn.execute(sa.select(sa.func.min(fs.c.next_poll_at))).scalar())

    def run(self, *, once: bool = False, max_rounds: int | None = None) -> list[PollResult]:
        """Poll until stopped (Ctrl-C), or once over every source with ``once``."""
        if once:
            self.poll_alerts_api(every=True)
            return self.poll_due(every=True)
        results: list[PollResult] = []
        rounds = 0
        while max_rounds is None or rounds < max_rounds:
            try:
                self.poll_alerts_api()
                results += self.poll_due()
            except DatabaseError as exc:  # a locked or unreachable database: the next round retries
                LOG.error("%s", exc.message)
            rounds += 1
            due = min((d for d in (self.next_due(), self._alerts_due) if d is not None), default=None)
            wait = 60.0 if due is None else (due - self.clock()).total_seconds()
            if max_rounds is None or rounds < max_rounds:
                self.sleep(min(max(wait, 0.5), 60.0))
        return results


@contextmanager
def watch_lock(engine: Engine) -> Iterator[None]:
    """On a SQLite file, refuse a second watcher (an exclusive lock on ``<file>.watch.lock``)."""
    database = engine.url.database if engine.dialect.name == "sqlite" else None
    if not database or database == ":memory:":
        yield
        return
    import fcntl

    path = Path(database).expanduser().with_suffix(Path(database).suffix + ".watch.lock")
    handle = open(path, "a+")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise AirtallyError(f"another airtally watch is running on {database}: on SQLite one watcher runs at "
                               "a time (use PostgreSQL for several watchers sharing the sources)") from None
        yield
    finally:
        handle.close()


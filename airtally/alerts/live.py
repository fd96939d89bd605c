"""The live alerts.in.ua client: poll the active alerts, store new and finished alerts.

Three parts, each replaceable so that tests run fast and a web API can reuse the loop:

* ``ApiClient`` fetches ``/v1/alerts/active.json`` over HTTP (httpx) with ``If-Modified-Since``
  and sorts every failure into "try again later" (``RetryLater``) or "stop" (``ApiRefused``);
* a sink stores a batch of events in one transaction (``MemorySink`` here; ``DatabaseSink``
  writes through ``airtally.alerts.store.upsert_events``);
* ``Watcher`` runs the polling loop on an injectable ``Clock``: it parses and validates a whole
  snapshot before writing, compares it with the alerts it knows to be active, and writes the
  difference (new alerts, and alerts that left the active set, as finished) in one transaction.

>>> clock = FakeClock(dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc))
>>> snap = Snapshot(events=[], last_updated_at=None)
>>> watcher = Watcher(StaticSource([Fetched(snap, None)]), MemorySink(), clock, interval=10)
>>> watcher.run(max_polls=1).polls
1
"""

from __future__ import annotations

import datetime as dt
import email.utils
import logging
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

import httpx
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from airtally.alerts.live_settings import DEFAULT_BASE_URL, DEFAULT_INTERVAL, DEFAULT_TIMEOUT
from airtally.alerts.alerts_in_ua import ACTIVE_PATH, SOURCE, Snapshot, history_path, parse_bytes
from airtally.alerts.store import upsert_events
from airtally.errors import AirtallyError, DatabaseError, InvalidValue, MalformedData
from airtally.model import AlertEvent
from airtally.storage.tables_alerts import alert_events
from airtally.storage.transactions import write_transaction
from airtally.urls import checked_http_url

log = logging.getLogger("airtally.alerts.live")

MIN_INTERVAL = 8.0  # the floor against the real service (see live_settings.DEFAULT_INTERVAL)
HISTORY_SPACING = 30.0
MAX_BACKOFF = 300.0
# A server may ask for a long pause; beyond an hour we assume a mistake and cap it.
MAX_RETRY_AFTER = 3600.0


def check_settings(interval: float, base_url: str) -> None:
    """Refuse a base URL that is not http(s), and an interval the API's rate limit would punish
    (a mirror or a test server may be polled faster).

    >>> check_settings(5, "http://127.0.0.1:8000")
    >>> check_settings(5, DEFAULT_BASE_URL)
    Traceback (most recent call last):
    ...
    airtally.errors.InvalidValue: --interval 5 s is too short for https://api.alerts.in.ua: it allows about 8-10 requests a minute (use 8 s or more)
    """
    checked_http_url(base_url, what="--base-url", hint=f" (the default is {DEFAULT_BASE_URL})")
    if interval <= 0:
        raise InvalidValue(f"--interval must be a positive number of seconds, not {interval:g}")
    if interval < MIN_INTERVAL and httpx.URL(base_url).host == httpx.URL(DEFAULT_BASE_URL).host:
        raise InvalidValue(
            f"--interval {interval:g} s is too short for {DEFAULT_BASE_URL}: it allows about 8-10 requests "
            f"a minute (use {MIN_INTERVAL:g} s or more)"
        )


class ApiRefused(AirtallyError):
    """The API refused us for a reason waiting will not fix (bad token, forbidden, wrong URL)."""


class RetryLater(Exception):
    """A failure that waiting can fix: timeout, connection error, 5xx, 429, malformed data."""

    def __init__(self, reason: str, retry_after: float | None = None):
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after


# ---------------------------------------------------------------- clocks


class Clock(Protocol):
    def now(self) -> dt.datetime: ...

    def wait(self, stop: threading.Event, seconds: float) -> bool:
        """Wait ``seconds`` or until ``stop`` is set; True when stopping was asked for."""


class SystemClock:
    """Real time; waiting wakes at once when another thread sets the stop event."""

    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.timezone.utc)

    def wait(self, stop: threading.Event, seconds: float) -> bool:
        return stop.wait(max(0.0, seconds))


@dataclass
class FakeClock:
    """Virtual time for tests: waiting advances the clock at once and records the pause.

    >>> clock = FakeClock(dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc))
    >>> clock.wait(threading.Event(), 30), clock.now().isoformat(), clock.waits
    (False, '2024-01-01T00:00:30+00:00', [30])
    """

    current: dt.datetime
    waits: list[float] = field(default_factory=list)

    def now(self) -> dt.datetime:
        return self.current

    def wait(self, stop: threading.Event, seconds: float) -> bool:
        self.waits.append(seconds)
        self.current += dt.timedelta(seconds=seconds)
        return stop.is_set()


# ---------------------------------------------------------------- fetching


@dataclass(frozen=True)
class Fetched:
    """A 200 answer, parsed and validated; ``last_modified`` is its ``Last-Modified`` header."""

    snapshot: Snapshot
    last_modified: str | None


@dataclass(frozen=True)
class NotModified:
    """A 304 answer: nothing changed since ``If-Modified-Since``."""


class Source(Protocol):
    def fetch_active(self, if_modified_since: str | None) -> Fetched | NotModified: ...


class ApiClient:
    """HTTP access to the alerts.in.ua API.

    The token goes in ``Authorization: Bearer`` (the API also takes ``?token=``; a header keeps
    it out of URLs and log lines).
    """

    def __init__(
        self,
        token: str,
        base_url: str = DEFAULT_BASE_URL,
        timeout: float = DEFAULT_TIMEOUT,
        clock: Clock | None = None,
        transport: httpx.BaseTransport | None = None,
    ):
        self.base_url = base_url.rstrip("/")
        self.clock = clock or SystemClock()
        self._http = httpx.Client(
            base_url=self.base_url,
            timeout=timeout,
            transport=transport,
            headers={"Authorization": f"Bearer {token}", "Accept": "application/json", "User-Agent": "airtally"},
        )
        self._last_history_at: dt.datetime | None = None
        self._stop = threading.Event()

    def close(self) -> None:
        self._http.close()

    def fetch_active(self, if_modified_since: str | None) -> Fetched | NotModified:
        """The active alerts, or ``NotModified`` when unchanged since ``if_modified_since``."""
        headers = {"If-Modified-Since": if_modified_since} if if_modified_since else {}
        response = self._get(ACTIVE_PATH, headers)
        if response.status_code == 304:
            return NotModified()
        return Fetched(self._parse(response), response.headers.get("Last-Modified"))

    def fetch_history(self, location_uid: int | str, period: str = "month_ago") -> Snapshot:
        """One region's recent alerts; calls are spaced ``HISTORY_SPACING`` s apart (the API's limit)."""
        if self._last_history_at is not None:
            remaining = HISTORY_SPACING - (self.clock.now() - self._last_history_at).total_seconds()
            if remaining > 0:
                self.clock.wait(self._stop, remaining)
        try:
            return self._parse(self._get(history_path(location_uid, period), {}))
        finally:
            self._last_history_at = self.clock.now()

    def _get(self, path: str, headers: dict[str, str]) -> httpx.Response:
        url = self.base_url + path
        try:
            response = self._http.get(path, headers=headers)
        except httpx.TimeoutException as exc:
            raise RetryLater(f"no answer from {url} within {self._http.timeout.read} s ({type(exc).__name__})") from exc
        except httpx.TransportError as exc:
            raise RetryLater(f"cannot reach {url}: {type(exc).__name__}: {exc}") from exc
        _check_status(response, url, self.clock.now())
        return response

    def _parse(self, response: httpx.Response) -> Snapshot:
        try:
            return parse_bytes(response.content, what=f"response from {response.request.url.path}")
        except MalformedData as exc:
            raise RetryLater(f"malformed data: {exc.message}") from exc


def _check_status(response: httpx.Response, url: str, now: dt.datetime) -> None:
    """Raise for every answer but 200 and 304: ``RetryLater`` when waiting helps, else ``ApiRefused``."""
    code = response.status_code
    if code in (200, 304):
        return
    if code == 401:
        raise ApiRefused(
            f"alerts.in.ua rejected the API token (HTTP 401 from {url}): "
            "set ALERTS_IN_UA_TOKEN to a valid token (tokens are issued via https://devs.alerts.in.ua)"
        )
    if code == 403:
        raise ApiRefused(
            f"alerts.in.ua refused access (HTTP 403 from {url}): the API may not be available from "
            "this network; ask api@alerts.in.ua"
        )
    if code == 429:
        retry_after = retry_after_seconds(response.headers.get("Retry-After"), now)
        raise RetryLater(f"rate limited (HTTP 429 from {url})", retry_after)
    if code >= 500 or code == 408:
        raise RetryLater(f"HTTP {code} from {url}")
    if 400 <= code < 500:
        raise ApiRefused(f"HTTP {code} from {url}: check --base-url (expected the alerts.in.ua API)")
    raise RetryLater(f"unexpected HTTP {code} from {url}")


def retry_after_seconds(value: str | None, now: dt.datetime) -> float | None:
    """A ``Retry-After`` header (seconds or an HTTP date) as seconds, capped; None when absent or bad.

    >>> retry_after_seconds("30", dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc))
    30.0
    >>> retry_after_seconds("Mon, 01 Jan 2024 00:01:00 GMT", dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc))
    60.0
    """
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        seconds = float(value)
    else:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        seconds = (when - now).total_seconds()
    return min(max(seconds, 0.0), MAX_RETRY_AFTER)


@dataclass
class StaticSource:
    """A ``Source`` that answers from a list (each item a result or an exception to raise)."""

    answers: list
    asked: list[str | None] = field(default_factory=list)

    def fetch_active(self, if_modified_since: str | None) -> Fetched | NotModified:
        self.asked.append(if_modified_since)
        answer = self.answers.pop(0)
        if isinstance(answer, BaseException):
            raise answer
        return answer


# ---------------------------------------------------------------- sinks


class Sink(Protocol):
    def open_alerts(self) -> list[AlertEvent]:
        """The alerts.in.ua alerts the store holds as still active (no end yet)."""

    def store(self, events: Sequence[AlertEvent]) -> None:
        """Insert or update ``events`` keyed by (source, external_id): all of them or none."""


class MemorySink:
    """A sink in memory, all-or-nothing like a transaction; for tests and dry runs."""

    def __init__(self, fail_after: int | None = None):
        self.rows: dict[tuple[str, str | None], AlertEvent] = {}
        self.batches: list[list[AlertEvent]] = []
        self._fail_after = fail_after

    def open_alerts(self) -> list[AlertEvent]:
        return [e for (source, _), e in self.rows.items() if source == SOURCE and e.finished_at is None]

    def store(self, events: Sequence[AlertEvent]) -> None:
        staged = dict(self.rows)
        for number, event in enumerate(events):
            if self._fail_after is not None and number >= self._fail_after:
                raise DatabaseError(f"simulated failure while writing event {number}")
            staged[(event.source, event.external_id)] = event
        self.rows = staged
        self.batches.append(list(events))


class DatabaseSink:
    """The alerts database as a sink: each batch is one transaction through ``upsert_events``."""

    _COLUMNS = ("level", "region_code", "raion", "hromada", "started_at", "finished_at", "end_is_estimate",
                "alert_type", "source", "external_id", "permanent")

    def __init__(self, engine: Engine):
        self.engine = engine

    def open_alerts(self) -> list[AlertEvent]:
        query = sa.select(*(alert_events.c[name] for name in self._COLUMNS)).where(
            alert_events.c.source == SOURCE, alert_events.c.finished_at.is_(None)
        )
        try:
            with self.engine.connect() as connection:
                return [AlertEvent(**row._mapping) for row in connection.execute(query)]
        except SQLAlchemyError as exc:
            raise DatabaseError(f"cannot read the open alerts from {self.engine.url!r}: {exc}") from exc

    def store(self, events: Sequence[AlertEvent]) -> None:
        try:
            with write_transaction(self.engine) as connection:
                upsert_events(connection, list(events))
        except SQLAlchemyError as exc:
            raise DatabaseError(f"storing {len(events)} alert(s) in {self.engine.url!r} failed, nothing stored: {exc}") from exc


# ---------------------------------------------------------------- reconciling a snapshot


@dataclass(frozen=True)
class Changes:
    """What one snapshot changes: the events to write and the new active set."""

    writes: list[AlertEvent]
    active: dict[str, AlertEvent]
    new: int
    updated: int
    finished: int


def _live_id(event: AlertEvent) -> str:
    """The alert's alerts.in.ua id: every alert of that API has one (``parse_item`` requires it)."""
    if event.external_id is None:
        raise ValueError(f"alert for {event.region_code} started {event.started_at} has no external_id; live alerts always have one")
    return event.external_id


def reconcile(

    known: dict[str, AlertEvent], events: Iterable[AlertEvent], ended_at: dt.datetime, end_is_estimate: bool
) -> Changes:
    """Compare the alerts known to be active with a snapshot of the active set.

    New alerts and changed alerts are written as given; an alert missing from the snapshot
    ended by ``ended_at`` (not before it started).

    >>> t = dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)
    >>> a = AlertEvent(region_code="UA-30", started_at=t, source=SOURCE, external_id="1")
    >>> c = reconcile({"1": a}, [], t + dt.timedelta(hours=1), False)
    >>> c.finished, c.writes[0].finished_at.hour, c.active
    (1, 1, {})
    """
    active = {_live_id(e): e for e in events}
    gone = [
        e.model_copy(update={"finished_at": max(ended_at, e.started_at), "end_is_estimate": end_is_estimate})
        for key, e in known.items()
        if key not in active
    ]
    new = [e for key, e in active.items() if key not in known]
    updated = [e for key, e in active.items() if key in known and known[key] != e]
    return Changes(gone + new + updated, active, len(new), len(updated), len(gone))


# ---------------------------------------------------------------- the polling loop


@dataclass(frozen=True)
class PollResult:
    """The outcome of one poll and how long to wait before the next."""

    outcome: str  # "stored", "unchanged" or "retry"
    delay: float
    message: str
    new: int = 0
    updated: int = 0
    finished: int = 0


@dataclass
class WatchStatus:
    """What a watcher has done so far (for a status line or a web API)."""

    polls: int = 0
    stored_batches: int = 0
    new: int = 0
    finished: int = 0
    failures_in_a_row: int = 0
    active: int = 0
    last_poll_at: dt.datetime | None = None
    last_message: str = ""
    stopped_by: str = ""


class Watcher:
    """Polls a ``Source`` and writes what changed to a ``Sink``; see the module docstring."""

    def __init__(
        self,
        source: Source,
        sink: Sink,
        clock: Clock | None = None,
        interval: float = DEFAULT_INTERVAL,
        max_backoff: float = MAX_BACKOFF,
        stale_after: float | None = None,
    ):
        self.source = source
        self.sink = sink
        self.clock = clock or SystemClock()
        self.interval = interval
        self.max_backoff = max(max_backoff, interval)
        # An alert that vanished after a gap this long in our polling ended at an unknown time
        # within the gap: its end is stored as an estimate, not an observation.
        self.stale_after = stale_after if stale_after is not None else max(3 * interval, 60.0)
        self.status = WatchStatus()
        self._known: dict[str, AlertEvent] | None = None
        self._last_modified: str | None = None
        self._confirmed_at: dt.datetime | None = None
        self._taken_at: dt.datetime | None = None
        self._stop = threading.Event()

    def stop(self) -> None:
        """Ask a running ``run`` (in another thread) to return after the current poll."""
        self._stop.set()

    def run(self, max_polls: int | None = None) -> WatchStatus:
        """Poll until ``max_polls``, ``stop()`` or Ctrl-C; ``ApiRefused`` ends it with an error."""
        try:
            while max_polls is None or self.status.polls < max_polls:
                result = self.poll()
                if max_polls is not None and self.status.polls >= max_polls:
                    self.status.stopped_by = "poll limit reached"
                    break
                if self._stop.is_set() or self.clock.wait(self._stop, result.delay):
                    self.status.stopped_by = "stop requested"
                    break
        except KeyboardInterrupt:
            self.status.stopped_by = "interrupted"
            log.info("interrupted: stopping (every stored snapshot is complete)")
        return self.status

    def poll(self) -> PollResult:
        """One request, its snapshot stored in one transaction; failures become a retry delay."""
        self.status.polls += 1
        self.status.last_poll_at = self.clock.now()
        try:
            result = self._poll()
        except RetryLater as exc:
            result = self._retry(exc.reason, exc.retry_after)
        except ApiRefused as exc:
            self.status.stopped_by = "refused"
            log.error("poll %d: %s", self.status.polls, exc.message)
            raise
        except DatabaseError as exc:
            result = self._retry(f"cannot store the snapshot: {exc.message}", None)
        self.status.last_message = result.message
        return result

    def _poll(self) -> PollResult:
        known = self._known_alerts()
        answer = self.source.fetch_active(self._last_modified)
        now = self.clock.now()
        if isinstance(answer, NotModified):
            self._confirmed_at = now
            return self._ok(PollResult("unchanged", self.interval, "not modified (HTTP 304)"))
        taken_at = answer.snapshot.last_updated_at or _http_date(answer.last_modified) or now
        if self._taken_at is not None and taken_at < self._taken_at:
            # A cache behind the API can hand out an older snapshot; applying it would reopen
            # alerts that already ended. The next fresh snapshot is taken as usual.
            return self._ok(PollResult("unchanged", self.interval, f"older snapshot ({taken_at:%Y-%m-%dT%H:%M:%SZ}) ignored"))
        changes = reconcile(known, answer.snapshot.events, taken_at, self._gap_too_long(now))
        if changes.writes:
            self.sink.store(changes.writes)
            self.status.stored_batches += 1
        # Only now, with the snapshot stored, do we move on: a failed write is retried in full.
        self._known, self._last_modified, self._confirmed_at = changes.active, answer.last_modified, now
        self._taken_at = taken_at
        self.status.new += changes.new
        self.status.finished += changes.finished
        message = f"{changes.new} new, {changes.finished} finished, {changes.updated} updated, {len(changes.active)} active"
        return self._ok(PollResult("stored", self.interval, message, changes.new, changes.updated, changes.finished))

    def _known_alerts(self) -> dict[str, AlertEvent]:
        if self._known is None:
            self._known = {e.external_id: e for e in self.sink.open_alerts() if e.external_id}
        return self._known

    def _gap_too_long(self, now: dt.datetime) -> bool:
        return self._confirmed_at is None or (now - self._confirmed_at).total_seconds() > self.stale_after

    def _ok(self, result: PollResult) -> PollResult:
        self.status.failures_in_a_row = 0
        self.status.active = len(self._known or {})
        log.info("poll %d: %s", self.status.polls, result.message)
        return result

    def _retry(self, reason: str, retry_after: float | None) -> PollResult:
        self.status.failures_in_a_row += 1
        failures = self.status.failures_in_a_row
        delay = min(self.max_backoff, self.interval * 2 ** (failures - 1))
        if retry_after is not None:
            # The server's word beats our backoff, but never faster than our own interval.
            delay = max(retry_after, self.interval)
        wait = _seconds(delay)
        log.warning("poll %d: %s; nothing stored; retrying in %s s (failure %d in a row)", self.status.polls, reason, wait, failures)
        return PollResult("retry", delay, f"{reason}; nothing stored; retrying in {wait} s")


def _seconds(value: float) -> str:
    """``40`` for 40.0, ``0.5`` for 0.5: whole seconds unless the pause is short."""
    return f"{value:.0f}" if value >= 10 else f"{value:.1f}".removesuffix(".0")


def _http_date(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        return email.utils.parsedate_to_datetime(value).astimezone(dt.timezone.utc)
    except (TypeError, ValueError):
        return None

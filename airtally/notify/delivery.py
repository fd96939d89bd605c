"""The delivery loop: the outbox's events to the endpoints, at least once, retried, never twice at once.

Each round has two steps, each its own short transactions:

1. **match** (``match_events``): for every enabled endpoint, the events stored after where it
   was last matched (``scanned_to``) that may notify (``notify`` is true: not a bulk import, a
   catch-up, or an attack that ended more than 48 hours ago), pass its filters and are not
   threats past their time to live become ``pending`` deliveries.
2. **send** (``deliver_due``): due pending deliveries are claimed (a lease: ``next_attempt_at``
   moves past the time a send can take, so no other loop takes them meanwhile), sent, and their
   outcome stored: ``delivered`` on 2xx; on 410 Gone the endpoint is disabled, its reason kept;
   on 429, 408, 5xx or a network error retried after ``Retry-After`` when the server gave one,
   else after an exponential backoff with jitter, until ``max_attempts``; any other 4xx is
   retried ``max_client_attempts`` times, then given up (``failed``, its answer kept).

Sharing: on PostgreSQL several loops run at once; the endpoints being matched and the
deliveries being claimed are taken with ``FOR UPDATE SKIP LOCKED``, so two loops never match
the same endpoint nor claim the same delivery (each then holds it by its lease). On SQLite
the write lock (``BEGIN IMMEDIATE``) serialises the claims. A loop that dies leaves its claims
to be taken again when their lease ends: a receiver may then get an event twice, and drops it
by its ``webhook-id``.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import secrets
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import httpx
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError

from airtally import __version__
from airtally.alerts.live import retry_after_seconds
from airtally.errors import DatabaseError
from airtally.notify.endpoints import disable_endpoint, endpoint_row
from airtally.notify.filters import expired, matches
from airtally.notify.messages import Request, request_for
from airtally.record.events import read_events, threat_ttl
from airtally.storage.attacks import as_utc
from airtally.storage.tables_events import events
from airtally.storage.wakeup import Hub
from airtally.storage.tables_notify import notify_deliveries as nd, notify_endpoints as ne
from airtally.storage.transactions import database_error, take_write_lock

LOG = logging.getLogger("airtally.notify")
UTC = dt.timezone.utc
USER_AGENT = f"airtally/{__version__} (notifications: Standard Webhooks and ntfy)"
TIMEOUT = httpx.Timeout(10.0, connect=5.0)
RETRYABLE = {408, 425, 429}  # and every 5xx: the receiver may take it later
TEST_TYPE = "endpoint.test"  # `airtally notify test`: signed like any event, never stored
MATCH_BATCH = 500  # events matched against one endpoint per transaction


@dataclass(frozen=True)
class Policy:
    """How the loop retries and paces itself."""

    max_attempts: int = 15            # 429/5xx/network: ~1 day of backoff in all
    max_client_attempts: int = 3      # another 4xx: the receiver refuses it; a few tries, then give up
    base_delay: float = 2.0           # the first retry's delay, doubled each time (with jitter)
    max_delay: float = 6 * 3600.0
    threat_ttl: dt.timedelta = field(default_factory=threat_ttl)  # $AIRTALLY_THREAT_TTL_MINUTES, else 30 min
    batch: int = 20                   # deliveries claimed at once
    lease: float = 300.0              # seconds a claim is held (more than a batch of sends can take)
    poll: float = 0.25                # seconds between rounds when there is nothing to do (at most, with a hub)

    def delay(self, attempts: int, retry_after: float | None, rng: random.Random) -> float:
        """Seconds before the next attempt after ``attempts`` failed ones: the server's
        Retry-After when given, else base x 2^(attempts-1), capped, jittered over its upper half."""
        if retry_after is not None:
            return min(retry_after, self.max_delay)
        ceiling = min(self.base_delay * 2 ** max(attempts - 1, 0), self.max_delay)
        return ceiling / 2 + rng.uniform(0, ceiling / 2)


@dataclass
class Claim:
    """A delivery taken to be sent: its row, its endpoint and its event."""

    id: int
    attempts: int
    endpoint: dict
    event: dict


@dataclass
class Answer:
    """What a receiver answered (``status`` None: no answer, ``error`` says why)."""

    status: int | None
    error: str | None = None
    retry_after: float | None = None
    seconds: float = 0.0


@dataclass
class RoundReport:
    """What one round did."""

    matched: int = 0
    scanned: int = 0
    delivered: int = 0
    retried: int = 0
    failed: int = 0
    expired: int = 0
    disabled: list[int] = field(default_factory=list)

    def add(self, other: RoundReport) -> None:
        for name in ("matched", "scanned", "delivered", "retried", "failed", "expired"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.disabled += other.disabled

    @property
    def busy(self) -> bool:
        return bool(self.scanned or self.delivered or self.retried or self.failed or self.expired)


def new_client(transport: httpx.BaseTransport | None = None) -> httpx.Client:
    """The HTTP client of deliveries: named, with timeouts, never following redirects."""
    return httpx.Client(headers={"User-Agent": USER_AGENT}, timeout=TIMEOUT, follow_redirects=False,
                        transport=transport)


def post(client: httpx.Client, request: Request, now: dt.datetime) -> Answer:
    """POST ``request``; the answer, or the network error as one."""
    started = time.perf_counter()
    try:
        response = client.post(request.url, content=request.body, headers=request.headers)
    except httpx.HTTPError as exc:
        return Answer(None, f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__,
                      seconds=time.perf_counter() - started)
    answer = Answer(response.status_code, seconds=time.perf_counter() - started)
    if not response.is_success:
        answer.error = f"HTTP {response.status_code}: {response.text[:200].strip()}".rstrip(": ")
        answer.retry_after = retry_after_seconds(response.headers.get("Retry-After"), now)
    return answer


def _event(row) -> dict:
    """An events row as ``read_events`` hands it out (aware times)."""
    return dict(row) | {"created_at": as_utc(row["created_at"]), "subject_at": as_utc(row["subject_at"])}


@contextmanager
def claiming(engine: Engine) -> Iterator[Connection]:
    """A transaction for the loop's own writes: on SQLite under the write lock (it serialises
    the loops); on PostgreSQL without the writers' lock, the rows taken ``FOR UPDATE SKIP
    LOCKED`` keeping loops apart while the record's writers go on."""
    try:
        with engine.begin() as conn:
            if conn.dialect.name == "sqlite":
                take_write_lock(conn)
            yield conn
    except DBAPIError as exc:
        raise database_error(engine, exc) from exc


def _locked(query: sa.Select, conn: Connection, of) -> sa.Select:
    if conn.dialect.name == "postgresql":
        return query.with_for_update(skip_locked=True, of=of)
    return query


class Notifier:
    """Delivers the outbox's events; ``clock``, ``rng`` and ``client`` are injectable for tests."""

    def __init__(self, engine: Engine, client: httpx.Client | None = None, *, policy: Policy | None = None,
                 clock: Callable[[], dt.datetime] | None = None, rng: random.Random | None = None,
                 hub: Hub | None = None):
        self.engine = engine
        # wakes the idle loop when an event is written (PostgreSQL LISTEN, Redis); else it polls
        self.hub = hub
        self.client = client or new_client()
        self._own_client = client is None
        self.policy = policy or Policy()
        self.clock = clock or (lambda: dt.datetime.now(UTC))
        self.rng = rng or random.Random()

    def close(self) -> None:
        if self._own_client:
            self.client.close()
        if self.hub is not None:
            self.hub.stop()

    # --- 1. match -----------------------------------------------------------------------------

    def _behind(self) -> bool:
        """Whether some enabled endpoint has events left to match (a read, no lock)."""
        with self.engine.connect() as conn:
            end = conn.execute(sa.select(sa.func.max(events.c.id))).scalar()
            least = conn.execute(sa.select(sa.func.min(ne.c.scanned_to)).where(ne.c.enabled.is_(True))).scalar()
        return end is not None and least is not None and end > least

    def match_events(self) -> tuple[int, int]:
        """Turn the new events each enabled endpoint hears of into pending deliveries (up to
        ``MATCH_BATCH`` events an endpoint): (deliveries added, events read)."""
        if not self._behind():
            return 0, 0
        added = scanned = 0
        with claiming(self.engine) as conn:
            query = sa.select(ne).where(ne.c.enabled.is_(True)).order_by(ne.c.id)
            for row in conn.execute(_locked(query, conn, ne)).mappings().all():
                more, read = self._match_endpoint(conn, endpoint_row(row))
                added, scanned = added + more, scanned + read
        return added, scanned

    def _match_endpoint(self, conn: Connection, endpoint: dict) -> tuple[int, int]:
        now = self.clock()
        read, until = read_events(conn, endpoint["scanned_to"], MATCH_BATCH)
        if until == endpoint["scanned_to"]:
            return 0, 0
        wanted = [e for e in read if e["notify"] and matches(endpoint, e) and not expired(e, now, self.policy.threat_ttl)]
        if wanted:
            conn.execute(nd.insert(), [{"endpoint_id": endpoint["id"], "event_id": e["id"], "status": "pending",
                                        "attempts": 0, "next_attempt_at": now} for e in wanted])
        conn.execute(ne.update().where(ne.c.id == endpoint["id"]).values(scanned_to=until))
        return len(wanted), until - endpoint["scanned_to"]

    # --- 2. send ------------------------------------------------------------------------------

    def claim(self) -> list[Claim]:
        """Take up to a batch of due deliveries of enabled endpoints, leased to this loop."""
        now = self.clock()
        query = (sa.select(nd.c.id, nd.c.attempts, nd.c.endpoint_id, nd.c.event_id)
                 .join(ne, ne.c.id == nd.c.endpoint_id)
                 .where(nd.c.status == "pending", nd.c.next_attempt_at <= now, ne.c.enabled.is_(True))
                 .order_by(nd.c.next_attempt_at, nd.c.id).limit(self.policy.batch))
        with self.engine.connect() as conn:  # a read first: an idle loop never takes the write lock
            if conn.execute(query).first() is None:
                return []
        with claiming(self.engine) as conn:
            rows = conn.execute(_locked(query, conn, nd)).all()
            if not rows:
                return []
            lease = now + dt.timedelta(seconds=self.policy.lease)
            conn.execute(nd.update().where(nd.c.id.in_([r.id for r in rows]))
                         .values(attempts=nd.c.attempts + 1, next_attempt_at=lease))
            endpoints = {r["id"]: endpoint_row(r) for r in conn.execute(
                sa.select(ne).where(ne.c.id.in_({r.endpoint_id for r in rows}))).mappings()}
            found = {r["id"]: _event(r) for r in conn.execute(
                sa.select(events).where(events.c.id.in_({r.event_id for r in rows}))).mappings()}
        return [Claim(r.id, r.attempts + 1, endpoints[r.endpoint_id], found[r.event_id])
                for r in rows if r.event_id in found]

    def send(self, claim: Claim) -> Answer | None:
        """Send one claimed delivery (None: a threat past its time to live, not sent)."""
        now = self.clock()
        if expired(claim.event, now, self.policy.threat_ttl):
            return None
        return post(self.client, request_for(claim.endpoint, claim.event, int(now.timestamp())), now)

    def settle(self, outcomes: list[tuple[Claim, Answer | None]], report: RoundReport) -> None:
        """Store what became of a batch of deliveries, in one short transaction."""
        now = self.clock()
        delivered = [(c, a) for c, a in outcomes if a is not None and a.status is not None and 200 <= a.status < 300]
        with claiming(self.engine) as conn:
            for status in {a.status for _, a in delivered}:  # the usual case: one statement for the batch
                ids = [c.id for c, a in delivered if a.status == status]
                conn.execute(nd.update().where(nd.c.id.in_(ids)).values(
                    status="delivered", delivered_at=now, last_status_code=status, last_error=None))
            report.delivered += len(delivered)
            done = {c.id for c, _ in delivered}
            for claim, answer in outcomes:
                if claim.id not in done:
                    self._settle_one(conn, claim, answer, now, report)

    def _settle_one(self, conn: Connection, claim: Claim, answer: Answer | None, now: dt.datetime,
                    report: RoundReport) -> None:
        """Store a delivery that was not taken: expired, disabled by a 410, given up, or to retry
        (unless another loop claimed it again meanwhile, its lease run out: its outcome stands)."""
        where = nd.update().where(nd.c.id == claim.id, nd.c.attempts == claim.attempts)
        if answer is None:
            report.expired += 1
            conn.execute(where.values(status="expired", last_error="a threat past its time to live"))
            return
        values = {"last_status_code": answer.status, "last_error": answer.error}
        if answer.status == 410:
            report.failed += 1
            report.disabled.append(claim.endpoint["id"])
            reason = f"410 Gone from {claim.endpoint['url']} at {now:%Y-%m-%d %H:%M} UTC"
            disable_endpoint(conn, claim.endpoint["id"], reason, now)
            conn.execute(where.values(status="failed", **values))
            LOG.warning("endpoint %s disabled: %s", claim.endpoint["id"], reason)
        elif claim.attempts >= self._attempts_for(answer.status):
            report.failed += 1
            conn.execute(where.values(status="failed", **values))
            LOG.warning("gave up event %s to endpoint %s after %d attempts: %s", claim.event["id"],
                        claim.endpoint["id"], claim.attempts, answer.error)
        else:
            report.retried += 1
            wait = self.policy.delay(claim.attempts, answer.retry_after, self.rng)
            conn.execute(where.values(next_attempt_at=now + dt.timedelta(seconds=wait), **values))

    def _attempts_for(self, status: int | None) -> int:
        if status is None or status in RETRYABLE or status >= 500:
            return self.policy.max_attempts
        return self.policy.max_client_attempts

    def test(self, endpoint: dict) -> Answer:
        """Send a signed test event to ``endpoint`` now (not stored, not retried): the answer."""
        now = self.clock()
        event = {"id": f"test_{secrets.token_hex(8)}", "type": TEST_TYPE, "created_at": now, "regions": [],
                 "data": {"message": "a test from airtally notify test", "endpoint_id": endpoint["id"]}}
        return post(self.client, request_for(endpoint, event, int(now.timestamp())), now)

    def deliver_due(self) -> RoundReport:
        """Send every delivery due now, a batch at a time."""
        report = RoundReport()
        while claims := self.claim():
            outcomes: list[tuple[Claim, Answer | None]] = []
            gone: set[int] = set()
            for claim in claims:
                if claim.endpoint["id"] in gone:
                    continue  # after a 410, nothing more to it: these stay pending, the endpoint disabled
                answer = self.send(claim)
                if answer is not None and answer.status == 410:
                    gone.add(claim.endpoint["id"])
                outcomes.append((claim, answer))
            self.settle(outcomes, report)
        return report

    # --- the loop -----------------------------------------------------------------------------

    def round(self) -> RoundReport:
        """One round: match the new events, then send what is due."""
        report = RoundReport()
        report.matched, report.scanned = self.match_events()
        report.add(self.deliver_due())
        return report

    def run(self, *, once: bool = False, stop: threading.Event | None = None) -> RoundReport:
        """Rounds until ``stop`` is set (Ctrl-C on the command line); with ``once``, until
        nothing more is due now (the outbox matched to its end, every due delivery tried)."""
        stop = stop or threading.Event()
        total = RoundReport()
        while not stop.is_set():
            seen = self.hub.latest if self.hub is not None else 0
            report = self._safe_round()
            total.add(report)
            if report.busy:
                continue  # catching up: the next round at once
            if once:
                break
            if self.hub is not None:  # an event written meanwhile (or since) ends the wait at once
                self.hub.wait_sync(seen, timeout=self.policy.poll)
            else:
                stop.wait(self.policy.poll)
        return total

    def _safe_round(self) -> RoundReport:
        try:
            return self.round()
        except DatabaseError as exc:  # a locked or unreachable database: the next round retries
            LOG.error("%s", exc.message)
            return RoundReport()


def wake_hub(engine: Engine, policy: Policy | None = None) -> Hub | None:
    """A started Hub that wakes the loop when an event is written, where wake-ups travel
    (PostgreSQL's LISTEN/NOTIFY, Redis when ``$AIRTALLY_REDIS_URL`` names a server); None
    where the loop's own poll is as quick (SQLite without Redis)."""
    hub = Hub(engine, poll_interval=(policy or Policy()).poll)
    return hub.start() if hub.mode != "poll" else None


class Background:
    """The loop in a thread beside ``airtally watch``: ``with Background(engine): ...``."""

    def __init__(self, notifier: Notifier):
        self.notifier = notifier
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, name="airtally-notify", daemon=True)

    def _run(self) -> None:
        try:
            self.notifier.run(stop=self.stop)
        except Exception:  # never silently: the watcher goes on, the log says why delivery stopped
            LOG.exception("the delivery loop stopped")

    def __enter__(self) -> Background:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        self.thread.join(timeout=30)

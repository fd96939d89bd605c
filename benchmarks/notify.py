"""Notifications: events delivered per second, and a stored change's time to its webhook.

    python benchmarks/notify.py [--events 2000] [--changes 10] [--db URL]

Against the tests' receiver on loopback (a real HTTP server in a thread that verifies every
signature), SQLite in a temp folder unless ``--db`` names another (an empty database).

1. throughput: ``--events`` attack events in the outbox, one webhook endpoint; the loop
   (``Notifier.run(once=True)``: match, claim, sign, POST, store the outcome) until all are
   delivered. Baseline in the same run: the same signed bodies POSTed by a bare httpx client
   to the same receiver, one after the other, nothing stored.
2. latency: the loop running in a thread (as beside ``airtally watch``: woken by LISTEN/NOTIFY on
   PostgreSQL, by Redis when ``$AIRTALLY_REDIS_URL`` is set, else polling), ``--changes`` reports
   ingested one at a time (``ingest_text``: extraction, storage and the outbox event in one
   transaction); the time from its commit (the change stored) to its webhook arriving, target
   under 1 s on loopback, and from the ingest's start (extraction included). Baseline: a bare
   httpx POST's time to arrive.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("AIRTALLY_NOTIFY_WINDOW_HOURS", str(24 * 365 * 30))  # the benchmark's past nights notify

from airtally.clock import KYIV  # noqa: E402
from airtally.notify.delivery import Background, Notifier, wake_hub  # noqa: E402
from airtally.notify.endpoints import add_endpoint  # noqa: E402
from airtally.notify.messages import webhook_request  # noqa: E402
from airtally.record.events import emit_rows, event_row  # noqa: E402
from airtally.record.ingest import ingest_text  # noqa: E402
from airtally.storage.database import open_database  # noqa: E402
from tests.notify.receiver import Receiver, Serving  # noqa: E402

UTC = dt.timezone.utc
MONTHS = "січня лютого березня квітня травня червня липня серпня вересня жовтня листопада грудня".split()


def fill_outbox(engine, count: int) -> list[dict]:
    now = dt.datetime.now(UTC)
    rows = [event_row("attack.created", data={"attack_id": i, "figures": {"all": {"launched": 100 + i}}},
                      regions=["UA-30", "UA-63"], attack_id=i, subject_at=now, now=now) for i in range(count)]
    with engine.begin() as conn:
        emit_rows(conn, rows)
    return rows


def throughput(engine, receiver: Receiver, count: int, rounds: int = 4) -> tuple[float, float]:
    """(events/s of the loop, events/s of bare POSTs of the same bodies), the two interleaved
    in ``rounds`` (a loaded machine's swings fall on both)."""
    endpoint = {"url": receiver.url + "/hook", "secret": receiver.secret}
    loop_seconds = bare_seconds = 0.0
    size = count // rounds
    with httpx.Client() as client:
        for _ in range(rounds):
            fill_outbox(engine, size)
            notifier = Notifier(engine)
            started = time.perf_counter()
            report = notifier.run(once=True)
            loop_seconds += time.perf_counter() - started
            notifier.close()
            assert report.delivered == size, report
            now = dt.datetime.now(UTC)
            bodies = [webhook_request(endpoint, {"id": f"bare{i}", "type": "attack.created", "created_at": now,
                                                 "data": {"attack_id": i, "figures": {"all": {"launched": 100 + i}}},
                                                 "regions": ["UA-30", "UA-63"]}, int(now.timestamp()))
                      for i in range(size)]
            started = time.perf_counter()
            for request in bodies:
                client.post(request.url, content=request.body, headers=request.headers).raise_for_status()
            bare_seconds += time.perf_counter() - started
    assert len(receiver.unique) == size * rounds + size, len(receiver.unique)  # "bare" ids repeat per round
    return size * rounds / loop_seconds, size * rounds / bare_seconds


def report_text(night: dt.date, launched: int) -> str:
    return (f"У ніч на {night.day} {MONTHS[night.month - 1]} противник атакував {launched} ударними БпЛА "
            f"типу Shahed. Станом на 09:00 збито {launched - 7}.")


def latency(engine, receiver: Receiver, changes: int) -> tuple[list[float], list[float], list[float]]:
    """(seconds ingest start -> arrival, seconds commit -> arrival, bare POST seconds to arrival)."""
    from_start, from_commit = [], []
    today = dt.datetime.now(KYIV).date()
    ingest_text(engine, report_text(today - dt.timedelta(days=400), 100), origin="warm-up", source="kpszsu",
                kind="national", published=dt.datetime.now(KYIV), notify=False)  # extraction's first call loads its data
    with Background(Notifier(engine, hub=wake_hub(engine))) as background:
        for i in range(changes):
            night = today - dt.timedelta(days=1 + i)
            seen = len(receiver.received)
            published = dt.datetime.combine(night, dt.time(9, 30), KYIV)
            started = time.perf_counter()
            outcome = ingest_text(engine, report_text(night, 200 + i), origin=f"bench-{i}", source="kpszsu",
                                  kind="national", published=published)
            committed = time.perf_counter()
            assert outcome.status == "stored", outcome
            assert receiver.wait_for(seen + 1, timeout=30), "no webhook within 30 s"
            arrived = receiver.received[seen].at
            from_start.append(arrived - started)
            from_commit.append(arrived - committed)
            time.sleep(0.37)  # the next change comes at another moment of the loop's poll
    background.notifier.close()
    bare = []
    with httpx.Client() as client:
        for i in range(changes):
            seen = len(receiver.received)
            started = time.perf_counter()
            client.post(receiver.url + "/bare", content=b"{}")
            receiver.wait_for(seen + 1)
            bare.append(receiver.received[seen].at - started)
    return from_start, from_commit, bare


def _ms(values: list[float]) -> str:
    return f"median {statistics.median(values) * 1000:.0f} ms, max {max(values) * 1000:.0f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--changes", type=int, default=10)
    parser.add_argument("--db", help="an empty database's URL (default: SQLite in a temp folder)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.db or f"sqlite:///{Path(folder) / 'bench.db'}"
        engine = open_database(url)
        receiver = Receiver()
        with Serving(receiver):
            with engine.begin() as conn:
                receiver.secret = add_endpoint(conn, "webhook", receiver.url + "/hook").secret
            loop_rate, bare_rate = throughput(engine, receiver, args.events)
            print(f"throughput: {args.events} events: loop {loop_rate:,.0f} events/s; "
                  f"bare httpx POSTs of the same bodies {bare_rate:,.0f}/s ({loop_rate / bare_rate:.2f}x)")
            from_start, from_commit, bare = latency(engine, receiver, args.changes)
            print(f"latency over {args.changes} ingests: commit -> webhook {_ms(from_commit)} "
                  f"(target < 1 s: {'met' if max(from_commit) < 1 else 'NOT met'}); ingest start (extraction "
                  f"included) -> webhook {_ms(from_start)}; bare POST -> arrival {_ms(bare)}")
        engine.dispose()
        load = os.getloadavg()
        print(f"load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f} on {os.cpu_count()} cores; database {engine.url.get_backend_name()}")


if __name__ == "__main__":
    main()

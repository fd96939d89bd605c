"""Delivering the outbox's events to a real receiver on loopback, on SQLite and PostgreSQL:
signed, at least once, retried with backoff and Retry-After, 410 disabling, filters, TTL, restarts."""

from __future__ import annotations

import datetime as dt
import email.utils
import os
import threading
import time

import pytest
import sqlalchemy as sa

from airtally.notify.delivery import Notifier, Policy, RoundReport, new_client
from airtally.notify.endpoints import list_endpoints
from airtally.storage.tables_notify import notify_deliveries as nd
from tests.notify.conftest import NOW, add, attack_event, threat_event


def deliveries(engine) -> list[dict]:
    with engine.connect() as conn:
        return [dict(r) for r in conn.execute(sa.select(nd).order_by(nd.c.id)).mappings()]


def endpoints(engine) -> dict[int, dict]:
    with engine.connect() as conn:
        return {row["id"]: row for row in list_endpoints(conn)}


def test_an_event_arrives_signed_once_with_the_standard_payload(engine, receiver, notifier):
    add(engine, receiver)
    event_id = attack_event(engine, launched=550)
    report = notifier.round()
    assert (report.matched, report.delivered) == (1, 1)
    [got] = receiver.received
    assert got.signature_ok is True and got.path == "/hook"
    assert got.headers["webhook-id"] == str(event_id)
    assert got.headers["webhook-timestamp"] == str(int(NOW.timestamp()))
    assert got.headers["user-agent"].startswith("airtally/")
    assert got.json == {"type": "attack.created", "timestamp": "2026-03-01T02:00:00Z",
                        "data": {"attack_id": 1, "date": "2026-03-01", "figures": {"all": {"launched": 550}},
                                 "event_id": event_id, "regions": ["UA-30"]}}
    assert notifier.round().busy is False  # nothing sent twice
    [row] = deliveries(engine)
    assert (row["status"], row["attempts"], row["last_status_code"]) == ("delivered", 1, 200)


# (what the receiver answers first, seconds until the retry may go: at least, at most)
RETRIES = [
    pytest.param((500, {}), 1.0, 2.0, id="500: backoff 2 s with jitter over its upper half"),
    pytest.param((503, {"Retry-After": "120"}), 120, 120, id="503 with Retry-After seconds"),
    pytest.param((429, {"Retry-After": "90"}), 90, 90, id="429 with Retry-After seconds"),
    pytest.param((429, {"Retry-After": email.utils.format_datetime(NOW + dt.timedelta(seconds=300), usegmt=True)}),
                 300, 300, id="429 with Retry-After as an HTTP date"),
]


@pytest.mark.parametrize("first,least,most", RETRIES)
def test_a_refused_delivery_is_retried_after_the_backoff_or_retry_after(engine, receiver, notifier, clock,
                                                                        first, least, most):
    receiver.script = [first]
    add(engine, receiver)
    attack_event(engine)
    assert notifier.round().retried == 1
    [row] = deliveries(engine)
    wait = (row["next_attempt_at"].replace(tzinfo=dt.timezone.utc) - NOW).total_seconds()
    assert least <= wait <= most and row["status"] == "pending" and row["last_status_code"] == first[0]
    clock.advance(least - 0.5)
    assert notifier.round().delivered == 0  # not before its time
    clock.advance(most - least + 1)
    assert notifier.round().delivered == 1
    assert len(receiver.received) == 2 and len(receiver.unique) == 1
    assert receiver.received[0].headers["webhook-id"] == receiver.received[1].headers["webhook-id"]


def test_backoff_doubles_with_each_failure_and_stays_capped():
    policy = Policy(base_delay=2.0, max_delay=60.0)
    import random

    rng = random.Random(1)
    ceilings = [2, 4, 8, 16, 32, 60, 60]
    for attempts, ceiling in enumerate(ceilings, start=1):
        assert ceiling / 2 <= policy.delay(attempts, None, rng) <= ceiling


def test_410_gone_disables_the_endpoint_with_its_reason(engine, receiver, notifier, clock):
    receiver.script = [(410, {})]
    endpoint = add(engine, receiver)
    attack_event(engine)
    attack_event(engine)  # claimed in the same batch: not sent after the 410
    report = notifier.round()
    assert report.disabled == [endpoint] and report.failed == 1
    listed = endpoints(engine)[endpoint]
    assert listed["enabled"] is False and "410 Gone" in listed["disabled_reason"]
    attack_event(engine)
    clock.advance(3600)
    assert notifier.round().busy is False and len(receiver.received) == 1


def test_another_4xx_is_retried_a_few_times_then_given_up(engine, receiver, notifier, clock):
    receiver.script = [(400, {})] * 5
    add(engine, receiver)
    attack_event(engine)
    for _ in range(5):
        notifier.round()
        clock.advance(3600)
    [row] = deliveries(engine)
    assert (row["status"], row["attempts"], row["last_status_code"]) == ("failed", Policy().max_client_attempts, 400)
    assert "HTTP 400" in row["last_error"] and len(receiver.received) == Policy().max_client_attempts


def test_an_unreachable_receiver_is_retried(engine, receiver, notifier, clock):
    from airtally.notify.endpoints import add_endpoint

    with engine.begin() as conn:
        add_endpoint(conn, "webhook", "http://127.0.0.1:9/closed", now=NOW)  # the discard port: refused
    attack_event(engine)
    assert notifier.round().retried == 1
    [row] = deliveries(engine)
    assert row["status"] == "pending" and row["last_status_code"] is None and "Connect" in row["last_error"]


# (the endpoint's filters, the event's type, regions and launch, whether it is delivered)
FILTERS = [
    ({}, "attack.created", ["UA-30"], 10, True),
    ({"on": ["attack"]}, "attack.revised", ["UA-30"], 10, False),
    ({"on": ["revision"]}, "attack.revised", ["UA-30"], 10, True),
    ({"on": ["record"]}, "record.revised", ["UA-30"], 10, True),
    ({"on": ["record"]}, "attack.created", ["UA-30"], 10, False),
    ({"regions": ["Kharkiv"]}, "attack.created", ["UA-63", "UA-30"], 10, True),
    ({"regions": ["Харківщина"]}, "attack.created", ["UA-30"], 10, False),
    ({"regions": ["UA-63"]}, "attack.created", [], 10, True),  # no oblast named: the whole country
    ({"min_launched": 100}, "attack.created", ["UA-30"], 99, False),
    ({"min_launched": 100}, "attack.created", ["UA-30"], 100, True),
]


@pytest.mark.parametrize("filters,kind,regions,launched,delivered", FILTERS)
def test_an_endpoint_hears_only_what_its_filters_let_through(engine, receiver, notifier, filters, kind, regions,
                                                             launched, delivered):
    add(engine, receiver, **filters)
    attack_event(engine, kind=kind, regions=regions, launched=launched)
    assert notifier.round().delivered == int(delivered)


def test_events_that_do_not_notify_are_never_sent(engine, receiver, notifier):
    add(engine, receiver)
    attack_event(engine, notify=False)  # a bulk import, a catch-up, an attack over 48 h ago
    report = notifier.round()
    assert (report.scanned, report.matched, report.delivered) == (1, 0, 0) and receiver.received == []


def test_a_new_endpoint_does_not_receive_the_history(engine, receiver, notifier):
    attack_event(engine)
    attack_event(engine)
    add(engine, receiver)
    later = attack_event(engine)
    notifier.round()
    assert [r.headers["webhook-id"] for r in receiver.received] == [str(later)]


def test_a_threat_past_its_time_to_live_is_never_delivered(engine, receiver, notifier, clock):
    add(engine, receiver, on=["threat"])
    threat_event(engine, at=NOW - dt.timedelta(minutes=31))
    assert notifier.round().matched == 0
    receiver.script = [(503, {"Retry-After": "1800"})]
    threat_event(engine, at=NOW)
    assert notifier.round().retried == 1
    clock.advance(1801)  # its retry comes after its 30 minutes
    assert notifier.round().expired == 1
    assert len(receiver.received) == 1 and [d["status"] for d in deliveries(engine)] == ["expired"]


def test_the_threat_ttl_is_the_policy_s(engine, receiver, clock):
    add(engine, receiver, on=["threat"])
    threat_event(engine, at=NOW - dt.timedelta(minutes=31))
    notifier = Notifier(engine, new_client(), policy=Policy(threat_ttl=dt.timedelta(hours=1)), clock=clock)
    assert notifier.round().delivered == 1
    notifier.client.close()


def test_a_restarted_loop_resumes_and_the_receiver_drops_the_duplicate(engine, receiver, clock):
    add(engine, receiver)
    ids = [attack_event(engine) for _ in range(3)]
    first = Notifier(engine, new_client(), clock=clock)
    first.match_events()
    [claim, *rest] = first.claim()
    first.send(claim)  # sent, then the process dies before storing that it was
    first.client.close()
    clock.advance(Policy().lease + 1)  # its claims' lease runs out
    second = Notifier(engine, new_client(), clock=clock)
    assert second.round().delivered == 3
    second.client.close()
    assert len(receiver.received) == 4 and sorted(receiver.unique) == sorted(map(str, ids))
    assert {d["status"] for d in deliveries(engine)} == {"delivered"}


def test_loops_at_once_deliver_each_event_once(engine, receiver, clock):
    add(engine, receiver)
    ids = [attack_event(engine) for _ in range(40)]
    loops = [Notifier(engine, new_client(), policy=Policy(batch=3), clock=clock) for _ in range(3)]
    threads = [threading.Thread(target=loop.round) for loop in loops]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    for loop in loops:
        loop.client.close()
    assert sorted(r.headers["webhook-id"] for r in receiver.received) == sorted(map(str, ids))


def test_ntfy_gets_a_titled_tagged_message_with_the_token(engine, receiver, notifier):
    add(engine, receiver, kind="ntfy", path="/kyiv-alerts", token="tk_secret")
    threat_event(engine, regions=["UA-30"])
    notifier.round()
    [got] = receiver.received
    assert got.path == "/kyiv-alerts" and got.headers["authorization"] == "Bearer tk_secret"
    assert got.headers["title"] == "Threat (not an official alert)" and got.headers["priority"] == "5"
    assert "warning" in got.headers["tags"].split(",") and "webhook-signature" not in got.headers
    text = got.body.decode()
    assert "ballistic_missiles" in text and "UA-30" in text and "do not replace air-raid sirens" in text


def test_once_catches_up_with_an_outbox_longer_than_a_batch(engine, receiver, notifier, monkeypatch):
    from airtally.notify import delivery

    monkeypatch.setattr(delivery, "MATCH_BATCH", 2)
    add(engine, receiver, min_launched=1000)
    for launched in (10, 20, 30, 2000, 40, 3000):  # whole batches filtered out do not stop it
        attack_event(engine, launched=launched)
    report = notifier.run(once=True)
    assert (report.scanned, report.delivered) == (6, 2) and len(receiver.unique) == 2


def test_the_loop_beside_watch_delivers_while_it_runs_and_stops_with_it(engine, receiver):
    from airtally.notify.delivery import Background

    add(engine, receiver)
    now = dt.datetime.now(dt.timezone.utc)
    with Background(Notifier(engine, new_client())) as background:
        attack_event(engine, at=now)
        assert receiver.wait_for(1, timeout=20)
    assert not background.thread.is_alive()
    assert receiver.received[0].signature_ok is True


def test_a_late_outcome_does_not_undo_a_later_claim_s(engine, receiver, clock):
    add(engine, receiver)
    attack_event(engine)
    slow = Notifier(engine, new_client(), policy=Policy(max_client_attempts=1), clock=clock)
    quick = Notifier(engine, new_client(), clock=clock)
    slow.match_events()
    [claim] = slow.claim()
    clock.advance(Policy().lease + 1)  # the slow loop's lease runs out: the quick one takes it over
    assert quick.round().delivered == 1
    receiver.script = [(400, {})]
    slow.settle([(claim, slow.send(claim))], RoundReport())  # its late answer: a 400, its last try
    assert [(d["status"], d["attempts"]) for d in deliveries(engine)] == [("delivered", 2)]
    for loop in (slow, quick):
        loop.client.close()


@pytest.mark.parametrize("by", ["listen", "redis"])
def test_a_written_event_wakes_the_idle_loop_at_once(engine, receiver, monkeypatch, by):
    """With a hub (PostgreSQL's LISTEN/NOTIFY, or Redis) the loop does not wait out its poll."""
    from airtally.notify.delivery import Background, wake_hub
    from airtally.storage import wakeup

    if by == "redis":  # else PostgreSQL's LISTEN/NOTIFY (none on SQLite)
        if not _redis_reachable():
            pytest.skip(f"Redis not reachable at {REDIS_URL}")
        monkeypatch.setenv("AIRTALLY_REDIS_URL", REDIS_URL)
    policy = Policy(poll=30.0)
    hub = wake_hub(engine, policy)
    if hub is None:
        pytest.skip("no wake-ups on SQLite without Redis: the loop polls")
    add(engine, receiver)
    notifier = Notifier(engine, new_client(), policy=policy, hub=hub)
    with Background(notifier):
        time.sleep(0.5)  # the loop's first round is done: it waits
        attack_event(engine, at=dt.datetime.now(dt.timezone.utc))
        assert receiver.wait_for(1, timeout=10)  # well before the 30 s poll
    notifier.close()  # stops the hub
    notifier.client.close()
    wakeup._clients.clear()


REDIS_URL = os.environ.get("AIRTALLY_TEST_REDIS", "redis://127.0.0.1:6379/0")


def _redis_reachable() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except Exception:
        return False

"""The watcher against a fake alerts.in.ua API on loopback: what is stored after each scenario.

Every scenario uses the real HTTP client (httpx) against ``fake_api`` (conftest.py), virtual
time (``FakeClock``: the watcher's pauses are recorded, not slept) and an in-memory sink that
is all-or-nothing like a database transaction. After every poll the open alerts in the sink
must be exactly those of the last snapshot that was stored: never part of one.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import threading
import time

import pytest

from airtally.alerts.alerts_in_ua import parse_active
from airtally.alerts.live import (
    ApiClient,
    ApiRefused,
    FakeClock,
    MemorySink,
    SystemClock,
    Watcher,
    check_settings,
)
from airtally.errors import InvalidValue

T0 = dt.datetime(2024, 3, 22, 0, 5, tzinfo=dt.timezone.utc)
LM1 = "Fri, 22 Mar 2024 00:04:15 GMT"
LM2 = "Fri, 22 Mar 2024 00:41:02 GMT"
TOKEN = "test-token-5f0c"
QUIET = {"8757", "28288"}
NIGHT = QUIET | {"60101", "60102", "60103", "60104"}
AFTER = QUIET | {"60102", "60104", "60105"}


def utc(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.timezone.utc)


class CheckedSink(MemorySink):
    """A memory sink that remembers the open set after each successful write."""

    def open_ids(self) -> set[str]:
        return {e.external_id for e in self.open_alerts()}

    def row(self, external_id: str):
        return self.rows[("alerts.in.ua", external_id)]


def make_watcher(api, sink=None, timeout=2.0, interval=10.0, **kwargs):
    clock = FakeClock(T0)
    client = ApiClient(TOKEN, base_url=api.url, timeout=timeout, clock=clock)
    return Watcher(client, sink or CheckedSink(), clock, interval=interval, **kwargs), clock


def test_alert_appears_then_disappears_and_is_stored_finished(fake_api):
    fake_api.serve(fake_api.snapshot("active_night.json", LM1), fake_api.snapshot("active_after.json", LM2))
    watcher, clock = make_watcher(fake_api)

    first = watcher.poll()
    assert (first.outcome, first.new, first.finished) == ("stored", 6, 0)
    assert watcher.sink.open_ids() == NIGHT
    clock.wait(threading.Event(), first.delay)

    second = watcher.poll()
    assert (second.outcome, second.new, second.finished) == ("stored", 1, 2)
    assert watcher.sink.open_ids() == AFTER
    kyiv = watcher.sink.row("60101")
    # The end is the snapshot's meta.last_updated_at, observed (we saw it active 10 s before).
    assert kyiv.finished_at == utc("2024-03-22T00:41:02")
    assert kyiv.end_is_estimate is False
    assert kyiv.started_at == utc("2024-03-22T00:04:12")
    assert watcher.sink.row("60103").level == "raion"
    # Only the changes are written: 6 new alerts, then 2 finished and 1 new.
    assert [len(batch) for batch in watcher.sink.batches] == [6, 3]


def test_if_modified_since_is_sent_and_304_stores_nothing(fake_api):
    fake_api.serve(fake_api.snapshot("active_night.json", LM1), fake_api.Reply(304), fake_api.snapshot("active_after.json", LM2))
    watcher, _ = make_watcher(fake_api)
    watcher.run(max_polls=3)

    assert [r.headers.get("if-modified-since") for r in fake_api.requests] == [None, LM1, LM1]
    assert [len(batch) for batch in watcher.sink.batches] == [6, 3]
    assert watcher.status.last_message.startswith("1 new, 2 finished")


def test_token_goes_in_the_authorization_header_never_the_url(fake_api, caplog):
    caplog.set_level(logging.DEBUG)
    fake_api.serve(fake_api.snapshot("active_quiet.json", LM1), fake_api.error(500))
    watcher, _ = make_watcher(fake_api)
    watcher.run(max_polls=2)

    assert all(r.headers["authorization"] == f"Bearer {TOKEN}" for r in fake_api.requests)
    assert all(r.path == "/v1/alerts/active.json" for r in fake_api.requests)
    assert TOKEN not in caplog.text


def test_429_waits_for_retry_after_then_continues(fake_api, caplog):
    fake_api.serve(
        fake_api.snapshot("active_night.json", LM1),
        fake_api.error(429, "Too many requests", **{"Retry-After": "42"}),
        fake_api.snapshot("active_after.json", LM2),
    )
    watcher, clock = make_watcher(fake_api)
    watcher.run(max_polls=3)

    assert clock.waits == [10.0, 42.0]
    assert "rate limited (HTTP 429" in caplog.text and "retrying in 42 s" in caplog.text
    assert watcher.sink.open_ids() == AFTER


def test_429_without_retry_after_backs_off(fake_api):
    fake_api.serve(fake_api.snapshot("active_quiet.json", LM1), fake_api.error(429), fake_api.error(429))
    watcher, clock = make_watcher(fake_api)
    watcher.run(max_polls=3)
    assert clock.waits == [10.0, 10.0]
    assert watcher.status.failures_in_a_row == 2


def test_server_errors_back_off_exponentially_capped_and_reset_after_success(fake_api, caplog):
    fake_api.serve(
        fake_api.snapshot("active_night.json", LM1),
        *[fake_api.error(status) for status in (500, 502, 503, 504, 500, 500)],
        fake_api.snapshot("active_after.json", LM2),
        fake_api.Reply(304),
    )
    watcher, clock = make_watcher(fake_api, max_backoff=100)
    watcher.run(max_polls=9)

    assert clock.waits == [10, 10, 20, 40, 80, 100, 100, 10]
    assert watcher.status.failures_in_a_row == 0
    assert "HTTP 503 from http://127.0.0.1" in caplog.text and "nothing stored; retrying in 40 s (failure 3 in a row)" in caplog.text
    assert watcher.sink.open_ids() == AFTER


def test_slow_answer_beyond_the_timeout_is_retried(fake_api, caplog):
    slow = fake_api.snapshot("active_after.json", LM2)
    slow.delay = 1.0
    fake_api.serve(fake_api.snapshot("active_night.json", LM1), slow, fake_api.snapshot("active_after.json", LM2))
    watcher, _ = make_watcher(fake_api, timeout=0.2)

    results = [watcher.poll() for _ in range(3)]
    assert [r.outcome for r in results] == ["stored", "retry", "stored"]
    assert "no answer from http://127.0.0.1" in caplog.text and "within 0.2 s" in caplog.text
    assert watcher.sink.open_ids() == AFTER


def test_connection_refused_is_retried(fake_api, caplog):
    url = fake_api.url
    fake_api.stop()
    watcher, _ = make_watcher(type("Gone", (), {"url": url})())
    result = watcher.poll()
    assert result.outcome == "retry"
    assert f"cannot reach {url}/v1/alerts/active.json: ConnectError" in caplog.text


@pytest.mark.parametrize(
    "body, logged",
    [
        (b'{"alerts": [{"id": 60101, "location_title": "\xd0\xbc. \xd0\x9a', "is not valid JSON"),
        (b"<html><body>502 Bad Gateway</body></html>", "is not valid JSON: Expecting value"),
        (b'{"meta": {}}', 'expected an object with an "alerts" list'),
    ],
)
def test_malformed_json_stores_nothing_and_is_retried(fake_api, caplog, body, logged):
    fake_api.serve(
        fake_api.snapshot("active_night.json", LM1),
        fake_api.Reply(200, body, {"Last-Modified": LM2}),
        fake_api.snapshot("active_after.json", LM2),
    )
    watcher, clock = make_watcher(fake_api)
    watcher.poll()
    before = dict(watcher.sink.rows)

    assert watcher.poll().outcome == "retry"
    assert watcher.sink.rows == before
    assert "malformed data: response from /v1/alerts/active.json" in caplog.text and logged in caplog.text
    assert watcher.poll().outcome == "stored"
    # The bad answer's Last-Modified was not remembered: the retry asked since the last good one.
    assert fake_api.requests[2].headers.get("if-modified-since") == LM1
    assert watcher.sink.open_ids() == AFTER


def test_one_malformed_item_stores_none_of_the_snapshot(fake_api, caplog):
    data = json.loads(fake_api.snapshot("active_after.json").body)
    del data["alerts"][4]["started_at"]  # the new Sumy alert; the items before it are fine
    fake_api.serve(
        fake_api.snapshot("active_night.json", LM1),
        fake_api.Reply(200, json.dumps(data).encode(), {"Last-Modified": LM2}),
    )
    watcher, _ = make_watcher(fake_api)
    watcher.run(max_polls=2)

    assert 'alert 4: missing "started_at" (id 60105)' in caplog.text
    assert watcher.sink.open_ids() == NIGHT
    assert len(watcher.sink.batches) == 1


def test_401_stops_with_a_clear_message_and_stores_nothing(fake_api):
    fake_api.serve(fake_api.error(401, "Unauthorized"))
    watcher, _ = make_watcher(fake_api)
    with pytest.raises(ApiRefused, match=r"rejected the API token \(HTTP 401 .*ALERTS_IN_UA_TOKEN"):
        watcher.run(max_polls=5)
    assert watcher.sink.rows == {} and len(fake_api.requests) == 1
    assert watcher.status.stopped_by == "refused"


@pytest.mark.parametrize("status, message", [(403, r"refused access \(HTTP 403"), (404, "HTTP 404 from .*check --base-url")])
def test_other_refusals_stop(fake_api, status, message):
    fake_api.serve(fake_api.error(status))
    watcher, _ = make_watcher(fake_api)
    with pytest.raises(ApiRefused, match=message):
        watcher.run()


def test_a_failed_write_is_retried_in_full(fake_api, caplog):
    fake_api.serve(fake_api.snapshot("active_night.json", LM1), fake_api.snapshot("active_night.json", LM1))
    sink = CheckedSink(fail_after=3)
    watcher, _ = make_watcher(fake_api, sink=sink)

    assert watcher.poll().outcome == "retry"
    assert sink.rows == {}
    assert "cannot store the snapshot: simulated failure while writing event 3" in caplog.text
    sink._fail_after = None
    assert watcher.poll().outcome == "stored"
    # The failed snapshot's Last-Modified was not kept, so the retry was not answered with a 304.
    assert [r.headers.get("if-modified-since") for r in fake_api.requests] == [None, None]
    assert sink.open_ids() == NIGHT


def test_restart_closes_alerts_that_ended_while_down_as_estimates(fake_api):
    sink = CheckedSink()
    sink.store(parse_active(json.loads(fake_api.snapshot("active_night.json").body)).events)
    fake_api.serve(fake_api.snapshot("active_after.json", LM2))
    watcher, _ = make_watcher(fake_api, sink=sink)
    result = watcher.poll()

    assert (result.new, result.finished) == (1, 2)
    kyiv = sink.row("60101")
    # We did not watch it end: it ended at some time before this snapshot.
    assert (kyiv.finished_at, kyiv.end_is_estimate) == (utc("2024-03-22T00:41:02"), True)


def test_an_alert_gone_after_a_long_outage_has_an_estimated_end(fake_api):
    fake_api.serve(
        fake_api.snapshot("active_night.json", LM1),
        *[fake_api.error(503)] * 4,
        fake_api.snapshot("active_after.json", LM2),
    )
    watcher, clock = make_watcher(fake_api)
    watcher.run(max_polls=6)
    assert sum(clock.waits) > watcher.stale_after
    assert watcher.sink.row("60101").end_is_estimate is True


def test_ctrl_c_stops_cleanly(fake_api, caplog):
    caplog.set_level(logging.INFO)
    fake_api.serve(fake_api.snapshot("active_night.json", LM1))
    watcher, clock = make_watcher(fake_api)

    def interrupted(stop, seconds):
        raise KeyboardInterrupt

    clock.wait = interrupted
    status = watcher.run()
    assert (status.polls, status.stopped_by) == (1, "interrupted")
    assert "interrupted: stopping" in caplog.text
    assert watcher.sink.open_ids() == NIGHT


def test_stop_from_another_thread_ends_the_wait_at_once(fake_api):
    fake_api.serve(fake_api.snapshot("active_quiet.json", LM1))
    client = ApiClient(TOKEN, base_url=fake_api.url, timeout=2.0)
    watcher = Watcher(client, CheckedSink(), SystemClock(), interval=30)
    thread = threading.Thread(target=watcher.run)
    thread.start()
    for _ in range(200):
        if watcher.status.polls:
            break
        time.sleep(0.01)
    started = time.monotonic()
    watcher.stop()
    thread.join(timeout=5)
    assert not thread.is_alive() and time.monotonic() - started < 2
    assert watcher.status.stopped_by == "stop requested"


def test_history_requests_are_spaced_by_the_rate_limit(fake_api):
    fake_api.serve(fake_api.snapshot("history_kyiv.json"), fake_api.snapshot("history_kyiv.json"))
    clock = FakeClock(T0)
    client = ApiClient(TOKEN, base_url=fake_api.url, clock=clock)
    first = client.fetch_history(31)
    second = client.fetch_history("31", "week_ago")
    assert [r.path for r in fake_api.requests] == ["/v1/regions/31/alerts/month_ago.json", "/v1/regions/31/alerts/week_ago.json"]
    assert clock.waits == [30.0]
    assert [e.end_is_estimate for e in first.events] == [False, True, False] == [e.end_is_estimate for e in second.events]


def test_an_older_snapshot_from_a_cache_is_ignored(fake_api):
    fake_api.serve(
        fake_api.snapshot("active_after.json", LM2),
        fake_api.snapshot("active_night.json", LM1),  # older meta.last_updated_at
        fake_api.snapshot("active_after.json", LM2),
    )
    watcher, _ = make_watcher(fake_api)
    results = [watcher.poll() for _ in range(3)]
    assert [r.outcome for r in results] == ["stored", "unchanged", "stored"]
    assert results[1].message == "older snapshot (2024-03-22T00:04:15Z) ignored"
    assert watcher.sink.open_ids() == AFTER and len(watcher.sink.batches) == 1


@pytest.mark.parametrize(
    "interval, base_url, message",
    [
        (5, "https://api.alerts.in.ua", "--interval 5 s is too short for https://api.alerts.in.ua"),
        (0, "http://127.0.0.1:9", "--interval must be a positive number of seconds, not 0"),
        (10, "api.alerts.in.ua", "--base-url 'api.alerts.in.ua' is not an http(s) URL"),
    ],
)
def test_settings_that_cannot_work_are_refused(interval, base_url, message):
    with pytest.raises(InvalidValue) as caught:
        check_settings(interval, base_url)
    assert caught.value.message.startswith(message)

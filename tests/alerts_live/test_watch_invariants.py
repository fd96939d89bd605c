"""Invariants of the polling loop over any sequence of answers (hypothesis, no HTTP).

Whatever mix of snapshots, 304s, transient failures and failed writes arrives, the store's open
alerts are exactly those of the last snapshot that was stored, and an alert that left the active
set is stored finished at the time of the snapshot it left in.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from airtally.alerts.alerts_in_ua import SOURCE, Snapshot
from airtally.alerts.live import FakeClock, Fetched, MemorySink, NotModified, RetryLater, StaticSource, Watcher
from airtally.errors import DatabaseError
from airtally.model import AlertEvent

T0 = dt.datetime(2024, 3, 22, tzinfo=dt.timezone.utc)
POOL = {
    str(n): AlertEvent(region_code=code, started_at=T0 + dt.timedelta(minutes=n), source=SOURCE, external_id=str(n))
    for n, code in enumerate(["UA-05", "UA-07", "UA-12", "UA-30", "UA-32", "UA-46", "UA-63", "UA-74"])
}

steps = st.lists(
    st.one_of(
        st.tuples(st.just("snapshot"), st.frozensets(st.sampled_from(sorted(POOL))), st.booleans()),
        st.tuples(st.just("304"), st.none(), st.just(False)),
        st.tuples(st.just("failure"), st.none(), st.just(False)),
    ),
    min_size=1,
    max_size=25,
)


class FlakySink(MemorySink):
    """Fails the next write when told to (like a lost database connection)."""

    fail_next = False

    def store(self, events):
        if self.fail_next:
            self.fail_next = False
            raise DatabaseError("connection lost")
        super().store(events)


def answer(step, number):
    kind, ids, _ = step
    if kind == "304":
        return NotModified()
    if kind == "failure":
        return RetryLater("HTTP 502")
    stamp = T0 + dt.timedelta(hours=1, minutes=number)
    return Fetched(Snapshot([POOL[i] for i in sorted(ids)], stamp), f"lm-{number}")


@settings(max_examples=200, deadline=None)
@given(steps)
def test_store_always_holds_the_last_stored_snapshot(script):
    sink = FlakySink()
    source = StaticSource([answer(step, n) for n, step in enumerate(script)])
    watcher = Watcher(source, sink, FakeClock(T0), interval=10)
    expected_open: set[str] = set()
    ended: dict[str, dt.datetime] = {}
    for number, (kind, ids, write_fails) in enumerate(script):
        sink.fail_next = write_fails
        result = watcher.poll()
        must_write = kind == "snapshot" and ids != expected_open
        if kind == "snapshot" and not (write_fails and must_write):
            stamp = T0 + dt.timedelta(hours=1, minutes=number)
            ended.update({i: stamp for i in expected_open - ids})
            for i in ids:
                ended.pop(i, None)
            expected_open = set(ids)
        failed = kind == "failure" or (write_fails and must_write)
        assert result.outcome == ("retry" if failed else "unchanged" if kind == "304" else "stored")
        assert {e.external_id for e in sink.open_alerts()} == expected_open
        finished = {key[1]: e.finished_at for key, e in sink.rows.items() if e.finished_at is not None}
        assert finished == ended

"""Notification fixtures: a receiver on loopback, events written to the outbox, a settable clock."""

from __future__ import annotations

import datetime as dt
import random
import sys

import pytest

from airtally.notify.delivery import Notifier, Policy, new_client
from airtally.notify.endpoints import add_endpoint
from airtally.record.events import emit
from tests.notify.receiver import Receiver, Serving

NOW = dt.datetime(2026, 3, 1, 2, 0, tzinfo=dt.timezone.utc)


class Clock:
    """A clock the test moves: ``clock()`` is now, ``clock.advance(seconds)``."""

    def __init__(self, now: dt.datetime = NOW):
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += dt.timedelta(seconds=seconds)


@pytest.fixture
def cli(monkeypatch, capsys):
    """``cli(*args)`` -> (exit code, stdout, stderr) of ``airtally ARGS``, run in this process."""
    from airtally.cli import main

    def invoke(*args: str) -> tuple[int, str, str]:
        monkeypatch.setattr(sys, "argv", ["airtally", *args])
        try:
            main()
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        out, err = capsys.readouterr()
        return code, out, err
    return invoke


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def receiver():
    found = Receiver()
    with Serving(found):
        yield found


@pytest.fixture
def notifier(engine, clock):
    """A loop on ``engine`` with the test's clock and a fixed random source."""
    made = Notifier(engine, new_client(), policy=Policy(), clock=clock, rng=random.Random(7))
    yield made
    made.client.close()


def add(engine, receiver: Receiver, kind: str = "webhook", path: str = "/hook", **filters) -> int:
    """Add an endpoint pointing at ``receiver`` (its secret handed to the receiver to verify)."""
    with engine.begin() as conn:
        added = add_endpoint(conn, kind, receiver.url + path, now=NOW, **filters)
    if added.secret:
        receiver.secret = added.secret
    return added.id


def attack_event(engine, *, launched: int = 500, regions=("UA-30",), notify: bool = True, kind="attack.created",
                 at: dt.datetime = NOW) -> int:
    """An attack event in the outbox, as the record's writers emit it."""
    with engine.begin() as conn:
        return emit(conn, kind, data={"attack_id": 1, "date": "2026-03-01",
                                      "figures": {"all": {"launched": launched}}},
                    regions=regions, attack_id=1, subject_at=at, notify=notify, now=at)


def threat_event(engine, *, at: dt.datetime = NOW, regions=("UA-63",)) -> int:
    with engine.begin() as conn:
        return emit(conn, "threat.created", data={"type": "ballistic_missiles"}, regions=regions,
                    subject_at=at, notify=True, now=at)

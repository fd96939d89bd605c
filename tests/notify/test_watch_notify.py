"""`airtally watch` delivers the notifications of what it stores: a post read on a poll reaches
the webhook in the same run (--once: one round after the polls; --no-notify: none)."""

from __future__ import annotations

import datetime as dt

import pytest

from airtally.clock import KYIV
from tests.notify.receiver import Receiver, Serving
from tests.sources.fake_telegram import FakeTelegram, Serving as ServingTelegram

MONTHS = "січня лютого березня квітня травня червня липня серпня вересня жовтня листопада грудня".split()


def tonight_report(now: dt.datetime, launched: int) -> str:
    day = now.astimezone(KYIV).date()
    return f"У ніч на {day.day} {MONTHS[day.month - 1]} противник атакував {launched} ударними БпЛА. Збито 40."


@pytest.mark.parametrize("notify", [True, False])
def test_watch_once_delivers_what_its_polls_stored(tmp_path, monkeypatch, cli, notify):
    monkeypatch.setenv("AIRTALLY_DB", f"sqlite:///{tmp_path / 'w.db'}")
    now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    fake, receiver = FakeTelegram(), Receiver()
    fake.post("kpszsu", 7, tonight_report(now, 52), now - dt.timedelta(minutes=20))
    with ServingTelegram(fake) as telegram, Serving(receiver) as url:
        assert cli("sources", "add", "telegram", "kpszsu", "--kind", "national", "--base-url", telegram)[0] == 0
        code, out, _ = cli("notify", "add", "webhook", url + "/hook", "--on", "attack", "--on", "revision")
        receiver.secret = out.strip()
        flag = [] if notify else ["--no-notify"]
        assert cli("watch", "--once", *flag)[0] == 0
        assert receiver.received == []  # a source's first poll is a catch-up: recorded, not sent
        fake.post("kpszsu", 8, tonight_report(now, 60), now)
        code, _, err = cli("watch", "--once", *flag)
        assert code == 0, err
    if not notify:
        assert receiver.received == []
        return
    [got] = receiver.received
    assert got.signature_ok is True and got.json["type"] == "attack.revised"
    assert got.json["data"]["figures"]["drones"]["launched"] == 60

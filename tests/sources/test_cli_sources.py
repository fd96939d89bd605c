"""`airtally sources ...` and `airtally watch` end to end, against the fake preview server."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

from tests.sources.fake_telegram import FakeTelegram, Serving

ROOT = Path(__file__).resolve().parents[2]


def airtally(*args: str, db: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "AIRTALLY_DB": db, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-c", "from airtally.cli import main; main()", *args],
                          capture_output=True, text=True, env=env, timeout=120)


def test_init_add_list_watch_remove(tmp_path):
    db = f"sqlite:///{tmp_path / 'w.db'}"
    now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    fake = FakeTelegram()
    fake.post("kpszsu", 7, "У ніч на 4 липня противник атакував 52 ударними БпЛА. Збито 40.", now - dt.timedelta(hours=3))
    fake.post("air_alert_ua", 3, "🔴 10:00 Повітряна тривога в Сумська область\n#Сумська_область", now - dt.timedelta(hours=1))
    with Serving(fake) as url:
        nothing = airtally("watch", "--once", db=db)
        assert nothing.returncode == 1 and "no source is followed: `airtally sources init`" in nothing.stderr
        done = airtally("sources", "init", "--base-url", url, db=db)
        assert done.returncode == 0 and "following kpszsu, air_alert_ua" in done.stderr
        again = airtally("sources", "init", db=db)
        assert "followed already" in again.stderr
        assert airtally("sources", "add", "telegram", "PvKPivden", "--kind", "regional", "--base-url", url,
                        db=db).returncode == 0
        duplicate = airtally("sources", "add", "telegram", "PvKPivden", "--kind", "regional", db=db)
        assert duplicate.returncode == 1 and "followed already" in duplicate.stderr
        bad = airtally("sources", "add", "telegram", "x", "--kind", "weather", db=db)
        assert bad.returncode == 2
        watched = airtally("watch", "--once", db=db)
        assert watched.returncode == 0, watched.stderr
        assert "stopped after 3 poll(s): 2 new, 0 revised, 0 deleted post(s); 1 failed poll(s)" in watched.stderr
        assert "WARNING PvKPivden: HTTP 404 from" in watched.stderr
    listed = {row["name"]: row for row in json.loads(airtally("sources", "list", "--json", db=db).stdout)}
    assert listed["kpszsu"]["last_post_id"] == 7 and listed["kpszsu"]["last_error"] is None
    assert "HTTP 404" in listed["PvKPivden"]["last_error"]
    assert airtally("sources", "remove", "PvKPivden", db=db).returncode == 0
    gone = airtally("sources", "remove", "PvKPivden", db=db)
    assert gone.returncode == 1 and "is not followed" in gone.stderr
    active = json.loads(airtally("alerts", "active", "--json", "--source", "official", db=db).stdout)
    assert any(r["code"] == "UA-59" for r in active["regions"])


MONTHS = "січня лютого березня квітня травня червня липня серпня вересня жовтня листопада грудня".split()


def _watcher_holds_the_lock(path: Path) -> bool:
    import fcntl

    if not path.exists():
        return False
    with open(path, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return True
        fcntl.flock(handle, fcntl.LOCK_UN)
        return False


def test_kill_9_at_any_moment_then_restart_loses_nothing_and_stores_nothing_twice(tmp_path):
    """A real `airtally watch` process, killed with SIGKILL at several moments of its catch-up
    (starting, fetching, storing), then run again: every post stored once. While one runs, a
    second watcher on the same SQLite file is refused with a message, not a traceback."""
    import signal
    import time

    db_file = tmp_path / "w.db"
    db = f"sqlite:///{db_file}"
    now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    fake = FakeTelegram(page_size=5)
    ids = []
    for k in range(150):  # five days of posts, ids with gaps: 30 pages to read back
        when = now - dt.timedelta(days=5) + dt.timedelta(minutes=47 * k)
        day = (when + dt.timedelta(days=1)).date()
        text = (f"У ніч на {day.day} {MONTHS[day.month - 1]} противник атакував {100 + k} ударними БпЛА."
                if k % 2 else f"Загроза застосування балістичного озброєння ({k})!")
        ids.append(3 * k + 1 + k % 2)
        fake.post("kpszsu", ids[-1], text, when)
    env = {**os.environ, "AIRTALLY_DB": db, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-c", "from airtally.cli import main; main()", "watch"]
    with Serving(fake) as url:
        assert airtally("sources", "add", "telegram", "kpszsu", "--kind", "national", "--base-url", url,
                        db=db).returncode == 0
        for delay in (0.5, 2.0, 3.5, 5.0):
            process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            if delay == 2.0:
                lock = tmp_path / "w.db.watch.lock"
                deadline = time.monotonic() + 60
                while not _watcher_holds_the_lock(lock) and time.monotonic() < deadline:
                    time.sleep(0.05)
                second = airtally("watch", "--once", db=db)
                assert second.returncode == 1 and "another airtally watch is running" in second.stderr
                assert "Traceback" not in second.stderr
            else:
                time.sleep(delay)
            process.send_signal(signal.SIGKILL)
            process.wait(30)
        done = airtally("watch", "--once", db=db)
        assert done.returncode == 0, done.stderr
    import sqlalchemy as sa

    engine = sa.create_engine(db)
    with engine.connect() as conn:
        stored = conn.execute(sa.text("SELECT post_id, count(*) FROM reports GROUP BY post_id")).all()
        read = conn.execute(sa.text("SELECT count(*), count(DISTINCT post_key) FROM source_posts")).one()
    engine.dispose()
    assert sorted(post_id for post_id, _ in stored) == sorted(ids)
    assert all(count == 1 for _, count in stored) and tuple(read) == (len(ids), len(ids))

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

"""The watcher writes the threat timeline: a followed channel's threat posts become threats in the
same transaction as the post's bookkeeping; an all clear closes the open threats of its places."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from airtally.record.threats import list_threats, store_threats
from airtally.storage.tables_threats import threats
from airtally.storage.tables_watch import source_posts
from tests.sources.test_watch import NOW, _follow, fake, night, served, watcher  # noqa: F401 (fixtures)

MINUTE = dt.timedelta(minutes=1)


def _threats(engine, **filters):
    with engine.connect() as conn:
        return list_threats(conn, **filters)


def _open(engine):
    return [(t["type"], t["regions"]) for t in _threats(engine) if t["closed_at"] is None]


def test_threat_posts_become_threats_and_all_clears_close_their_places(engine, fake, served, watcher):
    _follow(engine, served, interval=30.0)
    fake.post("kpszsu", 10, "Група ударних БпЛА на Харківщині, курсом на Полтавщину.", NOW - 50 * MINUTE)
    fake.post("kpszsu", 11, "БпЛА на Сумщині курсом на Ромни.\nКАБи на Донеччину!", NOW - 40 * MINUTE)
    fake.post("kpszsu", 12, night(NOW.date(), 40), NOW - 30 * MINUTE)  # a morning report: no threat
    result, = watcher.run(once=True)
    assert result.error is None and result.threats == 3
    got = _threats(engine)
    assert [(t["type"], t["regions"], t["heading_region"], t["post"]) for t in got] == [
        ("strike_drones", ["UA-63"], "UA-53", "10"), ("strike_drones", ["UA-59"], None, "11"),
        ("guided_bombs", ["UA-14"], None, "11")]
    assert got[0]["at"] == NOW - 50 * MINUTE
    # the all clear for Poltava oblast closes the threat headed there, not the others
    fake.post("kpszsu", 13, "Відбій загрози для Полтавщини.", NOW - 20 * MINUTE)
    watcher.run(once=True)
    assert _open(engine) == [("strike_drones", ["UA-59"]), ("guided_bombs", ["UA-14"])]
    closed = _threats(engine, types=["strike_drones"])[0]
    assert closed["closed_at"] == NOW - 20 * MINUTE
    # an all clear naming no place closes every open threat
    fake.post("kpszsu", 14, "Відбій загрози!", NOW - 10 * MINUTE)
    watcher.run(once=True)
    assert _open(engine) == []


def test_an_edited_threat_post_replaces_its_threats_and_reopens_what_it_closed(engine, fake, served, watcher):
    _follow(engine, served)
    fake.post("kpszsu", 10, "БпЛА на Сумщині курсом на Ромни.", NOW - 50 * MINUTE)
    clear = fake.post("kpszsu", 11, "Відбій загрози для Сумщини.", NOW - 40 * MINUTE)
    watcher.run(once=True)
    assert _open(engine) == []
    clear.text, clear.edited = "Відбій загрози для Харківщини.", True
    watcher.run(once=True)
    assert _open(engine) == [("strike_drones", ["UA-59"])]
    assert [t["regions"] for t in _threats(engine, types=["all_clear"])] == [["UA-63"]]


def test_filters_by_time_region_and_type(engine):
    with engine.begin() as conn:
        store_threats(conn, "kpszsu", "1", NOW - 60 * MINUTE, "КР у Кіровоградській області, курсом на Вінниччину")
        store_threats(conn, "kpszsu", "2", NOW - 30 * MINUTE, "Реактивні БпЛА на Чернігівщині, курсом на Київщину!")
    assert [t["type"] for t in _threats(engine, region="UA-05")] == ["cruise_missiles"]  # its heading
    assert [t["type"] for t in _threats(engine, region="UA-74")] == ["jet_drones"]
    assert [t["type"] for t in _threats(engine, start=NOW - 45 * MINUTE)] == ["jet_drones"]
    assert [t["type"] for t in _threats(engine, end=NOW - 45 * MINUTE)] == ["cruise_missiles"]
    assert _threats(engine, types=["hypersonic"]) == []
    assert _threats(engine, region="UA-7") == []  # a code is matched whole, not as a prefix


def test_a_threat_keeps_the_count_and_the_heading_list_its_line_states(engine):
    with engine.begin() as conn:
        store_threats(conn, "kpszsu", "1", NOW, "Група 5-7 БпЛА на Харківщині, курсом на Полтаву, Кременчук.\nКАБи на Донеччину!")
    got = _threats(engine)
    assert [(t["count"], t["heading"], t["heading_region"]) for t in got] == [(5, "Полтаву, Кременчук", "UA-53"), (None, None, None)]


def test_every_oblast_of_a_heading_list_finds_and_clears_the_threat(engine):
    text = "Група БпЛА на Сумщині, рухаються на Полтавщину (курс південно-західний) та на Харківщину"
    with engine.begin() as conn:
        store_threats(conn, "kpszsu", "1", NOW - 30 * MINUTE, text)
    assert [(t["heading_region"], t["heading_regions"]) for t in _threats(engine, region="UA-63")] == [("UA-53", ["UA-53", "UA-63"])]
    with engine.begin() as conn:
        store_threats(conn, "kpszsu", "2", NOW - 20 * MINUTE, "Відбій загрози для Харківщини.")
    assert _open(engine) == []


def test_a_failing_threat_write_rolls_back_the_posts_bookkeeping(engine, fake, served, watcher, monkeypatch):
    _follow(engine, served)
    fake.post("kpszsu", 10, "БпЛА на Сумщині курсом на Ромни.", NOW - 50 * MINUTE)

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("airtally.sources.watch.store_threats", broken)
    with pytest.raises(RuntimeError):
        watcher.run(once=True)
    with engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(source_posts)).scalar() == 0
        assert conn.execute(sa.select(sa.func.count()).select_from(threats)).scalar() == 0


def test_a_deleted_post_withdraws_its_threats_and_reopens_what_its_all_clear_closed(engine, fake, served, watcher):
    _follow(engine, served)
    fake.post("kpszsu", 9, night(NOW.date(), 40), NOW - 60 * MINUTE)  # a morning report: no threat
    threat = fake.post("kpszsu", 10, "БпЛА на Сумщині курсом на Ромни.", NOW - 50 * MINUTE)
    fake.post("kpszsu", 11, "КАБи на Донеччину!", NOW - 45 * MINUTE)
    clear = fake.post("kpszsu", 12, "Відбій загрози для Донеччини.", NOW - 40 * MINUTE)
    watcher.run(once=True)
    assert _open(engine) == [("strike_drones", ["UA-59"])]
    clear.deleted = True
    assert watcher.run(once=True)[0].deleted == 1
    assert _open(engine) == [("strike_drones", ["UA-59"]), ("guided_bombs", ["UA-14"])]
    threat.deleted = True
    watcher.run(once=True)
    assert [t["post"] for t in _threats(engine)] == ["11"]


def test_a_post_kept_to_re_read_gives_its_threats_when_read_again(engine, fake, served, watcher, monkeypatch):
    import airtally.record.posts as posts_module

    _follow(engine, served)
    text = "БпЛА на Сумщині курсом на Ромни."
    fake.post("kpszsu", 10, text, NOW - 3 * 24 * 60 * MINUTE)  # read by the first poll only
    real = posts_module.run_extract

    def fails_on_it(text_, published):
        if text_ == text:
            raise ValueError("a bug")
        return real(text_, published)

    monkeypatch.setattr(posts_module, "run_extract", fails_on_it)
    assert watcher.run(once=True)[0].pending == 1 and _threats(engine) == []
    monkeypatch.setattr(posts_module, "run_extract", real)
    result, = watcher.run(once=True)  # the latest page unchanged: the post is read again from its kept text
    assert result.threats == 1 and [t["post"] for t in _threats(engine)] == ["10"]
    with engine.connect() as conn:
        assert conn.execute(sa.select(source_posts.c.status)).scalars().all() == ["stored"]
